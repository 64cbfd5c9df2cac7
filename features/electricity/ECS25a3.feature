@ECS25a3 @SR6.22 @esme
Feature: ECS25a3 ECS25a3
  RTDS folder 6.22_ECS25a3: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25a3 error (ECS25a3_6.22_ERROR)
    When the import supplier sends ECS25a3 to the ESME using vector "ECS25a3_6.22_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25a3 success (ECS25a3_6.22_SUCCESS)
    When the import supplier sends ECS25a3 to the ESME using vector "ECS25a3_6.22_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
