@smets1 @SR7.2
Feature: SMETS1 minimum service 7.2 Disable Supply
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 7.2 Disable Supply has no recorded success variant
    Given the target has an ESME
