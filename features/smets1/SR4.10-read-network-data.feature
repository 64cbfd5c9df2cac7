@smets1 @SR4.10
Feature: SMETS1 minimum service 4.10 Read Network Data
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter.

  @ECS23 @esme
  Scenario: 4.10 Read Network Data by an eligible user (ECS23)
    When the import supplier sends ECS23 to the ESME using vector "ECS23_4.10_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
