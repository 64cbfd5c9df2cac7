@ECS26j @SR6.2.9 @esme
Feature: ECS26j Read Configuration Data Device Information (Payment Mode)
  RTDS folder 6.2.9_ECS26j: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS26j error (ECS26j_6.2.9_ERROR)
    When the import supplier sends ECS26j to the ESME using vector "ECS26j_6.2.9_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS26j success (ECS26j_6.2.9_SUCCESS)
    When the import supplier sends ECS26j to the ESME using vector "ECS26j_6.2.9_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
