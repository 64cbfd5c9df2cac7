@ECS03 @SR1.6 @esme
Feature: ECS03 Set Payment Mode to Prepayment
  RTDS folder 1.6_ECS03: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-twin-element
  Scenario: ECS03 cancellation twin success (ECS03_1.6_CANCELLATION_TWIN_SUCCESS)
    When the import supplier sends ECS03 to the ESME using vector "ECS03_1.6_CANCELLATION_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS03 future dated twin success (ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS)
    When the import supplier sends ECS03 to the ESME using vector "ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS03 immediate single error (ECS03_1.6_IMMEDIATE_SINGLE_ERROR)
    When the import supplier sends ECS03 to the ESME using vector "ECS03_1.6_IMMEDIATE_SINGLE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS03 immediate single success (ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS)
    When the import supplier sends ECS03 to the ESME using vector "ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
