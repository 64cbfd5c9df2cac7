@GCS59 @SR8.12.2 @gpf
Feature: GCS59 Restore GPF Device Log
  RTDS folder 8.12.2_GCS59: every variant it records, addressed to the target's GPF and sent by the remote party that sent it there.

  Scenario: GCS59 success (GCS59_8.12.2_SUCCESS)
    When the access control broker sends GCS59 to the GPF using vector "GCS59_8.12.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
