@smets1 @SR3.2
Feature: SMETS1 minimum service 3.2 Restrict Access - CoT
  Eligible users: Import Supplier, Gas Supplier.

  @ECS12 @esme
  Scenario: 3.2 Restrict Access - CoT by an eligible user (ECS12)
    When the import supplier sends ECS12 to the ESME using vector "ECS12_3.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
