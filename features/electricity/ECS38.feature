@ECS38 @SR7.12 @esme
Feature: ECS38 Update Randomised Offset Limit
  RTDS folder 7.12_ECS38: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS38 error (ECS38_7.12_ERROR)
    When the import supplier sends ECS38 to the ESME using vector "ECS38_7.12_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS38 success (ECS38_7.12_SUCCESS)
    When the import supplier sends ECS38 to the ESME using vector "ECS38_7.12_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
