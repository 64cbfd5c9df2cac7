@ECS102 @esme
Feature: ECS102 Limit APC [n] Level ended or cancelled
  RTDS folder NA_ECS102: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS102 raised by the device (8f87 input alert)
    Then an alert 0x0122 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS102 as recorded (ECS102_NA_8F87_INPUT_ALERT)
    When the recorded alert "ECS102_NA_8F87_INPUT_ALERT" arrives
    Then an alert 0x0122 arrives

  @needs-device-events
  Scenario: ECS102 raised by the device (8f87 output alert)
    Then an alert 0x0122 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS102 as recorded (ECS102_NA_8F87_OUTPUT_ALERT)
    When the recorded alert "ECS102_NA_8F87_OUTPUT_ALERT" arrives
    Then an alert 0x0122 arrives
