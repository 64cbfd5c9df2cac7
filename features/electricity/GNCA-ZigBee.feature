@GNCA-ZigBee @esme
Feature: GNCA-ZigBee GNCA-ZigBee
  RTDS folder NA_GNCA-ZigBee: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: GNCA-ZigBee as recorded
    When the recorded command "GNCA-ZigBee_NA_SUCCESS" is sent
    Then the response is a valid response to that command
