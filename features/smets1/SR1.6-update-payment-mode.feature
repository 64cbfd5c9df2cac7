@smets1 @SR1.6
Feature: SMETS1 minimum service 1.6 Update Payment Mode
  Eligible users: Import Supplier, Gas Supplier.

  @ECS02 @esme
  Scenario: 1.6 Update Payment Mode by an eligible user (ECS02)
    When the import supplier sends ECS02 to the ESME using vector "ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
