@ECS35f @SR6.13 @esme
Feature: ECS35f ECS35f
  RTDS folder 6.13_ECS35f: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS35f error (ECS35f_6.13_ERROR)
    When the import supplier sends ECS35f to the ESME using vector "ECS35f_6.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS35f success (ECS35f_6.13_SUCCESS)
    When the import supplier sends ECS35f to the ESME using vector "ECS35f_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
