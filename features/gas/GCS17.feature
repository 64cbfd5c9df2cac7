@GCS17 @SR4.8.1 @gsme
Feature: GCS17 Read Half Hour Profile Data (consumption)
  RTDS folder 4.8.1_GCS17: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS17 error (GCS17_4.8.1_ERROR)
    When the import supplier sends GCS17 to the GSME using vector "GCS17_4.8.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS17 not found (GCS17_4.8.1_NOT_FOUND)
    When the import supplier sends GCS17 to the GSME using vector "GCS17_4.8.1_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS17 success (GCS17_4.8.1_SUCCESS)
    When the import supplier sends GCS17 to the GSME using vector "GCS17_4.8.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
