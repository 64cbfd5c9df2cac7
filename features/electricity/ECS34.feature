@ECS34 @SR6.12 @esme
Feature: ECS34 Set Instantaneous Power Threshold Configuration
  RTDS folder 6.12_ECS34: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS34 error (ECS34_6.12_ERROR)
    When the import supplier sends ECS34 to the ESME using vector "ECS34_6.12_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS34 success (ECS34_6.12_SUCCESS)
    When the import supplier sends ECS34 to the ESME using vector "ECS34_6.12_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
