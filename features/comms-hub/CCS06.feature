@CCS06 @SR8.9 @comms-hub
Feature: CCS06 Read CHF device log and check HAN communications
  RTDS folder 8.9_CCS06: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CCS06 error (CCS06_8.9_ERROR)
    When the access control broker sends CCS06 to the comms hub using vector "CCS06_8.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CCS06 success (CCS06_8.9_SUCCESS)
    When the access control broker sends CCS06 to the comms hub using vector "CCS06_8.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
