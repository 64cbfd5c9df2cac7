@DBCH04 @SR6.28 @comms-hub
Feature: DBCH04 Set CHF Sub GHz Configuration
  RTDS folder 6.28_DBCH04: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: DBCH04 error (DBCH04_6.28_ERROR)
    When the access control broker sends DBCH04 to the comms hub using vector "DBCH04_6.28_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0113 arrives

  Scenario: DBCH04 success (DBCH04_6.28_SUCCESS)
    When the access control broker sends DBCH04 to the comms hub using vector "DBCH04_6.28_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0113 arrives
