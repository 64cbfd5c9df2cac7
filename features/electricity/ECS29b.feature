@ECS29b @SR6.5 @esme
Feature: ECS29b Set Voltage Configurations on ESME - 3 ph with counter resets
  RTDS folder 6.5_ECS29b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS29b error (ECS29b_6.5_ERROR)
    When the network operator sends ECS29b to the ESME using vector "ECS29b_6.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS29b success (ECS29b_6.5_SUCCESS)
    When the network operator sends ECS29b to the ESME using vector "ECS29b_6.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
