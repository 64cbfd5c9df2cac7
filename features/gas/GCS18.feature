@GCS18 @SR4.10 @gsme
Feature: GCS18 Read Gas Network Data Log
  RTDS folder 4.10_GCS18: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS18 error (GCS18_4.10_ERROR)
    When the import supplier sends GCS18 to the GSME using vector "GCS18_4.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS18 not found (GCS18_4.10_NOT_FOUND)
    When the import supplier sends GCS18 to the GSME using vector "GCS18_4.10_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS18 success (GCS18_4.10_SUCCESS)
    When the import supplier sends GCS18 to the GSME using vector "GCS18_4.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
