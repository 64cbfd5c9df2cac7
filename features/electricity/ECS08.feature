@ECS08 @SR2.1 @esme
Feature: ECS08 ECS08
  RTDS folder 2.1_ECS08: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS08 cancellation success (ECS08_2.1_CANCELLATION_SUCCESS)
    When the import supplier sends ECS08 to the ESME using vector "ECS08_2.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS08 future dated success (ECS08_2.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends ECS08 to the ESME using vector "ECS08_2.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS08 immediate error (ECS08_2.1_IMMEDIATE_ERROR)
    When the import supplier sends ECS08 to the ESME using vector "ECS08_2.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS08 immediate success (ECS08_2.1_IMMEDIATE_SUCCESS)
    When the import supplier sends ECS08 to the ESME using vector "ECS08_2.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
