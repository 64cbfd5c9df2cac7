//! The coded enumerations of GBCS as Rust enums, each defined once, here (rustls `msgs/`
//! style): every known value a variant, anything else `Unknown(x)`, and one table giving
//! both directions (`from_code` / `to_code` cannot disagree). The rest of the crate uses
//! these or converts to them; nobody writes the numbers again.

use serde::{Serialize, Serializer};

/// Declares a coded enumeration: variants with their number and spec name, plus
/// `Unknown(x)`; `from_code`/`to_code`/`name` all read the same table.
macro_rules! codec_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $label:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value the table does not name (never one it does, when read by `from_code`).
            Unknown($repr),
        }

        impl $name {
            /// Every named variant, in table order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// Reads a value: its variant, or `Unknown`.
            pub const fn from_code(code: $repr) -> Self {
                match code {
                    $( $value => $name::$variant, )*
                    other => $name::Unknown(other),
                }
            }

            /// The value on the wire.
            pub const fn to_code(self) -> $repr {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(code) => code,
                }
            }

            /// The spec name, `None` for `Unknown`.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($label), )*
                    $name::Unknown(_) => None,
                }
            }
        }

        impl From<$repr> for $name {
            fn from(code: $repr) -> Self {
                $name::from_code(code)
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                v.to_code()
            }
        }

        /// The spec name, or the number when unknown.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.name() {
                    Some(n) => s.serialize_str(n),
                    None => self.to_code().serialize(s),
                }
            }
        }
    };
}

codec_enum! {
    /// DLMS Data-Access-Result (answers to get and set).
    pub enum DataAccessResult: u8 {
        Success = 0 => "success",
        HardwareFault = 1 => "hardware_fault",
        TemporaryFailure = 2 => "temporary_failure",
        ReadWriteDenied = 3 => "read_write_denied",
        ObjectUndefined = 4 => "object_undefined",
        ObjectClassInconsistent = 9 => "object_class_inconsistent",
        ObjectUnavailable = 11 => "object_unavailable",
        TypeUnmatched = 12 => "type_unmatched",
        ScopeOfAccessViolated = 13 => "scope_of_access_violated",
        DataBlockUnavailable = 14 => "data_block_unavailable",
        LongGetAborted = 15 => "long_get_aborted",
        NoLongGetInProgress = 16 => "no_long_get_in_progress",
        LongSetAborted = 17 => "long_set_aborted",
        NoLongSetInProgress = 18 => "no_long_set_in_progress",
        DataBlockNumberInvalid = 19 => "data_block_number_invalid",
        OtherReason = 250 => "other_reason",
    }
}

codec_enum! {
    /// DLMS Action-Result (answers to action): the data-access-result numbering up to 14,
    /// with the long-transfer codes referring to actions.
    pub enum ActionResult: u8 {
        Success = 0 => "success",
        HardwareFault = 1 => "hardware_fault",
        TemporaryFailure = 2 => "temporary_failure",
        ReadWriteDenied = 3 => "read_write_denied",
        ObjectUndefined = 4 => "object_undefined",
        ObjectClassInconsistent = 9 => "object_class_inconsistent",
        ObjectUnavailable = 11 => "object_unavailable",
        TypeUnmatched = 12 => "type_unmatched",
        ScopeOfAccessViolated = 13 => "scope_of_access_violated",
        DataBlockUnavailable = 14 => "data_block_unavailable",
        LongActionAborted = 15 => "long_action_aborted",
        NoLongActionInProgress = 16 => "no_long_action_in_progress",
        OtherReason = 250 => "other_reason",
    }
}

codec_enum! {
    /// ZCL status codes. 0xC0 is used by RTDS as the generic error of a failing component.
    pub enum ZclStatus: u8 {
        Success = 0x00 => "SUCCESS",
        Failure = 0x01 => "FAILURE",
        NotAuthorized = 0x7E => "NOT_AUTHORIZED",
        ReservedFieldNotZero = 0x7F => "RESERVED_FIELD_NOT_ZERO",
        MalformedCommand = 0x80 => "MALFORMED_COMMAND",
        UnsupClusterCommand = 0x81 => "UNSUP_CLUSTER_COMMAND",
        UnsupGeneralCommand = 0x82 => "UNSUP_GENERAL_COMMAND",
        UnsupManufClusterCommand = 0x83 => "UNSUP_MANUF_CLUSTER_COMMAND",
        UnsupManufGeneralCommand = 0x84 => "UNSUP_MANUF_GENERAL_COMMAND",
        InvalidField = 0x85 => "INVALID_FIELD",
        UnsupportedAttribute = 0x86 => "UNSUPPORTED_ATTRIBUTE",
        InvalidValue = 0x87 => "INVALID_VALUE",
        ReadOnly = 0x88 => "READ_ONLY",
        InsufficientSpace = 0x89 => "INSUFFICIENT_SPACE",
        DuplicateExists = 0x8A => "DUPLICATE_EXISTS",
        NotFound = 0x8B => "NOT_FOUND",
        UnreportableAttribute = 0x8C => "UNREPORTABLE_ATTRIBUTE",
        InvalidDataType = 0x8D => "INVALID_DATA_TYPE",
        InvalidSelector = 0x8E => "INVALID_SELECTOR",
        WriteOnly = 0x8F => "WRITE_ONLY",
        InconsistentStartupState = 0x90 => "INCONSISTENT_STARTUP_STATE",
        DefinedOutOfBand = 0x91 => "DEFINED_OUT_OF_BAND",
        Inconsistent = 0x92 => "INCONSISTENT",
        ActionDenied = 0x93 => "ACTION_DENIED",
        Timeout = 0x94 => "TIMEOUT",
        Abort = 0x95 => "ABORT",
        InvalidImage = 0x96 => "INVALID_IMAGE",
        WaitForData = 0x97 => "WAIT_FOR_DATA",
        NoImageAvailable = 0x98 => "NO_IMAGE_AVAILABLE",
        RequireMoreImage = 0x99 => "REQUIRE_MORE_IMAGE",
        HardwareFailure = 0xC0 => "HARDWARE_FAILURE",
        SoftwareFailure = 0xC1 => "SOFTWARE_FAILURE",
        CalibrationError = 0xC2 => "CALIBRATION_ERROR",
    }
}

codec_enum! {
    /// Remote party role: an organisation certificate's OU, a trust anchor cell's
    /// remotePartyRole (0 root, 7 issuing authority and 127 "other" are the reference
    /// parser's, the rest corpus-verified).
    pub enum RemotePartyRole: u8 {
        Root = 0 => "root",
        Recovery = 1 => "recovery",
        Supplier = 2 => "supplier",
        NetworkOperator = 3 => "network_operator",
        AccessControlBroker = 4 => "access_control_broker",
        TransitionalCos = 5 => "transitional_cos",
        WanProvider = 6 => "wan_provider",
        IssuingAuthority = 7 => "issuing_authority",
        LoadController = 8 => "load_controller",
    }
}

impl RemotePartyRole {
    /// The role number (certificate OU, trust anchor cell).
    pub const fn code(self) -> u8 {
        self.to_code()
    }
}

codec_enum! {
    /// GBCS deviceType (ASN.1 device logs, joins; the numbering is the reference parser's).
    pub enum DeviceType: u8 {
        Gsme = 0 => "gsme",
        Esme = 1 => "esme",
        CommsHub = 2 => "chf",
        Gpf = 3 => "gpf",
        Hcalcs = 4 => "hcalcs",
        Ppmid = 5 => "ppmid",
        Type2 = 6 => "type_2_device",
    }
}

impl DeviceType {
    /// The deviceType number.
    pub const fn code(self) -> u8 {
        self.to_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_back_what_it_writes() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            known: &[T],
            to: impl Fn(T) -> u8,
            from: impl Fn(u8) -> T,
        ) {
            for v in known {
                assert_eq!(from(to(*v)), *v);
            }
            for code in 0..=255u8 {
                assert_eq!(to(from(code)), code);
            }
        }
        check(
            DataAccessResult::KNOWN,
            DataAccessResult::to_code,
            DataAccessResult::from_code,
        );
        check(
            ActionResult::KNOWN,
            ActionResult::to_code,
            ActionResult::from_code,
        );
        check(ZclStatus::KNOWN, ZclStatus::to_code, ZclStatus::from_code);
        check(
            RemotePartyRole::KNOWN,
            RemotePartyRole::to_code,
            RemotePartyRole::from_code,
        );
        check(
            DeviceType::KNOWN,
            DeviceType::to_code,
            DeviceType::from_code,
        );
        assert_eq!(RemotePartyRole::from_code(9), RemotePartyRole::Unknown(9));
        assert_eq!(ZclStatus::from_code(0xC0).name(), Some("HARDWARE_FAILURE"));
        assert_eq!(
            serde_json::to_string(&DataAccessResult::from_code(77)).unwrap(),
            "77"
        );
    }
}
