@smets1 @SR3.3
Feature: SMETS1 minimum service 3.3 Clear Event Log
  Eligible users: Import Supplier, Gas Supplier.

  @CS11 @gsme
  Scenario: 3.3 Clear Event Log by an eligible user (CS11)
    When the import supplier sends CS11 to the GSME using vector "CS11_3.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
