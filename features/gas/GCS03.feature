@GCS03 @SR1.6 @gsme
Feature: GCS03 Set Payment Mode to Prepayment
  RTDS folder 1.6_GCS03: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: GCS03 cancellation success (GCS03_1.6_CANCELLATION_SUCCESS)
    When the import supplier sends GCS03 to the GSME using vector "GCS03_1.6_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS03 future dated success (GCS03_1.6_FUTURE_DATED_SUCCESS)
    When the import supplier sends GCS03 to the GSME using vector "GCS03_1.6_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS03 immediate error (GCS03_1.6_IMMEDIATE_ERROR)
    When the import supplier sends GCS03 to the GSME using vector "GCS03_1.6_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS03 immediate success (GCS03_1.6_IMMEDIATE_SUCCESS)
    When the import supplier sends GCS03 to the GSME using vector "GCS03_1.6_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
