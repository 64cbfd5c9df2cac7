@smets1 @SR2.2
Feature: SMETS1 minimum service 2.2 Top Up Device
  Eligible users: Import Supplier, Gas Supplier.

  @CS01a @esme
  Scenario: 2.2 Top Up Device by an eligible user (CS01a)
    When the import supplier sends CS01a to the ESME using vector "CS01a_2.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
