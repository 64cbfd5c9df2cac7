@ECS50 @SR9.1 @esme
Feature: ECS50 Send CIN to meter
  RTDS folder 9.1_ECS50: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS50 error (ECS50_9.1_ERROR)
    When the access control broker sends ECS50 to the ESME using vector "ECS50_9.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS50 success (ECS50_9.1_SUCCESS)
    When the access control broker sends ECS50 to the ESME using vector "ECS50_9.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
