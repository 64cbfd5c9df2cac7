//! Names for cluster ids, general commands, attributes (§10), statuses (§7) and GBZ alert
//! codes. Names only decorate the JSON; an unknown id is shown by number and still encodes.

/// ZigBee Smart Energy / ZCL cluster name.
pub fn cluster_name(id: u16) -> Option<&'static str> {
    Some(match id {
        0x0000 => "Basic",
        0x0003 => "Identify",
        0x0009 => "Alarms",
        0x000A => "Time",
        0x0019 => "OtaUpgrade",
        0x0700 => "Price",
        0x0701 => "DemandResponseLoadControl",
        0x0702 => "Metering",
        0x0703 => "Messaging",
        0x0704 => "Tunneling",
        0x0705 => "Prepayment",
        0x0706 => "EnergyManagement",
        0x0707 => "Calendar",
        0x0708 => "DeviceManagement",
        0x0709 => "Events",
        0x0800 => "KeyEstablishment",
        _ => return None,
    })
}

/// ZCL general (profile-wide) command names.
pub fn general_command_name(id: u8) -> Option<&'static str> {
    Some(match id {
        0x00 => "ReadAttributes",
        0x01 => "ReadAttributesResponse",
        0x02 => "WriteAttributes",
        0x03 => "WriteAttributesUndivided",
        0x04 => "WriteAttributesResponse",
        0x05 => "WriteAttributesNoResponse",
        0x06 => "ConfigureReporting",
        0x07 => "ConfigureReportingResponse",
        0x08 => "ReadReportingConfiguration",
        0x09 => "ReadReportingConfigurationResponse",
        0x0A => "ReportAttributes",
        0x0B => "DefaultResponse",
        0x0C => "DiscoverAttributes",
        0x0D => "DiscoverAttributesResponse",
        _ => return None,
    })
}

/// ZCL status names: the names of [`crate::codec::enums::ZclStatus`].
pub fn status_name(code: u8) -> Option<&'static str> {
    crate::codec::enums::ZclStatus::from_code(code).name()
}

/// GBZ alert codes whose meaning the primer states (others are shown by number).
pub fn alert_code_name(code: u16) -> Option<&'static str> {
    Some(match code {
        0x8F66 => "FutureDatedHanCommandSuccessfullyActioned",
        0x8F67 => "FutureDatedHanCommandNotActioned",
        _ => return None,
    })
}

/// Attribute names read in the corpus (§10), by cluster. ZSE names.
pub fn attribute_name(cluster: u16, id: u16) -> Option<&'static str> {
    Some(match (cluster, id) {
        (0x0000, 0x0000) => "ZCLVersion",
        (0x0000, 0x0001) => "ApplicationVersion",
        (0x0000, 0x0002) => "StackVersion",
        (0x0000, 0x0003) => "HWVersion",
        (0x0000, 0x0004) => "ManufacturerName",
        (0x0000, 0x0005) => "ModelIdentifier",
        (0x0000, 0x0006) => "DateCode",
        (0x0000, 0x0007) => "PowerSource",

        (0x0700, 0x0100) => "Block1Threshold",
        (0x0700, 0x0101) => "Block2Threshold",
        (0x0700, 0x0102) => "Block3Threshold",
        (0x0700, 0x0202) => "ThresholdMultiplier",
        (0x0700, 0x0203) => "ThresholdDivisor",
        (0x0700, 0x0301) => "StandingCharge",
        (0x0700, 0x0302) => "ConversionFactor",
        (0x0700, 0x0303) => "ConversionFactorTrailingDigit",
        (0x0700, 0x0304) => "CalorificValue",
        (0x0700, 0x0305) => "CalorificValueUnit",
        (0x0700, 0x0306) => "CalorificValueTrailingDigit",
        (0x0700, 0x0400) => "NoTierBlock1Price",
        (0x0700, 0x0401) => "NoTierBlock2Price",
        (0x0700, 0x0402) => "NoTierBlock3Price",
        (0x0700, 0x0403) => "NoTierBlock4Price",
        (0x0700, 0x0410) => "Tier1Block1Price",
        (0x0700, 0x0420) => "Tier2Block1Price",
        (0x0700, 0x0430) => "Tier3Block1Price",
        (0x0700, 0x0440) => "Tier4Block1Price",
        (0x0700, 0x0615) => "UnitOfMeasure",
        (0x0700, 0x0616) => "Currency",
        (0x0700, 0x0617) => "PriceTrailingDigit",

        (0x0702, 0x0000) => "CurrentSummationDelivered",
        (0x0702, 0x0014) => "SupplyStatus",
        (0x0702, 0x0100) => "CurrentTier1SummationDelivered",
        (0x0702, 0x0102) => "CurrentTier2SummationDelivered",
        (0x0702, 0x0104) => "CurrentTier3SummationDelivered",
        (0x0702, 0x0106) => "CurrentTier4SummationDelivered",
        (0x0702, 0x0205) => "RemainingBatteryLifeInDays",
        (0x0702, 0x0206) => "CurrentMeterID",
        (0x0702, 0x0300) => "UnitOfMeasure",
        (0x0702, 0x0301) => "Multiplier",
        (0x0702, 0x0302) => "Divisor",
        (0x0702, 0x0607) => "SupplyTamperState",
        (0x0702, 0x0608) => "SupplyDepletionState",
        (0x0702, 0x0700) => "CurrentNoTierBlock1SummationDelivered",
        (0x0702, 0x0701) => "CurrentNoTierBlock2SummationDelivered",
        (0x0702, 0x0702) => "CurrentNoTierBlock3SummationDelivered",
        (0x0702, 0x0703) => "CurrentNoTierBlock4SummationDelivered",
        (0x0702, 0x0A00) => "BillToDateDelivered",
        (0x0702, 0x0B10) => "UncontrolledFlowThreshold",
        (0x0702, 0x0B11) => "UncontrolledFlowThresholdUnitOfMeasure",
        (0x0702, 0x0B12) => "UncontrolledFlowMultiplier",
        (0x0702, 0x0B13) => "UncontrolledFlowDivisor",
        (0x0702, 0x0B14) => "FlowStabilisationPeriod",
        (0x0702, 0x0B15) => "FlowMeasurementPeriod",

        (0x0705, 0x0000) => "PaymentControlConfiguration",
        (0x0705, 0x0001) => "CreditRemaining",
        (0x0705, 0x0006) => "OverallDebtCap",
        (0x0705, 0x0010) => "EmergencyCreditLimit",
        (0x0705, 0x0011) => "EmergencyCreditThreshold",
        (0x0705, 0x0021) => "MaxCreditLimit",
        (0x0705, 0x0022) => "MaxCreditPerTopUp",
        (0x0705, 0x0031) => "LowCreditWarningLevel",
        (0x0705, 0x0040) => "CutOffValue",
        (0x0705, 0x0216) => "DebtRecoveryFrequency1",
        (0x0705, 0x0217) => "DebtRecoveryAmount1",
        (0x0705, 0x0226) => "DebtRecoveryFrequency2",
        (0x0705, 0x0227) => "DebtRecoveryAmount2",
        (0x0705, 0x0239) => "DebtRecoveryTopUpPercentage3",
        _ => return None,
    })
}
