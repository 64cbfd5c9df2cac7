@ECS35d @SR6.13 @comms-hub
Feature: ECS35d Read CHF Security Log
  RTDS folder 6.13_ECS35d: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS35d error (ECS35d_6.13_ERROR)
    When the access control broker sends ECS35d to the comms hub using vector "ECS35d_6.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS35d success (ECS35d_6.13_SUCCESS)
    When the access control broker sends ECS35d to the comms hub using vector "ECS35d_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
