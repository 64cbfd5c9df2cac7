@smets1 @SR1.1
Feature: SMETS1 minimum service 1.1 Update Import Tariff (credit)
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 1.1 Update Import Tariff (credit) has no recorded success variant
    Given the target has an ESME
