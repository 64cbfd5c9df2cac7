@ECS28b @SR6.4.2 @esme
Feature: ECS28b Set Load Limit Configuration Counter Reset
  RTDS folder 6.4.2_ECS28b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS28b error (ECS28b_6.4.2_ERROR)
    When the import supplier sends ECS28b to the ESME using vector "ECS28b_6.4.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS28b success (ECS28b_6.4.2_SUCCESS)
    When the import supplier sends ECS28b to the ESME using vector "ECS28b_6.4.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
