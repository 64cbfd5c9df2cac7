@ECS61c @SR7.11 @esme
Feature: ECS61c Read Boost Function Data
  RTDS folder 7.11_ECS61c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS61c error (ECS61c_7.11_ERROR)
    When the import supplier sends ECS61c to the ESME using vector "ECS61c_7.11_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS61c success (ECS61c_7.11_SUCCESS)
    When the import supplier sends ECS61c to the ESME using vector "ECS61c_7.11_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
