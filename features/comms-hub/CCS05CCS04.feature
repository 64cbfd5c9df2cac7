@CCS05CCS04 @SR8.9 @comms-hub
Feature: CCS05CCS04 CCS05CCS04
  RTDS folder 8.9_CCS05CCS04: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CCS05CCS04 error (CCS05CCS04_8.9_ERROR)
    When the access control broker sends CCS05CCS04 to the comms hub using vector "CCS05CCS04_8.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CCS05CCS04 success (CCS05CCS04_8.9_SUCCESS)
    When the access control broker sends CCS05CCS04 to the comms hub using vector "CCS05CCS04_8.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
