@ECS46a @SR6.14.1 @esme
Feature: ECS46a Set Auxiliary Controller Descriptions
  RTDS folder 6.14.1_ECS46a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS46a all optionals error (ECS46a_6.14.1_ALL_OPTIONALS_ERROR)
    When the import supplier sends ECS46a to the ESME using vector "ECS46a_6.14.1_ALL_OPTIONALS_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46a all optionals success (ECS46a_6.14.1_ALL_OPTIONALS_SUCCESS)
    When the import supplier sends ECS46a to the ESME using vector "ECS46a_6.14.1_ALL_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS46a some optionals success (ECS46a_6.14.1_SOME_OPTIONALS_SUCCESS)
    When the import supplier sends ECS46a to the ESME using vector "ECS46a_6.14.1_SOME_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
