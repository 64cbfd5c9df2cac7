@smets1 @SR6.6
Feature: SMETS1 minimum service 6.6 Update Device Configuration (Gas Conversion)
  Eligible users: Gas Supplier.

  @needs-device-state-errors
  Scenario: 6.6 Update Device Configuration (Gas Conversion) has no recorded success variant
    Given the target has an ESME
