@CCS02 @SR8.11 @comms-hub
Feature: CCS02 Remove device from CHF device log
  RTDS folder 8.11_CCS02: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CCS02 error (CCS02_8.11_ERROR)
    When the access control broker sends CCS02 to the comms hub using vector "CCS02_8.11_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0018 arrives

  Scenario: CCS02 success (CCS02_8.11_SUCCESS)
    When the access control broker sends CCS02 to the comms hub using vector "CCS02_8.11_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
    And an alert 0x0018 arrives
