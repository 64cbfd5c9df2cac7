@GCS01b @SR1.2.1 @gsme
Feature: GCS01b Set Price
  RTDS folder 1.2.1_GCS01b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: GCS01b cancellation block success (GCS01b_1.2.1_CANCELLATION_BLOCK_SUCCESS)
    When the import supplier sends GCS01b to the GSME using vector "GCS01b_1.2.1_CANCELLATION_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS01b future dated block error (GCS01b_1.2.1_FUTURE_DATED_BLOCK_ERROR)
    When the import supplier sends GCS01b to the GSME using vector "GCS01b_1.2.1_FUTURE_DATED_BLOCK_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS01b future dated block success (GCS01b_1.2.1_FUTURE_DATED_BLOCK_SUCCESS)
    When the import supplier sends GCS01b to the GSME using vector "GCS01b_1.2.1_FUTURE_DATED_BLOCK_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS01b immediate tou success (GCS01b_1.2.1_IMMEDIATE_TOU_SUCCESS)
    When the import supplier sends GCS01b to the GSME using vector "GCS01b_1.2.1_IMMEDIATE_TOU_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
