@ECS39a @SR6.20.1 @esme
Feature: ECS39a Set MPAN / MPRN Value
  RTDS folder 6.20.1_ECS39a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS39a single error (ECS39a_6.20.1_SINGLE_ERROR)
    When the import supplier sends ECS39a to the ESME using vector "ECS39a_6.20.1_SINGLE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS39a single success (ECS39a_6.20.1_SINGLE_SUCCESS)
    When the import supplier sends ECS39a to the ESME using vector "ECS39a_6.20.1_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS39a twin success (ECS39a_6.20.1_TWIN_SUCCESS)
    When the import supplier sends ECS39a to the ESME using vector "ECS39a_6.20.1_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
