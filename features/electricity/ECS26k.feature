@ECS26k @SR6.2.1 @esme
Feature: ECS26k Read Configuration Voltage Data - 3 Phase
  RTDS folder 6.2.1_ECS26k: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26k error (ECS26k_6.2.1_ERROR)
    When the import supplier sends ECS26k to the ESME using vector "ECS26k_6.2.1_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26k success (ECS26k_6.2.1_SUCCESS)
    When the import supplier sends ECS26k to the ESME using vector "ECS26k_6.2.1_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
