@ECS68 @esme
Feature: ECS68 Critical Sensitive Alert (Billing Data Log)
  RTDS folder NA_ECS68: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS68 as recorded
    When the recorded command "ECS68_NA_SUCCESS" is sent
    Then the response is a valid response to that command
