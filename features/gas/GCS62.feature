@GCS62 @gpf
Feature: GCS62 Backup GPF Device Log
  RTDS folder NA_GCS62: alerts the GPF raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: GCS62 raised by the device (8071 alert)
    Then an alert 0x00B2 arrives within 60 seconds

  @needs-recordings
  Scenario: GCS62 as recorded (GCS62_NA_8071_ALERT)
    When the recorded alert "GCS62_NA_8071_ALERT" arrives
    Then an alert 0x00B2 arrives
