@CS02fSignature @load-controlled-esme
Feature: CS02fSignature CS02fSignature
  RTDS folder NA_CS02fSignature: every variant it records, addressed to the target's load-controlled ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS02fSignature error (CS02fSignature_NA_ERROR)
    When the transitional CoS party sends CS02fSignature to the load-controlled ESME using vector "CS02fSignature_NA_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02fSignature success (CS02fSignature_NA_SUCCESS)
    When the import supplier sends CS02fSignature to the ESME using vector "CS02fSignature_NA_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
