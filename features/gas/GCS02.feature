@GCS02 @SR1.6 @gsme
Feature: GCS02 Set Payment Mode to Credit
  RTDS folder 1.6_GCS02: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  Scenario: GCS02 cancellation success (GCS02_1.6_CANCELLATION_SUCCESS)
    When the import supplier sends GCS02 to the GSME using vector "GCS02_1.6_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS02 future dated success (GCS02_1.6_FUTURE_DATED_SUCCESS)
    When the import supplier sends GCS02 to the GSME using vector "GCS02_1.6_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: GCS02 immediate error (GCS02_1.6_IMMEDIATE_ERROR)
    When the import supplier sends GCS02 to the GSME using vector "GCS02_1.6_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS02 immediate success (GCS02_1.6_IMMEDIATE_SUCCESS)
    When the import supplier sends GCS02 to the GSME using vector "GCS02_1.6_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
