@smets1 @SR4.2
Feature: SMETS1 minimum service 4.2 Read Instantaneous Export Register Values
  Eligible users: Export Supplier, Electricity Distributor.

  @ECS17a @esme
  Scenario: 4.2 Read Instantaneous Export Register Values by an eligible user (ECS17a)
    When the network operator sends ECS17a to the ESME using vector "ECS17a_4.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
