@GCS16b @SR4.14 @gsme
Feature: GCS16b Read (Prepayment) Daily Read Log
  RTDS folder 4.14_GCS16b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS16b krp error (GCS16b_4.14_KRP_ERROR)
    When the import supplier sends GCS16b to the GSME using vector "GCS16b_4.14_KRP_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS16b krp success (GCS16b_4.14_KRP_SUCCESS)
    When the import supplier sends GCS16b to the GSME using vector "GCS16b_4.14_KRP_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS16b urp success (GCS16b_4.14_URP_SUCCESS)
    When the access control broker sends GCS16b to the GPF using vector "GCS16b_4.14_URP_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
