@FDRA-ZigBee @gsme
Feature: FDRA-ZigBee FDRA-ZigBee
  RTDS folder NA_FDRA-ZigBee: alerts the GSME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: FDRA-ZigBee raised by the device (8f72 alert)
    Then an alert 0x00CF arrives within 60 seconds

  @needs-recordings
  Scenario: FDRA-ZigBee as recorded (FDRA-ZigBee_NA_8F72_ALERT)
    When the recorded alert "FDRA-ZigBee_NA_8F72_ALERT" arrives
    Then an alert 0x00CF arrives
