@GCS09 @SR3.2 @gpf
Feature: GCS09 Set Change of Tenancy date
  RTDS folder 3.2_GCS09: every variant it records, addressed to the target's GPF and sent by the remote party that sent it there.

  Scenario: GCS09 success (GCS09_3.2_SUCCESS)
    When the import supplier sends GCS09 to the GPF using vector "GCS09_3.2_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
