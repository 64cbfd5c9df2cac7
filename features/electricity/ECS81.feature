@ECS81 @SR6.25 @esme
Feature: ECS81 Set Supply Tamper State on ESME
  RTDS folder 6.25_ECS81: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS81 error (ECS81_6.25_ERROR)
    When the import supplier sends ECS81 to the ESME using vector "ECS81_6.25_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS81 success (ECS81_6.25_SUCCESS)
    When the import supplier sends ECS81 to the ESME using vector "ECS81_6.25_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
