@GCS21k @SR6.2.3 @gsme
Feature: GCS21k Read Configuration Data Device Information (Billing Calendar)
  RTDS folder 6.2.3_GCS21k: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21k error (GCS21k_6.2.3_ERROR)
    When the import supplier sends GCS21k to the GSME using vector "GCS21k_6.2.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21k success (GCS21k_6.2.3_SUCCESS)
    When the import supplier sends GCS21k to the GSME using vector "GCS21k_6.2.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
