@ECS01a @SR1.1.1 @esme
Feature: ECS01a Set Tariff and Price
  RTDS folder 1.1.1_ECS01a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS01a cancellation tou block success (ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS)
    When the import supplier sends ECS01a to the ESME using vector "ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01a future dated tou block success (ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS)
    When the import supplier sends ECS01a to the ESME using vector "ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01a immediate block success (ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS)
    When the import supplier sends ECS01a to the ESME using vector "ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS01a immediate error (ECS01a_1.1.1_IMMEDIATE_ERROR)
    When the import supplier sends ECS01a to the ESME using vector "ECS01a_1.1.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01a immediate tou success (ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS)
    When the import supplier sends ECS01a to the ESME using vector "ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
