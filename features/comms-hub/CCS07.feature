@CCS07 @SR8.9 @comms-hub
Feature: CCS07 Read CHF Device Logs
  RTDS folder 8.9_CCS07: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CCS07 error (CCS07_8.9_ERROR)
    When the access control broker sends CCS07 to the comms hub using vector "CCS07_8.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CCS07 success (CCS07_8.9_SUCCESS)
    When the access control broker sends CCS07 to the comms hub using vector "CCS07_8.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
