@security @access-control
Feature: Access control: each SMETS1 minimum service refused to the roles not entitled to it
  A device sees the role of the remote party that originates or signs a command. For every
  SMETS1 minimum service, the roles none of its eligible users act in must be refused.

  Scenario Outline: SR<sr> <use_case> sent by the <party> is refused
    When the <party> sends <use_case> to the <device> using vector "<variant>"
    Then the device rejects the command

    Examples:
      | sr | service | use_case | party | device | variant |
      | 1.5 | Update Balance | ECS04b | network operator | ESME | ECS04b_1.5_SUCCESS |
      | 1.5 | Update Balance | ECS04b | access control broker | ESME | ECS04b_1.5_SUCCESS |
      | 1.6 | Update Payment Mode | ECS02 | network operator | ESME | ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS |
      | 1.6 | Update Payment Mode | ECS02 | access control broker | ESME | ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS |
      | 2.1 | Update Prepay Configuration | ECS08 | network operator | ESME | ECS08_2.1_IMMEDIATE_SUCCESS |
      | 2.1 | Update Prepay Configuration | ECS08 | access control broker | ESME | ECS08_2.1_IMMEDIATE_SUCCESS |
      | 2.2 | Top Up Device | CS01a | network operator | ESME | CS01a_2.2_SUCCESS |
      | 2.2 | Top Up Device | CS01a | access control broker | ESME | CS01a_2.2_SUCCESS |
      | 2.3 | Update Debt | ECS07 | network operator | ESME | ECS07_2.3_SUCCESS |
      | 2.3 | Update Debt | ECS07 | access control broker | ESME | ECS07_2.3_SUCCESS |
      | 2.5 | Activate Emergency Credit | ECS09 | network operator | ESME | ECS09_2.5_SUCCESS |
      | 2.5 | Activate Emergency Credit | ECS09 | access control broker | ESME | ECS09_2.5_SUCCESS |
      | 3.2 | Restrict Access - CoT | ECS12 | network operator | ESME | ECS12_3.2_SUCCESS |
      | 3.2 | Restrict Access - CoT | ECS12 | access control broker | ESME | ECS12_3.2_SUCCESS |
      | 3.3 | Clear Event Log | CS11 | network operator | GSME | CS11_3.3_SUCCESS |
      | 3.3 | Clear Event Log | CS11 | access control broker | GSME | CS11_3.3_SUCCESS |
      | 4.2 | Read Instantaneous Export Register Values | ECS17a | import supplier | ESME | ECS17a_4.2_SUCCESS |
      | 4.3 | Read Instantaneous Prepayment Register Values | ECS19 | network operator | ESME | ECS19_4.3_SUCCESS |
      | 4.3 | Read Instantaneous Prepayment Register Values | ECS19 | access control broker | ESME | ECS19_4.3_SUCCESS |
      | 4.10 | Read Network Data | ECS23 | access control broker | ESME | ECS23_4.10_SUCCESS |
      | 4.16 | Read Active Power Import | ECS17c | access control broker | ESME | ECS17c_4.16_SUCCESS |
      | 6.5 | Update Device Configuration (Voltage) | ECS29b | import supplier | ESME | ECS29b_6.5_SUCCESS |
      | 6.5 | Update Device Configuration (Voltage) | ECS29b | access control broker | ESME | ECS29b_6.5_SUCCESS |
      | 6.7 | Update Device Configuration (Gas Flow) | GCS24 | network operator | GSME | GCS24_6.7_SUCCESS |
      | 6.7 | Update Device Configuration (Gas Flow) | GCS24 | access control broker | GSME | GCS24_6.7_SUCCESS |
      | 6.8 | Update Device Configuration (Billing Calendar) | ECS30a | network operator | ESME | ECS30a_6.8_SUCCESS |
      | 6.8 | Update Device Configuration (Billing Calendar) | ECS30a | access control broker | ESME | ECS30a_6.8_SUCCESS |
      | 6.11 | Synchronise Clock | ECS70 | network operator | ESME | ECS70_6.11_SUCCESS |
      | 6.11 | Synchronise Clock | ECS70 | access control broker | ESME | ECS70_6.11_SUCCESS |
      | 6.12 | Update Device Configuration (Instantaneous Power Threshold) | ECS34 | network operator | ESME | ECS34_6.12_SUCCESS |
      | 6.12 | Update Device Configuration (Instantaneous Power Threshold) | ECS34 | access control broker | ESME | ECS34_6.12_SUCCESS |
      | 7.1 | Enable Supply | ECS42 | network operator | ESME | ECS42_7.1_SUCCESS |
      | 7.1 | Enable Supply | ECS42 | access control broker | ESME | ECS42_7.1_SUCCESS |
      | 7.3 | Arm Supply | ECS44 | network operator | ESME | ECS44_7.3_SUCCESS |
      | 7.3 | Arm Supply | ECS44 | access control broker | ESME | ECS44_7.3_SUCCESS |
