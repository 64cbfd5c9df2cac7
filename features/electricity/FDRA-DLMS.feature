@FDRA-DLMS @esme
Feature: FDRA-DLMS FDRA-DLMS
  RTDS folder NA_FDRA-DLMS: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: FDRA-DLMS as recorded
    When the recorded command "FDRA-DLMS_NA_SUCCESS" is sent
    Then the response is a valid response to that command
