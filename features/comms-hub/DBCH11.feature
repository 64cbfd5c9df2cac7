@DBCH11 @comms-hub
Feature: DBCH11 No More Sub GHz Device Capacity Sub GHz Alert
  RTDS folder NA_DBCH11: alerts the comms hub raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: DBCH11 raised by the device (8f2d alert)
    Then an alert 0x0115 arrives within 60 seconds

  @needs-recordings
  Scenario: DBCH11 as recorded (DBCH11_NA_8F2D_ALERT)
    When the recorded alert "DBCH11_NA_8F2D_ALERT" arrives
    Then an alert 0x0115 arrives
