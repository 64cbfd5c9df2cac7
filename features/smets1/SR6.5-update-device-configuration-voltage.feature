@smets1 @SR6.5
Feature: SMETS1 minimum service 6.5 Update Device Configuration (Voltage)
  Eligible users: Electricity Distributor.

  @ECS29b @esme
  Scenario: 6.5 Update Device Configuration (Voltage) by an eligible user (ECS29b)
    When the network operator sends ECS29b to the ESME using vector "ECS29b_6.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
