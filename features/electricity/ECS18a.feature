@ECS18a @SR4.12.2 @esme
Feature: ECS18a Read Maximum Demand Registers (export)
  RTDS folder 4.12.2_ECS18a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS18a error (ECS18a_4.12.2_ERROR)
    When the network operator sends ECS18a to the ESME using vector "ECS18a_4.12.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS18a success (ECS18a_4.12.2_SUCCESS)
    When the network operator sends ECS18a to the ESME using vector "ECS18a_4.12.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
