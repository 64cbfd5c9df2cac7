@ECS47a @SR7.13 @esme
Feature: ECS47a Set Auxiliary Controller [n] State
  RTDS folder 7.13_ECS47a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS47a alcs activate success (ECS47a_7.13_ALCS_ACTIVATE_SUCCESS)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_ALCS_ACTIVATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS47a alcs deactivate error (ECS47a_7.13_ALCS_DEACTIVATE_ERROR)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_ALCS_DEACTIVATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47a alcs deactivate success (ECS47a_7.13_ALCS_DEACTIVATE_SUCCESS)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_ALCS_DEACTIVATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS47a apc input error (ECS47a_7.13_APC_INPUT_ERROR)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_APC_INPUT_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47a apc input success (ECS47a_7.13_APC_INPUT_SUCCESS)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_APC_INPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47a apc output success (ECS47a_7.13_APC_OUTPUT_SUCCESS)
    When the import supplier sends ECS47a to the ESME using vector "ECS47a_7.13_APC_OUTPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
