@ECS04b @SR1.5 @esme
Feature: ECS04b Adjust Meter Balance: Reset
  RTDS folder 1.5_ECS04b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS04b error (ECS04b_1.5_ERROR)
    When the import supplier sends ECS04b to the ESME using vector "ECS04b_1.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS04b success (ECS04b_1.5_SUCCESS)
    When the import supplier sends ECS04b to the ESME using vector "ECS04b_1.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
