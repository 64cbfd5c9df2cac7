@ECS26e @SR6.2.4 @esme
Feature: ECS26e ECS26e
  RTDS folder 6.2.4_ECS26e: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26e error (ECS26e_6.2.4_ERROR)
    When the import supplier sends ECS26e to the ESME using vector "ECS26e_6.2.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26e success (ECS26e_6.2.4_SUCCESS)
    When the import supplier sends ECS26e to the ESME using vector "ECS26e_6.2.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
