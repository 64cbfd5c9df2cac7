@ECS29d @SR6.5 @esme
Feature: ECS29d Set Voltage Configurations on polyphase ESME without counter reset
  RTDS folder 6.5_ECS29d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS29d error (ECS29d_6.5_ERROR)
    When the network operator sends ECS29d to the ESME using vector "ECS29d_6.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS29d success (ECS29d_6.5_SUCCESS)
    When the network operator sends ECS29d to the ESME using vector "ECS29d_6.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
