@CS14 @esme
Feature: CS14 Device Addition To / Removal From HAN Whitelist Alerts
  RTDS folder NA_CS14: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: CS14 as recorded
    When the recorded command "CS14_NA_SUCCESS" is sent
    Then the response is a valid response to that command
