@DBCH11 @esme
Feature: DBCH11 No More Sub GHz Device Capacity Sub GHz Alert
  RTDS folder NA_DBCH11: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: DBCH11 as recorded
    When the recorded command "DBCH11_NA_SUCCESS" is sent
    Then the response is a valid response to that command
