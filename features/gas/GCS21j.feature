@GCS21j @SR6.2.9 @gsme
Feature: GCS21j Read Configuration Data Device Information (Payment Mode)
  RTDS folder 6.2.9_GCS21j: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21j error (GCS21j_6.2.9_ERROR)
    When the import supplier sends GCS21j to the GSME using vector "GCS21j_6.2.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21j success (GCS21j_6.2.9_SUCCESS)
    When the import supplier sends GCS21j to the GSME using vector "GCS21j_6.2.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
