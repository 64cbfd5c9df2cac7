@ECS01c @SR1.1.2 @esme
Feature: ECS01c Set Tariff and Price - Second Element
  RTDS folder 1.1.2_ECS01c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS01c cancellation success (ECS01c_1.1.2_CANCELLATION_SUCCESS)
    When the import supplier sends ECS01c to the ESME using vector "ECS01c_1.1.2_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01c future dated success (ECS01c_1.1.2_FUTURE_DATED_SUCCESS)
    When the import supplier sends ECS01c to the ESME using vector "ECS01c_1.1.2_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS01c immediate error (ECS01c_1.1.2_IMMEDIATE_ERROR)
    When the import supplier sends ECS01c to the ESME using vector "ECS01c_1.1.2_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01c immediate success (ECS01c_1.1.2_IMMEDIATE_SUCCESS)
    When the import supplier sends ECS01c to the ESME using vector "ECS01c_1.1.2_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
