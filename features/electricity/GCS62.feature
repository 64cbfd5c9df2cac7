@GCS62 @esme
Feature: GCS62 Backup GPF Device Log
  RTDS folder NA_GCS62: every variant it records, addressed to the target's ESME and sent by the remote party that sent it there.

  @needs-han-originated-commands
  Scenario: GCS62 as recorded
    When the recorded command "GCS62_NA_SUCCESS" is sent
    Then the response is a valid response to that command
