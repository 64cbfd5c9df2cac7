@smets1 @SR7.3
Feature: SMETS1 minimum service 7.3 Arm Supply
  Eligible users: Import Supplier, Gas Supplier.

  @ECS44 @esme
  Scenario: 7.3 Arm Supply by an eligible user (ECS44)
    When the import supplier sends ECS44 to the ESME using vector "ECS44_7.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
