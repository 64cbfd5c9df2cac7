@ECS22c @SR4.8.2 @esme
Feature: ECS22c Read Half Hour Profile Data (reactive import)
  RTDS folder 4.8.2_ECS22c: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS22c error (ECS22c_4.8.2_ERROR)
    When the import supplier sends ECS22c to the ESME using vector "ECS22c_4.8.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS22c success (ECS22c_4.8.2_SUCCESS)
    When the import supplier sends ECS22c to the ESME using vector "ECS22c_4.8.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
