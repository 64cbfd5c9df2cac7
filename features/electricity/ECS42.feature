@ECS42 @SR7.1 @esme
Feature: ECS42 Remotely Close the Load Switch on the ESME
  RTDS folder 7.1_ECS42: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS42 error (ECS42_7.1_ERROR)
    When the import supplier sends ECS42 to the ESME using vector "ECS42_7.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS42 success (ECS42_7.1_SUCCESS)
    When the import supplier sends ECS42 to the ESME using vector "ECS42_7.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
