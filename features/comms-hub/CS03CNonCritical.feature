@CS03CNonCritical @SR8.7.2 @ppmid
Feature: CS03CNonCritical CS03CNonCritical
  RTDS folder 8.7.2_CS03CNonCritical: every variant it records, addressed to the target's PPMID and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS03CNonCritical error (CS03CNonCritical_8.7.2_ERROR)
    When the access control broker sends CS03CNonCritical to the PPMID using vector "CS03CNonCritical_8.7.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS03CNonCritical success (CS03CNonCritical_8.7.2_SUCCESS)
    When the access control broker sends CS03CNonCritical to the PPMID using vector "CS03CNonCritical_8.7.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
