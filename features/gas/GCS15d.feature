@GCS15d @SR4.4.4 @gsme
Feature: GCS15d Read Billing Data Log (payment-based debt payments)
  RTDS folder 4.4.4_GCS15d: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS15d error (GCS15d_4.4.4_ERROR)
    When the import supplier sends GCS15d to the GSME using vector "GCS15d_4.4.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS15d not found (GCS15d_4.4.4_NOT_FOUND)
    When the import supplier sends GCS15d to the GSME using vector "GCS15d_4.4.4_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS15d success (GCS15d_4.4.4_SUCCESS)
    When the access control broker sends GCS15d to the GSME using vector "GCS15d_4.4.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
