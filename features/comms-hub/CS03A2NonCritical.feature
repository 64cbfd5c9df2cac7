@CS03A2NonCritical @SR8.7.2 @ppmid
Feature: CS03A2NonCritical CS03A2NonCritical
  RTDS folder 8.7.2_CS03A2NonCritical: every variant it records, addressed to the target's PPMID and sent by the remote party that sent it there.

  Scenario: CS03A2NonCritical success (CS03A2NonCritical_8.7.2_SUCCESS)
    When the access control broker sends CS03A2NonCritical to the PPMID using vector "CS03A2NonCritical_8.7.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
