@smets1 @SR4.3
Feature: SMETS1 minimum service 4.3 Read Instantaneous Prepayment Register Values
  Eligible users: Import Supplier, Gas Supplier.

  @ECS19 @esme
  Scenario: 4.3 Read Instantaneous Prepayment Register Values by an eligible user (ECS19)
    When the import supplier sends ECS19 to the ESME using vector "ECS19_4.3_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
