@ECS23 @SR4.10 @esme
Feature: ECS23 Read Voltage Operational Data
  RTDS folder 4.10_ECS23: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS23 error (ECS23_4.10_ERROR)
    When the import supplier sends ECS23 to the ESME using vector "ECS23_4.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS23 success (ECS23_4.10_SUCCESS)
    When the import supplier sends ECS23 to the ESME using vector "ECS23_4.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
