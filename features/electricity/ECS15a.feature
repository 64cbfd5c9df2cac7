@ECS15a @SR3.3 @esme
Feature: ECS15a Clear Event Log
  RTDS folder 3.3_ECS15a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS15a error (ECS15a_3.3_ERROR)
    When the import supplier sends ECS15a to the ESME using vector "ECS15a_3.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS15a success (ECS15a_3.3_SUCCESS)
    When the import supplier sends ECS15a to the ESME using vector "ECS15a_3.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
