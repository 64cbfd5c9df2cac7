@ECS61e @SR7.15 @esme
Feature: ECS61e Read Auxiliary Controller Operational Data
  RTDS folder 7.15_ECS61e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS61e error (ECS61e_7.15_ERROR)
    When the import supplier sends ECS61e to the ESME using vector "ECS61e_7.15_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS61e success (ECS61e_7.15_SUCCESS)
    When the import supplier sends ECS61e to the ESME using vector "ECS61e_7.15_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
