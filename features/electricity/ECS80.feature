@ECS80 @esme
Feature: ECS80 Supply Outage Restore Alert from ESME
  RTDS folder NA_ECS80: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: ECS80 as recorded
    When the recorded command "ECS80_NA_SUCCESS" is sent
    Then the response is a valid response to that command
