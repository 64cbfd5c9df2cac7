@ECS01d @SR1.2.2 @esme
Feature: ECS01d Set Price - Second Element
  RTDS folder 1.2.2_ECS01d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS01d cancellation success (ECS01d_1.2.2_CANCELLATION_SUCCESS)
    When the import supplier sends ECS01d to the ESME using vector "ECS01d_1.2.2_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01d future dated success (ECS01d_1.2.2_FUTURE_DATED_SUCCESS)
    When the import supplier sends ECS01d to the ESME using vector "ECS01d_1.2.2_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS01d immediate error (ECS01d_1.2.2_IMMEDIATE_ERROR)
    When the import supplier sends ECS01d to the ESME using vector "ECS01d_1.2.2_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS01d immediate success (ECS01d_1.2.2_IMMEDIATE_SUCCESS)
    When the import supplier sends ECS01d to the ESME using vector "ECS01d_1.2.2_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
