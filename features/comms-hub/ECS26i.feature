@ECS26i @SR6.2.4 @comms-hub
Feature: ECS26i ECS26i
  RTDS folder 6.2.4_ECS26i: every variant it records, addressed to the target's comms hub and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26i error (ECS26i_6.2.4_ERROR)
    When the access control broker sends ECS26i to the comms hub using vector "ECS26i_6.2.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26i success (ECS26i_6.2.4_SUCCESS)
    When the access control broker sends ECS26i to the comms hub using vector "ECS26i_6.2.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
