@GCS21a @SR6.2.8 @gsme
Feature: GCS21a Read Configuration Data Device Information (gas)
  RTDS folder 6.2.8_GCS21a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21a error (GCS21a_6.2.8_ERROR)
    When the import supplier sends GCS21a to the GSME using vector "GCS21a_6.2.8_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21a success (GCS21a_6.2.8_SUCCESS)
    When the import supplier sends GCS21a to the GSME using vector "GCS21a_6.2.8_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
