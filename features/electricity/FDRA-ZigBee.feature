@FDRA-ZigBee @esme
Feature: FDRA-ZigBee FDRA-ZigBee
  RTDS folder NA_FDRA-ZigBee: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: FDRA-ZigBee as recorded
    When the recorded command "FDRA-ZigBee_NA_SUCCESS" is sent
    Then the response is a valid response to that command
