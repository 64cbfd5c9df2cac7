@smets1 @SR6.12
Feature: SMETS1 minimum service 6.12 Update Device Configuration (Instantaneous Power Threshold)
  Eligible users: Import Supplier, Gas Supplier.

  @ECS34 @esme
  Scenario: 6.12 Update Device Configuration (Instantaneous Power Threshold) by an eligible user (ECS34)
    When the import supplier sends ECS34 to the ESME using vector "ECS34_6.12_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
