@CS07 @SR8.9 @gsme
Feature: CS07 Read Device Join Details
  RTDS folder 8.9_CS07: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS07 error (CS07_8.9_ERROR)
    When the access control broker sends CS07 to the GSME using vector "CS07_8.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS07 success (CS07_8.9_SUCCESS)
    When the import supplier sends CS07 to the GSME using vector "CS07_8.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
