@GCS33 @SR7.4 @gsme
Feature: GCS33 Read Status of Load Switch / Valve
  RTDS folder 7.4_GCS33: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS33 error (GCS33_7.4_ERROR)
    When the import supplier sends GCS33 to the GSME using vector "GCS33_7.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS33 success (GCS33_7.4_SUCCESS)
    When the import supplier sends GCS33 to the GSME using vector "GCS33_7.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
