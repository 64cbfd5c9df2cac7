@ECS26n @SR6.2.4 @comms-hub
Feature: ECS26n Read Configuration Data Device Information (CH identity and type)
  RTDS folder 6.2.4_ECS26n: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26n error (ECS26n_6.2.4_ERROR)
    When the access control broker sends ECS26n to the comms hub using vector "ECS26n_6.2.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26n success (ECS26n_6.2.4_SUCCESS)
    When the access control broker sends ECS26n to the comms hub using vector "ECS26n_6.2.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
