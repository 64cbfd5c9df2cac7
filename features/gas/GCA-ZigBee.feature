@GCA-ZigBee @gsme
Feature: GCA-ZigBee GCA-ZigBee
  RTDS folder NA_GCA-ZigBee: alerts the GSME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: GCA-ZigBee raised by the device (8f30 alert)
    Then an alert 0x1000 arrives within 60 seconds

  @needs-recordings
  Scenario: GCA-ZigBee as recorded (GCA-ZigBee_NA_8F30_ALERT)
    When the recorded alert "GCA-ZigBee_NA_8F30_ALERT" arrives
    Then an alert 0x1000 arrives
