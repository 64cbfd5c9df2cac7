@smets1 @SR11.1
Feature: SMETS1 minimum service 11.1 Update Firmware
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 11.1 Update Firmware has no recorded success variant
    Given the target has an ESME
