@CS02e @SR6.24.2 @esme
Feature: CS02e Provide Device Certificates from Device
  RTDS folder 6.24.2_CS02e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02e error (CS02e_6.24.2_ERROR)
    When the import supplier sends CS02e to the ESME using vector "CS02e_6.24.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02e success (CS02e_6.24.2_SUCCESS)
    When the import supplier sends CS02e to the ESME using vector "CS02e_6.24.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
