@CS09 @ppmid
Feature: CS09 PPMID Firmware Activation Alert
  RTDS folder NA_CS09: alerts the PPMID raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: CS09 raised by the device (8f8b alert)
    Then an alert 0x012B arrives within 60 seconds

  @needs-recordings
  Scenario: CS09 as recorded (CS09_NA_8F8B_ALERT)
    When the recorded alert "CS09_NA_8F8B_ALERT" arrives
    Then an alert 0x012B arrives
