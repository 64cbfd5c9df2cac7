@ECS08a @SR2.1 @esme
Feature: ECS08a Update Prepayment Configuration
  RTDS folder 2.1_ECS08a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS08a cancellation success (ECS08a_2.1_CANCELLATION_SUCCESS)
    When the import supplier sends ECS08a to the ESME using vector "ECS08a_2.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS08a future dated success (ECS08a_2.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends ECS08a to the ESME using vector "ECS08a_2.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS08a immediate error (ECS08a_2.1_IMMEDIATE_ERROR)
    When the import supplier sends ECS08a to the ESME using vector "ECS08a_2.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS08a immediate success (ECS08a_2.1_IMMEDIATE_SUCCESS)
    When the import supplier sends ECS08a to the ESME using vector "ECS08a_2.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
