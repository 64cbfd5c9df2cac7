@ECS22b @SR4.8.1 @esme
Feature: ECS22b Read Half Hour Profile Data (consumption)
  RTDS folder 4.8.1_ECS22b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS22b error (ECS22b_4.8.1_ERROR)
    When the import supplier sends ECS22b to the ESME using vector "ECS22b_4.8.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS22b single success (ECS22b_4.8.1_SINGLE_SUCCESS)
    When the import supplier sends ECS22b to the ESME using vector "ECS22b_4.8.1_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS22b twin success (ECS22b_4.8.1_TWIN_SUCCESS)
    When the import supplier sends ECS22b to the ESME using vector "ECS22b_4.8.1_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
