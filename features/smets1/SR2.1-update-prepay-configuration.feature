@smets1 @SR2.1
Feature: SMETS1 minimum service 2.1 Update Prepay Configuration
  Eligible users: Import Supplier, Gas Supplier.

  @ECS08 @esme
  Scenario: 2.1 Update Prepay Configuration by an eligible user (ECS08)
    When the import supplier sends ECS08 to the ESME using vector "ECS08_2.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
