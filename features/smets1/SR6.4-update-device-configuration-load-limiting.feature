@smets1 @SR6.4
Feature: SMETS1 minimum service 6.4 Update Device Configuration (Load Limiting)
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 6.4 Update Device Configuration (Load Limiting) has no recorded success variant
    Given the target has an ESME
