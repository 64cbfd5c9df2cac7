@GCS15b @SR4.4.2 @gsme
Feature: GCS15b Read Billing Data Log (change of mode / tariff triggered exc export)
  RTDS folder 4.4.2_GCS15b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS15b error (GCS15b_4.4.2_ERROR)
    When the import supplier sends GCS15b to the GSME using vector "GCS15b_4.4.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS15b success (GCS15b_4.4.2_SUCCESS)
    When the import supplier sends GCS15b to the GSME using vector "GCS15b_4.4.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
