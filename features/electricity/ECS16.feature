@ECS16 @SR3.4 @esme
Feature: ECS16 Write Supplier Contact Details
  RTDS folder 3.4_ECS16: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS16 error (ECS16_3.4_ERROR)
    When the import supplier sends ECS16 to the ESME using vector "ECS16_3.4_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS16 success (ECS16_3.4_SUCCESS)
    When the import supplier sends ECS16 to the ESME using vector "ECS16_3.4_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
