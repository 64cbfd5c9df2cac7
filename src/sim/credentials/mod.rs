//! The ASN.1 "security" use cases every SMETS2 device answers (primer asn1-and-utrn.md §1–§3):
//! trust anchor cells and their sequence numbers (CS02a/f, CS02b/g), the device's own key
//! pairs and certificates (CS02c/d/e), the device log (CS03 joins, CS04 unjoins, CS07,
//! GCS59) and firmware activation and version (CS06, CS08).
//!
//! A pure, stateful model: it never touches keys other than the ones it generates for CS02c,
//! and the security pipeline has authenticated every command before it gets here. Future-dated
//! CS02b/g and CS06 commands are answered at once with the outcome the device predicts, raised
//! as an alert due at the execution time, and applied to the state when the clock of a later
//! command passes that time. The simulator cannot withdraw an alert it already holds, so a
//! cancellation (`99991231235959Z`) stops the state change but not the alert.

mod cert;
#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::codec::asn1::payloads::{
    ActivateFirmwareAlert, ActivateFirmwareCommand, ActivateFirmwareResponse,
    ActivateFirmwareResult, CertificateOrCode, CertificationRequestOrCode,
    CredentialsExecutionOutcome, DeviceLogEntry, FirmwareExecutionOutcome,
    IssueSecurityCredentialsResponse, JoinCommand, ProvideDeviceCertificateResponse,
    ProvideSecurityCredentialsCommand, ProvideSecurityCredentialsResponse,
    ReadDeviceJoinDetailsResponse, ReadFirmwareVersionResponse, RemotePartyCredentials,
    Replacement, ReplacementOutcome, ResponseCode, RestoreDeviceLogResponse, RestoreOutcome,
    RpSeqNumberChange, SetClockResponse, TaCellContents, TaCellIdentifier,
    UpdateSecurityCredentialsAlert, UpdateSecurityCredentialsCommand,
    UpdateSecurityCredentialsResponse,
};
use crate::codec::asn1::values::{
    CodeKind, Coded, GeneralizedTime, Integer, KeyUsage as KeyUsageBits, Null,
};
use crate::codec::asn1::{Asn1Body, Asn1Payload};
use crate::codec::ciphered::CipheredBlock;
use crate::codec::ids::{EntityId, MessageCode};
use crate::codec::payload::Payload;
use crate::codec::DeviceType;
use crate::crypto::pki::{certificate_facts, signed_by, PkiSpec, TestPki};
use crate::crypto::{KeyStore, KeyUsage, RemotePartyRole};

use super::context::{AlertRequest, CommandContext};
use super::model::{DeviceModel, ModelReply};
use super::state::DeviceFailure;

/// One trust anchor cell: who it trusts for what, and the sequence number the device last
/// accepted from that role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustAnchor {
    pub role: RemotePartyRole,
    /// Digital signature or key agreement (prepayment cells are key agreement with
    /// `cell_usage` 1).
    pub key_usage: KeyUsage,
    /// 1 = prepayment top-up; `None` = management.
    pub cell_usage: Option<i64>,
    pub entity: EntityId,
    pub subject_key_identifier: Vec<u8>,
    pub sequence_number: i64,
}

/// A device-log entry (CS03 joins, CS07, GCS59).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinedDevice {
    pub entity: EntityId,
    /// The GBCS deviceType value (0 GSME … 6 type-2 device).
    pub device_type: i64,
}

/// The firmware the device runs and the image it holds for CS06.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firmware {
    pub version: [u8; 4],
    pub image: Option<FirmwareImage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmwareImage {
    /// The manufacturer image hash a CS06 command must quote.
    pub hash: [u8; 32],
    /// The version the device runs once the image is activated.
    pub version: [u8; 4],
}

/// One of the device's own key pairs, as far as the model needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeviceKey {
    point: Vec<u8>,
    certificate: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Update {
        due: u32,
        code: MessageCode,
        command: Box<UpdateSecurityCredentialsCommand>,
    },
    Activate {
        due: u32,
        hash: Vec<u8>,
    },
}

impl Pending {
    fn due(&self) -> u32 {
        match self {
            Pending::Update { due, .. } | Pending::Activate { due, .. } => *due,
        }
    }
}

/// When a command's executionDateTime says to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Now,
    Future(u32),
    Cancel,
    /// Not a `YYYYMMDDhhmmssZ` time the device can act on.
    Invalid,
}

fn when(t: Option<&GeneralizedTime>, now: u32) -> When {
    match t {
        None => When::Now,
        Some(t) if t.is_cancel() => When::Cancel,
        Some(t) => match parse_time(&t.0) {
            None => When::Invalid,
            Some(due) if due <= now => When::Now,
            Some(due) => When::Future(due),
        },
    }
}

/// `YYYYMMDDhhmmssZ` → seconds since 2000-01-01T00:00:00Z (the simulator clock).
fn parse_time(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 15 || b[14] != b'Z' || !b[..14].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().ok();
    let (y, mo, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (h, mi, se) = (n(8..10)?, n(10..12)?, n(12..14)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let days = crate::codec::calendar::days_from_civil(y, mo as u32, d as u32)
        - crate::codec::calendar::DAYS_1970_TO_2000;
    u32::try_from(days * 86_400 + h * 3600 + mi * 60 + se).ok()
}

/// Seconds since 2000-01-01T00:00:00Z → `YYYYMMDDhhmmssZ`.
fn format_time(t: u32) -> GeneralizedTime {
    let days = i64::from(t / 86_400) + crate::codec::calendar::DAYS_1970_TO_2000;
    let (y, mo, d) = crate::codec::calendar::civil_from_days(days);
    let s = t % 86_400;
    GeneralizedTime(format!(
        "{y:04}{mo:02}{d:02}{:02}{:02}{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

/// GCS28 device time status (GBCS SetTime: reliable 0, invalid 1, unreliable 2).
const TIME_RELIABLE: i64 = 0;
const TIME_INVALID: i64 = 1;

/// GCS28: the GSME takes the time its comms hub gives it (the simulator clock, `now`) if it
/// lies within the command's validity interval, and reports its now current time and whether
/// it is reliable. Outside the interval, or with an interval that does not parse, the GSME
/// keeps its time and reports it invalid.
fn set_clock(now: u32, body: &Asn1Body) -> SetClockResponse {
    let within = match body {
        Asn1Body::SetClockCommand(c) => matches!(
            (parse_time(&c.validity_interval_start.0), parse_time(&c.validity_interval_end.0)),
            (Some(start), Some(end)) if start <= now && now <= end
        ),
        _ => false,
    };
    SetClockResponse {
        device_time: format_time(now),
        device_time_status: code(
            CodeKind::DeviceTimeStatus,
            if within { TIME_RELIABLE } else { TIME_INVALID },
        ),
    }
}

/// The remote-party-role number of trust anchor cells and certificate OUs.
pub fn role_code(role: RemotePartyRole) -> i64 {
    i64::from(role.code())
}

/// The roles whose cells a device type holds: the comms hub trusts the WAN provider and the
/// parties that manage it, every other device the energy parties (RTDS CS02a: the ESME has
/// no WAN provider cell; the CHF answers for the ACB).
fn holds_role(device_type: DeviceType, role: RemotePartyRole) -> bool {
    use RemotePartyRole as R;
    match device_type {
        DeviceType::CommsHub => matches!(
            role,
            R::Root | R::Recovery | R::AccessControlBroker | R::WanProvider
        ),
        // The gas meter holds no network operator anchor (RTDS CS02aMAC on the GSME: "trust
        // anchor not found"); gas transporters' use cases on it are not critical.
        DeviceType::Gsme => !matches!(role, R::WanProvider | R::NetworkOperator),
        _ => role != R::WanProvider,
    }
}

/// Whether a device of this type holds the cell of `role` for `usage`: the gas meter's
/// access control broker cell is key agreement only (it verifies the ACB's MACs; nothing the
/// ACB signs is for it).
fn holds_cell(device_type: DeviceType, role: RemotePartyRole, usage: KeyUsage) -> bool {
    holds_role(device_type, role)
        && !(device_type == DeviceType::Gsme
            && role == RemotePartyRole::AccessControlBroker
            && usage == KeyUsage::DigitalSignature)
}

fn bits(usage: KeyUsage) -> KeyUsageBits {
    match usage {
        KeyUsage::DigitalSignature => KeyUsageBits::digital_signature(),
        _ => KeyUsageBits::key_agreement(),
    }
}

/// The key usage a request names, if it is one the device has keys for.
fn usage_of(bits: &KeyUsageBits) -> Option<KeyUsage> {
    match bits.0.as_slice() {
        [0x07, 0x80] => Some(KeyUsage::DigitalSignature),
        [0x03, 0x08] => Some(KeyUsage::KeyAgreement),
        _ => None,
    }
}

fn code(kind: CodeKind, v: i64) -> Coded {
    Coded::new(kind, v)
}

fn response_code(kind: CodeKind, v: i64) -> ResponseCode {
    ResponseCode {
        response_code: code(kind, v),
    }
}

/// The role whose floor sequence number `newRemotePartyFloorSeqNumber` sets, by
/// credentialsReplacementMode (primer §3.2; 7 and 9 are parser values).
fn mode_role(mode: i64) -> Option<i64> {
    use RemotePartyRole as R;
    let role = match mode {
        2 | 7 => R::Supplier,
        3 => R::NetworkOperator,
        4 => R::AccessControlBroker,
        5 => R::WanProvider,
        6 => R::TransitionalCos,
        8 => R::Recovery,
        10 | 11 => R::LoadController,
        _ => return None,
    };
    Some(role_code(role))
}

/// Whether a mode may replace a cell of `role`.
fn mode_may_replace(mode: i64, role: i64) -> bool {
    match mode {
        8 => role != role_code(RemotePartyRole::Root),
        9 => true,
        m => mode_role(m) == Some(role),
    }
}

/// Whether the message code allows the mode (codes whose mode the corpus shows; the others
/// are unverified and accept any mode).
fn mode_fits_code(code: MessageCode, mode: i64) -> bool {
    let expected = match code {
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER => 2,
        MessageCode::CS02B_NETWORK_OPERATOR_BY_NETWORK_OPERATOR => 3,
        MessageCode::CS02B_ACCESS_CONTROL_BROKER_BY_ACB => 4,
        MessageCode::CS02B_WAN_PROVIDER_BY_WAN_PROVIDER => 5,
        MessageCode::CS02B_TRANS_COS_BY_TRANS_COS => 6,
        MessageCode::CS02B_ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY => 8,
        MessageCode::CS02G_LOAD_CONTROLLER_BY_LOAD_CONTROLLER => 10,
        MessageCode::CS02G_LOAD_CONTROLLER_BY_SUPPLIER => 11,
        _ => return true,
    };
    mode == expected
}

/// A replacement a CS02b/g command may make: the cell's index, and the subject and subject
/// key identifier of the certificate it takes.
type CellReplacement = (usize, EntityId, Vec<u8>);

/// The sequence-number changes a CS02b/g command reports and (when applied) makes: the
/// new floor for the mode's role (or, for a mode with no role, the first target cell's
/// role), then the command's other changes as given.
fn seq_number_changes(
    c: &UpdateSecurityCredentialsCommand,
    mode: Option<i64>,
) -> Vec<RpSeqNumberChange> {
    let control = &c.authorising_remote_party_control;
    let mut changes = Vec::new();
    if let Some(floor) = &control.new_remote_party_floor_seq_number {
        let role = mode.and_then(mode_role).or_else(|| {
            c.replacements
                .first()
                .and_then(|r| r.target_trust_anchor_cell.remote_party_role.as_i64())
        });
        if let Some(role) = role {
            changes.push(RpSeqNumberChange {
                remote_party_role: code(CodeKind::RemotePartyRole, role),
                floor_seq_number: floor.clone(),
                specialist_floor_seq_numbers: control
                    .new_remote_party_specialist_floor_seq_numbers
                    .clone(),
            });
        }
    }
    changes.extend(
        control
            .other_remote_party_seq_number_changes
            .iter()
            .flatten()
            .cloned(),
    );
    changes
}

const ALERT_SUCCESS: i64 = 0x8F66;
const ALERT_FAILURE: i64 = 0x8F67;
/// Replacement status for a cell the command could not replace (the corpus' only failure
/// status; parser label "no trust anchor").
const REPLACEMENT_FAILED: i64 = 10;
const STATUS_NOT_HELD: i64 = 25;
/// Credentials status "other": a cell the device holds but does not report.
const STATUS_OTHER: i64 = 127;
/// A device log this long is full (join code 4). GBCS leaves the size to the device.
pub const DEVICE_LOG_CAPACITY: usize = 16;

/// The reference firmware of [`Credentials::new`]: a version and the image a CS06 activates,
/// whose hash is the SHA-256 of a fixed label (any 32 bytes would do; this one is the
/// project's own).
pub fn reference_firmware() -> Firmware {
    let hash: [u8; 32] = Sha256::digest(b"gbcs-harness reference firmware image").into();
    Firmware {
        version: [0x01, 0x23, 0xAB, 0xCD],
        image: Some(FirmwareImage {
            hash,
            version: [0x01, 0x23, 0xAB, 0xCE],
        }),
    }
}

/// The state of the security use cases of one device.
#[derive(Debug, Clone)]
pub struct Credentials {
    device: EntityId,
    device_type: DeviceType,
    anchors: Vec<TrustAnchor>,
    keys: HashMap<KeyUsage, DeviceKey>,
    /// Key pairs generated for CS02c, waiting for their certificate (CS02d).
    requested: HashMap<KeyUsage, Vec<u8>>,
    log: Vec<JoinedDevice>,
    firmware: Firmware,
    pending: Vec<Pending>,
    /// A tester's failing state for the next command (see [`DeviceFailure`]).
    failure: Option<DeviceFailure>,
}

impl Credentials {
    /// A device holding the cells of `anchors` its type holds, an empty device log, no own
    /// certificates yet (CS02e makes one up with the test PKI) and [`reference_firmware`].
    pub fn new(device: EntityId, device_type: DeviceType, anchors: Vec<TrustAnchor>) -> Self {
        Credentials {
            device,
            device_type,
            anchors: anchors
                .into_iter()
                .filter(|a| holds_cell(device_type, a.role, a.key_usage))
                .collect(),
            keys: HashMap::new(),
            requested: HashMap::new(),
            log: Vec::new(),
            firmware: reference_firmware(),
            pending: Vec::new(),
            failure: None,
        }
    }

    /// Puts the device into a failing state of its security-credential, join or firmware
    /// functions for its next ASN.1 command; `false` for a state of another family.
    pub fn fail_next(&mut self, failure: &DeviceFailure) -> bool {
        match failure {
            DeviceFailure::NoFirmwareImage
            | DeviceFailure::FirmwareVersionUnreadable
            | DeviceFailure::DeviceLogUnreadable
            | DeviceFailure::DeviceLogEmpty
            | DeviceFailure::ConflictingLogEntry
            | DeviceFailure::CredentialStoreFailure => {
                self.failure = Some(failure.clone());
                true
            }
            _ => false,
        }
    }

    /// The device's own certificate for `usage` (CS02d/CS02e); its public key is the one
    /// a CS02d replacement must certify again.
    pub fn with_certificate(mut self, usage: KeyUsage, der: &[u8]) -> Self {
        self.set_certificate(usage, der);
        self
    }

    fn set_certificate(&mut self, usage: KeyUsage, der: &[u8]) {
        if let Some(f) = certificate_facts(der) {
            self.keys.insert(
                usage,
                DeviceKey {
                    point: f.point,
                    certificate: Some(der.to_vec()),
                },
            );
        }
    }

    /// Takes the device's own certificates from a key store, where it has them.
    pub fn with_store_certificates(mut self, keys: &KeyStore) -> Self {
        for usage in [KeyUsage::DigitalSignature, KeyUsage::KeyAgreement] {
            if let Some(der) = keys.certificate_der(self.device, usage) {
                self = self.with_certificate(usage, der);
            }
        }
        self
    }

    pub fn with_device_log(mut self, entries: Vec<JoinedDevice>) -> Self {
        self.log = entries;
        self
    }

    pub fn with_firmware(mut self, firmware: Firmware) -> Self {
        self.firmware = firmware;
        self
    }

    /// The device's trust anchors as the RTDS key store describes them (supplier, network
    /// operator, ACB, …, from the organisation certificates in `keys`): for each role the
    /// lowest entity id whose certificates declare it, one cell per certificate (digital
    /// signature, key agreement, and for a supplier the prepayment key agreement cell).
    pub fn anchors_from_store(keys: &KeyStore) -> Vec<TrustAnchor> {
        use RemotePartyRole as R;
        let roles = [
            R::Root,
            R::Recovery,
            R::Supplier,
            R::NetworkOperator,
            R::AccessControlBroker,
            R::TransitionalCos,
            R::WanProvider,
            R::LoadController,
        ];
        let mut anchors = Vec::new();
        for role in roles {
            let Some(&entity) = keys.entities_with_role(role).first() else {
                continue;
            };
            let cells = [
                (KeyUsage::DigitalSignature, KeyUsage::DigitalSignature, None),
                (KeyUsage::KeyAgreement, KeyUsage::KeyAgreement, None),
                (
                    KeyUsage::PrepaymentKeyAgreement,
                    KeyUsage::KeyAgreement,
                    Some(1),
                ),
            ];
            for (slot, key_usage, cell_usage) in cells {
                let Some(facts) = keys
                    .certificate_der(entity, slot)
                    .and_then(certificate_facts)
                else {
                    continue;
                };
                // A file whose certificate names someone else (a store quirk) is not a cell.
                let (Some(subject), Some(ski)) = (facts.subject, facts.subject_key_identifier)
                else {
                    continue;
                };
                if subject != entity {
                    continue;
                }
                anchors.push(TrustAnchor {
                    role,
                    key_usage,
                    cell_usage,
                    entity,
                    subject_key_identifier: ski,
                    sequence_number: 0,
                });
            }
        }
        anchors
    }

    pub fn device(&self) -> EntityId {
        self.device
    }

    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    pub fn device_log(&self) -> &[JoinedDevice] {
        &self.log
    }

    pub fn firmware(&self) -> &Firmware {
        &self.firmware
    }

    /// Applies the future-dated operations due by `now`.
    pub fn advance(&mut self, now: u32) {
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.due() <= now);
        self.pending = later;
        for p in due {
            match p {
                Pending::Update { code, command, .. } => {
                    self.execute_update(code, &command, true);
                }
                Pending::Activate { hash, .. } => {
                    self.run_activation(&hash, true);
                }
            }
        }
    }

    /// Answers an ASN.1 command, or `None` when it is not a use case this device handles (or
    /// a CS02a/b payload that does not fit its schema: those responses have no error form).
    pub fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Asn1Payload,
    ) -> Option<(Asn1Payload, Vec<AlertRequest>)> {
        self.advance(ctx.now);
        // A tester's state lapses after this command: what it hides is put back after.
        let failure = self.failure.take();
        let held_image = match failure {
            Some(DeviceFailure::NoFirmwareImage) => self.firmware.image.take(),
            _ => None,
        };
        let held_log = match failure {
            Some(DeviceFailure::DeviceLogEmpty) => Some(std::mem::take(&mut self.log)),
            _ => None,
        };
        // The log already names the device a join is for, with another device type.
        let conflict = match (&failure, &*request.body) {
            (Some(DeviceFailure::ConflictingLogEntry), Asn1Body::JoinCommand(c)) => {
                let id = <[u8; 8]>::try_from(c.other_device_entity_identifier.as_slice()).ok();
                let ty = c.other_device_type.as_i64();
                match (id, ty) {
                    (Some(id), Some(ty)) if !self.log.iter().any(|e| e.entity.0 == id) => {
                        let entry = JoinedDevice {
                            entity: EntityId(id),
                            device_type: (ty + 1).rem_euclid(7),
                        };
                        self.log.push(entry);
                        Some(entry)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let answer = self.answer(ctx, request, failure.as_ref());
        if let Some(entry) = conflict {
            self.log.retain(|e| *e != entry);
        }
        if let Some(image) = held_image {
            self.firmware.image = Some(image);
        }
        if let Some(log) = held_log {
            // Anything the command joined meanwhile stays, after the entries put back.
            let joined = std::mem::replace(&mut self.log, log);
            self.log.extend(joined);
        }
        answer
    }

    fn answer(
        &mut self,
        ctx: &CommandContext,
        request: &Asn1Payload,
        failure: Option<&DeviceFailure>,
    ) -> Option<(Asn1Payload, Vec<AlertRequest>)> {
        let mut alerts = Vec::new();
        let store_failed = failure == Some(&DeviceFailure::CredentialStoreFailure);
        let is_meter_side = !matches!(self.device_type, DeviceType::CommsHub);
        let body = match (ctx.message_code, &*request.body) {
            (
                MessageCode::CS02A | MessageCode::CS02F,
                Asn1Body::ProvideSecurityCredentialsCommand(c),
            ) => Asn1Body::ProvideSecurityCredentialsResponse(self.provide_credentials(c)),
            (code, Asn1Body::UpdateSecurityCredentialsCommand(c))
                if code.updates_security_credentials() =>
            {
                Asn1Body::UpdateSecurityCredentialsResponse(self.update(
                    ctx,
                    c,
                    store_failed,
                    &mut alerts,
                ))
            }
            (MessageCode::CS02C, body) => {
                Asn1Body::IssueSecurityCredentialsResponse(self.issue_response(body, store_failed))
            }
            (MessageCode::CS02D, body) => Asn1Body::UpdateDeviceCertificateResponse(response_code(
                CodeKind::DeviceCertificateUpdate,
                match body {
                    Asn1Body::UpdateDeviceCertificateCommand(c) => {
                        self.update_device_certificate(c.certificate.as_slice())
                    }
                    _ => 1,
                },
            )),
            (MessageCode::CS02E, body) => Asn1Body::ProvideDeviceCertificateResponse(
                self.provide_device_certificate_response(body, store_failed),
            ),
            (
                MessageCode::CS03A1 | MessageCode::CS03A2 | MessageCode::CS03B | MessageCode::CS03C,
                body,
            ) if is_meter_side => Asn1Body::JoinResponse(response_code(
                CodeKind::JoinResponse,
                match body {
                    Asn1Body::JoinCommand(c) => self.join(ctx.message_code, c),
                    _ => 2,
                },
            )),
            (MessageCode::CS04AC | MessageCode::CS04B, body) if is_meter_side => {
                Asn1Body::UnjoinResponse(response_code(
                    CodeKind::UnjoinResponse,
                    match body {
                        Asn1Body::UnjoinCommand(c) => {
                            self.unjoin(c.other_device_entity_identifier.as_slice())
                        }
                        _ => 2,
                    },
                ))
            }
            (MessageCode::CS06, body) => Asn1Body::ActivateFirmwareResponse(match body {
                Asn1Body::ActivateFirmwareCommand(c) => self.activate(ctx, c, &mut alerts),
                _ => self.activation_failure(),
            }),
            (MessageCode::CS07, body) if is_meter_side => {
                Asn1Body::ReadDeviceJoinDetailsResponse(self.read_join_details(body, failure))
            }
            (MessageCode::CS08, body)
                if matches!(self.device_type, DeviceType::Ppmid | DeviceType::Hcalcs) =>
            {
                Asn1Body::ReadFirmwareVersionResponse(self.read_firmware_version(body, failure))
            }
            // GCS28 set clock: the GSME's own use case (it has no other way to be given time
            // by a remote party).
            (MessageCode::GCS28, body) if self.device_type == DeviceType::Gsme => {
                Asn1Body::SetClockResponse(set_clock(ctx.now, body))
            }
            (MessageCode::GCS59, body) if self.device_type == DeviceType::Gpf => {
                Asn1Body::RestoreDeviceLogResponse(RestoreDeviceLogResponse {
                    restore_outcomes: match body {
                        Asn1Body::RestoreDeviceLogCommand(c) => self.restore(&c.device_log_entries),
                        _ => Vec::new(),
                    },
                })
            }
            _ => return None,
        };
        Some((
            Asn1Payload {
                body: Box::new(body),
                non_minimal_lengths: Vec::new(),
            },
            alerts,
        ))
    }

    // The per-command response builders below are split out of `answer` so that its match
    // stays a routing table (which code, on which device, goes where); each one only
    // shapes its response and decides the failure codes for that one command.

    /// CS02c: the certification request for a fresh key, unless the command is malformed
    /// (code 1) or the key store has failed.
    fn issue_response(
        &mut self,
        body: &Asn1Body,
        store_failed: bool,
    ) -> IssueSecurityCredentialsResponse {
        IssueSecurityCredentialsResponse {
            result: match body {
                // A failed key store cannot produce the request (code 3).
                Asn1Body::IssueSecurityCredentialsCommand(_) if store_failed => {
                    CertificationRequestOrCode::ResponseCode(code(CodeKind::CsrResponse, 3))
                }
                Asn1Body::IssueSecurityCredentialsCommand(c) => self.issue(&c.key_usage),
                _ => CertificationRequestOrCode::ResponseCode(code(CodeKind::CsrResponse, 1)),
            },
        }
    }

    /// CS02e: the device's own certificate for a key usage, unless the command is
    /// malformed (code 1) or the key store has failed.
    fn provide_device_certificate_response(
        &mut self,
        body: &Asn1Body,
        store_failed: bool,
    ) -> ProvideDeviceCertificateResponse {
        ProvideDeviceCertificateResponse {
            result: match body {
                // Nor can it give back a certificate (code 3, retrieval failure).
                Asn1Body::ProvideDeviceCertificateCommand(_) if store_failed => {
                    CertificateOrCode::ResponseCode(code(CodeKind::DeviceCertificateProvide, 3))
                }
                Asn1Body::ProvideDeviceCertificateCommand(c) => {
                    self.provide_device_certificate(&c.key_usage)
                }
                _ => CertificateOrCode::ResponseCode(code(CodeKind::DeviceCertificateProvide, 1)),
            },
        }
    }

    /// CS07: the device log, or read failure (code 1) when the command is malformed or
    /// the log is made unreadable.
    fn read_join_details(
        &self,
        body: &Asn1Body,
        failure: Option<&DeviceFailure>,
    ) -> ReadDeviceJoinDetailsResponse {
        let ok = matches!(body, Asn1Body::ReadDeviceJoinDetailsCommand(_))
            && failure != Some(&DeviceFailure::DeviceLogUnreadable);
        ReadDeviceJoinDetailsResponse {
            response_code: code(CodeKind::ReadResult, if ok { 0 } else { 1 }),
            device_log_entries: ok.then(|| self.log.iter().map(log_entry).collect()),
        }
    }

    /// CS08: the running firmware version, or zeros and code 1 when the command is
    /// malformed or the version is made unreadable.
    fn read_firmware_version(
        &self,
        body: &Asn1Body,
        failure: Option<&DeviceFailure>,
    ) -> ReadFirmwareVersionResponse {
        let ok = matches!(body, Asn1Body::ReadFirmwareVersionCommand(_))
            && failure != Some(&DeviceFailure::FirmwareVersionUnreadable);
        ReadFirmwareVersionResponse {
            firmware_version: if ok { self.firmware.version } else { [0; 4] }
                .to_vec()
                .into(),
            response_code: code(CodeKind::FirmwareVersionResult, if ok { 0 } else { 1 }),
        }
    }

    // -----------------------------------------------------------------------------------
    // CS02a / CS02f
    // -----------------------------------------------------------------------------------

    fn cells_of(&self, role: i64) -> impl Iterator<Item = &TrustAnchor> {
        self.anchors
            .iter()
            .filter(move |a| role_code(a.role) == role)
    }

    fn provide_credentials(
        &self,
        c: &ProvideSecurityCredentialsCommand,
    ) -> ProvideSecurityCredentialsResponse {
        let remote_party_credentials = c
            .remote_party_roles_credentials_required
            .iter()
            .map(|requested| {
                let role = Coded {
                    kind: CodeKind::RemotePartyRole,
                    ..requested.clone()
                };
                let cells: Vec<&TrustAnchor> = requested
                    .as_i64()
                    .map(|r| self.cells_of(r).collect())
                    .unwrap_or_default();
                // The transitional change-of-supplier party's cell is not reported: it only
                // authorises a change of supplier (RTDS CS02fMAC / CS02fSignature: status
                // "other" on the ESME).
                if requested.as_i64() == Some(role_code(RemotePartyRole::TransitionalCos)) {
                    return RemotePartyCredentials {
                        remote_party_role: role,
                        status: code(CodeKind::CredentialsStatus, STATUS_OTHER),
                        current_seq_number: None,
                        trust_anchor_cell_details: None,
                    };
                }
                match cells.first() {
                    None => RemotePartyCredentials {
                        remote_party_role: role,
                        status: code(CodeKind::CredentialsStatus, STATUS_NOT_HELD),
                        current_seq_number: None,
                        trust_anchor_cell_details: None,
                    },
                    Some(first) => RemotePartyCredentials {
                        remote_party_role: role,
                        status: code(CodeKind::CredentialsStatus, 0),
                        current_seq_number: Some(Integer::from(first.sequence_number)),
                        trust_anchor_cell_details: Some(
                            cells.iter().map(|a| cell_contents(a)).collect(),
                        ),
                    },
                }
            })
            .collect();
        ProvideSecurityCredentialsResponse {
            remote_party_credentials,
        }
    }

    // -----------------------------------------------------------------------------------
    // CS02b / CS02g
    // -----------------------------------------------------------------------------------

    fn find_cell(&self, id: &TaCellIdentifier) -> Option<usize> {
        let role = id.remote_party_role.as_i64()?;
        let usage = usage_of(&id.key_usage)?;
        let cell_usage = match &id.cell_usage {
            None => None,
            Some(c) => Some(c.as_i64()?),
        };
        self.anchors.iter().position(|a| {
            role_code(a.role) == role && a.key_usage == usage && a.cell_usage == cell_usage
        })
    }

    fn update(
        &mut self,
        ctx: &CommandContext,
        c: &UpdateSecurityCredentialsCommand,
        store_failed: bool,
        alerts: &mut Vec<AlertRequest>,
    ) -> UpdateSecurityCredentialsResponse {
        let accepted = |execution_outcome| UpdateSecurityCredentialsResponse {
            command_accepted: Null,
            execution_outcome,
        };
        // A device whose trust anchor store has failed cannot replace any cell: every
        // replacement fails (status 10), now or at the execution time.
        let run = |this: &mut Self, apply: bool| {
            if store_failed {
                this.execute_update(ctx.message_code, c, false).failed()
            } else {
                this.execute_update(ctx.message_code, c, apply)
            }
        };
        match when(c.execution_date_time.as_ref(), ctx.now) {
            When::Now => accepted(Some(run(self, true))),
            When::Invalid => accepted(Some(
                self.execute_update(ctx.message_code, c, false).failed(),
            )),
            When::Cancel => {
                self.pending.retain(
                    |p| !matches!(p, Pending::Update { code, .. } if *code == ctx.message_code),
                );
                accepted(None)
            }
            When::Future(due) => {
                let outcome = run(self, false);
                let ok = outcome
                    .replacement_outcomes
                    .iter()
                    .all(|r| r.status.as_i64() == Some(0));
                let alert_code = if matches!(
                    ctx.message_code,
                    MessageCode::CS02G_LOAD_CONTROLLER_BY_LOAD_CONTROLLER
                        | MessageCode::CS02G_LOAD_CONTROLLER_BY_SUPPLIER
                ) {
                    MessageCode::CS02G_FUTURE_DATED_ALERT
                } else {
                    MessageCode::FDUSCA
                };
                alerts.push(AlertRequest {
                    message_code: alert_code,
                    payload: Payload::Asn1(Asn1Payload {
                        body: Box::new(Asn1Body::UpdateSecurityCredentialsAlert(
                            UpdateSecurityCredentialsAlert {
                                alert_code: code(
                                    CodeKind::AlertCode,
                                    if ok { ALERT_SUCCESS } else { ALERT_FAILURE },
                                ),
                                execution_date_time: c
                                    .execution_date_time
                                    .clone()
                                    .unwrap_or_else(|| GeneralizedTime(String::new())),
                                execution_outcome: outcome,
                            },
                        )),
                        non_minimal_lengths: Vec::new(),
                    }),
                    due: Some(due),
                });
                if !store_failed {
                    self.pending.push(Pending::Update {
                        due,
                        code: ctx.message_code,
                        command: Box::new(c.clone()),
                    });
                }
                accepted(None)
            }
        }
    }

    /// The outcome of a CS02b/g command; the cells and sequence numbers change only when
    /// `apply` (else the outcome is the prediction a future-dated alert carries).
    fn execute_update(
        &mut self,
        message_code: MessageCode,
        c: &UpdateSecurityCredentialsCommand,
        apply: bool,
    ) -> CredentialsExecutionOutcome {
        let control = &c.authorising_remote_party_control;
        let mode = control
            .credentials_replacement_mode
            .as_i64()
            .filter(|m| mode_fits_code(message_code, *m));
        let mut replacements = Vec::new();
        let mut outcomes = Vec::new();
        for r in &c.replacements {
            let (outcome, replacing) = self.replacement_outcome(c, r, mode);
            outcomes.push(outcome);
            replacements.extend(replacing);
        }

        let changes = seq_number_changes(c, mode);

        if apply && mode.is_some() {
            self.apply_update(c, replacements, &changes);
        }

        CredentialsExecutionOutcome {
            authorising_remote_party_seq_number: control
                .authorising_remote_party_seq_number
                .clone(),
            credentials_replacement_mode: control.credentials_replacement_mode.clone(),
            remote_party_seq_number_changes: changes,
            replacement_outcomes: outcomes,
        }
    }

    /// One replacement of a CS02b/g command: its reported outcome, and the cell change it
    /// would make (`None` when it fails). Only reads the cells, so `execute_update` can
    /// predict every outcome before deciding whether to apply them.
    fn replacement_outcome(
        &self,
        c: &UpdateSecurityCredentialsCommand,
        r: &Replacement,
        mode: Option<i64>,
    ) -> (ReplacementOutcome, Option<CellReplacement>) {
        let target = &r.target_trust_anchor_cell;
        let cell = self.find_cell(target);
        let existing = cell.map(|i| {
            let a = &self.anchors[i];
            (
                a.entity.as_bytes().to_vec(),
                a.subject_key_identifier.clone(),
            )
        });
        let replacing = cell.and_then(|i| self.certified_replacement(c, r, mode, i));
        let (existing_id, existing_ski) = existing.unwrap_or_default();
        let (status, new_id, new_ski) = match &replacing {
            Some((_, id, ski)) => (0, id.as_bytes().to_vec(), ski.clone()),
            None => (
                REPLACEMENT_FAILED,
                existing_id.clone(),
                existing_ski.clone(),
            ),
        };
        let outcome = ReplacementOutcome {
            affected_trust_anchor_cell: target.clone(),
            status: code(CodeKind::ReplacementStatus, status),
            existing_subject_unique_id: existing_id.into(),
            existing_subject_key_identifier: existing_ski.into(),
            replacing_subject_unique_id: new_id.into(),
            replacing_subject_key_identifier: new_ski.into(),
        };
        (outcome, replacing)
    }

    /// Whether cell `i` may take the replacing certificate: the mode must allow the
    /// cell's role, the certificate must be signed by one on the certification path and
    /// carry the cell's key usage, subject and key identifier. Kept apart from
    /// `replacement_outcome` because these are the acceptance rules, not the reporting.
    fn certified_replacement(
        &self,
        c: &UpdateSecurityCredentialsCommand,
        r: &Replacement,
        mode: Option<i64>,
        i: usize,
    ) -> Option<CellReplacement> {
        let a = &self.anchors[i];
        let m = mode?;
        if !mode_may_replace(m, role_code(a.role)) {
            return None;
        }
        let der = r.replacing_certificate.as_slice();
        let f = certificate_facts(der)?;
        let certified = c
            .certification_path_certificates
            .iter()
            .any(|ca| signed_by(der, ca.as_slice()));
        if !certified || f.key_usage != Some(a.key_usage) {
            return None;
        }
        Some((i, f.subject?, f.subject_key_identifier?))
    }

    /// Puts the accepted replacements into their cells and moves the sequence numbers on;
    /// the part of a CS02b/g command that only happens when it executes (not when its
    /// outcome is predicted for a future-dated alert).
    fn apply_update(
        &mut self,
        c: &UpdateSecurityCredentialsCommand,
        replacements: Vec<CellReplacement>,
        changes: &[RpSeqNumberChange],
    ) {
        let control = &c.authorising_remote_party_control;
        for (i, entity, ski) in replacements {
            self.anchors[i].entity = entity;
            self.anchors[i].subject_key_identifier = ski;
        }
        // The authorising party's number moves on; a floor then resets a role whose key
        // holder changed.
        if let (Some(role), Some(seq)) = (
            control
                .authorising_remote_party_ta_cell_identifier
                .as_ref()
                .and_then(|id| id.remote_party_role.as_i64()),
            control.authorising_remote_party_seq_number.as_i64(),
        ) {
            self.set_sequence(role, seq);
        }
        for change in changes {
            if let (Some(role), Some(floor)) = (
                change.remote_party_role.as_i64(),
                change.floor_seq_number.as_i64(),
            ) {
                self.set_sequence(role, floor);
            }
        }
    }

    fn set_sequence(&mut self, role: i64, seq: i64) {
        for a in self
            .anchors
            .iter_mut()
            .filter(|a| role_code(a.role) == role)
        {
            a.sequence_number = seq;
        }
    }

    // -----------------------------------------------------------------------------------
    // CS02c / CS02d / CS02e
    // -----------------------------------------------------------------------------------

    fn issue(&mut self, usage: &KeyUsageBits) -> CertificationRequestOrCode {
        let Some(usage) = usage_of(usage) else {
            return CertificationRequestOrCode::ResponseCode(code(CodeKind::CsrResponse, 1));
        };
        match cert::certification_request(self.device, usage) {
            Some(req) => {
                self.requested.insert(usage, req.point);
                CertificationRequestOrCode::CertificationRequest(req.csr.into())
            }
            None => CertificationRequestOrCode::ResponseCode(code(CodeKind::CsrResponse, 3)),
        }
    }

    /// CS02d codes: 0 success, 1 invalid certificate, 2 wrong device identity, 3 invalid key
    /// usage, 4 no key pair, 5 wrong public key.
    fn update_device_certificate(&mut self, der: &[u8]) -> i64 {
        let Some(f) = certificate_facts(der) else {
            return 1;
        };
        let Some(usage) = f.key_usage else {
            return 3;
        };
        if f.subject != Some(self.device) {
            return 2;
        }
        if self.requested.get(&usage) == Some(&f.point) {
            self.requested.remove(&usage);
        } else {
            match self.keys.get(&usage) {
                None => return 4,
                Some(k) if k.point != f.point => return 5,
                Some(_) => {}
            }
        }
        self.keys.insert(
            usage,
            DeviceKey {
                point: f.point,
                certificate: Some(der.to_vec()),
            },
        );
        0
    }

    fn provide_device_certificate(&mut self, usage: &KeyUsageBits) -> CertificateOrCode {
        let Some(usage) = usage_of(usage) else {
            return CertificateOrCode::ResponseCode(code(CodeKind::DeviceCertificateProvide, 1));
        };
        if let Some(der) = self.keys.get(&usage).and_then(|k| k.certificate.clone()) {
            return CertificateOrCode::Certificate(der.into());
        }
        // A device built without certificates gets a test-PKI one on first request; it then
        // keeps it, so every later CS02e returns the same certificate.
        let spec = PkiSpec {
            seed: [
                b"gbcs-harness credentials model ".as_slice(),
                self.device.as_bytes(),
            ]
            .concat(),
            remote_parties: Vec::new(),
            devices: vec![(self.device, self.device_type)],
        };
        let der = TestPki::generate(&spec)
            .ok()
            .and_then(|pki| pki.certificate_der(self.device, usage).map(<[u8]>::to_vec));
        match der {
            Some(der) => {
                self.set_certificate(usage, &der);
                CertificateOrCode::Certificate(der.into())
            }
            None => CertificateOrCode::ResponseCode(code(CodeKind::DeviceCertificateProvide, 3)),
        }
    }

    // -----------------------------------------------------------------------------------
    // CS03 / CS04 / GCS59
    // -----------------------------------------------------------------------------------

    /// Adds a log entry: 0 success, 3 the id is logged with another type, 4 log full.
    fn log_device(&mut self, entity: EntityId, device_type: i64) -> i64 {
        match self.log.iter().find(|e| e.entity == entity) {
            Some(e) if e.device_type == device_type => 0,
            Some(_) => 3,
            None if self.log.len() >= DEVICE_LOG_CAPACITY => 4,
            None => {
                self.log.push(JoinedDevice {
                    entity,
                    device_type,
                });
                0
            }
        }
    }

    /// CS03 codes (primer §3.6): 1 the method does not match the message code, 2 invalid
    /// method/role for the two device types, 11 method C without a key-agreement
    /// certificate, else the log outcome.
    fn join(&mut self, message_code: MessageCode, c: &JoinCommand) -> i64 {
        let expected = match message_code {
            MessageCode::CS03A1 => 0,
            MessageCode::CS03A2 => 1,
            MessageCode::CS03B => 2,
            _ => 3,
        };
        if c.join_method_and_role.as_i64() != Some(expected) {
            return 1;
        }
        let Ok(id) = <[u8; 8]>::try_from(c.other_device_entity_identifier.as_slice()) else {
            return 2;
        };
        let other = EntityId(id);
        let Some(other_type) = c.other_device_type.as_i64().filter(|t| (0..=6).contains(t)) else {
            return 2;
        };
        let mine = i64::from(self.device_type.code());
        let (gsme, esme, gpf, hcalcs, ppmid) = (0, 1, 3, 4, 5);
        let meter = [gsme, esme];
        let display = [hcalcs, ppmid];
        let valid = match expected {
            // Method A: CBKE between a meter (initiator) and a HAN display or CAD.
            0 => meter.contains(&mine) && display.contains(&other_type),
            1 => display.contains(&mine) && meter.contains(&other_type),
            // Method B: the gas meter and its proxy.
            2 => (mine == gsme && other_type == gpf) || (mine == gpf && other_type == gsme),
            _ => true,
        };
        if !valid {
            return 2;
        }
        if expected == 3 {
            // The device needs the other's key-agreement key. It does not insist that the
            // certificate name the other device: the RTDS CS03C non-critical success joins
            // …94 with the certificate of …A1.
            let certified = c
                .other_device_certificate
                .as_ref()
                .and_then(|d| certificate_facts(d.as_slice()))
                .is_some_and(|f| f.key_usage == Some(KeyUsage::KeyAgreement));
            if !certified {
                return 11;
            }
        }
        self.log_device(other, other_type)
    }

    /// CS04 codes: 0 success, 1 not in the device log.
    fn unjoin(&mut self, id: &[u8]) -> i64 {
        let before = self.log.len();
        self.log.retain(|e| e.entity.as_bytes().as_slice() != id);
        if self.log.len() < before {
            0
        } else {
            1
        }
    }

    fn restore(&mut self, entries: &[DeviceLogEntry]) -> Vec<RestoreOutcome> {
        entries
            .iter()
            .map(|e| {
                let id = <[u8; 8]>::try_from(e.device_id.as_slice())
                    .ok()
                    .map(EntityId);
                let ty = e.device_type.as_i64().filter(|t| (0..=6).contains(t));
                let rc = match (id, ty) {
                    (Some(id), Some(ty)) => self.log_device(id, ty),
                    _ => 2,
                };
                RestoreOutcome {
                    device_log_entry: e.clone(),
                    join_response_code: code(CodeKind::JoinResponse, rc),
                }
            })
            .collect()
    }

    // -----------------------------------------------------------------------------------
    // CS06
    // -----------------------------------------------------------------------------------

    fn activation_failure(&self) -> ActivateFirmwareResponse {
        ActivateFirmwareResponse {
            result: ActivateFirmwareResult::ExecutionOutcome(FirmwareExecutionOutcome {
                response_code: code(CodeKind::FirmwareActivation, 3),
                firmware_version: self.firmware.version.to_vec().into(),
            }),
        }
    }

    /// CS06 codes: 0 success (reporting the new version), 1 no image held, 2 hash mismatch.
    fn run_activation(&mut self, hash: &[u8], apply: bool) -> FirmwareExecutionOutcome {
        let (rc, version) = match &self.firmware.image {
            None => (1, self.firmware.version),
            Some(img) if img.hash.as_slice() != hash => (2, self.firmware.version),
            Some(img) => (0, img.version),
        };
        if apply && rc == 0 {
            self.firmware.version = version;
        }
        FirmwareExecutionOutcome {
            response_code: code(CodeKind::FirmwareActivation, rc),
            firmware_version: version.to_vec().into(),
        }
    }

    fn activate(
        &mut self,
        ctx: &CommandContext,
        c: &ActivateFirmwareCommand,
        alerts: &mut Vec<AlertRequest>,
    ) -> ActivateFirmwareResponse {
        // GBCS's processing steps for CS06 check authenticity (done by the pipeline: the
        // header counter is the anti-replay protection), then the image and its hash. The
        // payload's originatorCounter is recorded for the future-dated alert, not checked:
        // a device does not fail an activation over it.
        let hash = c.manufacturer_image_hash.as_slice();
        let accepted = ActivateFirmwareResponse {
            result: ActivateFirmwareResult::CommandAccepted(Null),
        };
        match when(c.execution_date_time.as_ref(), ctx.now) {
            When::Invalid => self.activation_failure(),
            When::Now => ActivateFirmwareResponse {
                result: ActivateFirmwareResult::ExecutionOutcome(self.run_activation(hash, true)),
            },
            When::Cancel => {
                self.pending
                    .retain(|p| !matches!(p, Pending::Activate { .. }));
                accepted
            }
            When::Future(due) => {
                let outcome = self.run_activation(hash, false);
                let ok = outcome.response_code.as_i64() == Some(0);
                alerts.push(AlertRequest {
                    message_code: MessageCode::FDFAA,
                    payload: Payload::Asn1(Asn1Payload {
                        body: Box::new(Asn1Body::ActivateFirmwareAlert(ActivateFirmwareAlert {
                            alert_code: code(
                                CodeKind::AlertCode,
                                if ok { ALERT_SUCCESS } else { ALERT_FAILURE },
                            ),
                            execution_date_time: c
                                .execution_date_time
                                .clone()
                                .unwrap_or_else(|| GeneralizedTime(String::new())),
                            originator_counter: c.originator_counter.clone(),
                            execution_outcome: outcome,
                        })),
                        non_minimal_lengths: Vec::new(),
                    }),
                    due: Some(due),
                });
                // A newer activation replaces one still waiting. One whose alert already
                // reports failure (no image, wrong hash) has nothing to activate.
                self.pending
                    .retain(|p| !matches!(p, Pending::Activate { .. }));
                if ok {
                    self.pending.push(Pending::Activate {
                        due,
                        hash: hash.to_vec(),
                    });
                }
                accepted
            }
        }
    }
}

impl CredentialsExecutionOutcome {
    /// The same outcome with every replacement failed (a command the device will not run).
    fn failed(mut self) -> Self {
        for o in &mut self.replacement_outcomes {
            o.status = code(CodeKind::ReplacementStatus, REPLACEMENT_FAILED);
            o.replacing_subject_unique_id = o.existing_subject_unique_id.clone();
            o.replacing_subject_key_identifier = o.existing_subject_key_identifier.clone();
        }
        self
    }
}

fn cell_contents(a: &TrustAnchor) -> TaCellContents {
    TaCellContents {
        key_usage: bits(a.key_usage),
        cell_usage: a.cell_usage.map(|u| code(CodeKind::CellUsage, u)),
        subject_unique_id: a.entity.as_bytes().to_vec().into(),
        subject_key_identifier: a.subject_key_identifier.clone().into(),
    }
}

fn log_entry(e: &JoinedDevice) -> DeviceLogEntry {
    DeviceLogEntry {
        device_id: e.entity.as_bytes().to_vec().into(),
        device_type: code(CodeKind::DeviceType, e.device_type),
    }
}

impl DeviceModel for Credentials {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        _encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        let Payload::Asn1(request) = request else {
            return None;
        };
        let (payload, alerts) = Credentials::handle(self, ctx, request)?;
        Some(ModelReply {
            payload: Payload::Asn1(payload),
            alerts,
        })
    }

    fn fail_next(&mut self, failure: &DeviceFailure) -> bool {
        Credentials::fail_next(self, failure)
    }
}

/// The state the RTDS scripts assume of their devices, as the project's own data: device
/// types by the last byte of the RTDS entity ids, the GSME's device log that CS07 and CS04B
/// read and change, and the firmware image whose hash the CS06 scripts quote.
pub mod rtds {
    use super::*;

    /// The manufacturer image hash of the RTDS CS06 scripts (primer §3.8).
    pub const IMAGE_HASH: [u8; 32] = [
        0xAA, 0x75, 0x86, 0x90, 0x73, 0x09, 0x34, 0xFF, 0x06, 0x85, 0xAA, 0x75, 0x86, 0x90, 0x73,
        0x09, 0x34, 0xFF, 0x06, 0x85, 0x65, 0x77, 0x88, 0x99, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
        0x66, 0x77,
    ];

    /// A0 ESME, A1 GSME, A2 comms hub, A3 GPF, A4 PPMID, A5 HCALCS; anything else (A6, the
    /// load-controlled meter of CS02g) an ESME.
    pub fn device_type(device: EntityId) -> DeviceType {
        match device.as_bytes()[7] {
            0xA1 => DeviceType::Gsme,
            0xA2 => DeviceType::CommsHub,
            0xA3 => DeviceType::Gpf,
            0xA4 => DeviceType::Ppmid,
            0xA5 => DeviceType::Hcalcs,
            _ => DeviceType::Esme,
        }
    }

    fn entity(bytes: [u8; 8], device_type: i64) -> JoinedDevice {
        JoinedDevice {
            entity: EntityId(bytes),
            device_type,
        }
    }

    /// The GSME's log in the RTDS: a GPF under a test id, a second GPF and a PPMID.
    pub fn device_log(device: EntityId) -> Vec<JoinedDevice> {
        match device_type(device) {
            DeviceType::Gsme => vec![
                entity([1, 2, 3, 4, 5, 6, 7, 8], 3),
                entity([0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0x99], 3),
                entity([0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0x97], 5),
            ],
            _ => Vec::new(),
        }
    }

    pub fn firmware() -> Firmware {
        Firmware {
            image: Some(FirmwareImage {
                hash: IMAGE_HASH,
                version: [0x01, 0x23, 0xAB, 0xCE],
            }),
            ..reference_firmware()
        }
    }

    /// An RTDS device over the ZAZ1 store: its anchors, its own certificates, log and
    /// firmware.
    pub fn credentials(keys: &KeyStore, device: EntityId) -> Credentials {
        Credentials::new(
            device,
            device_type(device),
            Credentials::anchors_from_store(keys),
        )
        .with_store_certificates(keys)
        .with_device_log(device_log(device))
        .with_firmware(firmware())
    }
}
