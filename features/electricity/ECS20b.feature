@ECS20b @SR4.4.2 @esme
Feature: ECS20b Read Billing Data Log (change of mode / tariff triggered exc export)
  RTDS folder 4.4.2_ECS20b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS20b error (ECS20b_4.4.2_ERROR)
    When the import supplier sends ECS20b to the ESME using vector "ECS20b_4.4.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS20b single success (ECS20b_4.4.2_SINGLE_SUCCESS)
    When the import supplier sends ECS20b to the ESME using vector "ECS20b_4.4.2_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS20b twin success (ECS20b_4.4.2_TWIN_SUCCESS)
    When the import supplier sends ECS20b to the ESME using vector "ECS20b_4.4.2_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
