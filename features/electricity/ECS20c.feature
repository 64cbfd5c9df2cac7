@ECS20c @SR4.4.3 @esme
Feature: ECS20c Read Billing Data Log (billing calendar triggered exc export)
  RTDS folder 4.4.3_ECS20c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS20c error (ECS20c_4.4.3_ERROR)
    When the import supplier sends ECS20c to the ESME using vector "ECS20c_4.4.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS20c single success (ECS20c_4.4.3_SINGLE_SUCCESS)
    When the import supplier sends ECS20c to the ESME using vector "ECS20c_4.4.3_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS20c twin success (ECS20c_4.4.3_TWIN_SUCCESS)
    When the import supplier sends ECS20c to the ESME using vector "ECS20c_4.4.3_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
