@CS03CCritical @SR8.7.1 @gsme
Feature: CS03CCritical CS03CCritical
  RTDS folder 8.7.1_CS03CCritical: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: CS03CCritical success (CS03CCritical_8.7.1_SUCCESS)
    When the import supplier sends CS03CCritical to the GSME using vector "CS03CCritical_8.7.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
