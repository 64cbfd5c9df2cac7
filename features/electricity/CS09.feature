@CS09 @esme
Feature: CS09 PPMID Firmware Activation Alert
  RTDS folder NA_CS09: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: CS09 as recorded
    When the recorded command "CS09_NA_SUCCESS" is sent
    Then the response is a valid response to that command
