@smets1 @SR7.4
Feature: SMETS1 minimum service 7.4 Read Supply Status
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Export Supplier, Registered Supplier Agent.

  @ECS45 @esme
  Scenario: 7.4 Read Supply Status by an eligible user (ECS45)
    When the import supplier sends ECS45 to the ESME using vector "ECS45_7.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
