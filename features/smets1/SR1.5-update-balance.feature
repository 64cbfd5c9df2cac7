@smets1 @SR1.5
Feature: SMETS1 minimum service 1.5 Update Balance
  Eligible users: Import Supplier, Gas Supplier.

  @ECS04b @esme
  Scenario: 1.5 Update Balance by an eligible user (ECS04b)
    When the import supplier sends ECS04b to the ESME using vector "ECS04b_1.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
