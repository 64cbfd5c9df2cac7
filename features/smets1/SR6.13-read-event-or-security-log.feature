@smets1 @SR6.13
Feature: SMETS1 minimum service 6.13 Read Event or Security Log
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Registered Supplier Agent.

  @CS10b @gsme
  Scenario: 6.13 Read Event or Security Log by an eligible user (CS10b)
    When the import supplier sends CS10b to the GSME using vector "CS10b_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
