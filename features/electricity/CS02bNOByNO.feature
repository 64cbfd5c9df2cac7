@CS02bNOByNO @SR6.15.1 @esme
Feature: CS02bNOByNO CS02bNOByNO
  RTDS folder 6.15.1_CS02bNOByNO: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02bNOByNO success (CS02bNOByNO_6.15.1_SUCCESS)
    When the network operator sends CS02bNOByNO to the ESME using vector "CS02bNOByNO_6.15.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
