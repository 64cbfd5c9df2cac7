@ECS20d @SR4.4.5 @esme
Feature: ECS20d Read Billing Data Log (prepayment credits)
  RTDS folder 4.4.5_ECS20d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS20d error (ECS20d_4.4.5_ERROR)
    When the import supplier sends ECS20d to the ESME using vector "ECS20d_4.4.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS20d success (ECS20d_4.4.5_SUCCESS)
    When the import supplier sends ECS20d to the ESME using vector "ECS20d_4.4.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
