@PCS01 @gsme
Feature: PCS01 Apply Prepayment Top Up to GSME (using PPMID)
  RTDS folder NA_PCS01: every variant it records, addressed to the target's GSME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: PCS01 as recorded
    When the recorded command "PCS01_NA_SUCCESS" is sent
    Then the response is a valid response to that command
