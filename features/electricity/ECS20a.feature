@ECS20a @SR4.4.4 @esme
Feature: ECS20a Read Billing Data Log (payment-based debt payments)
  RTDS folder 4.4.4_ECS20a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS20a error (ECS20a_4.4.4_ERROR)
    When the import supplier sends ECS20a to the ESME using vector "ECS20a_4.4.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS20a success (ECS20a_4.4.4_SUCCESS)
    When the import supplier sends ECS20a to the ESME using vector "ECS20a_4.4.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
