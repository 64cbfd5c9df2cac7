@head-end @needs-head-end @needs-user-IS @SR4.1.1
Feature: A head-end takes the DCC's responses and refuses what it must not trust
  The DCC delivers asynchronous responses to the User's response URL. A User's system
  acknowledges a valid, DCC-signed response to a request it sent (2xx), matches it to that
  request by RequestID, handles a duplicate delivery once, and refuses (4xx) anything it must
  not trust: a signature that does not verify or is missing, a document the schema rejects,
  an XXE document, something that is not XML, a response to a request it never sent.

  Background:
    When the head-end is asked to read the instantaneous import registers (SRV 4.1.1)

  @needs-head-end-inbox
  Scenario: The acknowledgement and the later response are matched to the request
    Then the DCC acknowledges the request with I99
    And the head-end records the response to its request

  Scenario: A valid response to its request is accepted
    When the DCC delivers the response to that request
    Then the head-end accepts it

  @needs-head-end-inbox
  Scenario: A duplicate delivery is accepted and handled once
    When the DCC delivers the response to that request twice
    Then the head-end accepts it
    And the head-end records it once

  Scenario: A response whose DCC signature does not verify is refused
    When the DCC delivers a response whose signature does not verify
    Then the head-end rejects it

  Scenario: An unsigned response is refused
    When the DCC delivers an unsigned response
    Then the head-end rejects it

  Scenario: A response the DUIS schema rejects is refused
    When the DCC delivers a schema-invalid response
    Then the head-end rejects it

  Scenario: An XXE document is refused
    When the DCC delivers an XXE document
    Then the head-end rejects it

  Scenario: A document that is not XML is refused
    When the DCC delivers a document that is not XML
    Then the head-end rejects it

  Scenario: A response to a request it never sent is refused
    When the DCC delivers a response to a request it never sent
    Then the head-end rejects it
