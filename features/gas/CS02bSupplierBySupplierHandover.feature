@CS02bSupplierBySupplierHandover @SR6.21 @gpf
Feature: CS02bSupplierBySupplierHandover CS02bSupplierBySupplierHandover
  RTDS folder 6.21_CS02bSupplierBySupplierHandover: every variant it records, addressed to the target's GPF and sent by the remote party that sent it there.

  Scenario: CS02bSupplierBySupplierHandover success (CS02bSupplierBySupplierHandover_6.21_SUCCESS)
    When the access control broker sends CS02bSupplierBySupplierHandover to the GPF using vector "CS02bSupplierBySupplierHandover_6.21_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
