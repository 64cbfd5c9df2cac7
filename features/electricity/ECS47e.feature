@ECS47e @SR7.16 @esme
Feature: ECS47e Limit APC [n] Level
  RTDS folder 7.16_ECS47e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS47e apc input error (ECS47e_7.16_APC_INPUT_ERROR)
    When the load controller sends ECS47e to the ESME using vector "ECS47e_7.16_APC_INPUT_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47e apc input success (ECS47e_7.16_APC_INPUT_SUCCESS)
    When the load controller sends ECS47e to the ESME using vector "ECS47e_7.16_APC_INPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47e apc output success (ECS47e_7.16_APC_OUTPUT_SUCCESS)
    When the load controller sends ECS47e to the ESME using vector "ECS47e_7.16_APC_OUTPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
