@GCS36 @SR9.1 @gsme
Feature: GCS36 Send CIN to meter
  RTDS folder 9.1_GCS36: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS36 error (GCS36_9.1_ERROR)
    When the access control broker sends GCS36 to the GSME using vector "GCS36_9.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS36 success (GCS36_9.1_SUCCESS)
    When the access control broker sends GCS36 to the GSME using vector "GCS36_9.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
