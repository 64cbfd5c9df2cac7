@ECS68 @esme
Feature: ECS68 Critical Sensitive Alert (Billing Data Log)
  RTDS folder NA_ECS68: alerts the ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS68 raised by the device (8f0a single alert)
    Then an alert 0x0061 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS68 as recorded (ECS68_NA_8F0A_SINGLE_ALERT)
    When the recorded alert "ECS68_NA_8F0A_SINGLE_ALERT" arrives
    Then an alert 0x0061 arrives

  @needs-device-events
  Scenario: ECS68 raised by the device (8f0a twin alert)
    Then an alert 0x0061 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS68 as recorded (ECS68_NA_8F0A_TWIN_ALERT)
    When the recorded alert "ECS68_NA_8F0A_TWIN_ALERT" arrives
    Then an alert 0x0061 arrives
