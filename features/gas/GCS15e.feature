@GCS15e @SR4.4.5 @gsme
Feature: GCS15e Read Billing Data Log (prepayment credits)
  RTDS folder 4.4.5_GCS15e: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS15e error (GCS15e_4.4.5_ERROR)
    When the import supplier sends GCS15e to the GSME using vector "GCS15e_4.4.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS15e not found (GCS15e_4.4.5_NOT_FOUND)
    When the import supplier sends GCS15e to the GSME using vector "GCS15e_4.4.5_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS15e success (GCS15e_4.4.5_SUCCESS)
    When the import supplier sends GCS15e to the GSME using vector "GCS15e_4.4.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
