@ECS35g @SR6.13 @esme
Feature: ECS35g Read Auxiliary Controller Event Log
  RTDS folder 6.13_ECS35g: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS35g error (ECS35g_6.13_ERROR)
    When the import supplier sends ECS35g to the ESME using vector "ECS35g_6.13_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS35g success (ECS35g_6.13_SUCCESS)
    When the network operator sends ECS35g to the ESME using vector "ECS35g_6.13_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
