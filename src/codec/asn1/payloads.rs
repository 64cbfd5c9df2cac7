//! The typed GBCS ASN.1 structures (primer asn1-and-utrn.md §3), each with a schema reader
//! and writer over the DER layer.

use serde::Serialize;

use super::der::{peek_tag, DerWriter, SchemaCtx, Tag};
use super::values::{CodeKind, Coded, GeneralizedTime, Integer, KeyUsage, Null};
use crate::codec::bytes::Bytes;
use crate::codec::error::DecodeResult;
use crate::codec::reader::Reader;

type R<'r, 'a> = &'r mut Reader<'a>;

// ---------------------------------------------------------------------------------------
// Field readers and writers
// ---------------------------------------------------------------------------------------

fn read_integer(ctx: &mut SchemaCtx, r: R, tag: Tag, what: &'static str) -> DecodeResult<Integer> {
    let mut c = ctx.expect(r, tag, what)?;
    if c.is_empty() {
        return Err(c.invalid(what, "INTEGER with no content octets"));
    }
    Ok(Integer(c.rest().into()))
}

fn read_int(ctx: &mut SchemaCtx, r: R, what: &'static str) -> DecodeResult<Integer> {
    read_integer(ctx, r, Tag::INTEGER, what)
}

fn read_coded(
    ctx: &mut SchemaCtx,
    r: R,
    tag: Tag,
    kind: CodeKind,
    what: &'static str,
) -> DecodeResult<Coded> {
    Ok(Coded {
        value: read_integer(ctx, r, tag, what)?,
        kind,
    })
}

fn read_code(ctx: &mut SchemaCtx, r: R, kind: CodeKind, what: &'static str) -> DecodeResult<Coded> {
    read_coded(ctx, r, Tag::INTEGER, kind, what)
}

fn read_enum(ctx: &mut SchemaCtx, r: R, kind: CodeKind, what: &'static str) -> DecodeResult<Coded> {
    read_coded(ctx, r, Tag::ENUMERATED, kind, what)
}

fn read_octets(ctx: &mut SchemaCtx, r: R, tag: Tag, what: &'static str) -> DecodeResult<Bytes> {
    Ok(ctx.expect(r, tag, what)?.rest().into())
}

fn read_os(ctx: &mut SchemaCtx, r: R, what: &'static str) -> DecodeResult<Bytes> {
    read_octets(ctx, r, Tag::OCTET_STRING, what)
}

fn read_null(ctx: &mut SchemaCtx, r: R, what: &'static str) -> DecodeResult<Null> {
    let c = ctx.expect(r, Tag::NULL, what)?;
    c.expect_end(what)?;
    Ok(Null)
}

fn read_time(ctx: &mut SchemaCtx, r: R, what: &'static str) -> DecodeResult<GeneralizedTime> {
    let mut c = ctx.expect(r, Tag::GENERALIZED_TIME, what)?;
    let at = c.offset();
    let b = c.rest();
    if !b.iter().all(|x| x.is_ascii_graphic()) {
        return Err(crate::codec::DecodeError::invalid(
            at,
            what,
            "GeneralizedTime is not printable ASCII",
        ));
    }
    Ok(GeneralizedTime(String::from_utf8_lossy(b).into_owned()))
}

fn read_key_usage(ctx: &mut SchemaCtx, r: R) -> DecodeResult<KeyUsage> {
    let mut c = ctx.expect(r, Tag::BIT_STRING, "keyUsage")?;
    let b = c.rest();
    if b.is_empty() || b[0] > 7 {
        return Err(c.invalid("keyUsage", "BIT STRING without a valid unused-bits octet"));
    }
    Ok(KeyUsage(b.into()))
}

fn read_cert<'a>(ctx: &mut SchemaCtx, r: R<'_, 'a>, what: &'static str) -> DecodeResult<Bytes> {
    Ok(ctx.opaque(r, Tag::SEQUENCE, what)?.into())
}

/// A constructed element whose content `f` must consume entirely.
fn read_seq<'a, T>(
    ctx: &mut SchemaCtx,
    r: R<'_, 'a>,
    tag: Tag,
    what: &'static str,
    f: impl FnOnce(&mut SchemaCtx, &mut Reader<'a>) -> DecodeResult<T>,
) -> DecodeResult<T> {
    let mut c = ctx.expect(r, tag, what)?;
    let v = f(ctx, &mut c)?;
    c.expect_end(what)?;
    Ok(v)
}

/// SEQUENCE OF: `item` is called until the content is used up. Every item reads at least
/// one TLV header, so the loop always advances.
fn read_seq_of<'a, T>(
    ctx: &mut SchemaCtx,
    r: R<'_, 'a>,
    tag: Tag,
    what: &'static str,
    mut item: impl FnMut(&mut SchemaCtx, &mut Reader<'a>) -> DecodeResult<T>,
) -> DecodeResult<Vec<T>> {
    let mut c = ctx.expect(r, tag, what)?;
    let mut out = Vec::new();
    while !c.is_empty() {
        let before = c.remaining();
        out.push(item(ctx, &mut c)?);
        debug_assert!(c.remaining() < before);
    }
    Ok(out)
}

fn is_next(r: &Reader<'_>, tag: Tag) -> bool {
    peek_tag(r) == Some(tag)
}

fn write_integer(w: &mut DerWriter<'_>, tag: Tag, v: &Integer) {
    w.primitive(tag, v.as_bytes());
}

fn write_int(w: &mut DerWriter<'_>, v: &Integer) {
    write_integer(w, Tag::INTEGER, v);
}

fn write_code(w: &mut DerWriter<'_>, v: &Coded) {
    write_integer(w, Tag::INTEGER, &v.value);
}

fn write_enum(w: &mut DerWriter<'_>, v: &Coded) {
    write_integer(w, Tag::ENUMERATED, &v.value);
}

fn write_os(w: &mut DerWriter<'_>, v: &Bytes) {
    w.primitive(Tag::OCTET_STRING, v.as_slice());
}

fn write_null(w: &mut DerWriter<'_>) {
    w.primitive(Tag::NULL, &[]);
}

fn write_time(w: &mut DerWriter<'_>, t: &GeneralizedTime) {
    w.primitive(Tag::GENERALIZED_TIME, t.0.as_bytes());
}

fn write_key_usage(w: &mut DerWriter<'_>, k: &KeyUsage) {
    w.primitive(Tag::BIT_STRING, k.0.as_slice());
}

fn write_seq_of<T>(w: &mut DerWriter<'_>, items: &[T], f: impl Fn(&mut DerWriter<'_>, &T)) {
    w.constructed(Tag::SEQUENCE, |w| {
        for i in items {
            f(w, i);
        }
    });
}

fn write_codes(w: &mut DerWriter<'_>, items: &[Coded]) {
    write_seq_of(w, items, write_code);
}

/// A structure with a DER schema: `read` consumes exactly its own TLV(s).
pub trait Schema: Sized {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self>;
    fn write(&self, w: &mut DerWriter<'_>);
}

fn read_list<'a, T: Schema>(
    ctx: &mut SchemaCtx,
    r: R<'_, 'a>,
    what: &'static str,
) -> DecodeResult<Vec<T>> {
    read_seq_of(ctx, r, Tag::SEQUENCE, what, |ctx, r| T::read(ctx, r))
}

fn write_list<T: Schema>(w: &mut DerWriter<'_>, items: &[T]) {
    write_seq_of(w, items, |w, i| i.write(w));
}

// ---------------------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------------------

/// TACellIdentifier: which trust-anchor cell (role, key usage, cell usage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaCellIdentifier {
    pub remote_party_role: Coded,
    pub key_usage: KeyUsage,
    /// 1 = prepayment top-up; absent = management.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_usage: Option<Coded>,
}

impl TaCellIdentifier {
    fn read_tagged(ctx: &mut SchemaCtx, r: R, tag: Tag) -> DecodeResult<Self> {
        read_seq(ctx, r, tag, "TACellIdentifier", |ctx, r| {
            Ok(TaCellIdentifier {
                remote_party_role: read_code(ctx, r, CodeKind::RemotePartyRole, "remotePartyRole")?,
                key_usage: read_key_usage(ctx, r)?,
                cell_usage: if is_next(r, Tag::INTEGER) {
                    Some(read_code(ctx, r, CodeKind::CellUsage, "cellUsage")?)
                } else {
                    None
                },
            })
        })
    }

    fn write_tagged(&self, w: &mut DerWriter<'_>, tag: Tag) {
        w.constructed(tag, |w| {
            write_code(w, &self.remote_party_role);
            write_key_usage(w, &self.key_usage);
            if let Some(c) = &self.cell_usage {
                write_code(w, c);
            }
        });
    }
}

impl Schema for TaCellIdentifier {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        Self::read_tagged(ctx, r, Tag::SEQUENCE)
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        self.write_tagged(w, Tag::SEQUENCE)
    }
}

/// TACellContents: one trust-anchor cell's key usage and owner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaCellContents {
    pub key_usage: KeyUsage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_usage: Option<Coded>,
    /// Entity id of the certificate owner.
    pub subject_unique_id: Bytes,
    /// The certificate's subject key identifier extension.
    pub subject_key_identifier: Bytes,
}

impl Schema for TaCellContents {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "TACellContents", |ctx, r| {
            Ok(TaCellContents {
                key_usage: read_key_usage(ctx, r)?,
                cell_usage: if is_next(r, Tag::INTEGER) {
                    Some(read_code(ctx, r, CodeKind::CellUsage, "cellUsage")?)
                } else {
                    None
                },
                subject_unique_id: read_os(ctx, r, "subjectUniqueID")?,
                subject_key_identifier: read_os(ctx, r, "subjectKeyIdentifier")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_key_usage(w, &self.key_usage);
            if let Some(c) = &self.cell_usage {
                write_code(w, c);
            }
            write_os(w, &self.subject_unique_id);
            write_os(w, &self.subject_key_identifier);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceLogEntry {
    pub device_id: Bytes,
    pub device_type: Coded,
}

impl Schema for DeviceLogEntry {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "DeviceLogEntry", |ctx, r| {
            Ok(DeviceLogEntry {
                device_id: read_os(ctx, r, "deviceID")?,
                device_type: read_code(ctx, r, CodeKind::DeviceType, "deviceType")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_os(w, &self.device_id);
            write_code(w, &self.device_type);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialistSeqNumber {
    /// 0 = prepayment top-up.
    pub seq_number_usage: Coded,
    pub seq_number: Integer,
}

impl Schema for SpecialistSeqNumber {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "SpecialistSeqNumber", |ctx, r| {
            Ok(SpecialistSeqNumber {
                seq_number_usage: read_code(ctx, r, CodeKind::SeqNumberUsage, "seqNumberUsage")?,
                seq_number: read_int(ctx, r, "seqNumber")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.seq_number_usage);
            write_int(w, &self.seq_number);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RpSeqNumberChange {
    pub remote_party_role: Coded,
    pub floor_seq_number: Integer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialist_floor_seq_numbers: Option<Vec<SpecialistSeqNumber>>,
}

impl Schema for RpSeqNumberChange {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "RPSeqNumberChange", |ctx, r| {
            Ok(RpSeqNumberChange {
                remote_party_role: read_code(ctx, r, CodeKind::RemotePartyRole, "remotePartyRole")?,
                floor_seq_number: read_int(ctx, r, "floorSeqNumber")?,
                specialist_floor_seq_numbers: if is_next(r, Tag::SEQUENCE) {
                    Some(read_list(ctx, r, "specialistFloorSeqNumbers")?)
                } else {
                    None
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.remote_party_role);
            write_int(w, &self.floor_seq_number);
            if let Some(s) = &self.specialist_floor_seq_numbers {
                write_list(w, s);
            }
        });
    }
}

// ---------------------------------------------------------------------------------------
// §3.1 CS02a / CS02f
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvideSecurityCredentialsCommand {
    pub authorising_remote_party_ta_cell_identifier: TaCellIdentifier,
    pub remote_party_roles_credentials_required: Vec<Coded>,
}

impl Schema for ProvideSecurityCredentialsCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS02a command", |ctx, r| {
            Ok(ProvideSecurityCredentialsCommand {
                authorising_remote_party_ta_cell_identifier: TaCellIdentifier::read(ctx, r)?,
                remote_party_roles_credentials_required: read_seq_of(
                    ctx,
                    r,
                    Tag::SEQUENCE,
                    "remotePartyRolesCredentialsRequired",
                    |ctx, r| read_code(ctx, r, CodeKind::RemotePartyRole, "remotePartyRole"),
                )?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            self.authorising_remote_party_ta_cell_identifier.write(w);
            write_codes(w, &self.remote_party_roles_credentials_required);
        });
    }
}

/// One requested role's credentials (the response lists them in request order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemotePartyCredentials {
    pub remote_party_role: Coded,
    pub status: Coded,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_seq_number: Option<Integer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_anchor_cell_details: Option<Vec<TaCellContents>>,
}

impl Schema for RemotePartyCredentials {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(
            ctx,
            r,
            Tag::SEQUENCE,
            "remote party credentials",
            |ctx, r| {
                Ok(RemotePartyCredentials {
                    remote_party_role: read_code(
                        ctx,
                        r,
                        CodeKind::RemotePartyRole,
                        "remotePartyRole",
                    )?,
                    status: read_enum(ctx, r, CodeKind::CredentialsStatus, "status")?,
                    current_seq_number: if is_next(r, Tag::INTEGER) {
                        Some(read_int(ctx, r, "currentSeqNumber")?)
                    } else {
                        None
                    },
                    trust_anchor_cell_details: if is_next(r, Tag::SEQUENCE) {
                        Some(read_list(ctx, r, "trustAnchorCellDetails")?)
                    } else {
                        None
                    },
                })
            },
        )
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.remote_party_role);
            write_enum(w, &self.status);
            if let Some(n) = &self.current_seq_number {
                write_int(w, n);
            }
            if let Some(d) = &self.trust_anchor_cell_details {
                write_list(w, d);
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvideSecurityCredentialsResponse {
    pub remote_party_credentials: Vec<RemotePartyCredentials>,
}

impl Schema for ProvideSecurityCredentialsResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        Ok(ProvideSecurityCredentialsResponse {
            remote_party_credentials: read_list(ctx, r, "CS02a response")?,
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        write_list(w, &self.remote_party_credentials);
    }
}

// ---------------------------------------------------------------------------------------
// §3.2 CS02b / CS02g and the future-dated outcome alerts
// ---------------------------------------------------------------------------------------

const TAG_PLAINTEXT_KEY: Tag = Tag::context(0, false);
const TAG_TIME_BASED_CPV: Tag = Tag::context(1, false);
const TAG_AUTH_TA_CELL: Tag = Tag::context(2, true);
const TAG_AUTH_SEQ: Tag = Tag::context(3, false);
const TAG_NEW_FLOOR: Tag = Tag::context(4, false);
const TAG_NEW_SPECIALIST: Tag = Tag::context(5, true);
const TAG_OTHER_CHANGES: Tag = Tag::context(6, true);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorisingRemotePartyControl {
    pub credentials_replacement_mode: Coded,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaintext_symmetric_key: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_time_based_cpv_checks: Option<Integer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorising_remote_party_ta_cell_identifier: Option<TaCellIdentifier>,
    pub authorising_remote_party_seq_number: Integer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_remote_party_floor_seq_number: Option<Integer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_remote_party_specialist_floor_seq_numbers: Option<Vec<SpecialistSeqNumber>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_remote_party_seq_number_changes: Option<Vec<RpSeqNumberChange>>,
}

impl Schema for AuthorisingRemotePartyControl {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(
            ctx,
            r,
            Tag::SEQUENCE,
            "authorisingRemotePartyControl",
            |ctx, r| {
                let credentials_replacement_mode = read_code(
                    ctx,
                    r,
                    CodeKind::CredentialsReplacementMode,
                    "credentialsReplacementMode",
                )?;
                let plaintext_symmetric_key = if is_next(r, TAG_PLAINTEXT_KEY) {
                    Some(read_octets(
                        ctx,
                        r,
                        TAG_PLAINTEXT_KEY,
                        "plaintextSymmetricKey",
                    )?)
                } else {
                    None
                };
                let apply_time_based_cpv_checks = if is_next(r, TAG_TIME_BASED_CPV) {
                    Some(read_integer(
                        ctx,
                        r,
                        TAG_TIME_BASED_CPV,
                        "applyTimeBasedCPVChecks",
                    )?)
                } else {
                    None
                };
                let authorising_remote_party_ta_cell_identifier = if is_next(r, TAG_AUTH_TA_CELL) {
                    Some(TaCellIdentifier::read_tagged(ctx, r, TAG_AUTH_TA_CELL)?)
                } else {
                    None
                };
                let authorising_remote_party_seq_number =
                    read_integer(ctx, r, TAG_AUTH_SEQ, "authorisingRemotePartySeqNumber")?;
                let new_remote_party_floor_seq_number = if is_next(r, TAG_NEW_FLOOR) {
                    Some(read_integer(
                        ctx,
                        r,
                        TAG_NEW_FLOOR,
                        "newRemotePartyFloorSeqNumber",
                    )?)
                } else {
                    None
                };
                let new_remote_party_specialist_floor_seq_numbers =
                    if is_next(r, TAG_NEW_SPECIALIST) {
                        Some(read_seq_of(
                            ctx,
                            r,
                            TAG_NEW_SPECIALIST,
                            "newRemotePartySpecialistFloorSeqNumbers",
                            |ctx, r| SpecialistSeqNumber::read(ctx, r),
                        )?)
                    } else {
                        None
                    };
                let other_remote_party_seq_number_changes = if is_next(r, TAG_OTHER_CHANGES) {
                    Some(read_seq_of(
                        ctx,
                        r,
                        TAG_OTHER_CHANGES,
                        "otherRemotePartySeqNumberChanges",
                        |ctx, r| RpSeqNumberChange::read(ctx, r),
                    )?)
                } else {
                    None
                };
                Ok(AuthorisingRemotePartyControl {
                    credentials_replacement_mode,
                    plaintext_symmetric_key,
                    apply_time_based_cpv_checks,
                    authorising_remote_party_ta_cell_identifier,
                    authorising_remote_party_seq_number,
                    new_remote_party_floor_seq_number,
                    new_remote_party_specialist_floor_seq_numbers,
                    other_remote_party_seq_number_changes,
                })
            },
        )
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.credentials_replacement_mode);
            if let Some(k) = &self.plaintext_symmetric_key {
                w.primitive(TAG_PLAINTEXT_KEY, k.as_slice());
            }
            if let Some(v) = &self.apply_time_based_cpv_checks {
                write_integer(w, TAG_TIME_BASED_CPV, v);
            }
            if let Some(c) = &self.authorising_remote_party_ta_cell_identifier {
                c.write_tagged(w, TAG_AUTH_TA_CELL);
            }
            write_integer(w, TAG_AUTH_SEQ, &self.authorising_remote_party_seq_number);
            if let Some(v) = &self.new_remote_party_floor_seq_number {
                write_integer(w, TAG_NEW_FLOOR, v);
            }
            if let Some(s) = &self.new_remote_party_specialist_floor_seq_numbers {
                w.constructed(TAG_NEW_SPECIALIST, |w| s.iter().for_each(|i| i.write(w)));
            }
            if let Some(s) = &self.other_remote_party_seq_number_changes {
                w.constructed(TAG_OTHER_CHANGES, |w| s.iter().for_each(|i| i.write(w)));
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    /// X.509 certificate, DER (opaque).
    pub replacing_certificate: Bytes,
    pub target_trust_anchor_cell: TaCellIdentifier,
}

impl Schema for Replacement {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "replacement", |ctx, r| {
            Ok(Replacement {
                replacing_certificate: read_cert(ctx, r, "replacingCertificate")?,
                target_trust_anchor_cell: TaCellIdentifier::read(ctx, r)?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            w.raw(self.replacing_certificate.as_slice());
            self.target_trust_anchor_cell.write(w);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateSecurityCredentialsCommand {
    pub authorising_remote_party_control: AuthorisingRemotePartyControl,
    pub replacements: Vec<Replacement>,
    /// X.509 certificates, DER (opaque).
    pub certification_path_certificates: Vec<Bytes>,
    /// Future execution date, or `99991231235959Z` to cancel a pending one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_date_time: Option<GeneralizedTime>,
}

impl Schema for UpdateSecurityCredentialsCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS02b command", |ctx, r| {
            Ok(UpdateSecurityCredentialsCommand {
                authorising_remote_party_control: AuthorisingRemotePartyControl::read(ctx, r)?,
                replacements: read_list(ctx, r, "replacements")?,
                certification_path_certificates: read_seq_of(
                    ctx,
                    r,
                    Tag::SEQUENCE,
                    "certificationPathCertificates",
                    |ctx, r| read_cert(ctx, r, "certificate"),
                )?,
                execution_date_time: if is_next(r, Tag::GENERALIZED_TIME) {
                    Some(read_time(ctx, r, "executionDateTime")?)
                } else {
                    None
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            self.authorising_remote_party_control.write(w);
            write_list(w, &self.replacements);
            write_seq_of(w, &self.certification_path_certificates, |w, c| {
                w.raw(c.as_slice())
            });
            if let Some(t) = &self.execution_date_time {
                write_time(w, t);
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplacementOutcome {
    pub affected_trust_anchor_cell: TaCellIdentifier,
    pub status: Coded,
    pub existing_subject_unique_id: Bytes,
    pub existing_subject_key_identifier: Bytes,
    pub replacing_subject_unique_id: Bytes,
    pub replacing_subject_key_identifier: Bytes,
}

impl Schema for ReplacementOutcome {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "replacement outcome", |ctx, r| {
            Ok(ReplacementOutcome {
                affected_trust_anchor_cell: TaCellIdentifier::read(ctx, r)?,
                status: read_enum(ctx, r, CodeKind::ReplacementStatus, "status")?,
                existing_subject_unique_id: read_os(ctx, r, "existingSubjectUniqueID")?,
                existing_subject_key_identifier: read_os(ctx, r, "existingSubjectKeyIdentifier")?,
                replacing_subject_unique_id: read_os(ctx, r, "replacingSubjectUniqueID")?,
                replacing_subject_key_identifier: read_os(ctx, r, "replacingSubjectKeyIdentifier")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            self.affected_trust_anchor_cell.write(w);
            write_enum(w, &self.status);
            write_os(w, &self.existing_subject_unique_id);
            write_os(w, &self.existing_subject_key_identifier);
            write_os(w, &self.replacing_subject_unique_id);
            write_os(w, &self.replacing_subject_key_identifier);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialsExecutionOutcome {
    /// Repeats the originator counter of the command being reported on.
    pub authorising_remote_party_seq_number: Integer,
    pub credentials_replacement_mode: Coded,
    pub remote_party_seq_number_changes: Vec<RpSeqNumberChange>,
    pub replacement_outcomes: Vec<ReplacementOutcome>,
}

impl Schema for CredentialsExecutionOutcome {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "executionOutcome", |ctx, r| {
            Ok(CredentialsExecutionOutcome {
                authorising_remote_party_seq_number: read_int(
                    ctx,
                    r,
                    "authorisingRemotePartySeqNumber",
                )?,
                credentials_replacement_mode: read_code(
                    ctx,
                    r,
                    CodeKind::CredentialsReplacementMode,
                    "credentialsReplacementMode",
                )?,
                remote_party_seq_number_changes: read_list(ctx, r, "remotePartySeqNumberChanges")?,
                replacement_outcomes: read_list(ctx, r, "replacementOutcomes")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_int(w, &self.authorising_remote_party_seq_number);
            write_code(w, &self.credentials_replacement_mode);
            write_list(w, &self.remote_party_seq_number_changes);
            write_list(w, &self.replacement_outcomes);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateSecurityCredentialsResponse {
    pub command_accepted: Null,
    /// Absent when the command was future-dated or a cancellation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_outcome: Option<CredentialsExecutionOutcome>,
}

impl Schema for UpdateSecurityCredentialsResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS02b response", |ctx, r| {
            Ok(UpdateSecurityCredentialsResponse {
                command_accepted: read_null(ctx, r, "commandAccepted")?,
                execution_outcome: if r.is_empty() {
                    None
                } else {
                    Some(CredentialsExecutionOutcome::read(ctx, r)?)
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_null(w);
            if let Some(o) = &self.execution_outcome {
                o.write(w);
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateSecurityCredentialsAlert {
    pub alert_code: Coded,
    pub execution_date_time: GeneralizedTime,
    pub execution_outcome: CredentialsExecutionOutcome,
}

impl Schema for UpdateSecurityCredentialsAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS02b alert", |ctx, r| {
            Ok(UpdateSecurityCredentialsAlert {
                alert_code: read_code(ctx, r, CodeKind::AlertCode, "alertCode")?,
                execution_date_time: read_time(ctx, r, "executionDateTime")?,
                execution_outcome: CredentialsExecutionOutcome::read(ctx, r)?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.execution_date_time);
            self.execution_outcome.write(w);
        });
    }
}

// ---------------------------------------------------------------------------------------
// §3.3–3.5 CS02c, CS02d, CS02e
// ---------------------------------------------------------------------------------------

/// CS02c and CS02e command: which key pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyUsageCommand {
    pub key_usage: KeyUsage,
}

impl Schema for KeyUsageCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "key usage command", |ctx, r| {
            Ok(KeyUsageCommand {
                key_usage: read_key_usage(ctx, r)?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| write_key_usage(w, &self.key_usage));
    }
}

/// A bare INTEGER response code (CS02d, CS03, CS04).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseCode {
    pub response_code: Coded,
}

impl ResponseCode {
    fn read_kind(ctx: &mut SchemaCtx, r: R, kind: CodeKind) -> DecodeResult<Self> {
        Ok(ResponseCode {
            response_code: read_code(ctx, r, kind, "responseCode")?,
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        write_code(w, &self.response_code);
    }
}

/// A CHOICE between a DER object (CSR or certificate, kept opaque) and an error code.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificationRequestOrCode {
    /// PKCS#10 CertificationRequest, DER (opaque).
    CertificationRequest(Bytes),
    ResponseCode(Coded),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateOrCode {
    /// X.509 certificate, DER (opaque).
    Certificate(Bytes),
    ResponseCode(Coded),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSecurityCredentialsResponse {
    pub result: CertificationRequestOrCode,
}

impl Schema for IssueSecurityCredentialsResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        let result = if is_next(r, Tag::INTEGER) {
            CertificationRequestOrCode::ResponseCode(read_code(
                ctx,
                r,
                CodeKind::CsrResponse,
                "responseCode",
            )?)
        } else {
            CertificationRequestOrCode::CertificationRequest(read_cert(
                ctx,
                r,
                "certificationRequest",
            )?)
        };
        Ok(IssueSecurityCredentialsResponse { result })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        match &self.result {
            CertificationRequestOrCode::CertificationRequest(b) => w.raw(b.as_slice()),
            CertificationRequestOrCode::ResponseCode(c) => write_code(w, c),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateCommand {
    /// X.509 certificate, DER (opaque), sent bare.
    pub certificate: Bytes,
}

impl Schema for CertificateCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        Ok(CertificateCommand {
            certificate: read_cert(ctx, r, "certificate")?,
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.raw(self.certificate.as_slice());
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvideDeviceCertificateResponse {
    pub result: CertificateOrCode,
}

impl Schema for ProvideDeviceCertificateResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        let result = if is_next(r, Tag::INTEGER) {
            CertificateOrCode::ResponseCode(read_code(
                ctx,
                r,
                CodeKind::DeviceCertificateProvide,
                "responseCode",
            )?)
        } else {
            CertificateOrCode::Certificate(read_cert(ctx, r, "certificate")?)
        };
        Ok(ProvideDeviceCertificateResponse { result })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        match &self.result {
            CertificateOrCode::Certificate(b) => w.raw(b.as_slice()),
            CertificateOrCode::ResponseCode(c) => write_code(w, c),
        }
    }
}

// ---------------------------------------------------------------------------------------
// §3.6–3.7 joins and unjoins
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JoinCommand {
    pub join_method_and_role: Coded,
    pub other_device_entity_identifier: Bytes,
    pub other_device_type: Coded,
    /// X.509 certificate, DER (opaque); method C only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_device_certificate: Option<Bytes>,
}

impl Schema for JoinCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS03 command", |ctx, r| {
            Ok(JoinCommand {
                join_method_and_role: read_code(
                    ctx,
                    r,
                    CodeKind::JoinMethodAndRole,
                    "joinMethodAndRole",
                )?,
                other_device_entity_identifier: read_os(ctx, r, "otherDeviceEntityIdentifier")?,
                other_device_type: read_code(ctx, r, CodeKind::DeviceType, "otherDeviceType")?,
                other_device_certificate: if r.is_empty() {
                    None
                } else {
                    Some(read_cert(ctx, r, "otherDeviceCertificate")?)
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.join_method_and_role);
            write_os(w, &self.other_device_entity_identifier);
            write_code(w, &self.other_device_type);
            if let Some(c) = &self.other_device_certificate {
                w.raw(c.as_slice());
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnjoinCommand {
    /// Sent bare, without a SEQUENCE.
    pub other_device_entity_identifier: Bytes,
}

impl Schema for UnjoinCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        Ok(UnjoinCommand {
            other_device_entity_identifier: read_os(ctx, r, "otherDeviceEntityIdentifier")?,
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        write_os(w, &self.other_device_entity_identifier);
    }
}

// ---------------------------------------------------------------------------------------
// §3.8 CS06 firmware activation
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivateFirmwareCommand {
    pub manufacturer_image_hash: Bytes,
    /// Equals this command's grouping-header originator counter.
    pub originator_counter: Integer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_date_time: Option<GeneralizedTime>,
}

impl Schema for ActivateFirmwareCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS06 command", |ctx, r| {
            Ok(ActivateFirmwareCommand {
                manufacturer_image_hash: read_os(ctx, r, "manufacturerImageHash")?,
                originator_counter: read_int(ctx, r, "originatorCounter")?,
                execution_date_time: if is_next(r, Tag::GENERALIZED_TIME) {
                    Some(read_time(ctx, r, "executionDateTime")?)
                } else {
                    None
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_os(w, &self.manufacturer_image_hash);
            write_int(w, &self.originator_counter);
            if let Some(t) = &self.execution_date_time {
                write_time(w, t);
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmwareExecutionOutcome {
    pub response_code: Coded,
    pub firmware_version: Bytes,
}

impl Schema for FirmwareExecutionOutcome {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "executionOutcome", |ctx, r| {
            Ok(FirmwareExecutionOutcome {
                response_code: read_code(ctx, r, CodeKind::FirmwareActivation, "responseCode")?,
                firmware_version: read_os(ctx, r, "firmwareVersion")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.response_code);
            write_os(w, &self.firmware_version);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivateFirmwareResult {
    /// Future-dated or cancellation accepted.
    CommandAccepted(Null),
    ExecutionOutcome(FirmwareExecutionOutcome),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivateFirmwareResponse {
    pub result: ActivateFirmwareResult,
}

impl Schema for ActivateFirmwareResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        let result = if is_next(r, Tag::NULL) {
            ActivateFirmwareResult::CommandAccepted(read_null(ctx, r, "commandAccepted")?)
        } else {
            ActivateFirmwareResult::ExecutionOutcome(FirmwareExecutionOutcome::read(ctx, r)?)
        };
        Ok(ActivateFirmwareResponse { result })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        match &self.result {
            ActivateFirmwareResult::CommandAccepted(_) => write_null(w),
            ActivateFirmwareResult::ExecutionOutcome(o) => o.write(w),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivateFirmwareAlert {
    pub alert_code: Coded,
    pub execution_date_time: GeneralizedTime,
    /// Counter of the original command.
    pub originator_counter: Integer,
    pub execution_outcome: FirmwareExecutionOutcome,
}

impl Schema for ActivateFirmwareAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS06 alert", |ctx, r| {
            Ok(ActivateFirmwareAlert {
                alert_code: read_code(ctx, r, CodeKind::AlertCode, "alertCode")?,
                execution_date_time: read_time(ctx, r, "executionDateTime")?,
                originator_counter: read_int(ctx, r, "originatorCounter")?,
                execution_outcome: FirmwareExecutionOutcome::read(ctx, r)?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.execution_date_time);
            write_int(w, &self.originator_counter);
            self.execution_outcome.write(w);
        });
    }
}

// ---------------------------------------------------------------------------------------
// §3.9–3.10 device logs
// ---------------------------------------------------------------------------------------

/// A command that is a bare NULL (CS07, CS08).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NullCommand {
    pub null: Null,
}

impl Schema for NullCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        Ok(NullCommand {
            null: read_null(ctx, r, "NULL command")?,
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        write_null(w);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadDeviceJoinDetailsResponse {
    pub response_code: Coded,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_log_entries: Option<Vec<DeviceLogEntry>>,
}

impl Schema for ReadDeviceJoinDetailsResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS07 response", |ctx, r| {
            Ok(ReadDeviceJoinDetailsResponse {
                response_code: read_code(ctx, r, CodeKind::ReadResult, "responseCode")?,
                device_log_entries: if r.is_empty() {
                    None
                } else {
                    Some(read_list(ctx, r, "deviceLogEntries")?)
                },
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.response_code);
            if let Some(e) = &self.device_log_entries {
                write_list(w, e);
            }
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestoreDeviceLogCommand {
    pub device_log_entries: Vec<DeviceLogEntry>,
}

impl Schema for RestoreDeviceLogCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "GCS59 command", |ctx, r| {
            Ok(RestoreDeviceLogCommand {
                device_log_entries: read_list(ctx, r, "deviceLogEntries")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| write_list(w, &self.device_log_entries));
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestoreOutcome {
    pub device_log_entry: DeviceLogEntry,
    /// Codes as for CS03 joins.
    pub join_response_code: Coded,
}

impl Schema for RestoreOutcome {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "restore outcome", |ctx, r| {
            Ok(RestoreOutcome {
                device_log_entry: DeviceLogEntry::read(ctx, r)?,
                join_response_code: read_code(ctx, r, CodeKind::JoinResponse, "joinResponseCode")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            self.device_log_entry.write(w);
            write_code(w, &self.join_response_code);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestoreDeviceLogResponse {
    pub restore_outcomes: Vec<RestoreOutcome>,
}

impl Schema for RestoreDeviceLogResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "GCS59 response", |ctx, r| {
            Ok(RestoreDeviceLogResponse {
                restore_outcomes: read_list(ctx, r, "restoreOutcomes")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| write_list(w, &self.restore_outcomes));
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupDeviceLogAlert {
    pub alert_code: Coded,
    pub backup_date_time: GeneralizedTime,
    pub device_log_entries: Vec<DeviceLogEntry>,
}

impl Schema for BackupDeviceLogAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "GCS62 alert", |ctx, r| {
            Ok(BackupDeviceLogAlert {
                alert_code: read_code(ctx, r, CodeKind::AlertCode, "alertCode")?,
                backup_date_time: read_time(ctx, r, "backupDateTime")?,
                device_log_entries: read_list(ctx, r, "deviceLogEntries")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.backup_date_time);
            write_list(w, &self.device_log_entries);
        });
    }
}

// ---------------------------------------------------------------------------------------
// §3.11 firmware-version family
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadFirmwareVersionResponse {
    pub firmware_version: Bytes,
    pub response_code: Coded,
}

impl Schema for ReadFirmwareVersionResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CS08 response", |ctx, r| {
            Ok(ReadFirmwareVersionResponse {
                firmware_version: read_os(ctx, r, "firmwareVersion")?,
                response_code: read_code(ctx, r, CodeKind::FirmwareVersionResult, "responseCode")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_os(w, &self.firmware_version);
            write_code(w, &self.response_code);
        });
    }
}

/// CS09 0x8F8B alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmwareVersionAlert {
    pub alert_code: Coded,
    pub execution_date_time: GeneralizedTime,
    pub firmware_version: Bytes,
    pub activate_image_result: Coded,
}

/// CS08 alert: layout from the reference parser only (unverified, absent from the corpus).
/// The same shape as the CS09 alert with the last field named `result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadFirmwareVersionAlert {
    pub alert_code: Coded,
    pub execution_date_time: GeneralizedTime,
    pub firmware_version: Bytes,
    pub result: Coded,
}

impl Schema for ReadFirmwareVersionAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        let a = FirmwareVersionAlert::read(ctx, r)?;
        Ok(ReadFirmwareVersionAlert {
            alert_code: a.alert_code,
            execution_date_time: a.execution_date_time,
            firmware_version: a.firmware_version,
            result: Coded {
                kind: CodeKind::FirmwareVersionResult,
                ..a.activate_image_result
            },
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.execution_date_time);
            write_os(w, &self.firmware_version);
            write_code(w, &self.result);
        });
    }
}

impl Schema for FirmwareVersionAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "firmware version alert", |ctx, r| {
            Ok(FirmwareVersionAlert {
                alert_code: read_code(ctx, r, CodeKind::AlertCode, "alertCode")?,
                execution_date_time: read_time(ctx, r, "executionDateTime")?,
                firmware_version: read_os(ctx, r, "firmwareVersion")?,
                activate_image_result: read_code(ctx, r, CodeKind::Plain, "activateImageResult")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.execution_date_time);
            write_os(w, &self.firmware_version);
            write_code(w, &self.activate_image_result);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmwareTransferAlert {
    pub alert_code: Coded,
    pub execution_date_time: GeneralizedTime,
    pub entity_identifier: Bytes,
    pub firmware_version: Bytes,
    pub response_code: Coded,
}

impl Schema for FirmwareTransferAlert {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "CCS08 alert", |ctx, r| {
            Ok(FirmwareTransferAlert {
                alert_code: read_code(ctx, r, CodeKind::AlertCode, "alertCode")?,
                execution_date_time: read_time(ctx, r, "executionDateTime")?,
                entity_identifier: read_os(ctx, r, "entityIdentifier")?,
                firmware_version: read_os(ctx, r, "firmwareVersion")?,
                response_code: read_code(ctx, r, CodeKind::Plain, "responseCode")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_code(w, &self.alert_code);
            write_time(w, &self.execution_date_time);
            write_os(w, &self.entity_identifier);
            write_os(w, &self.firmware_version);
            write_code(w, &self.response_code);
        });
    }
}

// ---------------------------------------------------------------------------------------
// §3.12 GCS28 (layout from the reference parser only)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetClockCommand {
    pub validity_interval_start: GeneralizedTime,
    pub validity_interval_end: GeneralizedTime,
}

impl Schema for SetClockCommand {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "GCS28 command", |ctx, r| {
            Ok(SetClockCommand {
                validity_interval_start: read_time(ctx, r, "validityIntervalStart")?,
                validity_interval_end: read_time(ctx, r, "validityIntervalEnd")?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_time(w, &self.validity_interval_start);
            write_time(w, &self.validity_interval_end);
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetClockResponse {
    pub device_time: GeneralizedTime,
    pub device_time_status: Coded,
}

impl Schema for SetClockResponse {
    fn read<'a>(ctx: &mut SchemaCtx, r: &mut Reader<'a>) -> DecodeResult<Self> {
        read_seq(ctx, r, Tag::SEQUENCE, "GCS28 response", |ctx, r| {
            Ok(SetClockResponse {
                device_time: read_time(ctx, r, "deviceTime")?,
                device_time_status: read_code(
                    ctx,
                    r,
                    CodeKind::DeviceTimeStatus,
                    "deviceTimeStatus",
                )?,
            })
        })
    }
    fn write(&self, w: &mut DerWriter<'_>) {
        w.constructed(Tag::SEQUENCE, |w| {
            write_time(w, &self.device_time);
            write_code(w, &self.device_time_status);
        });
    }
}

// ---------------------------------------------------------------------------------------
// Bare response codes with their own label tables
// ---------------------------------------------------------------------------------------

pub(super) fn read_response_code(
    ctx: &mut SchemaCtx,
    r: &mut Reader<'_>,
    kind: CodeKind,
) -> DecodeResult<ResponseCode> {
    ResponseCode::read_kind(ctx, r, kind)
}

pub(super) fn write_response_code(rc: &ResponseCode, w: &mut DerWriter<'_>) {
    rc.write(w);
}
