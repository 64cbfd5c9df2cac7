@CS06 @SR11.3 @esme
Feature: CS06 Activate Firmware
  RTDS folder 11.3_CS06: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS06 cancellation success (CS06_11.3_CANCELLATION_SUCCESS)
    When the import supplier sends CS06 to the ESME using vector "CS06_11.3_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS06 future dated error (CS06_11.3_FUTURE_DATED_ERROR)
    When the import supplier sends CS06 to the ESME using vector "CS06_11.3_FUTURE_DATED_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS06 future dated success (CS06_11.3_FUTURE_DATED_SUCCESS)
    When the import supplier sends CS06 to the ESME using vector "CS06_11.3_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS06 immediate error (CS06_11.3_IMMEDIATE_ERROR)
    When the import supplier sends CS06 to the ESME using vector "CS06_11.3_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS06 immediate success (CS06_11.3_IMMEDIATE_SUCCESS)
    When the import supplier sends CS06 to the ESME using vector "CS06_11.3_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
