@GCS20r @SR6.2.10 @gsme
Feature: GCS20r Read non-critical event and alert behaviours - Supplier
  RTDS folder 6.2.10_GCS20r: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS20r error (GCS20r_6.2.10_ERROR)
    When the import supplier sends GCS20r to the GSME using vector "GCS20r_6.2.10_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS20r success (GCS20r_6.2.10_SUCCESS)
    When the import supplier sends GCS20r to the GSME using vector "GCS20r_6.2.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
