@ECS102 @esme
Feature: ECS102 Limit APC [n] Level ended or cancelled
  RTDS folder NA_ECS102: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS102 as recorded
    When the recorded command "ECS102_NA_SUCCESS" is sent
    Then the response is a valid response to that command
