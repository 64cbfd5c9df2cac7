@ECS24b @SR4.11.2 @esme
Feature: ECS24b Read Tariff Data - second element
  RTDS folder 4.11.2_ECS24b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS24b error (ECS24b_4.11.2_ERROR)
    When the import supplier sends ECS24b to the ESME using vector "ECS24b_4.11.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS24b success (ECS24b_4.11.2_SUCCESS)
    When the import supplier sends ECS24b to the ESME using vector "ECS24b_4.11.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
