@smets1 @SR6.11
Feature: SMETS1 minimum service 6.11 Synchronise Clock
  Eligible users: Import Supplier, Gas Supplier.

  @ECS70 @esme
  Scenario: 6.11 Synchronise Clock by an eligible user (ECS70)
    When the import supplier sends ECS70 to the ESME using vector "ECS70_6.11_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
