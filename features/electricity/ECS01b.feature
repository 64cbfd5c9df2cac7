@ECS01b @SR1.2.1 @esme
Feature: ECS01b Set Price
  RTDS folder 1.2.1_ECS01b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS01b cancellation tou block success (ECS01b_1.2.1_CANCELLATION_TOU_BLOCK_SUCCESS)
    When the import supplier sends ECS01b to the ESME using vector "ECS01b_1.2.1_CANCELLATION_TOU_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01b future dated tou block success (ECS01b_1.2.1_FUTURE_DATED_TOU_BLOCK_SUCCESS)
    When the import supplier sends ECS01b to the ESME using vector "ECS01b_1.2.1_FUTURE_DATED_TOU_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01b immediate block success (ECS01b_1.2.1_IMMEDIATE_BLOCK_SUCCESS)
    When the import supplier sends ECS01b to the ESME using vector "ECS01b_1.2.1_IMMEDIATE_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS01b immediate error (ECS01b_1.2.1_IMMEDIATE_ERROR)
    When the import supplier sends ECS01b to the ESME using vector "ECS01b_1.2.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01b immediate tou success (ECS01b_1.2.1_IMMEDIATE_TOU_SUCCESS)
    When the import supplier sends ECS01b to the ESME using vector "ECS01b_1.2.1_IMMEDIATE_TOU_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
