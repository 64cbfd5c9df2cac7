@GNCA-ZigBee @gsme
Feature: GNCA-ZigBee GNCA-ZigBee
  RTDS folder NA_GNCA-ZigBee: alerts the GSME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: GNCA-ZigBee raised by the device (810e alert)
    Then an alert 0x1001 arrives within 60 seconds

  @needs-recordings
  Scenario: GNCA-ZigBee as recorded (GNCA-ZigBee_NA_810E_ALERT)
    When the recorded alert "GNCA-ZigBee_NA_810E_ALERT" arrives
    Then an alert 0x1001 arrives
