@GCS20 @SR6.22 @gsme
Feature: GCS20 Set Alert  Behaviours - Supplier
  RTDS folder 6.22_GCS20: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS20 error (GCS20_6.22_ERROR)
    When the import supplier sends GCS20 to the GSME using vector "GCS20_6.22_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS20 success (GCS20_6.22_SUCCESS)
    When the import supplier sends GCS20 to the GSME using vector "GCS20_6.22_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
