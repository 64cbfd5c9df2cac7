@ECS19 @SR4.3 @esme
Feature: ECS19 Read Prepayment Registers
  RTDS folder 4.3_ECS19: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS19 error (ECS19_4.3_ERROR)
    When the import supplier sends ECS19 to the ESME using vector "ECS19_4.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS19 success (ECS19_4.3_SUCCESS)
    When the import supplier sends ECS19 to the ESME using vector "ECS19_4.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
