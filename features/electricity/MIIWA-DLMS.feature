@MIIWA-DLMS @esme
Feature: MIIWA-DLMS MIIWA-DLMS
  RTDS folder NA_MIIWA-DLMS: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: MIIWA-DLMS as recorded
    When the recorded command "MIIWA-DLMS_NA_SUCCESS" is sent
    Then the response is a valid response to that command
