@CS02fMAC @SR6.24.1 @esme
Feature: CS02fMAC CS02fMAC
  RTDS folder 6.24.1_CS02fMAC: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02fMAC error (CS02fMAC_6.24.1_ERROR)
    When the access control broker sends CS02fMAC to the ESME using vector "CS02fMAC_6.24.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02fMAC success (CS02fMAC_6.24.1_SUCCESS)
    When the access control broker sends CS02fMAC to the ESME using vector "CS02fMAC_6.24.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
