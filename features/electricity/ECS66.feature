@ECS66 @SR4.17 @esme
Feature: ECS66 Read Daily Consumption Log
  RTDS folder 4.17_ECS66: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS66 error (ECS66_4.17_ERROR)
    When the import supplier sends ECS66 to the ESME using vector "ECS66_4.17_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS66 success (ECS66_4.17_SUCCESS)
    When the import supplier sends ECS66 to the ESME using vector "ECS66_4.17_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
