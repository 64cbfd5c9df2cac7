@GCS13a @SR4.1.1 @gsme
Feature: GCS13a Read Import Energy / Consumption Registers
  RTDS folder 4.1.1_GCS13a: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS13a error (GCS13a_4.1.1_ERROR)
    When the import supplier sends GCS13a to the GSME using vector "GCS13a_4.1.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13a success reliable gpf (GCS13a_4.1.1_SUCCESS_RELIABLE_GPF)
    When the import supplier sends GCS13a to the GPF using vector "GCS13a_4.1.1_SUCCESS_RELIABLE_GPF"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13a success reliable gsme (GCS13a_4.1.1_SUCCESS_RELIABLE_GSME)
    When the import supplier sends GCS13a to the GPF using vector "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13a success unreliable (GCS13a_4.1.1_SUCCESS_UNRELIABLE)
    When the import supplier sends GCS13a to the GSME using vector "GCS13a_4.1.1_SUCCESS_UNRELIABLE"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
