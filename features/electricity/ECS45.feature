@ECS45 @SR7.4 @esme
Feature: ECS45 Read Status of Load Switch / Valve
  RTDS folder 7.4_ECS45: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS45 error (ECS45_7.4_ERROR)
    When the import supplier sends ECS45 to the ESME using vector "ECS45_7.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS45 success (ECS45_7.4_SUCCESS)
    When the import supplier sends ECS45 to the ESME using vector "ECS45_7.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
