@ECS17d @SR4.1.2 @esme
Feature: ECS17d Read Energy / Consumption Register (TOU)
  RTDS folder 4.1.2_ECS17d: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: ECS17d error (ECS17d_4.1.2_ERROR)
    When the import supplier sends ECS17d to the ESME using vector "ECS17d_4.1.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: ECS17d single success (ECS17d_4.1.2_SINGLE_SUCCESS)
    When the import supplier sends ECS17d to the ESME using vector "ECS17d_4.1.2_SINGLE_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  @needs-twin-element
  Scenario: ECS17d twin success (ECS17d_4.1.2_TWIN_SUCCESS)
    When the import supplier sends ECS17d to the ESME using vector "ECS17d_4.1.2_TWIN_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
