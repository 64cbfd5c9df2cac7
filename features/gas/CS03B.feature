@CS03B @SR8.7.2 @gsme
Feature: CS03B Method B Join
  RTDS folder 8.7.2_CS03B: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS03B error (CS03B_8.7.2_ERROR)
    When the access control broker sends CS03B to the GSME using vector "CS03B_8.7.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS03B success (CS03B_8.7.2_SUCCESS)
    When the import supplier sends CS03B to the GSME using vector "CS03B_8.7.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
