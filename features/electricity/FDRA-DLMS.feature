@FDRA-DLMS @esme
Feature: FDRA-DLMS FDRA-DLMS
  RTDS folder NA_FDRA-DLMS: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: FDRA-DLMS raised by the device (8f72 alert)
    Then an alert 0x00CE arrives within 60 seconds

  @needs-recordings
  Scenario: FDRA-DLMS as recorded (FDRA-DLMS_NA_8F72_ALERT)
    When the recorded alert "FDRA-DLMS_NA_8F72_ALERT" arrives
    Then an alert 0x00CE arrives
