@GCS13b @SR4.1.4 @gsme
Feature: GCS13b Read GSME Energy Register (Block Counters)
  RTDS folder 4.1.4_GCS13b: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS13b error (GCS13b_4.1.4_ERROR)
    When the import supplier sends GCS13b to the GSME using vector "GCS13b_4.1.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13b success reliable gpf (GCS13b_4.1.4_SUCCESS_RELIABLE_GPF)
    When the import supplier sends GCS13b to the GPF using vector "GCS13b_4.1.4_SUCCESS_RELIABLE_GPF"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13b success reliable gsme (GCS13b_4.1.4_SUCCESS_RELIABLE_GSME)
    When the import supplier sends GCS13b to the GPF using vector "GCS13b_4.1.4_SUCCESS_RELIABLE_GSME"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13b success unreliable (GCS13b_4.1.4_SUCCESS_UNRELIABLE)
    When the import supplier sends GCS13b to the GSME using vector "GCS13b_4.1.4_SUCCESS_UNRELIABLE"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
