@DBCH02 @SR6.32 @comms-hub
Feature: DBCH02 Read CHF Sub GHz Channel Log
  RTDS folder 6.32_DBCH02: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: DBCH02 error (DBCH02_6.32_ERROR)
    When the access control broker sends DBCH02 to the comms hub using vector "DBCH02_6.32_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: DBCH02 success (DBCH02_6.32_SUCCESS)
    When the access control broker sends DBCH02 to the comms hub using vector "DBCH02_6.32_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
