@ECS29e @SR6.27 @esme
Feature: ECS29e Reset RMS Voltage Counters on ESME
  RTDS folder 6.27_ECS29e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS29e error (ECS29e_6.27_ERROR)
    When the network operator sends ECS29e to the ESME using vector "ECS29e_6.27_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS29e success (ECS29e_6.27_SUCCESS)
    When the network operator sends ECS29e to the ESME using vector "ECS29e_6.27_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
