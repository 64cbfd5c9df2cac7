@MIIWA-DLMS @esme
Feature: MIIWA-DLMS MIIWA-DLMS
  RTDS folder NA_MIIWA-DLMS: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: MIIWA-DLMS raised by the device (81a0 alert)
    Then an alert 0x00F0 arrives within 60 seconds

  @needs-recordings
  Scenario: MIIWA-DLMS as recorded (MIIWA-DLMS_NA_81A0_ALERT)
    When the recorded alert "MIIWA-DLMS_NA_81A0_ALERT" arrives
    Then an alert 0x00F0 arrives
