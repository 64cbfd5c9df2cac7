@GCS21e @SR6.2.4 @gsme
Feature: GCS21e GCS21e
  RTDS folder 6.2.4_GCS21e: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21e error (GCS21e_6.2.4_ERROR)
    When the import supplier sends GCS21e to the GSME using vector "GCS21e_6.2.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21e success (GCS21e_6.2.4_SUCCESS)
    When the import supplier sends GCS21e to the GSME using vector "GCS21e_6.2.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
