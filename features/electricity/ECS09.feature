@ECS09 @SR2.5 @esme
Feature: ECS09 Activate Emergency Credit Remotely
  RTDS folder 2.5_ECS09: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS09 error (ECS09_2.5_ERROR)
    When the import supplier sends ECS09 to the ESME using vector "ECS09_2.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS09 success (ECS09_2.5_SUCCESS)
    When the import supplier sends ECS09 to the ESME using vector "ECS09_2.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
