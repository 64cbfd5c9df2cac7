@GCS11 @SR3.5 @gsme
Feature: GCS11 Disable Privacy PIN Protection
  RTDS folder 3.5_GCS11: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS11 error (GCS11_3.5_ERROR)
    When the import supplier sends GCS11 to the GSME using vector "GCS11_3.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS11 success (GCS11_3.5_SUCCESS)
    When the import supplier sends GCS11 to the GSME using vector "GCS11_3.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
