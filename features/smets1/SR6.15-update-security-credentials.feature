@smets1 @SR6.15
Feature: SMETS1 minimum service 6.15 Update Security Credentials
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter.

  @needs-device-state-errors
  Scenario: 6.15 Update Security Credentials has no recorded success variant
    Given the target has an ESME
