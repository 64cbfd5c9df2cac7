@ECS26d @SR6.2.3 @esme
Feature: ECS26d ECS26d
  RTDS folder 6.2.3_ECS26d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26d error (ECS26d_6.2.3_ERROR)
    When the import supplier sends ECS26d to the ESME using vector "ECS26d_6.2.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26d success (ECS26d_6.2.3_SUCCESS)
    When the import supplier sends ECS26d to the ESME using vector "ECS26d_6.2.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
