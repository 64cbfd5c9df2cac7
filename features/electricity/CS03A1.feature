@CS03A1 @SR8.7.1 @esme
Feature: CS03A1 Method A Join (Meter)
  RTDS folder 8.7.1_CS03A1: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS03A1 error (CS03A1_8.7.1_ERROR)
    When the import supplier sends CS03A1 to the ESME using vector "CS03A1_8.7.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS03A1 success (CS03A1_8.7.1_SUCCESS)
    When the import supplier sends CS03A1 to the ESME using vector "CS03A1_8.7.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
