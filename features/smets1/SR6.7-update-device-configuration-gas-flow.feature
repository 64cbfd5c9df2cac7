@smets1 @SR6.7
Feature: SMETS1 minimum service 6.7 Update Device Configuration (Gas Flow)
  Eligible users: Gas Supplier.

  @GCS24 @gsme
  Scenario: 6.7 Update Device Configuration (Gas Flow) by an eligible user (GCS24)
    When the import supplier sends GCS24 to the GSME using vector "GCS24_6.7_SUCCESS"
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector
