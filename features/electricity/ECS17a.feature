@ECS17a @SR4.2 @esme
Feature: ECS17a Read ESME Energy Registers (Export Energy)
  RTDS folder 4.2_ECS17a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS17a error (ECS17a_4.2_ERROR)
    When the network operator sends ECS17a to the ESME using vector "ECS17a_4.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS17a success (ECS17a_4.2_SUCCESS)
    When the network operator sends ECS17a to the ESME using vector "ECS17a_4.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
