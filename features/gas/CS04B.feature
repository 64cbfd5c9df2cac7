@CS04B @SR8.8.2 @gsme
Feature: CS04B Method B Unjoin
  RTDS folder 8.8.2_CS04B: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS04B error (CS04B_8.8.2_ERROR)
    When the import supplier sends CS04B to the GSME using vector "CS04B_8.8.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS04B success (CS04B_8.8.2_SUCCESS)
    When the import supplier sends CS04B to the GSME using vector "CS04B_8.8.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
