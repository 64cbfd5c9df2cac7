@CS03A2Critical @SR8.7.1 @hcalcs
Feature: CS03A2Critical CS03A2Critical
  RTDS folder 8.7.1_CS03A2Critical: every variant it records, addressed to the target's HCALCS and sent by the remote party that sent it there.

  Scenario: CS03A2Critical success (CS03A2Critical_8.7.1_SUCCESS)
    When the import supplier sends CS03A2Critical to the HCALCS using vector "CS03A2Critical_8.7.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
