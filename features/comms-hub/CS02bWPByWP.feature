@CS02bWPByWP @comms-hub
Feature: CS02bWPByWP CS02bWPByWP
  RTDS folder NA_CS02bWPByWP: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  Scenario: CS02bWPByWP success (CS02bWPByWP_NA_SUCCESS)
    When the WAN provider sends CS02bWPByWP to the comms hub using vector "CS02bWPByWP_NA_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
