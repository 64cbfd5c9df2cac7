@ECS44 @SR7.3 @esme
Feature: ECS44 Arm Load Switch / Valve
  RTDS folder 7.3_ECS44: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS44 error (ECS44_7.3_ERROR)
    When the import supplier sends ECS44 to the ESME using vector "ECS44_7.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS44 success (ECS44_7.3_SUCCESS)
    When the import supplier sends ECS44 to the ESME using vector "ECS44_7.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
