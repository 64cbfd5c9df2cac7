@ECS17b @SR4.1.1 @esme
Feature: ECS17b Read Import Energy / Consumption Registers
  RTDS folder 4.1.1_ECS17b: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS17b error (ECS17b_4.1.1_ERROR)
    When the import supplier sends ECS17b to the ESME using vector "ECS17b_4.1.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS17b single success (ECS17b_4.1.1_SINGLE_SUCCESS)
    When the import supplier sends ECS17b to the ESME using vector "ECS17b_4.1.1_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS17b twin success (ECS17b_4.1.1_TWIN_SUCCESS)
    When the network operator sends ECS17b to the ESME using vector "ECS17b_4.1.1_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
