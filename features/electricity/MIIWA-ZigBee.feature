@MIIWA-ZigBee @esme
Feature: MIIWA-ZigBee MIIWA-ZigBee
  RTDS folder NA_MIIWA-ZigBee: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: MIIWA-ZigBee as recorded
    When the recorded command "MIIWA-ZigBee_NA_SUCCESS" is sent
    Then the response is a valid response to that command
