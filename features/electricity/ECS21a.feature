@ECS21a @SR4.6.1 @esme
Feature: ECS21a Read Daily Read Log (exc export)
  RTDS folder 4.6.1_ECS21a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS21a error (ECS21a_4.6.1_ERROR)
    When the import supplier sends ECS21a to the ESME using vector "ECS21a_4.6.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS21a single success (ECS21a_4.6.1_SINGLE_SUCCESS)
    When the import supplier sends ECS21a to the ESME using vector "ECS21a_4.6.1_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS21a twin success (ECS21a_4.6.1_TWIN_SUCCESS)
    When the import supplier sends ECS21a to the ESME using vector "ECS21a_4.6.1_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
