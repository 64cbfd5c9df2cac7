@ECS48 @SR6.26 @esme
Feature: ECS48 Configure daily resetting of Tariff Block Counter Matrix
  RTDS folder 6.26_ECS48: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS48 error (ECS48_6.26_ERROR)
    When the import supplier sends ECS48 to the ESME using vector "ECS48_6.26_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS48 success (ECS48_6.26_SUCCESS)
    When the import supplier sends ECS48 to the ESME using vector "ECS48_6.26_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
