@CS10b @SR6.13 @gsme
Feature: CS10b Read device Security Log
  RTDS folder 6.13_CS10b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS10b error (CS10b_6.13_ERROR)
    When the import supplier sends CS10b to the GSME using vector "CS10b_6.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS10b not found (CS10b_6.13_NOT_FOUND)
    When the import supplier sends CS10b to the GSME using vector "CS10b_6.13_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS10b success (CS10b_6.13_SUCCESS)
    When the import supplier sends CS10b to the GSME using vector "CS10b_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
