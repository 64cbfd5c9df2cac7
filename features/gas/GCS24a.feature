@GCS24a @SR6.7 @gsme
Feature: GCS24a Set Uncontrolled Gas Flow Rate and Supply Tamper State on the GSME
  RTDS folder 6.7_GCS24a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS24a error (GCS24a_6.7_ERROR)
    When the import supplier sends GCS24a to the GSME using vector "GCS24a_6.7_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS24a success (GCS24a_6.7_SUCCESS)
    When the import supplier sends GCS24a to the GSME using vector "GCS24a_6.7_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
