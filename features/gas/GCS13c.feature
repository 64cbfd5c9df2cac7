@GCS13c @SR4.1.2 @gsme
Feature: GCS13c Read Energy / Consumption Register (TOU)
  RTDS folder 4.1.2_GCS13c: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS13c error (GCS13c_4.1.2_ERROR)
    When the import supplier sends GCS13c to the GSME using vector "GCS13c_4.1.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13c success reliable gpf (GCS13c_4.1.2_SUCCESS_RELIABLE_GPF)
    When the import supplier sends GCS13c to the GPF using vector "GCS13c_4.1.2_SUCCESS_RELIABLE_GPF"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13c success reliable gsme (GCS13c_4.1.2_SUCCESS_RELIABLE_GSME)
    When the import supplier sends GCS13c to the GPF using vector "GCS13c_4.1.2_SUCCESS_RELIABLE_GSME"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS13c success unreliable (GCS13c_4.1.2_SUCCESS_UNRELIABLE)
    When the import supplier sends GCS13c to the GSME using vector "GCS13c_4.1.2_SUCCESS_UNRELIABLE"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
