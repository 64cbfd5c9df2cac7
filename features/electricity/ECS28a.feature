@ECS28a @SR6.4.1 @esme
Feature: ECS28a Set Load Limit Configurations - General Settings
  RTDS folder 6.4.1_ECS28a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS28a cancellation success (ECS28a_6.4.1_CANCELLATION_SUCCESS)
    When the import supplier sends ECS28a to the ESME using vector "ECS28a_6.4.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS28a future dated success (ECS28a_6.4.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends ECS28a to the ESME using vector "ECS28a_6.4.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS28a immediate error (ECS28a_6.4.1_IMMEDIATE_ERROR)
    When the import supplier sends ECS28a to the ESME using vector "ECS28a_6.4.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS28a immediate success (ECS28a_6.4.1_IMMEDIATE_SUCCESS)
    When the import supplier sends ECS28a to the ESME using vector "ECS28a_6.4.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
