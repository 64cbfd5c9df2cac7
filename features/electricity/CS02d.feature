@CS02d @SR6.15.2 @esme
Feature: CS02d Update Device Certificates on Device
  RTDS folder 6.15.2_CS02d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02d error (CS02d_6.15.2_ERROR)
    When the import supplier sends CS02d to the ESME using vector "CS02d_6.15.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02d success (CS02d_6.15.2_SUCCESS)
    When the import supplier sends CS02d to the ESME using vector "CS02d_6.15.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
