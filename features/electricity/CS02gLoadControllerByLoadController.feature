@CS02gLoadControllerByLoadController @load-controlled-esme
Feature: CS02gLoadControllerByLoadController CS02gLoadControllerByLoadController
  RTDS folder NA_CS02gLoadControllerByLoadController: every variant it records, addressed to the target's load-controlled ESME and sent by the remote party that sent it there.

  Scenario: CS02gLoadControllerByLoadController cancellation success (CS02gLoadControllerByLoadController_NA_CANCELLATION_SUCCESS)
    When the load controller sends CS02gLoadControllerByLoadController to the load-controlled ESME using vector "CS02gLoadControllerByLoadController_NA_CANCELLATION_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02gLoadControllerByLoadController future dated success (CS02gLoadControllerByLoadController_NA_FUTURE_DATED_SUCCESS)
    When the load controller sends CS02gLoadControllerByLoadController to the load-controlled ESME using vector "CS02gLoadControllerByLoadController_NA_FUTURE_DATED_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS02gLoadControllerByLoadController immediate success (CS02gLoadControllerByLoadController_NA_IMMEDIATE_SUCCESS)
    When the load controller sends CS02gLoadControllerByLoadController to the load-controlled ESME using vector "CS02gLoadControllerByLoadController_NA_IMMEDIATE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
