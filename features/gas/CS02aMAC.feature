@CS02aMAC @SR6.24.1 @gsme
Feature: CS02aMAC CS02aMAC
  RTDS folder 6.24.1_CS02aMAC: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02aMAC error (CS02aMAC_6.24.1_ERROR)
    When the access control broker sends CS02aMAC to the GSME using vector "CS02aMAC_6.24.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02aMAC success (CS02aMAC_6.24.1_SUCCESS)
    When the access control broker sends CS02aMAC to the ESME using vector "CS02aMAC_6.24.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
