@ECS17c @SR4.16 @esme
Feature: ECS17c Read ESME Energy Registers (Power)
  RTDS folder 4.16_ECS17c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS17c error (ECS17c_4.16_ERROR)
    When the network operator sends ECS17c to the ESME using vector "ECS17c_4.16_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS17c success (ECS17c_4.16_SUCCESS)
    When the network operator sends ECS17c to the ESME using vector "ECS17c_4.16_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
