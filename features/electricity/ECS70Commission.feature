@ECS70Commission @SR8.1.1 @esme
Feature: ECS70Commission ECS70Commission
  RTDS folder 8.1.1_ECS70Commission: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS70Commission error (ECS70Commission_8.1.1_ERROR)
    When the import supplier sends ECS70Commission to the ESME using vector "ECS70Commission_8.1.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS70Commission success (ECS70Commission_8.1.1_SUCCESS)
    When the import supplier sends ECS70Commission to the ESME using vector "ECS70Commission_8.1.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
