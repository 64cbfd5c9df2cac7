@GCS07 @SR3.1 @gsme
Feature: GCS07 Send Message to Meter
  RTDS folder 3.1_GCS07: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS07 error (GCS07_3.1_ERROR)
    When the import supplier sends GCS07 to the GSME using vector "GCS07_3.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS07 success (GCS07_3.1_SUCCESS)
    When the import supplier sends GCS07 to the GSME using vector "GCS07_3.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
