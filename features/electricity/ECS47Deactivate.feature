@ECS47Deactivate @SR7.6 @esme
Feature: ECS47Deactivate ECS47Deactivate
  RTDS folder 7.6_ECS47Deactivate: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS47Deactivate error (ECS47Deactivate_7.6_ERROR)
    When the import supplier sends ECS47Deactivate to the ESME using vector "ECS47Deactivate_7.6_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS47Deactivate success (ECS47Deactivate_7.6_SUCCESS)
    When the import supplier sends ECS47Deactivate to the ESME using vector "ECS47Deactivate_7.6_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
