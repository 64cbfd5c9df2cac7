@ECS62Remove @SR7.10 @esme
Feature: ECS62Remove ECS62Remove
  RTDS folder 7.10_ECS62Remove: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS62Remove error (ECS62Remove_7.10_ERROR)
    When the import supplier sends ECS62Remove to the ESME using vector "ECS62Remove_7.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS62Remove success (ECS62Remove_7.10_SUCCESS)
    When the import supplier sends ECS62Remove to the ESME using vector "ECS62Remove_7.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
