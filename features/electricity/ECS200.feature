@ECS200 @esme
Feature: ECS200 Operational Update
  RTDS folder NA_ECS200: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS200 raised by the device (8f88 alert)
    Then an alert 0x0123 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS200 as recorded (ECS200_NA_8F88_ALERT)
    When the recorded alert "ECS200_NA_8F88_ALERT" arrives
    Then an alert 0x0123 arrives
