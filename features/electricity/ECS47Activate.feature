@ECS47Activate @SR7.5 @esme
Feature: ECS47Activate ECS47Activate
  RTDS folder 7.5_ECS47Activate: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS47Activate error (ECS47Activate_7.5_ERROR)
    When the import supplier sends ECS47Activate to the ESME using vector "ECS47Activate_7.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47Activate success (ECS47Activate_7.5_SUCCESS)
    When the import supplier sends ECS47Activate to the ESME using vector "ECS47Activate_7.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
