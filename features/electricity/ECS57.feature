@ECS57 @SR6.18.2 @esme
Feature: ECS57 Reset Maximum Demand Registers
  RTDS folder 6.18.2_ECS57: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS57 all optionals error (ECS57_6.18.2_ALL_OPTIONALS_ERROR)
    When the network operator sends ECS57 to the ESME using vector "ECS57_6.18.2_ALL_OPTIONALS_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS57 all optionals success (ECS57_6.18.2_ALL_OPTIONALS_SUCCESS)
    When the network operator sends ECS57 to the ESME using vector "ECS57_6.18.2_ALL_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS57 some optionals success (ECS57_6.18.2_SOME_OPTIONALS_SUCCESS)
    When the network operator sends ECS57 to the ESME using vector "ECS57_6.18.2_SOME_OPTIONALS_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
