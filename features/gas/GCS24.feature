@GCS24 @SR6.7 @gsme
Feature: GCS24 GCS24
  RTDS folder 6.7_GCS24: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS24 error (GCS24_6.7_ERROR)
    When the import supplier sends GCS24 to the GSME using vector "GCS24_6.7_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS24 success (GCS24_6.7_SUCCESS)
    When the import supplier sends GCS24 to the GSME using vector "GCS24_6.7_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
