@GCS60 @SR4.18 @gsme
Feature: GCS60 Read Meter Balance for Smart Meter
  RTDS folder 4.18_GCS60: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS60 error (GCS60_4.18_ERROR)
    When the import supplier sends GCS60 to the GSME using vector "GCS60_4.18_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS60 success (GCS60_4.18_SUCCESS)
    When the import supplier sends GCS60 to the GSME using vector "GCS60_4.18_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
