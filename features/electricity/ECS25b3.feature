@ECS25b3 @SR6.22 @esme
Feature: ECS25b3 ECS25b3
  RTDS folder 6.22_ECS25b3: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25b3 error (ECS25b3_6.22_ERROR)
    When the network operator sends ECS25b3 to the ESME using vector "ECS25b3_6.22_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25b3 success (ECS25b3_6.22_SUCCESS)
    When the network operator sends ECS25b3 to the ESME using vector "ECS25b3_6.22_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
