@ECS100 @esme
Feature: ECS100 Command not supported by Device
  RTDS folder NA_ECS100: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS100 as recorded
    When the recorded command "ECS100_NA_SUCCESS" is sent
    Then the response is a valid response to that command
