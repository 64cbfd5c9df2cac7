@smets1 @SR4.8
Feature: SMETS1 minimum service 4.8 Read Profile Data
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Export Supplier, Other User.

  @needs-device-state-errors
  Scenario: 4.8 Read Profile Data has no recorded success variant
    Given the target has an ESME
