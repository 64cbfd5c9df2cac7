# The worked example of features/README.md ("Write your own scenario"). It lies outside
# features/, so a plain `gbcs-harness run` does not pick it up: run it by name,
#   gbcs-harness run docs/examples/supplier-reads-esme.feature
@ECS17b @SR4.1.1 @esme
Feature: Example: a supplier reads an ESME's import energy registers
  The import supplier asks the ESME for its import energy registers (ECS17b). A conformant
  ESME answers with a MAC'd response that echoes the command's counter and message code and
  has the shape the RTDS recorded; it discards the same command with a bad MAC, and a
  replayed one.

  Background:
    Given the target has an ESME

  Scenario: The supplier reads the import energy registers
    When the import supplier sends ECS17b to the ESME
    Then a response arrives within the WAN target
    And the response is a valid response to that command
    And the response matches the golden vector

  Scenario: The ESME discards a read with a bad MAC
    When the import supplier sends ECS17b to the ESME with a bad MAC
    Then the device rejects the command

  Scenario: The ESME discards a replayed read
    When the import supplier sends ECS17b to the ESME with a replayed counter
    Then the device rejects the command
