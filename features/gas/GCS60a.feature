@GCS60a @SR4.18 @gsme
Feature: GCS60a GCS60a
  RTDS folder 4.18_GCS60a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS60a error (GCS60a_4.18_ERROR)
    When the import supplier sends GCS60a to the GSME using vector "GCS60a_4.18_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS60a success reliable gpf (GCS60a_4.18_SUCCESS_RELIABLE_GPF)
    When the import supplier sends GCS60a to the GPF using vector "GCS60a_4.18_SUCCESS_RELIABLE_GPF"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS60a success reliable gsme (GCS60a_4.18_SUCCESS_RELIABLE_GSME)
    When the import supplier sends GCS60a to the GPF using vector "GCS60a_4.18_SUCCESS_RELIABLE_GSME"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS60a success unreliable gsme (GCS60a_4.18_SUCCESS_UNRELIABLE_GSME)
    When the import supplier sends GCS60a to the GSME using vector "GCS60a_4.18_SUCCESS_UNRELIABLE_GSME"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
