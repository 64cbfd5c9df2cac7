@ECS47Reset @SR7.8 @esme
Feature: ECS47Reset ECS47Reset
  RTDS folder 7.8_ECS47Reset: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS47Reset error (ECS47Reset_7.8_ERROR)
    When the import supplier sends ECS47Reset to the ESME using vector "ECS47Reset_7.8_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47Reset success (ECS47Reset_7.8_SUCCESS)
    When the import supplier sends ECS47Reset to the ESME using vector "ECS47Reset_7.8_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
