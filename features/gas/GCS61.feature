@GCS61 @SR4.17 @gpf
Feature: GCS61 Read Daily Consumption Log
  RTDS folder 4.17_GCS61: every variant it records, addressed to the target's GPF and sent by the remote party that sent it there.

  @needs-device-state-errors
  Scenario: GCS61 not found (GCS61_4.17_NOT_FOUND)
    When the import supplier sends GCS61 to the GPF using vector "GCS61_4.17_NOT_FOUND"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: GCS61 success (GCS61_4.17_SUCCESS)
    When the access control broker sends GCS61 to the GPF using vector "GCS61_4.17_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
