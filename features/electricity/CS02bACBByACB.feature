@CS02bACBByACB @SR8.5 @esme
Feature: CS02bACBByACB CS02bACBByACB
  RTDS folder 8.5_CS02bACBByACB: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02bACBByACB success (CS02bACBByACB_8.5_SUCCESS)
    When the access control broker sends CS02bACBByACB to the ESME using vector "CS02bACBByACB_8.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
