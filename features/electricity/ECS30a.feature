@ECS30a @SR6.8 @esme
Feature: ECS30a Set Billing Calendar - all periodicities
  RTDS folder 6.8_ECS30a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS30a error (ECS30a_6.8_ERROR)
    When the import supplier sends ECS30a to the ESME using vector "ECS30a_6.8_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS30a success (ECS30a_6.8_SUCCESS)
    When the import supplier sends ECS30a to the ESME using vector "ECS30a_6.8_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
