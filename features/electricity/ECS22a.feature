@ECS22a @SR4.8.3 @esme
Feature: ECS22a Read Half Hour Profile Data (export)
  RTDS folder 4.8.3_ECS22a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS22a error (ECS22a_4.8.3_ERROR)
    When the network operator sends ECS22a to the ESME using vector "ECS22a_4.8.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS22a success (ECS22a_4.8.3_SUCCESS)
    When the network operator sends ECS22a to the ESME using vector "ECS22a_4.8.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
