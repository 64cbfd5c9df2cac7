@GCS38 @SR11.2 @gsme
Feature: GCS38 Read ESME/SAPC/GSME/Comms Hub Firmware Version
  RTDS folder 11.2_GCS38: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS38 error (GCS38_11.2_ERROR)
    When the import supplier sends GCS38 to the GSME using vector "GCS38_11.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS38 success (GCS38_11.2_SUCCESS)
    When the import supplier sends GCS38 to the GSME using vector "GCS38_11.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
