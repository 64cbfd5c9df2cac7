@replay @needs-recordings
Feature: Recorded exchanges judged offline
  Every COMMAND/RESPONSE pair of the RTDS corpus (except PCS01, whose HAN-only MAC no
  key store can check): the recorded command is sent as it is to a replay: target, and
  the recorded response must be a valid response to it. Run with the RTDS profile:
    gbcs-harness run features/replay --profile profiles/rtds.toml

  Scenario Outline: <name> (<folder>)
    When the recorded command "<name>" is sent
    Then the response is a valid response to that command

    @ECS01a @SR1.1.1
    Examples: 1.1.1_ECS01a
      | folder | name |
      | 1.1.1_ECS01a | ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS |
      | 1.1.1_ECS01a | ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS |
      | 1.1.1_ECS01a | ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS |
      | 1.1.1_ECS01a | ECS01a_1.1.1_IMMEDIATE_ERROR |
      | 1.1.1_ECS01a | ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS |

    @GCS01a @SR1.1.1
    Examples: 1.1.1_GCS01a
      | folder | name |
      | 1.1.1_GCS01a | GCS01a_1.1.1_CANCELLATION_BLOCK_SUCCESS |
      | 1.1.1_GCS01a | GCS01a_1.1.1_FUTURE_DATED_BLOCK_ERROR |
      | 1.1.1_GCS01a | GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS |
      | 1.1.1_GCS01a | GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS |

    @ECS01c @SR1.1.2
    Examples: 1.1.2_ECS01c
      | folder | name |
      | 1.1.2_ECS01c | ECS01c_1.1.2_CANCELLATION_SUCCESS |
      | 1.1.2_ECS01c | ECS01c_1.1.2_FUTURE_DATED_SUCCESS |
      | 1.1.2_ECS01c | ECS01c_1.1.2_IMMEDIATE_ERROR |
      | 1.1.2_ECS01c | ECS01c_1.1.2_IMMEDIATE_SUCCESS |

    @ECS01b @SR1.2.1
    Examples: 1.2.1_ECS01b
      | folder | name |
      | 1.2.1_ECS01b | ECS01b_1.2.1_CANCELLATION_TOU_BLOCK_SUCCESS |
      | 1.2.1_ECS01b | ECS01b_1.2.1_FUTURE_DATED_TOU_BLOCK_SUCCESS |
      | 1.2.1_ECS01b | ECS01b_1.2.1_IMMEDIATE_BLOCK_SUCCESS |
      | 1.2.1_ECS01b | ECS01b_1.2.1_IMMEDIATE_ERROR |
      | 1.2.1_ECS01b | ECS01b_1.2.1_IMMEDIATE_TOU_SUCCESS |

    @GCS01b @SR1.2.1
    Examples: 1.2.1_GCS01b
      | folder | name |
      | 1.2.1_GCS01b | GCS01b_1.2.1_CANCELLATION_BLOCK_SUCCESS |
      | 1.2.1_GCS01b | GCS01b_1.2.1_FUTURE_DATED_BLOCK_ERROR |
      | 1.2.1_GCS01b | GCS01b_1.2.1_FUTURE_DATED_BLOCK_SUCCESS |
      | 1.2.1_GCS01b | GCS01b_1.2.1_IMMEDIATE_TOU_SUCCESS |

    @ECS01d @SR1.2.2
    Examples: 1.2.2_ECS01d
      | folder | name |
      | 1.2.2_ECS01d | ECS01d_1.2.2_CANCELLATION_SUCCESS |
      | 1.2.2_ECS01d | ECS01d_1.2.2_FUTURE_DATED_SUCCESS |
      | 1.2.2_ECS01d | ECS01d_1.2.2_IMMEDIATE_ERROR |
      | 1.2.2_ECS01d | ECS01d_1.2.2_IMMEDIATE_SUCCESS |

    @ECS04b @SR1.5
    Examples: 1.5_ECS04b
      | folder | name |
      | 1.5_ECS04b | ECS04b_1.5_ERROR |
      | 1.5_ECS04b | ECS04b_1.5_SUCCESS |

    @GCS40a @SR1.5
    Examples: 1.5_GCS40a
      | folder | name |
      | 1.5_GCS40a | GCS40a_1.5_ERROR |
      | 1.5_GCS40a | GCS40a_1.5_SUCCESS |

    @GCS40b @SR1.5
    Examples: 1.5_GCS40b
      | folder | name |
      | 1.5_GCS40b | GCS40b_1.5_ERROR |
      | 1.5_GCS40b | GCS40b_1.5_SUCCESS |

    @GCS40c @SR1.5
    Examples: 1.5_GCS40c
      | folder | name |
      | 1.5_GCS40c | GCS40c_1.5_ERROR |
      | 1.5_GCS40c | GCS40c_1.5_SUCCESS |

    @GCS40d @SR1.5
    Examples: 1.5_GCS40d
      | folder | name |
      | 1.5_GCS40d | GCS40d_1.5_ERROR |
      | 1.5_GCS40d | GCS40d_1.5_SUCCESS |

    @ECS02 @SR1.6
    Examples: 1.6_ECS02
      | folder | name |
      | 1.6_ECS02 | ECS02_1.6_CANCELLATION_TWIN_SUCCESS |
      | 1.6_ECS02 | ECS02_1.6_FUTURE_DATED_TWIN_SUCCESS |
      | 1.6_ECS02 | ECS02_1.6_IMMEDIATE_SINGLE_ERROR |
      | 1.6_ECS02 | ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS |

    @ECS03 @SR1.6
    Examples: 1.6_ECS03
      | folder | name |
      | 1.6_ECS03 | ECS03_1.6_CANCELLATION_TWIN_SUCCESS |
      | 1.6_ECS03 | ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS |
      | 1.6_ECS03 | ECS03_1.6_IMMEDIATE_SINGLE_ERROR |
      | 1.6_ECS03 | ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS |

    @GCS02 @SR1.6
    Examples: 1.6_GCS02
      | folder | name |
      | 1.6_GCS02 | GCS02_1.6_CANCELLATION_SUCCESS |
      | 1.6_GCS02 | GCS02_1.6_FUTURE_DATED_SUCCESS |
      | 1.6_GCS02 | GCS02_1.6_IMMEDIATE_ERROR |
      | 1.6_GCS02 | GCS02_1.6_IMMEDIATE_SUCCESS |

    @GCS03 @SR1.6
    Examples: 1.6_GCS03
      | folder | name |
      | 1.6_GCS03 | GCS03_1.6_CANCELLATION_SUCCESS |
      | 1.6_GCS03 | GCS03_1.6_FUTURE_DATED_SUCCESS |
      | 1.6_GCS03 | GCS03_1.6_IMMEDIATE_ERROR |
      | 1.6_GCS03 | GCS03_1.6_IMMEDIATE_SUCCESS |

    @ECS05 @SR1.7
    Examples: 1.7_ECS05
      | folder | name |
      | 1.7_ECS05 | ECS05_1.7_ERROR |
      | 1.7_ECS05 | ECS05_1.7_SUCCESS |

    @CS08 @SR11.2
    Examples: 11.2_CS08
      | folder | name |
      | 11.2_CS08 | CS08_11.2_ERROR |
      | 11.2_CS08 | CS08_11.2_SUCCESS |

    @ECS52 @SR11.2
    Examples: 11.2_ECS52
      | folder | name |
      | 11.2_ECS52 | ECS52_11.2_ERROR |
      | 11.2_ECS52 | ECS52_11.2_SUCCESS |

    @GCS38 @SR11.2
    Examples: 11.2_GCS38
      | folder | name |
      | 11.2_GCS38 | GCS38_11.2_ERROR |
      | 11.2_GCS38 | GCS38_11.2_SUCCESS |

    @CS06 @SR11.3
    Examples: 11.3_CS06
      | folder | name |
      | 11.3_CS06 | CS06_11.3_CANCELLATION_SUCCESS |
      | 11.3_CS06 | CS06_11.3_FUTURE_DATED_ERROR |
      | 11.3_CS06 | CS06_11.3_FUTURE_DATED_SUCCESS |
      | 11.3_CS06 | CS06_11.3_IMMEDIATE_ERROR |
      | 11.3_CS06 | CS06_11.3_IMMEDIATE_SUCCESS |

    @GCS31 @SR14.1
    Examples: 14.1_GCS31
      | folder | name |
      | 14.1_GCS31 | GCS31_14.1_ERROR |
      | 14.1_GCS31 | GCS31_14.1_SUCCESS |

    @ECS08 @SR2.1
    Examples: 2.1_ECS08
      | folder | name |
      | 2.1_ECS08 | ECS08_2.1_CANCELLATION_SUCCESS |
      | 2.1_ECS08 | ECS08_2.1_FUTURE_DATED_SUCCESS |
      | 2.1_ECS08 | ECS08_2.1_IMMEDIATE_ERROR |
      | 2.1_ECS08 | ECS08_2.1_IMMEDIATE_SUCCESS |

    @ECS08a @SR2.1
    Examples: 2.1_ECS08a
      | folder | name |
      | 2.1_ECS08a | ECS08a_2.1_CANCELLATION_SUCCESS |
      | 2.1_ECS08a | ECS08a_2.1_FUTURE_DATED_SUCCESS |
      | 2.1_ECS08a | ECS08a_2.1_IMMEDIATE_ERROR |
      | 2.1_ECS08a | ECS08a_2.1_IMMEDIATE_SUCCESS |

    @GCS05 @SR2.1
    Examples: 2.1_GCS05
      | folder | name |
      | 2.1_GCS05 | GCS05_2.1_CANCELLATION_SUCCESS |
      | 2.1_GCS05 | GCS05_2.1_FUTURE_DATED_ERROR |
      | 2.1_GCS05 | GCS05_2.1_FUTURE_DATED_SUCCESS |
      | 2.1_GCS05 | GCS05_2.1_IMMEDIATE_SUCCESS |

    @CS01a @SR2.2
    Examples: 2.2_CS01a
      | folder | name |
      | 2.2_CS01a | CS01a_2.2_ERROR |
      | 2.2_CS01a | CS01a_2.2_SUCCESS |

    @ECS07 @SR2.3
    Examples: 2.3_ECS07
      | folder | name |
      | 2.3_ECS07 | ECS07_2.3_ERROR |
      | 2.3_ECS07 | ECS07_2.3_SUCCESS |

    @GCS04 @SR2.3
    Examples: 2.3_GCS04
      | folder | name |
      | 2.3_GCS04 | GCS04_2.3_ERROR |
      | 2.3_GCS04 | GCS04_2.3_SUCCESS |

    @ECS09 @SR2.5
    Examples: 2.5_ECS09
      | folder | name |
      | 2.5_ECS09 | ECS09_2.5_ERROR |
      | 2.5_ECS09 | ECS09_2.5_SUCCESS |

    @GCS06 @SR2.5
    Examples: 2.5_GCS06
      | folder | name |
      | 2.5_GCS06 | GCS06_2.5_ERROR |
      | 2.5_GCS06 | GCS06_2.5_SUCCESS |

    @GCS07 @SR3.1
    Examples: 3.1_GCS07
      | folder | name |
      | 3.1_GCS07 | GCS07_3.1_ERROR |
      | 3.1_GCS07 | GCS07_3.1_SUCCESS |

    @ECS12 @SR3.2
    Examples: 3.2_ECS12
      | folder | name |
      | 3.2_ECS12 | ECS12_3.2_ERROR |
      | 3.2_ECS12 | ECS12_3.2_SUCCESS |

    @GCS09 @SR3.2
    Examples: 3.2_GCS09
      | folder | name |
      | 3.2_GCS09 | GCS09_3.2_SUCCESS |

    @CS11 @SR3.3
    Examples: 3.3_CS11
      | folder | name |
      | 3.3_CS11 | CS11_3.3_ERROR |
      | 3.3_CS11 | CS11_3.3_SUCCESS |

    @ECS15a @SR3.3
    Examples: 3.3_ECS15a
      | folder | name |
      | 3.3_ECS15a | ECS15a_3.3_ERROR |
      | 3.3_ECS15a | ECS15a_3.3_SUCCESS |

    @ECS16 @SR3.4
    Examples: 3.4_ECS16
      | folder | name |
      | 3.4_ECS16 | ECS16_3.4_ERROR |
      | 3.4_ECS16 | ECS16_3.4_SUCCESS |

    @GCS44 @SR3.4
    Examples: 3.4_GCS44
      | folder | name |
      | 3.4_GCS44 | GCS44_3.4_ERROR |
      | 3.4_GCS44 | GCS44_3.4_SUCCESS |

    @ECS14 @SR3.5
    Examples: 3.5_ECS14
      | folder | name |
      | 3.5_ECS14 | ECS14_3.5_ERROR |
      | 3.5_ECS14 | ECS14_3.5_SUCCESS |

    @GCS11 @SR3.5
    Examples: 3.5_GCS11
      | folder | name |
      | 3.5_GCS11 | GCS11_3.5_ERROR |
      | 3.5_GCS11 | GCS11_3.5_SUCCESS |

    @ECS17b @SR4.1.1
    Examples: 4.1.1_ECS17b
      | folder | name |
      | 4.1.1_ECS17b | ECS17b_4.1.1_ERROR |
      | 4.1.1_ECS17b | ECS17b_4.1.1_SINGLE_SUCCESS |
      | 4.1.1_ECS17b | ECS17b_4.1.1_TWIN_SUCCESS |

    @GCS13a @SR4.1.1
    Examples: 4.1.1_GCS13a
      | folder | name |
      | 4.1.1_GCS13a | GCS13a_4.1.1_ERROR |
      | 4.1.1_GCS13a | GCS13a_4.1.1_SUCCESS_RELIABLE_GPF |
      | 4.1.1_GCS13a | GCS13a_4.1.1_SUCCESS_RELIABLE_GSME |
      | 4.1.1_GCS13a | GCS13a_4.1.1_SUCCESS_UNRELIABLE |

    @ECS17d @SR4.1.2
    Examples: 4.1.2_ECS17d
      | folder | name |
      | 4.1.2_ECS17d | ECS17d_4.1.2_ERROR |
      | 4.1.2_ECS17d | ECS17d_4.1.2_SINGLE_SUCCESS |
      | 4.1.2_ECS17d | ECS17d_4.1.2_TWIN_SUCCESS |

    @GCS13c @SR4.1.2
    Examples: 4.1.2_GCS13c
      | folder | name |
      | 4.1.2_GCS13c | GCS13c_4.1.2_ERROR |
      | 4.1.2_GCS13c | GCS13c_4.1.2_SUCCESS_RELIABLE_GPF |
      | 4.1.2_GCS13c | GCS13c_4.1.2_SUCCESS_RELIABLE_GSME |
      | 4.1.2_GCS13c | GCS13c_4.1.2_SUCCESS_UNRELIABLE |

    @ECS17e @SR4.1.3
    Examples: 4.1.3_ECS17e
      | folder | name |
      | 4.1.3_ECS17e | ECS17e_4.1.3_ERROR |
      | 4.1.3_ECS17e | ECS17e_4.1.3_SUCCESS |

    @GCS13b @SR4.1.4
    Examples: 4.1.4_GCS13b
      | folder | name |
      | 4.1.4_GCS13b | GCS13b_4.1.4_ERROR |
      | 4.1.4_GCS13b | GCS13b_4.1.4_SUCCESS_RELIABLE_GPF |
      | 4.1.4_GCS13b | GCS13b_4.1.4_SUCCESS_RELIABLE_GSME |
      | 4.1.4_GCS13b | GCS13b_4.1.4_SUCCESS_UNRELIABLE |

    @ECS23 @SR4.10
    Examples: 4.10_ECS23
      | folder | name |
      | 4.10_ECS23 | ECS23_4.10_ERROR |
      | 4.10_ECS23 | ECS23_4.10_SUCCESS |

    @ECS23b @SR4.10
    Examples: 4.10_ECS23b
      | folder | name |
      | 4.10_ECS23b | ECS23b_4.10_ERROR |
      | 4.10_ECS23b | ECS23b_4.10_SUCCESS |

    @GCS18 @SR4.10
    Examples: 4.10_GCS18
      | folder | name |
      | 4.10_GCS18 | GCS18_4.10_ERROR |
      | 4.10_GCS18 | GCS18_4.10_NOT_FOUND |
      | 4.10_GCS18 | GCS18_4.10_SUCCESS |

    @GCS21f @SR4.11.1
    Examples: 4.11.1_GCS21f
      | folder | name |
      | 4.11.1_GCS21f | GCS21f_4.11.1_ERROR |
      | 4.11.1_GCS21f | GCS21f_4.11.1_NOT_FOUND |
      | 4.11.1_GCS21f | GCS21f_4.11.1_SUCCESS |

    @ECS24b @SR4.11.2
    Examples: 4.11.2_ECS24b
      | folder | name |
      | 4.11.2_ECS24b | ECS24b_4.11.2_ERROR |
      | 4.11.2_ECS24b | ECS24b_4.11.2_SUCCESS |

    @ECS18b @SR4.12.1
    Examples: 4.12.1_ECS18b
      | folder | name |
      | 4.12.1_ECS18b | ECS18b_4.12.1_ERROR |
      | 4.12.1_ECS18b | ECS18b_4.12.1_SUCCESS |

    @ECS18a @SR4.12.2
    Examples: 4.12.2_ECS18a
      | folder | name |
      | 4.12.2_ECS18a | ECS18a_4.12.2_ERROR |
      | 4.12.2_ECS18a | ECS18a_4.12.2_SUCCESS |

    @GCS21b @SR4.13
    Examples: 4.13_GCS21b
      | folder | name |
      | 4.13_GCS21b | GCS21b_4.13_ERROR |
      | 4.13_GCS21b | GCS21b_4.13_NOT_FOUND |
      | 4.13_GCS21b | GCS21b_4.13_SUCCESS |

    @GCS16b @SR4.14
    Examples: 4.14_GCS16b
      | folder | name |
      | 4.14_GCS16b | GCS16b_4.14_KRP_ERROR |
      | 4.14_GCS16b | GCS16b_4.14_KRP_SUCCESS |
      | 4.14_GCS16b | GCS16b_4.14_URP_SUCCESS |

    @ECS17c @SR4.16
    Examples: 4.16_ECS17c
      | folder | name |
      | 4.16_ECS17c | ECS17c_4.16_ERROR |
      | 4.16_ECS17c | ECS17c_4.16_SUCCESS |

    @ECS66 @SR4.17
    Examples: 4.17_ECS66
      | folder | name |
      | 4.17_ECS66 | ECS66_4.17_ERROR |
      | 4.17_ECS66 | ECS66_4.17_SUCCESS |

    @GCS61 @SR4.17
    Examples: 4.17_GCS61
      | folder | name |
      | 4.17_GCS61 | GCS61_4.17_NOT_FOUND |
      | 4.17_GCS61 | GCS61_4.17_SUCCESS |

    @ECS82 @SR4.18
    Examples: 4.18_ECS82
      | folder | name |
      | 4.18_ECS82 | ECS82_4.18_ERROR |
      | 4.18_ECS82 | ECS82_4.18_SUCCESS |

    @GCS60 @SR4.18
    Examples: 4.18_GCS60
      | folder | name |
      | 4.18_GCS60 | GCS60_4.18_ERROR |
      | 4.18_GCS60 | GCS60_4.18_SUCCESS |

    @GCS60a @SR4.18
    Examples: 4.18_GCS60a
      | folder | name |
      | 4.18_GCS60a | GCS60a_4.18_ERROR |
      | 4.18_GCS60a | GCS60a_4.18_SUCCESS_RELIABLE_GPF |
      | 4.18_GCS60a | GCS60a_4.18_SUCCESS_RELIABLE_GSME |
      | 4.18_GCS60a | GCS60a_4.18_SUCCESS_UNRELIABLE_GSME |

    @ECS17a @SR4.2
    Examples: 4.2_ECS17a
      | folder | name |
      | 4.2_ECS17a | ECS17a_4.2_ERROR |
      | 4.2_ECS17a | ECS17a_4.2_SUCCESS |

    @ECS19 @SR4.3
    Examples: 4.3_ECS19
      | folder | name |
      | 4.3_ECS19 | ECS19_4.3_ERROR |
      | 4.3_ECS19 | ECS19_4.3_SUCCESS |

    @ECS20b @SR4.4.2
    Examples: 4.4.2_ECS20b
      | folder | name |
      | 4.4.2_ECS20b | ECS20b_4.4.2_ERROR |
      | 4.4.2_ECS20b | ECS20b_4.4.2_SINGLE_SUCCESS |
      | 4.4.2_ECS20b | ECS20b_4.4.2_TWIN_SUCCESS |

    @GCS15b @SR4.4.2
    Examples: 4.4.2_GCS15b
      | folder | name |
      | 4.4.2_GCS15b | GCS15b_4.4.2_ERROR |
      | 4.4.2_GCS15b | GCS15b_4.4.2_SUCCESS |

    @ECS20c @SR4.4.3
    Examples: 4.4.3_ECS20c
      | folder | name |
      | 4.4.3_ECS20c | ECS20c_4.4.3_ERROR |
      | 4.4.3_ECS20c | ECS20c_4.4.3_SINGLE_SUCCESS |
      | 4.4.3_ECS20c | ECS20c_4.4.3_TWIN_SUCCESS |

    @GCS15c @SR4.4.3
    Examples: 4.4.3_GCS15c
      | folder | name |
      | 4.4.3_GCS15c | GCS15c_4.4.3_ERROR |
      | 4.4.3_GCS15c | GCS15c_4.4.3_SUCCESS |

    @ECS20a @SR4.4.4
    Examples: 4.4.4_ECS20a
      | folder | name |
      | 4.4.4_ECS20a | ECS20a_4.4.4_ERROR |
      | 4.4.4_ECS20a | ECS20a_4.4.4_SUCCESS |

    @GCS15d @SR4.4.4
    Examples: 4.4.4_GCS15d
      | folder | name |
      | 4.4.4_GCS15d | GCS15d_4.4.4_ERROR |
      | 4.4.4_GCS15d | GCS15d_4.4.4_NOT_FOUND |
      | 4.4.4_GCS15d | GCS15d_4.4.4_SUCCESS |

    @ECS20d @SR4.4.5
    Examples: 4.4.5_ECS20d
      | folder | name |
      | 4.4.5_ECS20d | ECS20d_4.4.5_ERROR |
      | 4.4.5_ECS20d | ECS20d_4.4.5_SUCCESS |

    @GCS15e @SR4.4.5
    Examples: 4.4.5_GCS15e
      | folder | name |
      | 4.4.5_GCS15e | GCS15e_4.4.5_ERROR |
      | 4.4.5_GCS15e | GCS15e_4.4.5_NOT_FOUND |
      | 4.4.5_GCS15e | GCS15e_4.4.5_SUCCESS |

    @ECS21a @SR4.6.1
    Examples: 4.6.1_ECS21a
      | folder | name |
      | 4.6.1_ECS21a | ECS21a_4.6.1_ERROR |
      | 4.6.1_ECS21a | ECS21a_4.6.1_SINGLE_SUCCESS |
      | 4.6.1_ECS21a | ECS21a_4.6.1_TWIN_SUCCESS |

    @GCS16a @SR4.6.1
    Examples: 4.6.1_GCS16a
      | folder | name |
      | 4.6.1_GCS16a | GCS16a_4.6.1_ERROR |
      | 4.6.1_GCS16a | GCS16a_4.6.1_SUCCESS |

    @ECS21c @SR4.6.2
    Examples: 4.6.2_ECS21c
      | folder | name |
      | 4.6.2_ECS21c | ECS21c_4.6.2_ERROR |
      | 4.6.2_ECS21c | ECS21c_4.6.2_SUCCESS |

    @ECS22b @SR4.8.1
    Examples: 4.8.1_ECS22b
      | folder | name |
      | 4.8.1_ECS22b | ECS22b_4.8.1_ERROR |
      | 4.8.1_ECS22b | ECS22b_4.8.1_SINGLE_SUCCESS |
      | 4.8.1_ECS22b | ECS22b_4.8.1_TWIN_SUCCESS |

    @GCS17 @SR4.8.1
    Examples: 4.8.1_GCS17
      | folder | name |
      | 4.8.1_GCS17 | GCS17_4.8.1_ERROR |
      | 4.8.1_GCS17 | GCS17_4.8.1_NOT_FOUND |
      | 4.8.1_GCS17 | GCS17_4.8.1_SUCCESS |

    @ECS22c @SR4.8.2
    Examples: 4.8.2_ECS22c
      | folder | name |
      | 4.8.2_ECS22c | ECS22c_4.8.2_ERROR |
      | 4.8.2_ECS22c | ECS22c_4.8.2_SUCCESS |

    @ECS22a @SR4.8.3
    Examples: 4.8.3_ECS22a
      | folder | name |
      | 4.8.3_ECS22a | ECS22a_4.8.3_ERROR |
      | 4.8.3_ECS22a | ECS22a_4.8.3_SUCCESS |

    @ECS70 @SR6.11
    Examples: 6.11_ECS70
      | folder | name |
      | 6.11_ECS70 | ECS70_6.11_ERROR |
      | 6.11_ECS70 | ECS70_6.11_SUCCESS |

    @ECS34 @SR6.12
    Examples: 6.12_ECS34
      | folder | name |
      | 6.12_ECS34 | ECS34_6.12_ERROR |
      | 6.12_ECS34 | ECS34_6.12_SUCCESS |

    @CS10b @SR6.13
    Examples: 6.13_CS10b
      | folder | name |
      | 6.13_CS10b | CS10b_6.13_ERROR |
      | 6.13_CS10b | CS10b_6.13_NOT_FOUND |
      | 6.13_CS10b | CS10b_6.13_SUCCESS |

    @ECS35a @SR6.13
    Examples: 6.13_ECS35a
      | folder | name |
      | 6.13_ECS35a | ECS35a_6.13_ERROR |
      | 6.13_ECS35a | ECS35a_6.13_SUCCESS |

    @ECS35d @SR6.13
    Examples: 6.13_ECS35d
      | folder | name |
      | 6.13_ECS35d | ECS35d_6.13_ERROR |
      | 6.13_ECS35d | ECS35d_6.13_SUCCESS |

    @ECS35f @SR6.13
    Examples: 6.13_ECS35f
      | folder | name |
      | 6.13_ECS35f | ECS35f_6.13_ERROR |
      | 6.13_ECS35f | ECS35f_6.13_SUCCESS |

    @ECS35g @SR6.13
    Examples: 6.13_ECS35g
      | folder | name |
      | 6.13_ECS35g | ECS35g_6.13_ERROR |
      | 6.13_ECS35g | ECS35g_6.13_SUCCESS |

    @ECS46a @SR6.14.1
    Examples: 6.14.1_ECS46a
      | folder | name |
      | 6.14.1_ECS46a | ECS46a_6.14.1_ALL_OPTIONALS_ERROR |
      | 6.14.1_ECS46a | ECS46a_6.14.1_ALL_OPTIONALS_SUCCESS |
      | 6.14.1_ECS46a | ECS46a_6.14.1_SOME_OPTIONALS_SUCCESS |

    @ECS46c @SR6.14.2
    Examples: 6.14.2_ECS46c
      | folder | name |
      | 6.14.2_ECS46c | ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS |
      | 6.14.2_ECS46c | ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_ERROR |
      | 6.14.2_ECS46c | ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS |
      | 6.14.2_ECS46c | ECS46c_6.14.2_IMMEDIATE_SOME_OPTIONALS_SUCCESS |

    @ECS46d @SR6.14.3
    Examples: 6.14.3_ECS46d
      | folder | name |
      | 6.14.3_ECS46d | ECS46d_6.14.3_CANCELLATION_APC_OUTPUT_SUCCESS |
      | 6.14.3_ECS46d | ECS46d_6.14.3_FUTURE_DATED_APC_OUTPUT_SUCCESS |
      | 6.14.3_ECS46d | ECS46d_6.14.3_IMMEDIATE_ALCS_ERROR |
      | 6.14.3_ECS46d | ECS46d_6.14.3_IMMEDIATE_ALCS_SUCCESS |
      | 6.14.3_ECS46d | ECS46d_6.14.3_IMMEDIATE_APC_INPUT_SUCCESS |
      | 6.14.3_ECS46d | ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_ERROR |
      | 6.14.3_ECS46d | ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_SUCCESS |

    @CS02bNOByNO @SR6.15.1
    Examples: 6.15.1_CS02bNOByNO
      | folder | name |
      | 6.15.1_CS02bNOByNO | CS02bNOByNO_6.15.1_SUCCESS |

    @CS02bSupplierBySupplier @SR6.15.1
    Examples: 6.15.1_CS02bSupplierBySupplier
      | folder | name |
      | 6.15.1_CS02bSupplierBySupplier | CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS |
      | 6.15.1_CS02bSupplierBySupplier | CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_ERROR |
      | 6.15.1_CS02bSupplierBySupplier | CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS |
      | 6.15.1_CS02bSupplierBySupplier | CS02bSupplierBySupplier_6.15.1_IMMEDIATE_ERROR |
      | 6.15.1_CS02bSupplierBySupplier | CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS |

    @CS02gLoadControllerBySupplier @SR6.15.1
    Examples: 6.15.1_CS02gLoadControllerBySupplier
      | folder | name |
      | 6.15.1_CS02gLoadControllerBySupplier | CS02gLoadControllerBySupplier_6.15.1_CANCELLATION_SUCCESS |
      | 6.15.1_CS02gLoadControllerBySupplier | CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_ERROR |
      | 6.15.1_CS02gLoadControllerBySupplier | CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS |
      | 6.15.1_CS02gLoadControllerBySupplier | CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR |
      | 6.15.1_CS02gLoadControllerBySupplier | CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS |

    @CS02d @SR6.15.2
    Examples: 6.15.2_CS02d
      | folder | name |
      | 6.15.2_CS02d | CS02d_6.15.2_ERROR |
      | 6.15.2_CS02d | CS02d_6.15.2_SUCCESS |

    @CS02c @SR6.17
    Examples: 6.17_CS02c
      | folder | name |
      | 6.17_CS02c | CS02c_6.17_ERROR |
      | 6.17_CS02c | CS02c_6.17_SUCCESS |

    @ECS57 @SR6.18.2
    Examples: 6.18.2_ECS57
      | folder | name |
      | 6.18.2_ECS57 | ECS57_6.18.2_ALL_OPTIONALS_ERROR |
      | 6.18.2_ECS57 | ECS57_6.18.2_ALL_OPTIONALS_SUCCESS |
      | 6.18.2_ECS57 | ECS57_6.18.2_SOME_OPTIONALS_SUCCESS |

    @ECS25r1 @SR6.2.10
    Examples: 6.2.10_ECS25r1
      | folder | name |
      | 6.2.10_ECS25r1 | ECS25r1_6.2.10_ERROR |
      | 6.2.10_ECS25r1 | ECS25r1_6.2.10_SUCCESS |

    @ECS25r2 @SR6.2.10
    Examples: 6.2.10_ECS25r2
      | folder | name |
      | 6.2.10_ECS25r2 | ECS25r2_6.2.10_ERROR |
      | 6.2.10_ECS25r2 | ECS25r2_6.2.10_SUCCESS |

    @GCS20r @SR6.2.10
    Examples: 6.2.10_GCS20r
      | folder | name |
      | 6.2.10_GCS20r | GCS20r_6.2.10_ERROR |
      | 6.2.10_GCS20r | GCS20r_6.2.10_SUCCESS |

    @ECS26b @SR6.2.1
    Examples: 6.2.1_ECS26b
      | folder | name |
      | 6.2.1_ECS26b | ECS26b_6.2.1_ERROR |
      | 6.2.1_ECS26b | ECS26b_6.2.1_SUCCESS |

    @ECS26k @SR6.2.1
    Examples: 6.2.1_ECS26k
      | folder | name |
      | 6.2.1_ECS26k | ECS26k_6.2.1_ERROR |
      | 6.2.1_ECS26k | ECS26k_6.2.1_SUCCESS |

    @ECS26d @SR6.2.3
    Examples: 6.2.3_ECS26d
      | folder | name |
      | 6.2.3_ECS26d | ECS26d_6.2.3_ERROR |
      | 6.2.3_ECS26d | ECS26d_6.2.3_SUCCESS |

    @ECS26l @SR6.2.3
    Examples: 6.2.3_ECS26l
      | folder | name |
      | 6.2.3_ECS26l | ECS26l_6.2.3_ERROR |
      | 6.2.3_ECS26l | ECS26l_6.2.3_SUCCESS |

    @GCS21k @SR6.2.3
    Examples: 6.2.3_GCS21k
      | folder | name |
      | 6.2.3_GCS21k | GCS21k_6.2.3_ERROR |
      | 6.2.3_GCS21k | GCS21k_6.2.3_SUCCESS |

    @ECS26e @SR6.2.4
    Examples: 6.2.4_ECS26e
      | folder | name |
      | 6.2.4_ECS26e | ECS26e_6.2.4_ERROR |
      | 6.2.4_ECS26e | ECS26e_6.2.4_SUCCESS |

    @ECS26i @SR6.2.4
    Examples: 6.2.4_ECS26i
      | folder | name |
      | 6.2.4_ECS26i | ECS26i_6.2.4_ERROR |
      | 6.2.4_ECS26i | ECS26i_6.2.4_SUCCESS |

    @ECS26n @SR6.2.4
    Examples: 6.2.4_ECS26n
      | folder | name |
      | 6.2.4_ECS26n | ECS26n_6.2.4_ERROR |
      | 6.2.4_ECS26n | ECS26n_6.2.4_SUCCESS |

    @GCS21e @SR6.2.4
    Examples: 6.2.4_GCS21e
      | folder | name |
      | 6.2.4_GCS21e | GCS21e_6.2.4_ERROR |
      | 6.2.4_GCS21e | GCS21e_6.2.4_SUCCESS |

    @ECS26f @SR6.2.5
    Examples: 6.2.5_ECS26f
      | folder | name |
      | 6.2.5_ECS26f | ECS26f_6.2.5_ERROR |
      | 6.2.5_ECS26f | ECS26f_6.2.5_SUCCESS |

    @ECS40 @SR6.2.7
    Examples: 6.2.7_ECS40
      | folder | name |
      | 6.2.7_ECS40 | ECS40_6.2.7_SINGLE_ERROR |
      | 6.2.7_ECS40 | ECS40_6.2.7_SINGLE_SUCCESS |
      | 6.2.7_ECS40 | ECS40_6.2.7_TWIN_SUCCESS |

    @GCS21a @SR6.2.8
    Examples: 6.2.8_GCS21a
      | folder | name |
      | 6.2.8_GCS21a | GCS21a_6.2.8_ERROR |
      | 6.2.8_GCS21a | GCS21a_6.2.8_SUCCESS |

    @ECS26j @SR6.2.9
    Examples: 6.2.9_ECS26j
      | folder | name |
      | 6.2.9_ECS26j | ECS26j_6.2.9_ERROR |
      | 6.2.9_ECS26j | ECS26j_6.2.9_SUCCESS |

    @GCS21j @SR6.2.9
    Examples: 6.2.9_GCS21j
      | folder | name |
      | 6.2.9_GCS21j | GCS21j_6.2.9_ERROR |
      | 6.2.9_GCS21j | GCS21j_6.2.9_SUCCESS |

    @ECS39a @SR6.20.1
    Examples: 6.20.1_ECS39a
      | folder | name |
      | 6.20.1_ECS39a | ECS39a_6.20.1_SINGLE_ERROR |
      | 6.20.1_ECS39a | ECS39a_6.20.1_SINGLE_SUCCESS |
      | 6.20.1_ECS39a | ECS39a_6.20.1_TWIN_SUCCESS |

    @GCS41 @SR6.20.1
    Examples: 6.20.1_GCS41
      | folder | name |
      | 6.20.1_GCS41 | GCS41_6.20.1_ERROR |
      | 6.20.1_GCS41 | GCS41_6.20.1_SUCCESS |

    @ECS39b @SR6.20.2
    Examples: 6.20.2_ECS39b
      | folder | name |
      | 6.20.2_ECS39b | ECS39b_6.20.2_ERROR |
      | 6.20.2_ECS39b | ECS39b_6.20.2_SUCCESS |

    @CS02bNOByNOHandover @SR6.21
    Examples: 6.21_CS02bNOByNOHandover
      | folder | name |
      | 6.21_CS02bNOByNOHandover | CS02bNOByNOHandover_6.21_SUCCESS |

    @CS02bSupplierBySupplierHandover @SR6.21
    Examples: 6.21_CS02bSupplierBySupplierHandover
      | folder | name |
      | 6.21_CS02bSupplierBySupplierHandover | CS02bSupplierBySupplierHandover_6.21_SUCCESS |

    @ECS25a1 @SR6.22
    Examples: 6.22_ECS25a1
      | folder | name |
      | 6.22_ECS25a1 | ECS25a1_6.22_ERROR |
      | 6.22_ECS25a1 | ECS25a1_6.22_SUCCESS |

    @ECS25a2 @SR6.22
    Examples: 6.22_ECS25a2
      | folder | name |
      | 6.22_ECS25a2 | ECS25a2_6.22_ERROR |
      | 6.22_ECS25a2 | ECS25a2_6.22_SUCCESS |

    @ECS25a3 @SR6.22
    Examples: 6.22_ECS25a3
      | folder | name |
      | 6.22_ECS25a3 | ECS25a3_6.22_ERROR |
      | 6.22_ECS25a3 | ECS25a3_6.22_SUCCESS |

    @ECS25b @SR6.22
    Examples: 6.22_ECS25b
      | folder | name |
      | 6.22_ECS25b | ECS25b_6.22_ERROR |
      | 6.22_ECS25b | ECS25b_6.22_SUCCESS |

    @ECS25b3 @SR6.22
    Examples: 6.22_ECS25b3
      | folder | name |
      | 6.22_ECS25b3 | ECS25b3_6.22_ERROR |
      | 6.22_ECS25b3 | ECS25b3_6.22_SUCCESS |

    @GCS20 @SR6.22
    Examples: 6.22_GCS20
      | folder | name |
      | 6.22_GCS20 | GCS20_6.22_ERROR |
      | 6.22_GCS20 | GCS20_6.22_SUCCESS |

    @CS02aMAC @SR6.24.1
    Examples: 6.24.1_CS02aMAC
      | folder | name |
      | 6.24.1_CS02aMAC | CS02aMAC_6.24.1_ERROR |
      | 6.24.1_CS02aMAC | CS02aMAC_6.24.1_SUCCESS |

    @CS02fMAC @SR6.24.1
    Examples: 6.24.1_CS02fMAC
      | folder | name |
      | 6.24.1_CS02fMAC | CS02fMAC_6.24.1_ERROR |
      | 6.24.1_CS02fMAC | CS02fMAC_6.24.1_SUCCESS |

    @CS02e @SR6.24.2
    Examples: 6.24.2_CS02e
      | folder | name |
      | 6.24.2_CS02e | CS02e_6.24.2_ERROR |
      | 6.24.2_CS02e | CS02e_6.24.2_SUCCESS |

    @ECS81 @SR6.25
    Examples: 6.25_ECS81
      | folder | name |
      | 6.25_ECS81 | ECS81_6.25_ERROR |
      | 6.25_ECS81 | ECS81_6.25_SUCCESS |

    @ECS48 @SR6.26
    Examples: 6.26_ECS48
      | folder | name |
      | 6.26_ECS48 | ECS48_6.26_ERROR |
      | 6.26_ECS48 | ECS48_6.26_SUCCESS |

    @ECS29e @SR6.27
    Examples: 6.27_ECS29e
      | folder | name |
      | 6.27_ECS29e | ECS29e_6.27_ERROR |
      | 6.27_ECS29e | ECS29e_6.27_SUCCESS |

    @ECS29f @SR6.27
    Examples: 6.27_ECS29f
      | folder | name |
      | 6.27_ECS29f | ECS29f_6.27_ERROR |
      | 6.27_ECS29f | ECS29f_6.27_SUCCESS |

    @DBCH04 @SR6.28
    Examples: 6.28_DBCH04
      | folder | name |
      | 6.28_DBCH04 | DBCH04_6.28_ERROR |
      | 6.28_DBCH04 | DBCH04_6.28_SUCCESS |

    @DBCH05 @SR6.29
    Examples: 6.29_DBCH05
      | folder | name |
      | 6.29_DBCH05 | DBCH05_6.29_ERROR |
      | 6.29_DBCH05 | DBCH05_6.29_SUCCESS |

    @DBCH03 @SR6.30
    Examples: 6.30_DBCH03
      | folder | name |
      | 6.30_DBCH03 | DBCH03_6.30_ERROR |
      | 6.30_DBCH03 | DBCH03_6.30_SUCCESS |

    @DBCH01 @SR6.31
    Examples: 6.31_DBCH01
      | folder | name |
      | 6.31_DBCH01 | DBCH01_6.31_ERROR |
      | 6.31_DBCH01 | DBCH01_6.31_SUCCESS |

    @DBCH02 @SR6.32
    Examples: 6.32_DBCH02
      | folder | name |
      | 6.32_DBCH02 | DBCH02_6.32_ERROR |
      | 6.32_DBCH02 | DBCH02_6.32_SUCCESS |

    @ECS28a @SR6.4.1
    Examples: 6.4.1_ECS28a
      | folder | name |
      | 6.4.1_ECS28a | ECS28a_6.4.1_CANCELLATION_SUCCESS |
      | 6.4.1_ECS28a | ECS28a_6.4.1_FUTURE_DATED_SUCCESS |
      | 6.4.1_ECS28a | ECS28a_6.4.1_IMMEDIATE_ERROR |
      | 6.4.1_ECS28a | ECS28a_6.4.1_IMMEDIATE_SUCCESS |

    @ECS28b @SR6.4.2
    Examples: 6.4.2_ECS28b
      | folder | name |
      | 6.4.2_ECS28b | ECS28b_6.4.2_ERROR |
      | 6.4.2_ECS28b | ECS28b_6.4.2_SUCCESS |

    @ECS29b @SR6.5
    Examples: 6.5_ECS29b
      | folder | name |
      | 6.5_ECS29b | ECS29b_6.5_ERROR |
      | 6.5_ECS29b | ECS29b_6.5_SUCCESS |

    @ECS29d @SR6.5
    Examples: 6.5_ECS29d
      | folder | name |
      | 6.5_ECS29d | ECS29d_6.5_ERROR |
      | 6.5_ECS29d | ECS29d_6.5_SUCCESS |

    @GCS24 @SR6.7
    Examples: 6.7_GCS24
      | folder | name |
      | 6.7_GCS24 | GCS24_6.7_ERROR |
      | 6.7_GCS24 | GCS24_6.7_SUCCESS |

    @GCS24a @SR6.7
    Examples: 6.7_GCS24a
      | folder | name |
      | 6.7_GCS24a | GCS24a_6.7_ERROR |
      | 6.7_GCS24a | GCS24a_6.7_SUCCESS |

    @ECS30a @SR6.8
    Examples: 6.8_ECS30a
      | folder | name |
      | 6.8_ECS30a | ECS30a_6.8_ERROR |
      | 6.8_ECS30a | ECS30a_6.8_SUCCESS |

    @GCS25 @SR6.8
    Examples: 6.8_GCS25
      | folder | name |
      | 6.8_GCS25 | GCS25_6.8_ERROR |
      | 6.8_GCS25 | GCS25_6.8_SUCCESS |

    @GCS25a @SR6.8
    Examples: 6.8_GCS25a
      | folder | name |
      | 6.8_GCS25a | GCS25a_6.8_ERROR |
      | 6.8_GCS25a | GCS25a_6.8_SUCCESS |

    @ECS62Remove @SR7.10
    Examples: 7.10_ECS62Remove
      | folder | name |
      | 7.10_ECS62Remove | ECS62Remove_7.10_ERROR |
      | 7.10_ECS62Remove | ECS62Remove_7.10_SUCCESS |

    @ECS61c @SR7.11
    Examples: 7.11_ECS61c
      | folder | name |
      | 7.11_ECS61c | ECS61c_7.11_ERROR |
      | 7.11_ECS61c | ECS61c_7.11_SUCCESS |

    @ECS38 @SR7.12
    Examples: 7.12_ECS38
      | folder | name |
      | 7.12_ECS38 | ECS38_7.12_ERROR |
      | 7.12_ECS38 | ECS38_7.12_SUCCESS |

    @ECS47a @SR7.13
    Examples: 7.13_ECS47a
      | folder | name |
      | 7.13_ECS47a | ECS47a_7.13_ALCS_ACTIVATE_SUCCESS |
      | 7.13_ECS47a | ECS47a_7.13_ALCS_DEACTIVATE_ERROR |
      | 7.13_ECS47a | ECS47a_7.13_ALCS_DEACTIVATE_SUCCESS |
      | 7.13_ECS47a | ECS47a_7.13_APC_INPUT_ERROR |
      | 7.13_ECS47a | ECS47a_7.13_APC_INPUT_SUCCESS |
      | 7.13_ECS47a | ECS47a_7.13_APC_OUTPUT_SUCCESS |

    @ECS61d @SR7.14
    Examples: 7.14_ECS61d
      | folder | name |
      | 7.14_ECS61d | ECS61d_7.14_ERROR |
      | 7.14_ECS61d | ECS61d_7.14_SUCCESS |

    @ECS61e @SR7.15
    Examples: 7.15_ECS61e
      | folder | name |
      | 7.15_ECS61e | ECS61e_7.15_ERROR |
      | 7.15_ECS61e | ECS61e_7.15_SUCCESS |

    @ECS47e @SR7.16
    Examples: 7.16_ECS47e
      | folder | name |
      | 7.16_ECS47e | ECS47e_7.16_APC_INPUT_ERROR |
      | 7.16_ECS47e | ECS47e_7.16_APC_INPUT_SUCCESS |
      | 7.16_ECS47e | ECS47e_7.16_APC_OUTPUT_SUCCESS |

    @ECS42 @SR7.1
    Examples: 7.1_ECS42
      | folder | name |
      | 7.1_ECS42 | ECS42_7.1_ERROR |
      | 7.1_ECS42 | ECS42_7.1_SUCCESS |

    @ECS44 @SR7.3
    Examples: 7.3_ECS44
      | folder | name |
      | 7.3_ECS44 | ECS44_7.3_ERROR |
      | 7.3_ECS44 | ECS44_7.3_SUCCESS |

    @GCS39 @SR7.3
    Examples: 7.3_GCS39
      | folder | name |
      | 7.3_GCS39 | GCS39_7.3_ERROR |
      | 7.3_GCS39 | GCS39_7.3_SUCCESS |

    @ECS45 @SR7.4
    Examples: 7.4_ECS45
      | folder | name |
      | 7.4_ECS45 | ECS45_7.4_ERROR |
      | 7.4_ECS45 | ECS45_7.4_SUCCESS |

    @GCS33 @SR7.4
    Examples: 7.4_GCS33
      | folder | name |
      | 7.4_GCS33 | GCS33_7.4_ERROR |
      | 7.4_GCS33 | GCS33_7.4_SUCCESS |

    @ECS47Activate @SR7.5
    Examples: 7.5_ECS47Activate
      | folder | name |
      | 7.5_ECS47Activate | ECS47Activate_7.5_ERROR |
      | 7.5_ECS47Activate | ECS47Activate_7.5_SUCCESS |

    @ECS47Deactivate @SR7.6
    Examples: 7.6_ECS47Deactivate
      | folder | name |
      | 7.6_ECS47Deactivate | ECS47Deactivate_7.6_ERROR |
      | 7.6_ECS47Deactivate | ECS47Deactivate_7.6_SUCCESS |

    @ECS47Reset @SR7.8
    Examples: 7.8_ECS47Reset
      | folder | name |
      | 7.8_ECS47Reset | ECS47Reset_7.8_ERROR |
      | 7.8_ECS47Reset | ECS47Reset_7.8_SUCCESS |

    @ECS62Add @SR7.9
    Examples: 7.9_ECS62Add
      | folder | name |
      | 7.9_ECS62Add | ECS62Add_7.9_ERROR |
      | 7.9_ECS62Add | ECS62Add_7.9_SUCCESS |

    @ECS70Commission @SR8.1.1
    Examples: 8.1.1_ECS70Commission
      | folder | name |
      | 8.1.1_ECS70Commission | ECS70Commission_8.1.1_ERROR |
      | 8.1.1_ECS70Commission | ECS70Commission_8.1.1_SUCCESS |

    @CCS02 @SR8.11
    Examples: 8.11_CCS02
      | folder | name |
      | 8.11_CCS02 | CCS02_8.11_ERROR |
      | 8.11_CCS02 | CCS02_8.11_SUCCESS |

    @GCS59 @SR8.12.2
    Examples: 8.12.2_GCS59
      | folder | name |
      | 8.12.2_GCS59 | GCS59_8.12.2_SUCCESS |

    @CS02bACBByACB @SR8.5
    Examples: 8.5_CS02bACBByACB
      | folder | name |
      | 8.5_CS02bACBByACB | CS02bACBByACB_8.5_SUCCESS |

    @CS03A1 @SR8.7.1
    Examples: 8.7.1_CS03A1
      | folder | name |
      | 8.7.1_CS03A1 | CS03A1_8.7.1_ERROR |
      | 8.7.1_CS03A1 | CS03A1_8.7.1_SUCCESS |

    @CS03A2Critical @SR8.7.1
    Examples: 8.7.1_CS03A2Critical
      | folder | name |
      | 8.7.1_CS03A2Critical | CS03A2Critical_8.7.1_SUCCESS |

    @CS03CCritical @SR8.7.1
    Examples: 8.7.1_CS03CCritical
      | folder | name |
      | 8.7.1_CS03CCritical | CS03CCritical_8.7.1_SUCCESS |

    @CS03A2NonCritical @SR8.7.2
    Examples: 8.7.2_CS03A2NonCritical
      | folder | name |
      | 8.7.2_CS03A2NonCritical | CS03A2NonCritical_8.7.2_SUCCESS |

    @CS03B @SR8.7.2
    Examples: 8.7.2_CS03B
      | folder | name |
      | 8.7.2_CS03B | CS03B_8.7.2_ERROR |
      | 8.7.2_CS03B | CS03B_8.7.2_SUCCESS |

    @CS03CNonCritical @SR8.7.2
    Examples: 8.7.2_CS03CNonCritical
      | folder | name |
      | 8.7.2_CS03CNonCritical | CS03CNonCritical_8.7.2_ERROR |
      | 8.7.2_CS03CNonCritical | CS03CNonCritical_8.7.2_SUCCESS |

    @CS04B @SR8.8.2
    Examples: 8.8.2_CS04B
      | folder | name |
      | 8.8.2_CS04B | CS04B_8.8.2_ERROR |
      | 8.8.2_CS04B | CS04B_8.8.2_SUCCESS |

    @CCS05CCS04 @SR8.9
    Examples: 8.9_CCS05CCS04
      | folder | name |
      | 8.9_CCS05CCS04 | CCS05CCS04_8.9_ERROR |
      | 8.9_CCS05CCS04 | CCS05CCS04_8.9_SUCCESS |

    @CCS06 @SR8.9
    Examples: 8.9_CCS06
      | folder | name |
      | 8.9_CCS06 | CCS06_8.9_ERROR |
      | 8.9_CCS06 | CCS06_8.9_SUCCESS |

    @CCS07 @SR8.9
    Examples: 8.9_CCS07
      | folder | name |
      | 8.9_CCS07 | CCS07_8.9_ERROR |
      | 8.9_CCS07 | CCS07_8.9_SUCCESS |

    @CS07 @SR8.9
    Examples: 8.9_CS07
      | folder | name |
      | 8.9_CS07 | CS07_8.9_ERROR |
      | 8.9_CS07 | CS07_8.9_SUCCESS |

    @ECS50 @SR9.1
    Examples: 9.1_ECS50
      | folder | name |
      | 9.1_ECS50 | ECS50_9.1_ERROR |
      | 9.1_ECS50 | ECS50_9.1_SUCCESS |

    @GCS36 @SR9.1
    Examples: 9.1_GCS36
      | folder | name |
      | 9.1_GCS36 | GCS36_9.1_ERROR |
      | 9.1_GCS36 | GCS36_9.1_SUCCESS |

    @CS02aSignature
    Examples: NA_CS02aSignature
      | folder | name |
      | NA_CS02aSignature | CS02aSignature_NA_ERROR |
      | NA_CS02aSignature | CS02aSignature_NA_SUCCESS |

    @CS02bAnyExceptAbnormalRootByRecovery
    Examples: NA_CS02bAnyExceptAbnormalRootByRecovery
      | folder | name |
      | NA_CS02bAnyExceptAbnormalRootByRecovery | CS02bAnyExceptAbnormalRootByRecovery_NA_SUCCESS |

    @CS02bTransCoSByTransCoS
    Examples: NA_CS02bTransCoSByTransCoS
      | folder | name |
      | NA_CS02bTransCoSByTransCoS | CS02bTransCoSByTransCoS_NA_SUCCESS |

    @CS02bWPByWP
    Examples: NA_CS02bWPByWP
      | folder | name |
      | NA_CS02bWPByWP | CS02bWPByWP_NA_SUCCESS |

    @CS02fSignature
    Examples: NA_CS02fSignature
      | folder | name |
      | NA_CS02fSignature | CS02fSignature_NA_ERROR |
      | NA_CS02fSignature | CS02fSignature_NA_SUCCESS |

    @CS02gLoadControllerByLoadController
    Examples: NA_CS02gLoadControllerByLoadController
      | folder | name |
      | NA_CS02gLoadControllerByLoadController | CS02gLoadControllerByLoadController_NA_CANCELLATION_SUCCESS |
      | NA_CS02gLoadControllerByLoadController | CS02gLoadControllerByLoadController_NA_FUTURE_DATED_SUCCESS |
      | NA_CS02gLoadControllerByLoadController | CS02gLoadControllerByLoadController_NA_IMMEDIATE_SUCCESS |
