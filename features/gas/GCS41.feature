@GCS41 @SR6.20.1 @gsme
Feature: GCS41 Set MPAN / MPRN Value
  RTDS folder 6.20.1_GCS41: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS41 error (GCS41_6.20.1_ERROR)
    When the import supplier sends GCS41 to the GSME using vector "GCS41_6.20.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS41 success (GCS41_6.20.1_SUCCESS)
    When the import supplier sends GCS41 to the GSME using vector "GCS41_6.20.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
