@ECS46c @SR6.14.2 @esme
Feature: ECS46c ECS46c
  RTDS folder 6.14.2_ECS46c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: ECS46c cancellation all optionals success (ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS)
    When the import supplier sends ECS46c to the ESME using vector "ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: ECS46c future dated all optionals error (ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_ERROR)
    When the import supplier sends ECS46c to the ESME using vector "ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46c future dated all optionals success (ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS)
    When the import supplier sends ECS46c to the ESME using vector "ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46c immediate some optionals success (ECS46c_6.14.2_IMMEDIATE_SOME_OPTIONALS_SUCCESS)
    When the import supplier sends ECS46c to the ESME using vector "ECS46c_6.14.2_IMMEDIATE_SOME_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
