@ECS80 @esme
Feature: ECS80 Supply Outage Restore Alert from ESME
  RTDS folder NA_ECS80: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS80 raised by the device (8f36 alert)
    Then an alert 0x0067 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS80 as recorded (ECS80_NA_8F36_ALERT)
    When the recorded alert "ECS80_NA_8F36_ALERT" arrives
    Then an alert 0x0067 arrives
