@GCS21f @SR4.11.1 @gsme
Feature: GCS21f Read Tariff Data
  RTDS folder 4.11.1_GCS21f: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS21f error (GCS21f_4.11.1_ERROR)
    When the import supplier sends GCS21f to the GSME using vector "GCS21f_4.11.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS21f not found (GCS21f_4.11.1_NOT_FOUND)
    When the import supplier sends GCS21f to the GSME using vector "GCS21f_4.11.1_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS21f success (GCS21f_4.11.1_SUCCESS)
    When the import supplier sends GCS21f to the GSME using vector "GCS21f_4.11.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
