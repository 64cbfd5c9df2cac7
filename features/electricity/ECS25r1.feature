@ECS25r1 @SR6.2.10 @esme
Feature: ECS25r1 ECS25r1
  RTDS folder 6.2.10_ECS25r1: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS25r1 error (ECS25r1_6.2.10_ERROR)
    When the import supplier sends ECS25r1 to the ESME using vector "ECS25r1_6.2.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS25r1 success (ECS25r1_6.2.10_SUCCESS)
    When the import supplier sends ECS25r1 to the ESME using vector "ECS25r1_6.2.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
