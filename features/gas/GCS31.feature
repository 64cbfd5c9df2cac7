@GCS31 @SR14.1 @gsme
Feature: GCS31 Start Network Data Log on GSME
  RTDS folder 14.1_GCS31: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS31 error (GCS31_14.1_ERROR)
    When the access control broker sends GCS31 to the GSME using vector "GCS31_14.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS31 success (GCS31_14.1_SUCCESS)
    When the access control broker sends GCS31 to the GSME using vector "GCS31_14.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
