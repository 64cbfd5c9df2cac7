@GCS01a @SR1.1.1 @gsme
Feature: GCS01a Set Tariff and Price
  RTDS folder 1.1.1_GCS01a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: GCS01a cancellation block success (GCS01a_1.1.1_CANCELLATION_BLOCK_SUCCESS)
    When the import supplier sends GCS01a to the GSME using vector "GCS01a_1.1.1_CANCELLATION_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS01a future dated block error (GCS01a_1.1.1_FUTURE_DATED_BLOCK_ERROR)
    When the import supplier sends GCS01a to the GSME using vector "GCS01a_1.1.1_FUTURE_DATED_BLOCK_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS01a future dated block success (GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS)
    When the import supplier sends GCS01a to the GSME using vector "GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS01a immediate tou success (GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS)
    When the import supplier sends GCS01a to the GSME using vector "GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
