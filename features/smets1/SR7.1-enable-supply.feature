@smets1 @SR7.1
Feature: SMETS1 minimum service 7.1 Enable Supply
  Eligible users: Import Supplier.

  @ECS42 @esme
  Scenario: 7.1 Enable Supply by an eligible user (ECS42)
    When the import supplier sends ECS42 to the ESME using vector "ECS42_7.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
