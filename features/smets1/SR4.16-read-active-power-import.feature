@smets1 @SR4.16
Feature: SMETS1 minimum service 4.16 Read Active Power Import
  Eligible users: Import Supplier, Electricity Distributor.

  @ECS17c @esme
  Scenario: 4.16 Read Active Power Import by an eligible user (ECS17c)
    When the network operator sends ECS17c to the ESME using vector "ECS17c_4.16_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
