@CS08 @SR11.2 @hcalcs
Feature: CS08 Read PPMID/HCALCS Firmware Version
  RTDS folder 11.2_CS08: every variant it records, addressed to the target's HCALCS and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: CS08 error (CS08_11.2_ERROR)
    When the access control broker sends CS08 to the HCALCS using vector "CS08_11.2_ERROR"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: CS08 success (CS08_11.2_SUCCESS)
    When the access control broker sends CS08 to the PPMID using vector "CS08_11.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
