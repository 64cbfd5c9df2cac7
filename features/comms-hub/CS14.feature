@CS14 @comms-hub
Feature: CS14 Device Addition To / Removal From HAN Whitelist Alerts
  RTDS folder NA_CS14: alerts the comms hub raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: CS14 raised by the device (8f12 alert)
    Then an alert 0x0018 arrives within 60 seconds

  @needs-recordings
  Scenario: CS14 as recorded (CS14_NA_8F12_ALERT)
    When the recorded alert "CS14_NA_8F12_ALERT" arrives
    Then an alert 0x0018 arrives
