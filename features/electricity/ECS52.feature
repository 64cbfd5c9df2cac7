@ECS52 @SR11.2 @esme
Feature: ECS52 Read ESME/SAPC/GSME/Comms Hub Firmware Version
  RTDS folder 11.2_ECS52: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS52 error (ECS52_11.2_ERROR)
    When the import supplier sends ECS52 to the ESME using vector "ECS52_11.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS52 success (ECS52_11.2_SUCCESS)
    When the import supplier sends ECS52 to the ESME using vector "ECS52_11.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
