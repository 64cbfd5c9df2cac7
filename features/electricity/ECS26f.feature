@ECS26f @SR6.2.5 @esme
Feature: ECS26f Read Configuration Data Device Information (instantaneous power thresholds)
  RTDS folder 6.2.5_ECS26f: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26f error (ECS26f_6.2.5_ERROR)
    When the import supplier sends ECS26f to the ESME using vector "ECS26f_6.2.5_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26f success (ECS26f_6.2.5_SUCCESS)
    When the import supplier sends ECS26f to the ESME using vector "ECS26f_6.2.5_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
