@head-end @needs-head-end @critical
Feature: The critical-command flow: a head-end signs exactly the pre-command it asked for
  A critical service goes as command variant 4: the DCC answers with the GBCS pre-command it
  built from the request, and the User's system checks it says what it asked for before it
  signs it with its own GBCS key and sends it back as command variant 5. The DCC checks the
  signed pre-command is the one it issued and that the signature verifies.

  Scenario Outline: The head-end signs the pre-command of SRV <srv>
    When the head-end is asked to <what> (SRV <srv>)
    Then it sends a valid service request for <srv> to the ESME
    And it signs the pre-command it was given

    @SR1.7 @needs-user-IS
    Examples: update the meter balance
      | srv | what                       |
      | 1.7 | update the meter balance   |

    @SR2.5 @needs-user-IS
    Examples: update the prepayment configuration
      | srv | what                                     |
      | 2.5 | update the prepayment configuration     |

    @SR7.1 @needs-user-IS
    Examples: enable the supply
      | srv | what              |
      | 7.1 | enable the supply |

    @SR7.3 @needs-user-IS
    Examples: arm the supply
      | srv | what           |
      | 7.3 | arm the supply |

    @SR7.12 @needs-user-IS
    Examples: set the randomised offset limit
      | srv  | what                               |
      | 7.12 | set the randomised offset limit   |

    @SR6.11 @needs-user-IS
    Examples: update the supply tamper state
      | srv  | what                            |
      | 6.11 | update the supply tamper state |

  @SR7.1 @needs-user-IS
  Scenario: The head-end refuses to sign a pre-command that does not match its request
    Given the DCC tampers with the pre-command
    When the head-end is asked to enable the supply (SRV 7.1)
    Then it sends a valid service request for 7.1 to the ESME
    And it refuses to sign a pre-command that does not match its request
