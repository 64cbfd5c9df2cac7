@smets1 @SR6.8
Feature: SMETS1 minimum service 6.8 Update Device Configuration (Billing Calendar)
  Eligible users: Import Supplier, Gas Supplier.

  @ECS30a @esme
  Scenario: 6.8 Update Device Configuration (Billing Calendar) by an eligible user (ECS30a)
    When the import supplier sends ECS30a to the ESME using vector "ECS30a_6.8_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
