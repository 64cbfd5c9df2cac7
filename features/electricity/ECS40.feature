@ECS40 @SR6.2.7 @esme
Feature: ECS40 Read MPAN / MPRN Value
  RTDS folder 6.2.7_ECS40: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS40 single error (ECS40_6.2.7_SINGLE_ERROR)
    When the import supplier sends ECS40 to the ESME using vector "ECS40_6.2.7_SINGLE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS40 single success (ECS40_6.2.7_SINGLE_SUCCESS)
    When the import supplier sends ECS40 to the ESME using vector "ECS40_6.2.7_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS40 twin success (ECS40_6.2.7_TWIN_SUCCESS)
    When the import supplier sends ECS40 to the ESME using vector "ECS40_6.2.7_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
