@smets1 @SR4.4
Feature: SMETS1 minimum service 4.4 Retrieve Billing Data Log
  Eligible users: Import Supplier, Gas Supplier.

  @needs-device-state-errors
  Scenario: 4.4 Retrieve Billing Data Log has no recorded success variant
    Given the target has an ESME
