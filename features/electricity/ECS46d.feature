@ECS46d @SR6.14.3 @load-controlled-esme
Feature: ECS46d Set Auxiliary Controller Calendar
  RTDS folder 6.14.3_ECS46d: every variant it records, addressed to the target's load-controlled ESME and sent by the remote party that sent it there.

  Scenario: ECS46d cancellation apc output success (ECS46d_6.14.3_CANCELLATION_APC_OUTPUT_SUCCESS)
    When the import supplier sends ECS46d to the load-controlled ESME using vector "ECS46d_6.14.3_CANCELLATION_APC_OUTPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46d future dated apc output success (ECS46d_6.14.3_FUTURE_DATED_APC_OUTPUT_SUCCESS)
    When the import supplier sends ECS46d to the load-controlled ESME using vector "ECS46d_6.14.3_FUTURE_DATED_APC_OUTPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS46d immediate alcs error (ECS46d_6.14.3_IMMEDIATE_ALCS_ERROR)
    When the import supplier sends ECS46d to the ESME using vector "ECS46d_6.14.3_IMMEDIATE_ALCS_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46d immediate alcs success (ECS46d_6.14.3_IMMEDIATE_ALCS_SUCCESS)
    When the import supplier sends ECS46d to the ESME using vector "ECS46d_6.14.3_IMMEDIATE_ALCS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46d immediate apc input success (ECS46d_6.14.3_IMMEDIATE_APC_INPUT_SUCCESS)
    When the import supplier sends ECS46d to the ESME using vector "ECS46d_6.14.3_IMMEDIATE_APC_INPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS46d immediate apc output error (ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_ERROR)
    When the import supplier sends ECS46d to the ESME using vector "ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46d immediate apc output success (ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_SUCCESS)
    When the import supplier sends ECS46d to the ESME using vector "ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
