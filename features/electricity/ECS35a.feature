@ECS35a @SR6.13 @esme
Feature: ECS35a Read device Event Log
  RTDS folder 6.13_ECS35a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS35a error (ECS35a_6.13_ERROR)
    When the import supplier sends ECS35a to the ESME using vector "ECS35a_6.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS35a success (ECS35a_6.13_SUCCESS)
    When the import supplier sends ECS35a to the ESME using vector "ECS35a_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
