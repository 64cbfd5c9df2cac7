@CS02bSupplierBySupplier @SR6.15.1 @esme
Feature: CS02bSupplierBySupplier CS02bSupplierBySupplier
  RTDS folder 6.15.1_CS02bSupplierBySupplier: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02bSupplierBySupplier cancellation success (CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS)
    When the import supplier sends CS02bSupplierBySupplier to the ESME using vector "CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS02bSupplierBySupplier future dated error (CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_ERROR)
    When the import supplier sends CS02bSupplierBySupplier to the ESME using vector "CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02bSupplierBySupplier future dated success (CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends CS02bSupplierBySupplier to the ESME using vector "CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS02bSupplierBySupplier immediate error (CS02bSupplierBySupplier_6.15.1_IMMEDIATE_ERROR)
    When the import supplier sends CS02bSupplierBySupplier to the ESME using vector "CS02bSupplierBySupplier_6.15.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02bSupplierBySupplier immediate success (CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS)
    When the import supplier sends CS02bSupplierBySupplier to the ESME using vector "CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
