@ECS14 @SR3.5 @esme
Feature: ECS14 Disable Privacy PIN Protection
  RTDS folder 3.5_ECS14: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS14 error (ECS14_3.5_ERROR)
    When the import supplier sends ECS14 to the ESME using vector "ECS14_3.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS14 success (ECS14_3.5_SUCCESS)
    When the import supplier sends ECS14 to the ESME using vector "ECS14_3.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
