@DBCH10 @comms-hub
Feature: DBCH10 Message Discarded Due to Duty Cycle Management Sub GHz Alert
  RTDS folder NA_DBCH10: alerts the comms hub raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: DBCH10 raised by the device (8f2c alert)
    Then an alert 0x0114 arrives within 60 seconds

  @needs-recordings
  Scenario: DBCH10 as recorded (DBCH10_NA_8F2C_ALERT)
    When the recorded alert "DBCH10_NA_8F2C_ALERT" arrives
    Then an alert 0x0114 arrives
