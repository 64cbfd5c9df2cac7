@security @needs-direct-gbcs @access-control
Feature: Access control: each SMETS1 minimum service refused to the roles not entitled to it
  A device sees the role of the remote party that originates or signs a command. For every
  SMETS1 minimum service, the roles none of its eligible users act in must be refused.

  Scenario Outline: SR<sr> <use_case> sent by the <party> is refused
    When the <party> sends <use_case> to the <device> using vector "<variant>"
    Then the device rejects the command

    @SR1.5 @ECS04b @esme
    Examples: SR1.5 Update Balance
      | sr | use_case | party | device | variant |
      | 1.5 | ECS04b | network operator | ESME | ECS04b_1.5_SUCCESS |
      | 1.5 | ECS04b | access control broker | ESME | ECS04b_1.5_SUCCESS |

    @SR1.6 @ECS02 @esme
    Examples: SR1.6 Update Payment Mode
      | sr | use_case | party | device | variant |
      | 1.6 | ECS02 | network operator | ESME | ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS |
      | 1.6 | ECS02 | access control broker | ESME | ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS |

    @SR2.1 @ECS08 @esme
    Examples: SR2.1 Update Prepay Configuration
      | sr | use_case | party | device | variant |
      | 2.1 | ECS08 | network operator | ESME | ECS08_2.1_IMMEDIATE_SUCCESS |
      | 2.1 | ECS08 | access control broker | ESME | ECS08_2.1_IMMEDIATE_SUCCESS |

    @SR2.2 @CS01a @esme
    Examples: SR2.2 Top Up Device
      | sr | use_case | party | device | variant |
      | 2.2 | CS01a | network operator | ESME | CS01a_2.2_SUCCESS |
      | 2.2 | CS01a | access control broker | ESME | CS01a_2.2_SUCCESS |

    @SR2.3 @ECS07 @esme
    Examples: SR2.3 Update Debt
      | sr | use_case | party | device | variant |
      | 2.3 | ECS07 | network operator | ESME | ECS07_2.3_SUCCESS |
      | 2.3 | ECS07 | access control broker | ESME | ECS07_2.3_SUCCESS |

    @SR2.5 @ECS09 @esme
    Examples: SR2.5 Activate Emergency Credit
      | sr | use_case | party | device | variant |
      | 2.5 | ECS09 | network operator | ESME | ECS09_2.5_SUCCESS |
      | 2.5 | ECS09 | access control broker | ESME | ECS09_2.5_SUCCESS |

    @SR3.2 @ECS12 @esme
    Examples: SR3.2 Restrict Access - CoT
      | sr | use_case | party | device | variant |
      | 3.2 | ECS12 | network operator | ESME | ECS12_3.2_SUCCESS |
      | 3.2 | ECS12 | access control broker | ESME | ECS12_3.2_SUCCESS |

    @SR3.3 @CS11 @gsme
    Examples: SR3.3 Clear Event Log
      | sr | use_case | party | device | variant |
      | 3.3 | CS11 | network operator | GSME | CS11_3.3_SUCCESS |
      | 3.3 | CS11 | access control broker | GSME | CS11_3.3_SUCCESS |

    @SR4.2 @ECS17a @esme
    Examples: SR4.2 Read Instantaneous Export Register Values
      | sr | use_case | party | device | variant |
      | 4.2 | ECS17a | import supplier | ESME | ECS17a_4.2_SUCCESS |

    @SR4.3 @ECS19 @esme
    Examples: SR4.3 Read Instantaneous Prepayment Register Values
      | sr | use_case | party | device | variant |
      | 4.3 | ECS19 | network operator | ESME | ECS19_4.3_SUCCESS |
      | 4.3 | ECS19 | access control broker | ESME | ECS19_4.3_SUCCESS |

    @SR4.10 @ECS23 @esme
    Examples: SR4.10 Read Network Data
      | sr | use_case | party | device | variant |
      | 4.10 | ECS23 | access control broker | ESME | ECS23_4.10_SUCCESS |

    @SR4.16 @ECS17c @esme
    Examples: SR4.16 Read Active Power Import
      | sr | use_case | party | device | variant |
      | 4.16 | ECS17c | access control broker | ESME | ECS17c_4.16_SUCCESS |

    @SR6.5 @ECS29b @esme
    Examples: SR6.5 Update Device Configuration (Voltage)
      | sr | use_case | party | device | variant |
      | 6.5 | ECS29b | import supplier | ESME | ECS29b_6.5_SUCCESS |
      | 6.5 | ECS29b | access control broker | ESME | ECS29b_6.5_SUCCESS |

    @SR6.7 @GCS24 @gsme
    Examples: SR6.7 Update Device Configuration (Gas Flow)
      | sr | use_case | party | device | variant |
      | 6.7 | GCS24 | network operator | GSME | GCS24_6.7_SUCCESS |
      | 6.7 | GCS24 | access control broker | GSME | GCS24_6.7_SUCCESS |

    @SR6.8 @ECS30a @esme
    Examples: SR6.8 Update Device Configuration (Billing Calendar)
      | sr | use_case | party | device | variant |
      | 6.8 | ECS30a | network operator | ESME | ECS30a_6.8_SUCCESS |
      | 6.8 | ECS30a | access control broker | ESME | ECS30a_6.8_SUCCESS |

    @SR6.11 @ECS70 @esme
    Examples: SR6.11 Synchronise Clock
      | sr | use_case | party | device | variant |
      | 6.11 | ECS70 | network operator | ESME | ECS70_6.11_SUCCESS |
      | 6.11 | ECS70 | access control broker | ESME | ECS70_6.11_SUCCESS |

    @SR6.12 @ECS34 @esme
    Examples: SR6.12 Update Device Configuration (Instantaneous Power Threshold)
      | sr | use_case | party | device | variant |
      | 6.12 | ECS34 | network operator | ESME | ECS34_6.12_SUCCESS |
      | 6.12 | ECS34 | access control broker | ESME | ECS34_6.12_SUCCESS |

    @SR7.1 @ECS42 @esme
    Examples: SR7.1 Enable Supply
      | sr | use_case | party | device | variant |
      | 7.1 | ECS42 | network operator | ESME | ECS42_7.1_SUCCESS |
      | 7.1 | ECS42 | access control broker | ESME | ECS42_7.1_SUCCESS |

    @SR7.3 @ECS44 @esme
    Examples: SR7.3 Arm Supply
      | sr | use_case | party | device | variant |
      | 7.3 | ECS44 | network operator | ESME | ECS44_7.3_SUCCESS |
      | 7.3 | ECS44 | access control broker | ESME | ECS44_7.3_SUCCESS |
