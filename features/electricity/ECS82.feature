@ECS82 @SR4.18 @esme
Feature: ECS82 Read Meter Balance for Smart Meter
  RTDS folder 4.18_ECS82: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS82 error (ECS82_4.18_ERROR)
    When the import supplier sends ECS82 to the ESME using vector "ECS82_4.18_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS82 success (ECS82_4.18_SUCCESS)
    When the import supplier sends ECS82 to the ESME using vector "ECS82_4.18_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
