@GNCA-DLMS @esme
Feature: GNCA-DLMS GNCA-DLMS
  RTDS folder NA_GNCA-DLMS: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: GNCA-DLMS as recorded
    When the recorded command "GNCA-DLMS_NA_SUCCESS" is sent
    Then the response is a valid response to that command
