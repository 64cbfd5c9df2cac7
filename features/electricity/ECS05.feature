@ECS05 @SR1.7 @esme
Feature: ECS05 Reset Tariff Block Counter Matrix
  RTDS folder 1.7_ECS05: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS05 error (ECS05_1.7_ERROR)
    When the import supplier sends ECS05 to the ESME using vector "ECS05_1.7_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS05 success (ECS05_1.7_SUCCESS)
    When the import supplier sends ECS05 to the ESME using vector "ECS05_1.7_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
