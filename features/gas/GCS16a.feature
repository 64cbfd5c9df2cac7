@GCS16a @SR4.6.1 @gsme
Feature: GCS16a Read Daily Read Log (exc export)
  RTDS folder 4.6.1_GCS16a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS16a error (GCS16a_4.6.1_ERROR)
    When the import supplier sends GCS16a to the GSME using vector "GCS16a_4.6.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS16a success (GCS16a_4.6.1_SUCCESS)
    When the import supplier sends GCS16a to the GSME using vector "GCS16a_4.6.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
