@ECS18b @SR4.12.1 @esme
Feature: ECS18b Read Maximum Demand Registers (import)
  RTDS folder 4.12.1_ECS18b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS18b error (ECS18b_4.12.1_ERROR)
    When the import supplier sends ECS18b to the ESME using vector "ECS18b_4.12.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS18b success (ECS18b_4.12.1_SUCCESS)
    When the import supplier sends ECS18b to the ESME using vector "ECS18b_4.12.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
