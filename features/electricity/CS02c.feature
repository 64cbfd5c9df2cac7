@CS02c @SR6.17 @esme
Feature: CS02c Issue Security Credentials
  RTDS folder 6.17_CS02c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02c error (CS02c_6.17_ERROR)
    When the import supplier sends CS02c to the ESME using vector "CS02c_6.17_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02c success (CS02c_6.17_SUCCESS)
    When the import supplier sends CS02c to the ESME using vector "CS02c_6.17_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
