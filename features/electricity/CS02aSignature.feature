@CS02aSignature @esme
Feature: CS02aSignature CS02aSignature
  RTDS folder NA_CS02aSignature: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02aSignature error (CS02aSignature_NA_ERROR)
    When the transitional CoS party sends CS02aSignature to the ESME using vector "CS02aSignature_NA_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02aSignature success (CS02aSignature_NA_SUCCESS)
    When the access control broker sends CS02aSignature to the comms hub using vector "CS02aSignature_NA_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
