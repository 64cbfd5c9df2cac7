@GCS06 @SR2.5 @gsme
Feature: GCS06 Activate Emergency Credit Remotely
  RTDS folder 2.5_GCS06: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS06 error (GCS06_2.5_ERROR)
    When the import supplier sends GCS06 to the GSME using vector "GCS06_2.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS06 success (GCS06_2.5_SUCCESS)
    When the import supplier sends GCS06 to the GSME using vector "GCS06_2.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
