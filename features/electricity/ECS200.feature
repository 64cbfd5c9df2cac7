@ECS200 @esme
Feature: ECS200 Operational Update
  RTDS folder NA_ECS200: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS200 as recorded
    When the recorded command "ECS200_NA_SUCCESS" is sent
    Then the response is a valid response to that command
