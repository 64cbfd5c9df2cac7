@GNCA-DLMS @esme
Feature: GNCA-DLMS GNCA-DLMS
  RTDS folder NA_GNCA-DLMS: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: GNCA-DLMS raised by the device (810e alert)
    Then an alert 0x1001 arrives within 60 seconds

  @needs-recordings
  Scenario: GNCA-DLMS as recorded (GNCA-DLMS_NA_810E_ALERT)
    When the recorded alert "GNCA-DLMS_NA_810E_ALERT" arrives
    Then an alert 0x1001 arrives
