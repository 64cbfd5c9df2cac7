@DBCH01 @SR6.31 @comms-hub
Feature: DBCH01 Read CHF Sub GHz Channel
  RTDS folder 6.31_DBCH01: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: DBCH01 error (DBCH01_6.31_ERROR)
    When the access control broker sends DBCH01 to the comms hub using vector "DBCH01_6.31_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: DBCH01 success (DBCH01_6.31_SUCCESS)
    When the access control broker sends DBCH01 to the comms hub using vector "DBCH01_6.31_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
