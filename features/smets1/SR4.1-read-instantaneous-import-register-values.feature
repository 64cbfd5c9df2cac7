@smets1 @SR4.1
Feature: SMETS1 minimum service 4.1 Read Instantaneous Import Register Values
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter.

  @needs-device-state-errors
  Scenario: 4.1 Read Instantaneous Import Register Values has no recorded success variant
    Given the target has an ESME
