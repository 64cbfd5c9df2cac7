@DBCH10 @esme
Feature: DBCH10 Message Discarded Due to Duty Cycle Management Sub GHz Alert
  RTDS folder NA_DBCH10: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: DBCH10 as recorded
    When the recorded command "DBCH10_NA_SUCCESS" is sent
    Then the response is a valid response to that command
