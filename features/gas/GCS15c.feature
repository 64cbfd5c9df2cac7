@GCS15c @SR4.4.3 @gsme
Feature: GCS15c Read Billing Data Log (billing calendar triggered exc export)
  RTDS folder 4.4.3_GCS15c: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS15c error (GCS15c_4.4.3_ERROR)
    When the import supplier sends GCS15c to the GSME using vector "GCS15c_4.4.3_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS15c success (GCS15c_4.4.3_SUCCESS)
    When the import supplier sends GCS15c to the GSME using vector "GCS15c_4.4.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
