@ECS39b @SR6.20.2 @esme
Feature: ECS39b Set Export MPAN Value on the ESME
  RTDS folder 6.20.2_ECS39b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS39b error (ECS39b_6.20.2_ERROR)
    When the access control broker sends ECS39b to the ESME using vector "ECS39b_6.20.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS39b success (ECS39b_6.20.2_SUCCESS)
    When the access control broker sends ECS39b to the ESME using vector "ECS39b_6.20.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
