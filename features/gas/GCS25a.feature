@GCS25a @SR6.8 @gsme
Feature: GCS25a Set Billing Calendar - all periodicities
  RTDS folder 6.8_GCS25a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS25a error (GCS25a_6.8_ERROR)
    When the import supplier sends GCS25a to the GSME using vector "GCS25a_6.8_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS25a success (GCS25a_6.8_SUCCESS)
    When the import supplier sends GCS25a to the GSME using vector "GCS25a_6.8_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
