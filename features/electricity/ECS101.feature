@ECS101 @esme
Feature: ECS101 Limit APC [n] Level Command processed
  RTDS folder NA_ECS101: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS101 as recorded
    When the recorded command "ECS101_NA_SUCCESS" is sent
    Then the response is a valid response to that command
