@ECS25r2 @SR6.2.10 @esme
Feature: ECS25r2 ECS25r2
  RTDS folder 6.2.10_ECS25r2: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25r2 error (ECS25r2_6.2.10_ERROR)
    When the network operator sends ECS25r2 to the ESME using vector "ECS25r2_6.2.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25r2 success (ECS25r2_6.2.10_SUCCESS)
    When the network operator sends ECS25r2 to the ESME using vector "ECS25r2_6.2.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
