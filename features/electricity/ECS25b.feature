@ECS25b @SR6.22 @esme
Feature: ECS25b Set Event  Behaviours logging - Network Operator
  RTDS folder 6.22_ECS25b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25b error (ECS25b_6.22_ERROR)
    When the network operator sends ECS25b to the ESME using vector "ECS25b_6.22_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25b success (ECS25b_6.22_SUCCESS)
    When the network operator sends ECS25b to the ESME using vector "ECS25b_6.22_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
