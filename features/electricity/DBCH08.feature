@DBCH08 @esme
Feature: DBCH08 Sub GHz Channel Scan Request Assessment Outcome Sub GHz Alert
  RTDS folder NA_DBCH08: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: DBCH08 as recorded
    When the recorded command "DBCH08_NA_SUCCESS" is sent
    Then the response is a valid response to that command
