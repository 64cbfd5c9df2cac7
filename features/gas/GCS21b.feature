@GCS21b @SR4.13 @gsme
Feature: GCS21b Read Configuration Data Prepayment
  RTDS folder 4.13_GCS21b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21b error (GCS21b_4.13_ERROR)
    When the import supplier sends GCS21b to the GSME using vector "GCS21b_4.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS21b not found (GCS21b_4.13_NOT_FOUND)
    When the import supplier sends GCS21b to the GSME using vector "GCS21b_4.13_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21b success (GCS21b_4.13_SUCCESS)
    When the import supplier sends GCS21b to the GSME using vector "GCS21b_4.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
