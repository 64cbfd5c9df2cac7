@smets1 @SR6.23
Feature: SMETS1 minimum service 6.23 Update Security Credentials (CoS)
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 6.23 Update Security Credentials (CoS) has no recorded success variant
    Given the target has an ESME
