@DBCH05 @SR6.29 @comms-hub
Feature: DBCH05 Request CHF Sub GHz Channel Scan
  RTDS folder 6.29_DBCH05: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: DBCH05 error (DBCH05_6.29_ERROR)
    When the access control broker sends DBCH05 to the comms hub using vector "DBCH05_6.29_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0112 arrives

  Scenario: DBCH05 success (DBCH05_6.29_SUCCESS)
    When the access control broker sends DBCH05 to the comms hub using vector "DBCH05_6.29_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0112 arrives
