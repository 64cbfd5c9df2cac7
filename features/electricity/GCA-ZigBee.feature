@GCA-ZigBee @esme
Feature: GCA-ZigBee GCA-ZigBee
  RTDS folder NA_GCA-ZigBee: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: GCA-ZigBee as recorded
    When the recorded command "GCA-ZigBee_NA_SUCCESS" is sent
    Then the response is a valid response to that command
