@CS02gLoadControllerBySupplier @SR6.15.1 @esme
Feature: CS02gLoadControllerBySupplier CS02gLoadControllerBySupplier
  RTDS folder 6.15.1_CS02gLoadControllerBySupplier: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  Scenario: CS02gLoadControllerBySupplier cancellation success (CS02gLoadControllerBySupplier_6.15.1_CANCELLATION_SUCCESS)
    When the import supplier sends CS02gLoadControllerBySupplier to the ESME using vector "CS02gLoadControllerBySupplier_6.15.1_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS02gLoadControllerBySupplier future dated error (CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_ERROR)
    When the import supplier sends CS02gLoadControllerBySupplier to the ESME using vector "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02gLoadControllerBySupplier future dated success (CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS)
    When the import supplier sends CS02gLoadControllerBySupplier to the ESME using vector "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-device-state-errors
  Scenario: CS02gLoadControllerBySupplier immediate error (CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR)
    When the import supplier sends CS02gLoadControllerBySupplier to the ESME using vector "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02gLoadControllerBySupplier immediate success (CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS)
    When the import supplier sends CS02gLoadControllerBySupplier to the ESME using vector "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
