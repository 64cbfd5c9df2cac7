@ECS26b @SR6.2.1 @esme
Feature: ECS26b Read Configuration Voltage Data
  RTDS folder 6.2.1_ECS26b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26b error (ECS26b_6.2.1_ERROR)
    When the import supplier sends ECS26b to the ESME using vector "ECS26b_6.2.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26b success (ECS26b_6.2.1_SUCCESS)
    When the import supplier sends ECS26b to the ESME using vector "ECS26b_6.2.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
