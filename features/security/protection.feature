@security @needs-direct-gbcs
Feature: Command protection: the device discards what GBCS says it must
  Every command is MAC'd; a critical command is also signed by its originator; each command
  carries an originator counter the device must see increase; and a device acts only on
  commands addressed to it. A device that executes any of these has a security defect.

  @esme @ECS17b
  Scenario: A command with a bad MAC is discarded
    When the import supplier sends ECS17b to the ESME with a bad MAC
    Then the device rejects the command

  @esme @ECS17b
  Scenario: A replayed command is discarded
    When the import supplier sends ECS17b to the ESME with a replayed counter
    Then the device rejects the command

  @esme @ECS17b
  Scenario: A command addressed to another device is discarded
    When the import supplier sends ECS17b addressed to a device the target does not have
    Then the device rejects the command

  @esme @ECS01a
  Scenario: A critical command with a bad signature is discarded
    When the import supplier sends ECS01a to the ESME with a bad signature
    Then the device rejects the command

  @esme @ECS01a
  Scenario: An unsigned critical command is discarded
    When the import supplier sends ECS01a to the ESME unsigned
    Then the device rejects the command

  @esme @ECS01a
  Scenario: The same critical command, correctly signed, is executed
    When the import supplier sends ECS01a to the ESME
    Then the response is a valid response to that command
    And the response matches the golden vector
