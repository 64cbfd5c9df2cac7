@GCS44 @SR3.4 @gsme
Feature: GCS44 Write Supplier Contact Details
  RTDS folder 3.4_GCS44: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS44 error (GCS44_3.4_ERROR)
    When the import supplier sends GCS44 to the GSME using vector "GCS44_3.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS44 success (GCS44_3.4_SUCCESS)
    When the import supplier sends GCS44 to the GSME using vector "GCS44_3.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
