@ECS101 @esme
Feature: ECS101 Limit APC [n] Level Command processed
  RTDS folder NA_ECS101: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS101 raised by the device (8f86 input alert)
    Then an alert 0x0121 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS101 as recorded (ECS101_NA_8F86_INPUT_ALERT)
    When the recorded alert "ECS101_NA_8F86_INPUT_ALERT" arrives
    Then an alert 0x0121 arrives

  @needs-device-events
  Scenario: ECS101 raised by the device (8f86 output alert)
    Then an alert 0x0121 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS101 as recorded (ECS101_NA_8F86_OUTPUT_ALERT)
    When the recorded alert "ECS101_NA_8F86_OUTPUT_ALERT" arrives
    Then an alert 0x0121 arrives
