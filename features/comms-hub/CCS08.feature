@CCS08 @comms-hub
Feature: CCS08 Firmware Transfer Alert
  RTDS folder NA_CCS08: alerts the comms hub raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: CCS08 raised by the device (na alert)
    Then an alert 0x0128 arrives within 60 seconds

  @needs-recordings
  Scenario: CCS08 as recorded (CCS08_NA_NA_ALERT)
    When the recorded alert "CCS08_NA_NA_ALERT" arrives
    Then an alert 0x0128 arrives
