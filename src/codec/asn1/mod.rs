//! ASN.1 DER content: security credentials, join/unjoin, firmware activation, device logs
//! (primer asn1-and-utrn.md).
//!
//! Decoding first checks the whole content is well-formed DER (the only hard error), then
//! applies the schema chosen by (message code, CRA flag). The first content byte cannot
//! choose the schema: it is `30` almost everywhere and several responses are CHOICEs. When
//! the code is unknown or the bytes do not fit the schema, the content is still returned as
//! a lossless generic DER tree, with the reason the schema did not apply.

pub mod der;
pub mod payloads;
pub mod values;

use serde::Serialize;

use self::der::{DerNode, DerWriter, LengthHint, SchemaCtx};
use self::payloads::*;
use self::values::CodeKind;
use super::error::{DecodeError, DecodeResult};
use super::ids::{CraFlag, MessageCode};
use super::reader::Reader;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asn1Payload {
    /// Boxed because the structures are large and the frame's payload enum holds this inline.
    pub body: Box<Asn1Body>,
    /// Lengths not in minimal DER form (seen in genuine device responses), kept so the
    /// content re-encodes byte for byte. Empty for conforming DER.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub non_minimal_lengths: Vec<LengthHint>,
}

/// The typed structures of primer §3, or the generic tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "structure", rename_all = "snake_case")]
pub enum Asn1Body {
    /// CS02a 0x0008 / CS02f 0x011B.
    ProvideSecurityCredentialsCommand(ProvideSecurityCredentialsCommand),
    ProvideSecurityCredentialsResponse(ProvideSecurityCredentialsResponse),
    /// CS02b 0x0100–0x0109 / CS02g 0x0125, 0x0126.
    UpdateSecurityCredentialsCommand(UpdateSecurityCredentialsCommand),
    UpdateSecurityCredentialsResponse(UpdateSecurityCredentialsResponse),
    /// Future-dated CS02b / CS02g outcome, 0x00CB / 0x0124.
    UpdateSecurityCredentialsAlert(UpdateSecurityCredentialsAlert),
    /// CS02c 0x000A.
    IssueSecurityCredentialsCommand(KeyUsageCommand),
    IssueSecurityCredentialsResponse(IssueSecurityCredentialsResponse),
    /// CS02d 0x000B.
    UpdateDeviceCertificateCommand(CertificateCommand),
    UpdateDeviceCertificateResponse(ResponseCode),
    /// CS02e 0x000C.
    ProvideDeviceCertificateCommand(KeyUsageCommand),
    ProvideDeviceCertificateResponse(ProvideDeviceCertificateResponse),
    /// CS03A1 0x000D, CS03A2 0x00AB, CS03B 0x000E, CS03C 0x00AF.
    JoinCommand(JoinCommand),
    JoinResponse(ResponseCode),
    /// CS04AC 0x000F, CS04B 0x0010.
    UnjoinCommand(UnjoinCommand),
    UnjoinResponse(ResponseCode),
    /// CS06 0x0012, future-dated outcome alert 0x00CA.
    ActivateFirmwareCommand(ActivateFirmwareCommand),
    ActivateFirmwareResponse(ActivateFirmwareResponse),
    ActivateFirmwareAlert(ActivateFirmwareAlert),
    /// CS07 0x0013.
    ReadDeviceJoinDetailsCommand(NullCommand),
    ReadDeviceJoinDetailsResponse(ReadDeviceJoinDetailsResponse),
    /// GCS59 0x008C.
    RestoreDeviceLogCommand(RestoreDeviceLogCommand),
    RestoreDeviceLogResponse(RestoreDeviceLogResponse),
    /// GCS62 0x00B2 (alert 0x8071).
    BackupDeviceLogAlert(BackupDeviceLogAlert),
    /// CS08 0x0129 (the alert layout is the reference parser's, unverified).
    ReadFirmwareVersionCommand(NullCommand),
    ReadFirmwareVersionResponse(ReadFirmwareVersionResponse),
    ReadFirmwareVersionAlert(ReadFirmwareVersionAlert),
    /// CS09 0x012B alert 0x8F8B.
    FirmwareVersionAlert(FirmwareVersionAlert),
    /// CCS08 0x0128 alert 0x8F8A.
    FirmwareTransferAlert(FirmwareTransferAlert),
    /// GCS28 0x007F (layout from the reference parser, unverified).
    SetClockCommand(SetClockCommand),
    SetClockResponse(SetClockResponse),
    Generic(GenericDer),
}

/// Content shown as a plain DER tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenericDer {
    /// Why the typed schema for this message code did not apply; absent when there is no
    /// schema for the code/CRA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_mismatch: Option<DecodeError>,
    pub elements: Vec<DerNode>,
}

type SchemaFn = fn(&mut SchemaCtx, &mut Reader<'_>) -> DecodeResult<Asn1Body>;

macro_rules! typed {
    ($variant:ident) => {
        |ctx: &mut SchemaCtx, r: &mut Reader<'_>| Schema::read(ctx, r).map(Asn1Body::$variant)
    };
    ($variant:ident, code $kind:ident) => {
        |ctx: &mut SchemaCtx, r: &mut Reader<'_>| {
            read_response_code(ctx, r, CodeKind::$kind).map(Asn1Body::$variant)
        }
    };
}

/// The schema for a message code and CRA flag (primer §1 table).
fn schema_for(code: MessageCode, cra: CraFlag) -> Option<SchemaFn> {
    use CraFlag::{Alert as A, Command as C, Response as R};
    type M = MessageCode;
    if code.updates_security_credentials() {
        return Some(match cra {
            C => typed!(UpdateSecurityCredentialsCommand),
            R => typed!(UpdateSecurityCredentialsResponse),
            _ => return None,
        });
    }
    let f: SchemaFn = match (code, cra) {
        (M::CS02A | M::CS02F, C) => typed!(ProvideSecurityCredentialsCommand),
        (M::CS02A | M::CS02F, R) => typed!(ProvideSecurityCredentialsResponse),
        (M::FDUSCA | M::CS02G_FUTURE_DATED_ALERT, A) => typed!(UpdateSecurityCredentialsAlert),
        (M::CS02C, C) => typed!(IssueSecurityCredentialsCommand),
        (M::CS02C, R) => typed!(IssueSecurityCredentialsResponse),
        (M::CS02D, C) => typed!(UpdateDeviceCertificateCommand),
        (M::CS02D, R) => typed!(UpdateDeviceCertificateResponse, code DeviceCertificateUpdate),
        (M::CS02E, C) => typed!(ProvideDeviceCertificateCommand),
        (M::CS02E, R) => typed!(ProvideDeviceCertificateResponse),
        (M::CS03A1 | M::CS03A2 | M::CS03B | M::CS03C, C) => typed!(JoinCommand),
        (M::CS03A1 | M::CS03A2 | M::CS03B | M::CS03C, R) => typed!(JoinResponse, code JoinResponse),
        (M::CS04AC | M::CS04B, C) => typed!(UnjoinCommand),
        (M::CS04AC | M::CS04B, R) => typed!(UnjoinResponse, code UnjoinResponse),
        (M::CS06, C) => typed!(ActivateFirmwareCommand),
        (M::CS06, R) => typed!(ActivateFirmwareResponse),
        (M::FDFAA, A) => typed!(ActivateFirmwareAlert),
        (M::CS07, C) => typed!(ReadDeviceJoinDetailsCommand),
        (M::CS07, R) => typed!(ReadDeviceJoinDetailsResponse),
        (M::GCS59, C) => typed!(RestoreDeviceLogCommand),
        (M::GCS59, R) => typed!(RestoreDeviceLogResponse),
        (M::GCS62, A) => typed!(BackupDeviceLogAlert),
        (M::CS08, C) => typed!(ReadFirmwareVersionCommand),
        (M::CS08, R) => typed!(ReadFirmwareVersionResponse),
        (M::CS08, A) => typed!(ReadFirmwareVersionAlert),
        (M::CS09, A) => typed!(FirmwareVersionAlert),
        (M::CCS08, A) => typed!(FirmwareTransferAlert),
        (M::GCS28, C) => typed!(SetClockCommand),
        (M::GCS28, R) => typed!(SetClockResponse),
        _ => return None,
    };
    Some(f)
}

/// Decodes DER content; the structure depends on the message code and the CRA flag.
/// `base` is the absolute offset of `content[0]` in the frame, for error offsets.
pub fn decode(
    content: &[u8],
    base: usize,
    code: MessageCode,
    cra: CraFlag,
) -> DecodeResult<Asn1Payload> {
    // The typed schema is tried first: it reads (and validates) every element it meets, so
    // the generic tree is only built for unknown codes or bytes that do not fit the schema.
    let schema_mismatch = match schema_for(code, cra) {
        None => None,
        Some(read) => {
            let mut ctx = SchemaCtx::default();
            let mut r = Reader::with_base(content, base);
            match read(&mut ctx, &mut r).and_then(|body| {
                r.expect_end("ASN.1 payload")?;
                Ok(body)
            }) {
                Ok(body) => {
                    return Ok(Asn1Payload {
                        body: Box::new(body),
                        non_minimal_lengths: ctx.hints,
                    })
                }
                Err(e) => Some(e),
            }
        }
    };
    let mut tree_hints = Vec::new();
    let elements = der::parse_tree(&mut Reader::with_base(content, base), &mut tree_hints)?;
    Ok(Asn1Payload {
        body: Box::new(Asn1Body::Generic(GenericDer {
            schema_mismatch,
            elements,
        })),
        non_minimal_lengths: tree_hints,
    })
}

impl Asn1Payload {
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut w = DerWriter::new(&self.non_minimal_lengths);
        self.body.write(&mut w);
        out.extend_from_slice(&w.finish());
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Whether a typed schema applied (false: generic tree).
    pub fn is_typed(&self) -> bool {
        !matches!(*self.body, Asn1Body::Generic(_))
    }
}

impl Asn1Body {
    fn write(&self, w: &mut DerWriter<'_>) {
        match self {
            Asn1Body::ProvideSecurityCredentialsCommand(v) => v.write(w),
            Asn1Body::ProvideSecurityCredentialsResponse(v) => v.write(w),
            Asn1Body::UpdateSecurityCredentialsCommand(v) => v.write(w),
            Asn1Body::UpdateSecurityCredentialsResponse(v) => v.write(w),
            Asn1Body::UpdateSecurityCredentialsAlert(v) => v.write(w),
            Asn1Body::IssueSecurityCredentialsCommand(v) => v.write(w),
            Asn1Body::IssueSecurityCredentialsResponse(v) => v.write(w),
            Asn1Body::UpdateDeviceCertificateCommand(v) => v.write(w),
            Asn1Body::UpdateDeviceCertificateResponse(v) => write_response_code(v, w),
            Asn1Body::ProvideDeviceCertificateCommand(v) => v.write(w),
            Asn1Body::ProvideDeviceCertificateResponse(v) => v.write(w),
            Asn1Body::JoinCommand(v) => v.write(w),
            Asn1Body::JoinResponse(v) => write_response_code(v, w),
            Asn1Body::UnjoinCommand(v) => v.write(w),
            Asn1Body::UnjoinResponse(v) => write_response_code(v, w),
            Asn1Body::ActivateFirmwareCommand(v) => v.write(w),
            Asn1Body::ActivateFirmwareResponse(v) => v.write(w),
            Asn1Body::ActivateFirmwareAlert(v) => v.write(w),
            Asn1Body::ReadDeviceJoinDetailsCommand(v) => v.write(w),
            Asn1Body::ReadDeviceJoinDetailsResponse(v) => v.write(w),
            Asn1Body::RestoreDeviceLogCommand(v) => v.write(w),
            Asn1Body::RestoreDeviceLogResponse(v) => v.write(w),
            Asn1Body::BackupDeviceLogAlert(v) => v.write(w),
            Asn1Body::ReadFirmwareVersionCommand(v) => v.write(w),
            Asn1Body::ReadFirmwareVersionResponse(v) => v.write(w),
            Asn1Body::ReadFirmwareVersionAlert(v) => v.write(w),
            Asn1Body::FirmwareVersionAlert(v) => v.write(w),
            Asn1Body::FirmwareTransferAlert(v) => v.write(w),
            Asn1Body::SetClockCommand(v) => v.write(w),
            Asn1Body::SetClockResponse(v) => v.write(w),
            Asn1Body::Generic(g) => w.nodes(&g.elements),
        }
    }
}

#[cfg(test)]
mod tests;
