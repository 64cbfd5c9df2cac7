@head-end @needs-head-end @needs-user-IS
Feature: A head-end accepts the alerts the DCC delivers
  Device alerts (a GBCS alert from a device, in a DeviceAlertMessage) and DCC alerts (the
  DCC's own, in a DCCAlertMessage) arrive at the User's response URL, DCC-signed. A User's
  system acknowledges them (2xx) and keeps them.

  Scenario: A device alert is accepted
    When the DCC delivers a device alert
    Then the head-end accepts it

  @needs-head-end-inbox
  Scenario: A device alert is recorded
    When the DCC delivers a device alert
    Then the head-end accepts it
    And the head-end records the alert

  Scenario: A DCC alert is accepted
    When the DCC delivers a DCC alert
    Then the head-end accepts it

  @needs-head-end-inbox
  Scenario: A DCC alert is recorded
    When the DCC delivers a DCC alert
    Then the head-end accepts it
    And the head-end records the alert
