@ECS07 @SR2.3 @esme
Feature: ECS07 Debt Management
  RTDS folder 2.3_ECS07: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS07 error (ECS07_2.3_ERROR)
    When the import supplier sends ECS07 to the ESME using vector "ECS07_2.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS07 success (ECS07_2.3_SUCCESS)
    When the import supplier sends ECS07 to the ESME using vector "ECS07_2.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
