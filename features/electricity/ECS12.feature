@ECS12 @SR3.2 @esme
Feature: ECS12 Set Change of Tenancy date
  RTDS folder 3.2_ECS12: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS12 error (ECS12_3.2_ERROR)
    When the import supplier sends ECS12 to the ESME using vector "ECS12_3.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS12 success (ECS12_3.2_SUCCESS)
    When the import supplier sends ECS12 to the ESME using vector "ECS12_3.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
