@smets1 @SR2.5
Feature: SMETS1 minimum service 2.5 Activate Emergency Credit
  Eligible users: Import Supplier, Gas Supplier.

  @ECS09 @esme
  Scenario: 2.5 Activate Emergency Credit by an eligible user (ECS09)
    When the import supplier sends ECS09 to the ESME using vector "ECS09_2.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
