@ECS25a1 @SR6.22 @esme
Feature: ECS25a1 ECS25a1
  RTDS folder 6.22_ECS25a1: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25a1 error (ECS25a1_6.22_ERROR)
    When the import supplier sends ECS25a1 to the ESME using vector "ECS25a1_6.22_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25a1 success (ECS25a1_6.22_SUCCESS)
    When the import supplier sends ECS25a1 to the ESME using vector "ECS25a1_6.22_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
