@ECS17e @SR4.1.3 @esme
Feature: ECS17e Read ESME Energy Register (TOU with Blocks)
  RTDS folder 4.1.3_ECS17e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS17e error (ECS17e_4.1.3_ERROR)
    When the import supplier sends ECS17e to the ESME using vector "ECS17e_4.1.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS17e success (ECS17e_4.1.3_SUCCESS)
    When the import supplier sends ECS17e to the ESME using vector "ECS17e_4.1.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
