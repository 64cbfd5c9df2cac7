@smets1 @SR6.2
Feature: SMETS1 minimum service 6.2 Read Device Configuration
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Export Supplier, Registered Supplier Agent, Other User.

  @needs-device-state-errors
  Scenario: 6.2 Read Device Configuration has no recorded success variant
    Given the target has an ESME
