@CS02bTransCoSByTransCoS @esme
Feature: CS02bTransCoSByTransCoS CS02bTransCoSByTransCoS
  RTDS folder NA_CS02bTransCoSByTransCoS: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02bTransCoSByTransCoS success (CS02bTransCoSByTransCoS_NA_SUCCESS)
    When the transitional CoS party sends CS02bTransCoSByTransCoS to the ESME using vector "CS02bTransCoSByTransCoS_NA_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
