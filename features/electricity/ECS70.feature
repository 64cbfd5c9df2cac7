@ECS70 @SR6.11 @esme
Feature: ECS70 Set Clock
  RTDS folder 6.11_ECS70: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS70 error (ECS70_6.11_ERROR)
    When the import supplier sends ECS70 to the ESME using vector "ECS70_6.11_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS70 success (ECS70_6.11_SUCCESS)
    When the import supplier sends ECS70 to the ESME using vector "ECS70_6.11_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
