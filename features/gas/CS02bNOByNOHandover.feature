@CS02bNOByNOHandover @SR6.21 @gpf
Feature: CS02bNOByNOHandover CS02bNOByNOHandover
  RTDS folder 6.21_CS02bNOByNOHandover: every variant it records, addressed to the target's GPF and sent by the remote party that sent it there.

  Scenario: CS02bNOByNOHandover success (CS02bNOByNOHandover_6.21_SUCCESS)
    When the access control broker sends CS02bNOByNOHandover to the GPF using vector "CS02bNOByNOHandover_6.21_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
