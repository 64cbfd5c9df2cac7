@GCS40a @SR1.5 @gsme
Feature: GCS40a Adjust Prepayment Mode Meter Balance
  RTDS folder 1.5_GCS40a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS40a error (GCS40a_1.5_ERROR)
    When the import supplier sends GCS40a to the GSME using vector "GCS40a_1.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS40a success (GCS40a_1.5_SUCCESS)
    When the import supplier sends GCS40a to the GSME using vector "GCS40a_1.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
