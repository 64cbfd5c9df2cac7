//! Leaf values of the typed view: INTEGER/ENUMERATED (with code labels), key usage,
//! GeneralizedTime and NULL.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::codec::bytes::Bytes;

/// An INTEGER or ENUMERATED kept as its content octets, so any size and any (even
/// non-minimal) encoding survives a round trip. Shown as a JSON number when it fits `i64`,
/// otherwise as the hex of its two's-complement octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integer(pub Bytes);

impl Integer {
    /// Minimal two's-complement encoding of `v`.
    pub fn from_i64(v: i64) -> Integer {
        let be = v.to_be_bytes();
        let mut start = 0;
        // Drop a leading byte while the next one still carries the sign correctly.
        while start < 7 {
            let (a, b) = (be[start], be[start + 1]);
            if (a == 0x00 && b & 0x80 == 0) || (a == 0xFF && b & 0x80 != 0) {
                start += 1;
            } else {
                break;
            }
        }
        Integer(be[start..].to_vec().into())
    }

    pub fn as_i64(&self) -> Option<i64> {
        let b = self.0.as_slice();
        if b.is_empty() || b.len() > 8 {
            return None;
        }
        let fill = if b[0] & 0x80 != 0 { 0xFF } else { 0x00 };
        let mut be = [fill; 8];
        be[8 - b.len()..].copy_from_slice(b);
        Some(i64::from_be_bytes(be))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }
}

impl From<i64> for Integer {
    fn from(v: i64) -> Self {
        Integer::from_i64(v)
    }
}

impl Serialize for Integer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(v) => s.serialize_i64(v),
            None => s.serialize_str(&hex::encode_upper(self.0.as_slice())),
        }
    }
}

/// Which table names a coded integer. The label is derived from the value when
/// serializing, so a hand-built structure needs no separate label to stay consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    RemotePartyRole,
    CellUsage,
    DeviceType,
    SeqNumberUsage,
    CredentialsStatus,
    CredentialsReplacementMode,
    ReplacementStatus,
    CsrResponse,
    DeviceCertificateUpdate,
    DeviceCertificateProvide,
    JoinMethodAndRole,
    JoinResponse,
    UnjoinResponse,
    FirmwareActivation,
    ReadResult,
    FirmwareVersionResult,
    DeviceTimeStatus,
    AlertCode,
    /// A plain number without a label table (counters, values the primer does not name).
    Plain,
}

/// A name for a code, and whether it comes from the corpus-verified primer or only from the
/// reference parser (the primer marks those unverified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Verified(&'static str),
    Parser(&'static str),
}

impl CodeKind {
    pub fn label(self, v: i64) -> Option<Label> {
        use Label::{Parser as P, Verified as V};
        let l = match (self, v) {
            (CodeKind::RemotePartyRole, 127) => P("other"),
            (CodeKind::RemotePartyRole, v) => {
                use crate::codec::enums::RemotePartyRole as R;
                let role = R::from_code(u8::try_from(v).ok()?);
                let name = role.name()?;
                match role {
                    R::Root | R::IssuingAuthority => P(name),
                    _ => V(name),
                }
            }

            (CodeKind::CellUsage, 1) => V("prepayment_top_up"),
            (CodeKind::SeqNumberUsage, 0) => V("prepayment_top_up"),

            (CodeKind::DeviceType, v) => {
                P(crate::codec::enums::DeviceType::from_code(u8::try_from(v).ok()?).name()?)
            }

            (CodeKind::CredentialsStatus, 0) => V("success"),
            (CodeKind::CredentialsStatus, 25) => P("trust_anchor_not_found"),
            (CodeKind::CredentialsStatus, 127) => V("other"),

            (CodeKind::CredentialsReplacementMode, 2) => V("supplier_by_supplier"),
            (CodeKind::CredentialsReplacementMode, 3) => V("network_operator_by_network_operator"),
            (CodeKind::CredentialsReplacementMode, 4) => {
                V("access_control_broker_by_access_control_broker")
            }
            (CodeKind::CredentialsReplacementMode, 5) => V("wan_provider_by_wan_provider"),
            (CodeKind::CredentialsReplacementMode, 6) => V("transitional_cos_by_transitional_cos"),
            (CodeKind::CredentialsReplacementMode, 7) => P("supplier_by_transitional_cos"),
            (CodeKind::CredentialsReplacementMode, 8) => V("any_except_abnormal_root_by_recovery"),
            (CodeKind::CredentialsReplacementMode, 9) => P("any_by_contingency"),
            (CodeKind::CredentialsReplacementMode, 10) => V("load_controller_by_load_controller"),
            (CodeKind::CredentialsReplacementMode, 11) => V("load_controller_by_supplier"),

            (CodeKind::ReplacementStatus, 0) => V("success"),
            (CodeKind::ReplacementStatus, 10) => P("no_trust_anchor"),

            (CodeKind::CsrResponse, 1) => P("invalid_key_usage"),
            (CodeKind::CsrResponse, 2) => P("key_pair_generation_failed"),
            (CodeKind::CsrResponse, 3) => P("request_production_failed"),

            (CodeKind::DeviceCertificateUpdate, 0) => P("success"),
            (CodeKind::DeviceCertificateUpdate, 1) => P("invalid_certificate"),
            (CodeKind::DeviceCertificateUpdate, 2) => P("wrong_device_identity"),
            (CodeKind::DeviceCertificateUpdate, 3) => P("invalid_key_usage"),
            (CodeKind::DeviceCertificateUpdate, 4) => P("no_key_pair"),
            (CodeKind::DeviceCertificateUpdate, 5) => P("wrong_public_key"),
            (CodeKind::DeviceCertificateUpdate, 6) => P("storage_failed"),
            (CodeKind::DeviceCertificateUpdate, 7) => P("private_key_change_failed"),

            (CodeKind::DeviceCertificateProvide, 1) => P("invalid_key_usage"),
            (CodeKind::DeviceCertificateProvide, 2) => P("no_certificate_held"),
            (CodeKind::DeviceCertificateProvide, 3) => P("retrieval_failure"),

            (CodeKind::JoinMethodAndRole, 0) => V("method_a_initiator"),
            (CodeKind::JoinMethodAndRole, 1) => V("method_a_responder"),
            (CodeKind::JoinMethodAndRole, 2) => V("method_b"),
            (CodeKind::JoinMethodAndRole, 3) => V("method_c"),

            (CodeKind::JoinResponse, 0) => P("success"),
            (CodeKind::JoinResponse, 1) => P("wrong_message_code_for_method_or_role"),
            (CodeKind::JoinResponse, 2) => P("invalid_method_or_role"),
            (CodeKind::JoinResponse, 3) => P("incompatible_with_existing_entry"),
            (CodeKind::JoinResponse, 4) => P("device_log_full"),
            (CodeKind::JoinResponse, 5) => P("write_failure"),
            (CodeKind::JoinResponse, 6..=10) => P("key_agreement_failure"),
            (CodeKind::JoinResponse, 11) => P("invalid_or_missing_certificate"),
            (CodeKind::JoinResponse, 12) => P("no_partner_link_key"),
            (CodeKind::JoinResponse, 13) => P("no_cbke_response"),

            (CodeKind::UnjoinResponse, 0) => P("success"),
            (CodeKind::UnjoinResponse, 1) => P("not_in_device_log"),
            (CodeKind::UnjoinResponse, 2) => P("other_failure"),

            (CodeKind::FirmwareActivation, 0) => P("success"),
            (CodeKind::FirmwareActivation, 1) => P("no_image_held"),
            (CodeKind::FirmwareActivation, 2) => P("hash_mismatch"),
            (CodeKind::FirmwareActivation, 3) => P("activation_failure"),

            (CodeKind::ReadResult, 0) => V("success"),
            (CodeKind::ReadResult, 1) => V("read_failure"),

            (CodeKind::FirmwareVersionResult, 0) => V("success"),
            (CodeKind::FirmwareVersionResult, 1) => V("failure"),

            (CodeKind::DeviceTimeStatus, 0) => P("reliable"),
            (CodeKind::DeviceTimeStatus, 1) => P("invalid"),
            (CodeKind::DeviceTimeStatus, 2) => P("unreliable"),

            (CodeKind::AlertCode, 0x8F66) => V("future_dated_execution_success"),
            (CodeKind::AlertCode, 0x8F67) => V("future_dated_execution_failure"),
            (CodeKind::AlertCode, 0x8071) => V("gpf_device_log_backup"),
            (CodeKind::AlertCode, 0x8F8A) => V("firmware_transfer"),
            (CodeKind::AlertCode, 0x8F8B) => V("firmware_version"),
            _ => return None,
        };
        Some(l)
    }
}

/// An INTEGER/ENUMERATED status, role or code. JSON: `{"value": 2, "name": "supplier"}`;
/// `parser_label` instead of `name` when only the reference parser gives the meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    pub value: Integer,
    pub kind: CodeKind,
}

impl Coded {
    pub fn new(kind: CodeKind, value: i64) -> Coded {
        Coded {
            value: Integer::from_i64(value),
            kind,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.value.as_i64()
    }

    pub fn label(&self) -> Option<Label> {
        self.kind.label(self.as_i64()?)
    }
}

impl Serialize for Coded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.kind == CodeKind::Plain {
            return self.value.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.value)?;
        if self.kind == CodeKind::AlertCode {
            if let Some(v) = self.as_i64() {
                m.serialize_entry("hex", &format!("0x{v:04X}"))?;
            }
        }
        match self.label() {
            Some(Label::Verified(n)) => m.serialize_entry("name", n)?,
            Some(Label::Parser(n)) => m.serialize_entry("parser_label", n)?,
            None => {}
        }
        m.end()
    }
}

/// A key-usage BIT STRING, kept as its content octets (unused-bits count first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsage(pub Bytes);

impl KeyUsage {
    pub fn digital_signature() -> KeyUsage {
        KeyUsage(vec![0x07, 0x80].into())
    }

    pub fn key_agreement() -> KeyUsage {
        KeyUsage(vec![0x03, 0x08].into())
    }

    pub fn name(&self) -> Option<&'static str> {
        match self.0.as_slice() {
            [0x07, 0x80] => Some("digitalSignature"),
            [0x03, 0x08] => Some("keyAgreement"),
            _ => None,
        }
    }
}

impl Serialize for KeyUsage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(n) = self.name() {
            m.serialize_entry("name", n)?;
        }
        m.serialize_entry("bits", &self.0)?;
        m.end()
    }
}

/// GeneralizedTime as its text (`YYYYMMDDhhmmssZ`; `99991231235959Z` cancels a pending
/// future-dated command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct GeneralizedTime(pub String);

impl GeneralizedTime {
    pub fn is_cancel(&self) -> bool {
        self.0 == "99991231235959Z"
    }
}

/// ASN.1 NULL (`05 00`), shown as JSON null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Null;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_encodings() {
        for (v, enc) in [
            (0i64, "00"),
            (127, "7F"),
            (128, "0080"),
            (1000, "03E8"),
            (0x8F66, "008F66"),
            (-1, "FF"),
            (-129, "FF7F"),
            (i64::MIN, "8000000000000000"),
        ] {
            let i = Integer::from_i64(v);
            assert_eq!(hex::encode_upper(i.as_bytes()), enc);
            assert_eq!(i.as_i64(), Some(v));
        }
        let big = Integer(vec![0x00, 0xFF, 0, 0, 0, 0, 0, 0, 0].into());
        assert_eq!(big.as_i64(), None);
        assert_eq!(
            serde_json::to_string(&big).unwrap(),
            "\"00FF00000000000000\""
        );
    }

    #[test]
    fn coded_json() {
        let c = Coded::new(CodeKind::RemotePartyRole, 2);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"value":2,"name":"supplier"}"#
        );
        let c = Coded::new(CodeKind::DeviceType, 5);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"value":5,"parser_label":"ppmid"}"#
        );
        let c = Coded::new(CodeKind::AlertCode, 0x8F66);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"value":36710,"hex":"0x8F66","name":"future_dated_execution_success"}"#
        );
    }
}
