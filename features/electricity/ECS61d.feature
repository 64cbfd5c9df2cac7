@ECS61d @SR7.14 @esme
Feature: ECS61d Read Auxiliary Controller Configuration Data
  RTDS folder 7.14_ECS61d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS61d error (ECS61d_7.14_ERROR)
    When the import supplier sends ECS61d to the ESME using vector "ECS61d_7.14_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS61d success (ECS61d_7.14_SUCCESS)
    When the access control broker sends ECS61d to the ESME using vector "ECS61d_7.14_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
