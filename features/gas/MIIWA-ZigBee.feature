@MIIWA-ZigBee @gsme
Feature: MIIWA-ZigBee MIIWA-ZigBee
  RTDS folder NA_MIIWA-ZigBee: alerts the GSME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: MIIWA-ZigBee raised by the device (81a0 alert)
    Then an alert 0x00F2 arrives within 60 seconds

  @needs-recordings
  Scenario: MIIWA-ZigBee as recorded (MIIWA-ZigBee_NA_81A0_ALERT)
    When the recorded alert "MIIWA-ZigBee_NA_81A0_ALERT" arrives
    Then an alert 0x00F2 arrives
