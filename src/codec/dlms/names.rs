//! Names for the numeric codes of DLMS/COSEM, used only to make decoded JSON readable.
//!
//! Every lookup returns `None` for a code it does not know; callers keep the number, so an
//! unknown code never loses information.

/// A-XDR `Data` tags and their DLMS type names.
pub mod tag {
    pub const NULL_DATA: u8 = 0x00;
    pub const ARRAY: u8 = 0x01;
    pub const STRUCTURE: u8 = 0x02;
    pub const BOOLEAN: u8 = 0x03;
    pub const BIT_STRING: u8 = 0x04;
    pub const DOUBLE_LONG: u8 = 0x05;
    pub const DOUBLE_LONG_UNSIGNED: u8 = 0x06;
    pub const OCTET_STRING: u8 = 0x09;
    pub const VISIBLE_STRING: u8 = 0x0A;
    pub const UTF8_STRING: u8 = 0x0C;
    pub const BCD: u8 = 0x0D;
    pub const INTEGER: u8 = 0x0F;
    pub const LONG: u8 = 0x10;
    pub const UNSIGNED: u8 = 0x11;
    pub const LONG_UNSIGNED: u8 = 0x12;
    pub const COMPACT_ARRAY: u8 = 0x13;
    pub const LONG64: u8 = 0x14;
    pub const LONG64_UNSIGNED: u8 = 0x15;
    pub const ENUM: u8 = 0x16;
    pub const FLOAT32: u8 = 0x17;
    pub const FLOAT64: u8 = 0x18;
    pub const DATE_TIME: u8 = 0x19;
    pub const DATE: u8 = 0x1A;
    pub const TIME: u8 = 0x1B;
    pub const DONT_CARE: u8 = 0xFF;
}

pub fn type_name(t: u8) -> Option<&'static str> {
    use tag::*;
    Some(match t {
        NULL_DATA => "null_data",
        ARRAY => "array",
        STRUCTURE => "structure",
        BOOLEAN => "boolean",
        BIT_STRING => "bit_string",
        DOUBLE_LONG => "double_long",
        DOUBLE_LONG_UNSIGNED => "double_long_unsigned",
        OCTET_STRING => "octet_string",
        VISIBLE_STRING => "visible_string",
        UTF8_STRING => "utf8_string",
        BCD => "bcd",
        INTEGER => "integer",
        LONG => "long",
        UNSIGNED => "unsigned",
        LONG_UNSIGNED => "long_unsigned",
        COMPACT_ARRAY => "compact_array",
        LONG64 => "long64",
        LONG64_UNSIGNED => "long64_unsigned",
        ENUM => "enum",
        FLOAT32 => "float32",
        FLOAT64 => "float64",
        DATE_TIME => "date_time",
        DATE => "date",
        TIME => "time",
        DONT_CARE => "dont_care",
        _ => return None,
    })
}

/// COSEM interface class ids by name (dlms.md §10 lists the classes GBCS devices are
/// addressed by).
pub mod class {
    pub const DATA: u16 = 1;
    pub const REGISTER: u16 = 3;
    pub const EXTENDED_REGISTER: u16 = 4;
    pub const DEMAND_REGISTER: u16 = 5;
    pub const PROFILE_GENERIC: u16 = 7;
    pub const CLOCK: u16 = 8;
    pub const SCRIPT_TABLE: u16 = 9;
    pub const SCHEDULE: u16 = 10;
    pub const SPECIAL_DAYS_TABLE: u16 = 11;
    pub const ASSOCIATION_LN: u16 = 15;
    pub const IMAGE_TRANSFER: u16 = 18;
    pub const ACTIVITY_CALENDAR: u16 = 20;
    pub const REGISTER_MONITOR: u16 = 21;
    pub const SINGLE_ACTION_SCHEDULE: u16 = 22;
    pub const DATA_PROTECTION: u16 = 30;
    pub const PUSH_SETUP: u16 = 40;
    pub const SECURITY_SETUP: u16 = 64;
    pub const DISCONNECT_CONTROL: u16 = 70;
    pub const LIMITER: u16 = 71;
    pub const ZIGBEE_NETWORK_CONTROL: u16 = 104;
    pub const ACCOUNT: u16 = 111;
    pub const CREDIT: u16 = 112;
    pub const CHARGE: u16 = 113;
    pub const TOKEN_GATEWAY: u16 = 115;
    pub const GBCS_EXTENDED_DATA: u16 = 9000;
}

/// COSEM interface class names.
pub fn class_name(class_id: u16) -> Option<&'static str> {
    Some(match class_id {
        class::DATA => "data",
        class::REGISTER => "register",
        class::EXTENDED_REGISTER => "extended_register",
        class::DEMAND_REGISTER => "demand_register",
        class::PROFILE_GENERIC => "profile_generic",
        class::CLOCK => "clock",
        class::SCRIPT_TABLE => "script_table",
        class::SCHEDULE => "schedule",
        class::SPECIAL_DAYS_TABLE => "special_days_table",
        class::ASSOCIATION_LN => "association_ln",
        class::IMAGE_TRANSFER => "image_transfer",
        class::ACTIVITY_CALENDAR => "activity_calendar",
        class::REGISTER_MONITOR => "register_monitor",
        class::SINGLE_ACTION_SCHEDULE => "single_action_schedule",
        class::DATA_PROTECTION => "data_protection",
        class::PUSH_SETUP => "push_setup",
        class::SECURITY_SETUP => "security_setup",
        class::DISCONNECT_CONTROL => "disconnect_control",
        class::LIMITER => "limiter",
        class::ZIGBEE_NETWORK_CONTROL => "zigbee_network_control",
        class::ACCOUNT => "account",
        class::CREDIT => "credit",
        class::CHARGE => "charge",
        class::TOKEN_GATEWAY => "token_gateway",
        class::GBCS_EXTENDED_DATA => "gbcs_extended_data",
        _ => return None,
    })
}

/// Data-Access-Result (answers to get and set): the name of
/// [`crate::codec::enums::DataAccessResult`].
pub fn data_access_result_name(code: u8) -> Option<&'static str> {
    crate::codec::enums::DataAccessResult::from_code(code).name()
}

/// Action-Result (answers to action): the name of [`crate::codec::enums::ActionResult`].
pub fn action_result_name(code: u8) -> Option<&'static str> {
    crate::codec::enums::ActionResult::from_code(code).name()
}

/// DLMS physical unit enumeration (scaler-unit structures). Only 30 (Wh) and 32 (varh) are
/// attested by the corpus; the rest follow the DLMS unit table.
pub fn unit_name(unit: u8) -> Option<&'static str> {
    Some(match unit {
        1 => "a",
        2 => "mo",
        3 => "wk",
        4 => "d",
        5 => "h",
        6 => "min",
        7 => "s",
        8 => "deg",
        9 => "degC",
        10 => "currency",
        11 => "m",
        12 => "m/s",
        13 => "m3",
        14 => "m3_corrected",
        15 => "m3/h",
        16 => "m3/h_corrected",
        17 => "m3/d",
        18 => "m3/d_corrected",
        19 => "l",
        20 => "kg",
        21 => "N",
        22 => "Nm",
        23 => "Pa",
        24 => "bar",
        25 => "J",
        26 => "J/h",
        27 => "W",
        28 => "VA",
        29 => "var",
        30 => "Wh",
        31 => "VAh",
        32 => "varh",
        33 => "A",
        34 => "C",
        35 => "V",
        36 => "V/m",
        37 => "F",
        38 => "Ohm",
        39 => "Ohm_m2/m",
        40 => "Wb",
        41 => "T",
        42 => "A/m",
        43 => "H",
        44 => "Hz",
        45 => "1/(Wh)",
        46 => "1/(varh)",
        47 => "1/(VAh)",
        48 => "V2h",
        49 => "A2h",
        50 => "kg/s",
        51 => "S",
        52 => "K",
        53 => "1/(V2h)",
        54 => "1/(A2h)",
        55 => "1/m3",
        56 => "%",
        57 => "Ah",
        254 => "other",
        255 => "count",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_tables_differ_only_in_long_transfer_codes() {
        assert_eq!(data_access_result_name(250), Some("other_reason"));
        assert_eq!(action_result_name(1), Some("hardware_fault"));
        assert_eq!(action_result_name(15), Some("long_action_aborted"));
        assert_eq!(action_result_name(17), None);
        assert_eq!(data_access_result_name(17), Some("long_set_aborted"));
        assert_eq!(data_access_result_name(5), None);
    }

    #[test]
    fn names_for_corpus_codes() {
        assert_eq!(class_name(9000), Some("gbcs_extended_data"));
        assert_eq!(class_name(30), Some("data_protection"));
        assert_eq!(unit_name(30), Some("Wh"));
        assert_eq!(unit_name(32), Some("varh"));
        assert_eq!(type_name(0x13), Some("compact_array"));
        assert_eq!(type_name(0x07), None);
    }
}
