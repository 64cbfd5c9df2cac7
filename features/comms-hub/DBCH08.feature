@DBCH08 @comms-hub
Feature: DBCH08 Sub GHz Channel Scan Request Assessment Outcome Sub GHz Alert
  RTDS folder NA_DBCH08: alerts the comms hub raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: DBCH08 raised by the device (8f28 alert)
    Then an alert 0x0112 arrives within 60 seconds

  @needs-recordings
  Scenario: DBCH08 as recorded (DBCH08_NA_8F28_ALERT)
    When the recorded alert "DBCH08_NA_8F28_ALERT" arrives
    Then an alert 0x0112 arrives
