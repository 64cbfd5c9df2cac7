@GCS05 @SR2.1 @gsme
Feature: GCS05 Update Prepayment Configuration
  RTDS folder 2.1_GCS05: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: GCS05 cancellation success (GCS05_2.1_CANCELLATION_SUCCESS)
    When the import supplier sends GCS05 to the GSME using vector "GCS05_2.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS05 future dated error (GCS05_2.1_FUTURE_DATED_ERROR)
    When the import supplier sends GCS05 to the GSME using vector "GCS05_2.1_FUTURE_DATED_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS05 future dated success (GCS05_2.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends GCS05 to the GSME using vector "GCS05_2.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS05 immediate success (GCS05_2.1_IMMEDIATE_SUCCESS)
    When the import supplier sends GCS05 to the GSME using vector "GCS05_2.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
