//! The project's own catalogue: message code → use case, title, service request, message
//! type and payload family. Generated from the shared GBCS catalogue by
//! `tools/gen_catalogue.py`, with the corrections the RTDS corpus calls for.

mod codes;
mod smets1;
mod table;
pub mod traffic;

use serde::Serialize;

use super::ids::MessageCode;

/// GBCS message type: who originates the message and whether it must be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MessageType {
    /// `SME.C.C`: critical command, signed by the remote party.
    CriticalCommand,
    /// `SME.C.NC`: non-critical command, MAC only.
    NonCriticalCommand,
    /// `SME.C.NC` with the extra UTRN processing of GBCS 14.3.4/14.3.5 (prepayment top-up).
    NonCriticalCommandWithUtrn,
    /// `SME.A.C`: critical alert, signed by the device.
    CriticalAlert,
    /// `SME.A.NC`: non-critical alert, MAC only.
    NonCriticalAlert,
    /// HAN-only message between two devices (PPMID → GSME).
    HanOnly,
    /// Defined by ZigBee Smart Energy rather than GBCS.
    ZseSpecified,
    /// The catalogue defers to the GBCS text (security credentials and similar).
    SeeGbcs,
    Unspecified,
}

impl MessageType {
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            MessageType::CriticalCommand | MessageType::CriticalAlert
        )
    }
}

/// Whether a use case is exchanged with a remote party over the WAN or only on the HAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Origin {
    RemoteParty,
    HanOnly,
    Unspecified,
}

/// Which payload codec carries the content of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadFamily {
    Dlms,
    Gbz,
    Asn1,
    /// Carried in more than one family (generic non-critical alert 0x1001).
    Mixed,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UseCaseEntry {
    #[serde(serialize_with = "code_as_hex")]
    pub code: u16,
    pub use_case: &'static str,
    pub title: &'static str,
    pub service_request: Option<&'static str>,
    pub message_type: MessageType,
    pub origin: Origin,
    pub family: PayloadFamily,
    /// False for codes the RTDS corpus uses but the published catalogue does not list.
    pub catalogued: bool,
}

fn code_as_hex<S: serde::Serializer>(code: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&MessageCode(*code))
}

/// The catalogue entry for a message code, if the code is known.
pub fn lookup(code: MessageCode) -> Option<&'static UseCaseEntry> {
    table::ENTRIES
        .binary_search_by_key(&code.0, |e| e.code)
        .ok()
        .map(|i| &table::ENTRIES[i])
}

/// The properties of a message code that the harness and the simulator act on, from the
/// project's catalogue (named constants: `MessageCode::ECS17B`, generated into `codes.rs`).
impl MessageCode {
    /// The catalogue entry for this code, if the code is known.
    pub fn entry(self) -> Option<&'static UseCaseEntry> {
        lookup(self)
    }

    /// The use-case id (`"ECS17b"`), if the code is known.
    pub fn use_case(self) -> Option<&'static str> {
        lookup(self).map(|e| e.use_case)
    }

    /// Authenticated by the originator's signature alone, without the ACB's MAC (CS02a,
    /// CS02f, and the recovery CS02b).
    pub fn is_signature_only(self) -> bool {
        codes::SIGNATURE_ONLY.contains(&self)
    }

    /// The response carries the device's firmware version (ECS52, GCS38, CS08).
    pub fn reads_firmware_version(self) -> bool {
        codes::FIRMWARE_VERSION_READS.contains(&self)
    }

    /// An Update Security Credentials command: CS02b in any mode, or CS02g.
    pub fn updates_security_credentials(self) -> bool {
        codes::UPDATE_SECURITY_CREDENTIALS.contains(&self)
    }

    /// The WAN traffic model's response-time target, for a known code.
    pub fn response_target(self) -> Option<traffic::ResponseTarget> {
        lookup(self).map(traffic::response_target)
    }
}

/// Every entry, ordered by message code.
pub fn entries() -> &'static [UseCaseEntry] {
    table::ENTRIES
}

/// A DCC user role as the SEC names it (the eligible users of a service request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EligibleUser {
    ImportSupplier,
    GasSupplier,
    ExportSupplier,
    ElectricityDistributor,
    GasTransporter,
    RegisteredSupplierAgent,
    OtherUser,
}

/// One of the minimum SMETS1 communication services (SEC 5.5 Appendix F).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MinimumService {
    pub service_request: &'static str,
    pub name: &'static str,
    pub eligible_users: &'static [EligibleUser],
}

/// The SMETS1 minimum services, in the order the SEC lists them.
pub fn smets1_minimum_services() -> &'static [MinimumService] {
    smets1::SMETS1_MINIMUM_SERVICES
}

/// The entries of one use case (several codes may share an id, e.g. the CS02b variants).
pub fn by_use_case(use_case: &str) -> impl Iterator<Item = &'static UseCaseEntry> + '_ {
    table::ENTRIES
        .iter()
        .filter(move |e| e.use_case.eq_ignore_ascii_case(use_case))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(entries().windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn known_codes_resolve() {
        let e = lookup(MessageCode(0x004F)).unwrap();
        assert_eq!(e.use_case, "ECS42");
        assert_eq!(e.message_type, MessageType::CriticalCommand);
        assert_eq!(e.family, PayloadFamily::Dlms);
        let e = lookup(MessageCode(0x009B)).unwrap();
        assert_eq!((e.use_case, e.origin), ("PCS01", Origin::HanOnly));
        let e = lookup(MessageCode(0x011B)).unwrap();
        assert_eq!((e.use_case, e.catalogued), ("CS02f", false));
        assert!(lookup(MessageCode(0x7777)).is_none());
    }

    #[test]
    fn named_codes_and_properties() {
        assert_eq!(MessageCode::ECS17B, MessageCode(0x0027));
        assert_eq!(MessageCode::ECS17B.use_case(), Some("ECS17b"));
        assert_eq!(MessageCode::CS02B_SUPPLIER_BY_SUPPLIER, MessageCode(0x0102));
        assert_eq!(MessageCode::CS02G_FUTURE_DATED_ALERT, MessageCode(0x0124));
        assert!(MessageCode::CS02A.is_signature_only());
        assert!(MessageCode::CS02F.is_signature_only());
        assert!(MessageCode::CS02B_ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY.is_signature_only());
        assert!(!MessageCode::CS02B_SUPPLIER_BY_SUPPLIER.is_signature_only());
        for c in [MessageCode::ECS52, MessageCode::GCS38, MessageCode::CS08] {
            assert!(c.reads_firmware_version(), "{c}");
        }
        assert_eq!(
            (
                MessageCode::ECS52.0,
                MessageCode::GCS38.0,
                MessageCode::CS08.0
            ),
            (0x0059, 0x0084, 0x0129)
        );
        let updates: Vec<u16> = (0..0x200)
            .map(MessageCode)
            .filter(|c| c.updates_security_credentials())
            .map(|c| c.0)
            .collect();
        let mut expected: Vec<u16> = (0x0100..=0x0109).collect();
        expected.extend([0x0125, 0x0126]);
        assert_eq!(updates, expected);
        assert_eq!(
            MessageCode::CS01A.response_target().unwrap().max_response_s,
            8
        );
    }
}
