@smets1 @SR11.2
Feature: SMETS1 minimum service 11.2 Read Firmware Version
  Eligible users: Import Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Export Supplier, Registered Supplier Agent, Other User.

  @ECS52 @esme
  Scenario: 11.2 Read Firmware Version by an eligible user (ECS52)
    When the import supplier sends ECS52 to the ESME using vector "ECS52_11.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
