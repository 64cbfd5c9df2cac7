@GCS39 @SR7.3 @gsme
Feature: GCS39 Arm Load Switch / Valve
  RTDS folder 7.3_GCS39: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS39 error (GCS39_7.3_ERROR)
    When the import supplier sends GCS39 to the GSME using vector "GCS39_7.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS39 success (GCS39_7.3_SUCCESS)
    When the import supplier sends GCS39 to the GSME using vector "GCS39_7.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
