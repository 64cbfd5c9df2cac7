@smets1 @SR1.2
Feature: SMETS1 minimum service 1.2 Update Price (credit)
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 1.2 Update Price (credit) has no recorded success variant
    Given the target has an ESME
