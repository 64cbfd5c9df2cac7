@smets1 @SR4.11
Feature: SMETS1 minimum service 4.11 Read Tariff
  Eligible users: Import Supplier, Gas Supplier, Other User.

  @needs-device-state-errors
  Scenario: 4.11 Read Tariff has no recorded success variant
    Given the target has an ESME
