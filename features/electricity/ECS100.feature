@ECS100 @load-controlled-esme
Feature: ECS100 Command not supported by Device
  RTDS folder NA_ECS100: alerts the load-controlled ESME raises on events of its own; no command causes them.

  @needs-device-events
  Scenario: ECS100 raised by the device (8f85 alert)
    Then an alert 0x0120 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS100 as recorded (ECS100_NA_8F85_ALERT)
    When the recorded alert "ECS100_NA_8F85_ALERT" arrives
    Then an alert 0x0120 arrives

  @needs-device-events
  Scenario: ECS100 raised by the device (8f85 supplementary remote party alert)
    Then an alert 0x0120 arrives within 60 seconds

  @needs-recordings
  Scenario: ECS100 as recorded (ECS100_NA_8F85_SUPPLEMENTARY_REMOTE_PARTY_ALERT)
    When the recorded alert "ECS100_NA_8F85_SUPPLEMENTARY_REMOTE_PARTY_ALERT" arrives
    Then an alert 0x0120 arrives
