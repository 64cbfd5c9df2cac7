@ECS21c @SR4.6.2 @esme
Feature: ECS21c Read Electricity Daily Read Log (export only)
  RTDS folder 4.6.2_ECS21c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS21c error (ECS21c_4.6.2_ERROR)
    When the access control broker sends ECS21c to the ESME using vector "ECS21c_4.6.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS21c success (ECS21c_4.6.2_SUCCESS)
    When the access control broker sends ECS21c to the ESME using vector "ECS21c_4.6.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
