@CS11 @SR3.3 @gsme
Feature: CS11 Clear Event Log
  RTDS folder 3.3_CS11: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS11 error (CS11_3.3_ERROR)
    When the import supplier sends CS11 to the GSME using vector "CS11_3.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS11 success (CS11_3.3_SUCCESS)
    When the import supplier sends CS11 to the GSME using vector "CS11_3.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
