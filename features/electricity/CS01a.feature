@CS01a @SR2.2 @esme
Feature: CS01a Apply Prepayment Top Up
  RTDS folder 2.2_CS01a: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS01a error (CS01a_2.2_ERROR)
    When the import supplier sends CS01a to the ESME using vector "CS01a_2.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS01a success (CS01a_2.2_SUCCESS)
    When the import supplier sends CS01a to the ESME using vector "CS01a_2.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
