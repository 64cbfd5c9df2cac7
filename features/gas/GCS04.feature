@GCS04 @SR2.3 @gsme
Feature: GCS04 Debt Management
  RTDS folder 2.3_GCS04: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS04 error (GCS04_2.3_ERROR)
    When the import supplier sends GCS04 to the GSME using vector "GCS04_2.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS04 success (GCS04_2.3_SUCCESS)
    When the import supplier sends GCS04 to the GSME using vector "GCS04_2.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
