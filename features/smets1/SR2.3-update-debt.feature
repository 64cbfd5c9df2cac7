@smets1 @SR2.3
Feature: SMETS1 minimum service 2.3 Update Debt
  Eligible users: Import Supplier, Gas Supplier.

  @ECS07 @esme
  Scenario: 2.3 Update Debt by an eligible user (ECS07)
    When the import supplier sends ECS07 to the ESME using vector "ECS07_2.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
