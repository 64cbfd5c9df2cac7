@CCS08 @esme
Feature: CCS08 Firmware Transfer Alert
  RTDS folder NA_CCS08: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: CCS08 as recorded
    When the recorded command "CCS08_NA_SUCCESS" is sent
    Then the response is a valid response to that command
