@CS02bAnyExceptAbnormalRootByRecovery @esme
Feature: CS02bAnyExceptAbnormalRootByRecovery CS02bAnyExceptAbnormalRootByRecovery
  RTDS folder NA_CS02bAnyExceptAbnormalRootByRecovery: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02bAnyExceptAbnormalRootByRecovery success (CS02bAnyExceptAbnormalRootByRecovery_NA_SUCCESS)
    When the recovery party sends CS02bAnyExceptAbnormalRootByRecovery to the ESME using vector "CS02bAnyExceptAbnormalRootByRecovery_NA_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
