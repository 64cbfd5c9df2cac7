@DBCH03 @SR6.30 @comms-hub
Feature: DBCH03 Read CHF Sub GHz Configuration
  RTDS folder 6.30_DBCH03: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: DBCH03 error (DBCH03_6.30_ERROR)
    When the access control broker sends DBCH03 to the comms hub using vector "DBCH03_6.30_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: DBCH03 success (DBCH03_6.30_SUCCESS)
    When the access control broker sends DBCH03 to the comms hub using vector "DBCH03_6.30_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
