@ECS62Add @SR7.9 @esme
Feature: ECS62Add ECS62Add
  RTDS folder 7.9_ECS62Add: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS62Add error (ECS62Add_7.9_ERROR)
    When the import supplier sends ECS62Add to the ESME using vector "ECS62Add_7.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS62Add success (ECS62Add_7.9_SUCCESS)
    When the import supplier sends ECS62Add to the ESME using vector "ECS62Add_7.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
