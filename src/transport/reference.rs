//! `reference:DIR[?keys=PATH&esme=twin]`: the RTDS device as an independent, conformant
//! device. Each command the suite sends (a recorded command readdressed to the lab, sent with
//! a fresh counter by the harness's remote party) is answered with the RTDS recording for
//! that command, readdressed to the command and protected with the lab's keys as the
//! recording was: MAC'd, signed, device data encrypted. Expectations come from the
//! recordings, so a vector that fails against this target is a vector that cries wolf.
//!
//! Recorded responses are decrypted once, at load, with the RTDS key store (`DIR/../keystore`
//! unless `keys=` says otherwise). Answers are rebuilt byte for byte: same header, payload
//! and device data, with RTDS entity ids swapped for the lab's (`rtds_to_default`), the
//! command's originator as recipient, its counter echoed (in the header, in DLMS protection
//! parameters' transaction ids and in future-dated outcome alerts), its DLMS invoke id, and
//! trust-anchor key identifiers and a CS02e device certificate the lab's. Signed DER objects
//! the device made (a CS02c request) are left as recorded, so their signatures hold.
//!
//! Like a conformant device it discards, silently, what fails the security checks (another
//! device's command, no valid MAC or signature with the lab's keys, an unsigned critical
//! command, an unentitled role, a replayed counter): the runner sees a timeout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::codec::asn1::payloads::{CertificateOrCode, CertificationRequestOrCode};
use crate::codec::asn1::values::Integer;
use crate::codec::asn1::Asn1Body;
use crate::codec::catalogue::{self, Origin, PayloadFamily};
use crate::codec::ciphered::{CipheredBlock, Decryption};
use crate::codec::frame::{
    Frame, FrameSpans, GeneralSigning, GroupingHeader, OtherInformation, SignatureField,
};
use crate::codec::payload::{decode_payload, detect_family, Payload};
use crate::codec::{decode_frame, CraFlag, EntityId, MessageCode};
use crate::command::template::CommandTemplate;
use crate::corpus::{
    alert_variant, command_files, hex_files, read_hex_file, CommandFile, CONSEQUENTIAL_ALERTS,
};
use crate::crypto::pki::certificate_facts;
use crate::crypto::{gcm, protect, KeyStore, KeyUsage};
use crate::inspect::{Inspector, Verdict};
use crate::sim::access::{acting_role, entitlement};
use crate::sim::profile::{rtds_to_default, DefaultProfile, RtdsProfile};

use super::replay::short_hex;
use super::{BoxFuture, DeviceState, Limits, Received, TimedFrame, Transport, TransportError};

/// More recorded commands than this in one folder is refused (RTDS 4.5.0 has 427).
const MAX_COMMANDS: usize = 20_000;
/// Tags of the xDLMS APDUs whose long-invoke-id echoes the command's counter.
const DLMS_ACCESS_REQUEST: u8 = 0xD9;
const DLMS_ACCESS_RESPONSE: u8 = 0xDA;

/// Why the reference device cannot load a recording or answer a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("{0}: not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot load the RTDS key store {path}: {reason}")]
    KeyStore { path: PathBuf, reason: String },
    #[error("cannot build the lab's keys: {0}")]
    Lab(String),
    #[error("more than {limit} recorded commands")]
    TooManyCommands { limit: usize },
    #[error("{file}: {reason}")]
    Recording { file: String, reason: String },
    #[error(
        "{file}: ciphered block {index} cannot be decrypted with the RTDS key store: {reason}"
    )]
    Undecryptable {
        file: String,
        index: usize,
        reason: String,
    },
    #[error("cannot protect the answer from {file} with the lab's keys: {reason}")]
    Protect { file: String, reason: String },
}

/// One ciphered block of a recorded message: where it sits in the content, and its plaintext.
#[derive(Debug, Clone)]
struct Block {
    offset: usize,
    len: usize,
    invocation_counter: u32,
    plaintext: Vec<u8>,
}

/// A recorded response or alert, decrypted, ready to be readdressed and protected again.
#[derive(Debug, Clone)]
struct Recording {
    file: String,
    header: GroupingHeader,
    content: Vec<u8>,
    /// Sorted by offset, not overlapping.
    blocks: Vec<Block>,
    /// Signed DER objects in the content (a CS02c request, a CS02e certificate): rewriting
    /// ids inside would break their signatures.
    opaque: Option<std::ops::Range<usize>>,
    /// The usage of the device's own certificate a CS02e response carries: the lab
    /// device's certificate takes its place.
    device_certificate: Option<KeyUsage>,
    maced: bool,
    signed: bool,
}

/// Payload fields of an ASN.1 command that its response or alert repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Asn1Echoes {
    /// CS02b/CS02g authorisingRemotePartySeqNumber.
    seq_number: Option<Integer>,
    /// CS06 originatorCounter.
    originator_counter: Option<Integer>,
}

/// What is known of a command, recorded or received, to readdress an answer to it.
#[derive(Debug, Clone)]
struct CommandFacts {
    message_code: MessageCode,
    counter: u64,
    originator: EntityId,
    recipient: EntityId,
    supplementary_counter: Option<u64>,
    echoes: Asn1Echoes,
    /// Subject key identifiers of the certificates a CS02b/g command installs, in order.
    replacing_keys: Vec<EntityId>,
}

impl CommandFacts {
    fn of(frame: &Frame) -> Self {
        let h = frame.header();
        let message_code = h.message_code().unwrap_or(MessageCode(0));
        let content = frame.general_signing.content.as_slice();
        CommandFacts {
            message_code,
            counter: h.counter,
            originator: h.originator,
            recipient: h.recipient,
            supplementary_counter: supplementary_counter(&h.other_information),
            echoes: asn1_echoes(content, message_code),
            replacing_keys: replacing_keys(content, message_code),
        }
    }
}

/// One recorded variant of a use case: its command and what the device answered.
#[derive(Debug, Clone)]
struct Variant {
    /// e.g. `ECS17b_4.1.1_SINGLE_SUCCESS`.
    name: String,
    recorded: CommandFacts,
    /// The response and the alerts, or why they cannot be answered (said at exchange).
    answer: Result<(Recording, Vec<Recording>), ReferenceError>,
}

impl Variant {
    fn words(&self) -> impl Iterator<Item = &str> {
        // The use case and version come first; only the variant's own words count.
        self.name.splitn(3, '_').nth(2).unwrap_or("").split('_')
    }

    fn is_error(&self) -> bool {
        self.words().any(|w| w == "ERROR") || self.name.contains("NOT_FOUND")
    }

    fn is_twin(&self) -> bool {
        self.words().any(|w| w == "TWIN")
    }
}

/// What `reference:DIR[?keys=PATH&esme=twin]` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceOptions {
    pub dir: PathBuf,
    /// The RTDS key store; default `DIR/../keystore`.
    pub keys: PathBuf,
    /// Prefer the `_TWIN_` recordings (a twin-element ESME).
    pub twin: bool,
}

impl ReferenceOptions {
    pub fn from_url(url: &str) -> Result<Self, TransportError> {
        let bad = |reason: String| TransportError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let rest = url
            .strip_prefix("reference:")
            .ok_or_else(|| bad("expected reference:DIR".into()))?;
        let (dir, query) = rest.split_once('?').unwrap_or((rest, ""));
        if dir.is_empty() {
            return Err(bad("expected reference:DIR[?keys=PATH&esme=twin]".into()));
        }
        let dir = PathBuf::from(dir);
        let mut keys = dir.join("..").join("keystore");
        let mut twin = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("keys", path)) if !path.is_empty() => keys = PathBuf::from(path),
                Some(("esme", "twin")) => twin = true,
                Some(("esme", "single")) => twin = false,
                Some(("esme", other)) => {
                    return Err(bad(format!("esme={other:?}: expected single or twin")))
                }
                _ => return Err(bad(format!("unknown parameter {pair:?}"))),
            }
        }
        Ok(ReferenceOptions { dir, keys, twin })
    }
}

/// A recorded command that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

pub struct ReferenceTransport {
    url: String,
    lab: DefaultProfile,
    map: Vec<(EntityId, EntityId)>,
    /// RTDS key identifiers → the lab's.
    key_ids: Vec<(EntityId, EntityId)>,
    /// The lab's ids of the RTDS devices: commands for anyone else are discarded.
    devices: Vec<EntityId>,
    variants: Vec<Variant>,
    /// Match key of the readdressed command → variants, in name order.
    by_key: HashMap<Vec<u8>, Vec<usize>>,
    twin: bool,
    /// The variant `prepare` asked for, for the next command only.
    prepared: Option<String>,
    skipped: Vec<Skipped>,
    /// Highest counter accepted from each originator by each device.
    last_counter: HashMap<(EntityId, EntityId), u64>,
    /// Why the last command was discarded, if it was.
    last_discard: Option<String>,
}

impl ReferenceTransport {
    /// Opens `reference:DIR[?keys=PATH&esme=twin]`.
    pub fn from_url(url: &str) -> Result<Self, TransportError> {
        let options = ReferenceOptions::from_url(url)?;
        Self::load(url, &options)
    }

    pub fn load(url: &str, options: &ReferenceOptions) -> Result<Self, TransportError> {
        let fail = |source: ReferenceError| TransportError::Reference {
            target: url.to_string(),
            source,
        };
        if !options.dir.is_dir() {
            return Err(fail(ReferenceError::NotAFolder(options.dir.clone())));
        }
        let rtds_keys = KeyStore::load_dir(&options.keys).map_err(|e| {
            fail(ReferenceError::KeyStore {
                path: options.keys.clone(),
                reason: e.to_string(),
            })
        })?;
        let lab =
            DefaultProfile::generate().map_err(|e| fail(ReferenceError::Lab(e.to_string())))?;
        let map = rtds_to_default();
        let files = command_files(&options.dir);
        if files.len() > MAX_COMMANDS {
            return Err(fail(ReferenceError::TooManyCommands {
                limit: MAX_COMMANDS,
            }));
        }
        let (mut variants, skipped, keys) = load_variants(&options.dir, &rtds_keys, &map, files);
        add_consequential_alerts(&rtds_keys, &options.dir, &mut variants);
        let by_key = index_by_key(keys, &variants);
        let devices = RtdsProfile::devices()
            .into_iter()
            .filter_map(|d| map.iter().find(|(from, _)| *from == d).map(|(_, to)| *to))
            .collect();
        let key_ids = key_identifier_map(&rtds_keys, lab.keys(), &map);
        Ok(ReferenceTransport {
            url: url.to_string(),
            key_ids,
            lab,
            map,
            devices,
            variants,
            by_key,
            twin: options.twin,
            prepared: None,
            skipped,
            last_counter: HashMap::new(),
            last_discard: None,
        })
    }

    /// How many recorded commands can be answered (or say why not).
    pub fn len(&self) -> usize {
        self.variants.len()
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// Recorded commands that were not loaded, and why.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Variants whose recordings cannot be answered (a block that does not decrypt, a file
    /// that does not decode), with the reason an exchange would give.
    pub fn unanswerable(&self) -> Vec<(String, String)> {
        self.variants
            .iter()
            .filter_map(|v| {
                v.answer
                    .as_ref()
                    .err()
                    .map(|e| (v.name.clone(), e.to_string()))
            })
            .collect()
    }

    /// Why the last command got no answer (the security event a device would log).
    pub fn last_discard(&self) -> Option<&str> {
        self.last_discard.as_deref()
    }

    /// The names of the variants a command would be answered from, in name order.
    pub fn variants_of(&self, frame: &[u8]) -> Vec<String> {
        let Ok(frame) = decode_frame(frame) else {
            return Vec::new();
        };
        self.candidates(&frame)
            .map(|list| {
                list.iter()
                    .map(|i| self.variants[*i].name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn candidates(&self, frame: &Frame) -> Option<&Vec<usize>> {
        let template = CommandTemplate::from_frame(frame)?;
        self.by_key.get(&match_key(
            template.message_code,
            template.payload.as_slice(),
        ))
    }

    /// The variant that answers when none was asked for: not an error, twin only when the
    /// URL says the ESME is twin-element; failing that the first non-error one, or the first.
    fn nominal(&self, list: &[usize]) -> usize {
        let v = |i: &&usize| &self.variants[**i];
        list.iter()
            .find(|i| !v(i).is_error() && v(i).is_twin() == self.twin)
            .or_else(|| list.iter().find(|i| !v(i).is_error()))
            .or_else(|| list.first())
            .copied()
            .unwrap_or_default()
    }

    fn describe_command(frame: &Frame, bytes: &[u8]) -> String {
        let code = frame.header().message_code();
        let use_case = code.and_then(catalogue::lookup).map_or("?", |e| e.use_case);
        format!(
            "message code {} ({use_case}), {}",
            code.map_or_else(|| "(none)".into(), |c| c.to_string()),
            short_hex(bytes)
        )
    }

    /// Why a conformant device would discard this command, if it would: it is for another
    /// device, it does not authenticate with the lab's keys, a critical command is unsigned,
    /// the sender's role is not entitled to the use case (the simulator's rules), or it is a
    /// replay.
    fn discard_reason(&self, bytes: &[u8], frame: &Frame) -> Option<String> {
        let recipient = frame.header().recipient;
        if !self.devices.contains(&recipient) {
            return Some(format!("recipient {recipient} is not one of the devices"));
        }
        let inspection = match Inspector::new(self.lab.keys(), Some(self.lab.acb())).inspect(bytes)
        {
            Ok(i) => i,
            Err(e) => return Some(format!("does not decode: {e}")),
        };
        let checks = &inspection.checks;
        let signed = checks.signature == Verdict::Valid;
        match &checks.signature {
            Verdict::Invalid => return Some("signature does not verify".into()),
            Verdict::Unverifiable { reason } => {
                return Some(format!("signature cannot be checked: {reason}"))
            }
            _ => {}
        }
        match &checks.mac {
            Verdict::Valid => {}
            Verdict::NotPresent if signed => {}
            Verdict::NotPresent => return Some("not MAC'd".into()),
            Verdict::Invalid => return Some("MAC does not verify".into()),
            Verdict::Unverifiable { reason } => {
                return Some(format!("MAC cannot be checked: {reason}"))
            }
        }
        let h = frame.header();
        let entry = h.message_code().and_then(catalogue::lookup);
        if entry.is_some_and(|e| e.message_type.is_critical()) && !signed {
            return Some("critical command is not signed".into());
        }
        // Device-to-device HAN commands have no remote-party role to check.
        if !entry.is_some_and(|e| e.origin == Origin::HanOnly) {
            let code = h.message_code().unwrap_or(MessageCode(0));
            match acting_role(self.lab.keys(), h) {
                None => return Some(format!("originator {} has no known role", h.originator)),
                Some(role) if !entitlement(code).allows(role) => {
                    return Some(format!("role {role:?} is not entitled to {code}"))
                }
                Some(_) => {}
            }
        }
        match self.last_counter.get(&(h.originator, h.recipient)) {
            Some(last) if h.counter <= *last => Some(format!(
                "counter {} is not above the last accepted {last}",
                h.counter
            )),
            _ => None,
        }
    }

    fn answer(&mut self, bytes: &[u8], limits: &Limits) -> Result<Received, TransportError> {
        let target = self.url.clone();
        if bytes.len() > limits.max_frame {
            return Err(TransportError::TooLarge {
                target,
                direction: "outgoing",
                size: bytes.len(),
                limit: limits.max_frame,
            });
        }
        let prepared = self.prepared.take();
        let frame = decode_frame(bytes);
        self.last_discard = match &frame {
            Err(e) => Some(format!("does not decode: {e}")),
            Ok(frame) => self.discard_reason(bytes, frame),
        };
        let (Ok(frame), None) = (frame, &self.last_discard) else {
            // A conformant device discards it without a word (and logs a security event).
            return Err(TransportError::Timeout {
                target,
                ms: limits.response_timeout.as_millis(),
                what: "waiting for a response (the reference device discarded the command)",
            });
        };
        let Some(list) = self.candidates(&frame) else {
            return Err(TransportError::NoRecordedResponse {
                target,
                command: Self::describe_command(&frame, bytes),
            });
        };
        let chosen = match prepared {
            None => self.nominal(list),
            Some(name) => match list.iter().find(|i| self.variants[**i].name == name) {
                Some(i) => *i,
                None => {
                    let recorded: Vec<&str> = list
                        .iter()
                        .map(|i| self.variants[*i].name.as_str())
                        .collect();
                    return Err(TransportError::StateControl {
                        target,
                        variant: name,
                        reason: format!(
                            "the next command ({}) is recorded only as {}",
                            Self::describe_command(&frame, bytes),
                            recorded.join(", ")
                        ),
                    });
                }
            },
        };
        let variant = &self.variants[chosen];
        let (response, alerts) =
            variant
                .answer
                .as_ref()
                .map_err(|e| TransportError::Reference {
                    target: target.clone(),
                    source: e.clone(),
                })?;
        let invoke = {
            let c = frame.general_signing.content.as_slice();
            (c.len() >= 5 && c[0] == DLMS_ACCESS_REQUEST).then(|| [c[2], c[3], c[4]])
        };
        let readdress = Readdress::new(
            &variant.recorded,
            CommandFacts::of(&frame),
            invoke,
            &self.map,
            &self.key_ids,
        );
        let keys = self.lab.keys();
        let acb = self.lab.acb();
        let fail = |source| TransportError::Reference {
            target: target.clone(),
            source,
        };
        let mut received = Received::default();
        let response = readdress.rebuild(response, true, keys, acb).map_err(fail)?;
        received.responses.push(TimedFrame::now(response));
        for alert in alerts {
            let alert = readdress.rebuild(alert, false, keys, acb).map_err(fail)?;
            received.alerts.push(TimedFrame::now(alert));
        }
        let h = frame.header();
        let last = self
            .last_counter
            .entry((h.originator, h.recipient))
            .or_insert(h.counter);
        *last = (*last).max(h.counter);
        Ok(received)
    }
}

impl Transport for ReferenceTransport {
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>> {
        let result = self.answer(frame, limits);
        Box::pin(async move { result })
    }

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        // Recorded alerts come back with the command that caused them; none is unsolicited.
        Box::pin(async move {
            tokio::time::sleep(wait).await;
            Ok(Vec::new())
        })
    }

    fn describe(&self) -> String {
        self.url.clone()
    }

    fn prepare<'a>(
        &'a mut self,
        state: &'a DeviceState,
        _limits: &'a Limits,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        let refused = if !self.devices.contains(&state.device) {
            Some(format!("{} is not one of the devices", state.device))
        } else if !self.variants.iter().any(|v| v.name == state.variant) {
            Some("no such recorded variant".into())
        } else {
            None
        };
        self.prepared = refused.is_none().then(|| state.variant.clone());
        let result = match refused {
            None => Ok(()),
            Some(reason) => Err(TransportError::StateControl {
                target: self.url.clone(),
                variant: state.variant.clone(),
                reason,
            }),
        };
        Box::pin(async move { result })
    }
}

/// The rules that turn a recording for one command into the answer to another.
struct Readdress<'a> {
    recorded: &'a CommandFacts,
    actual: CommandFacts,
    invoke: Option<[u8; 3]>,
    /// Entity ids swapped everywhere: the recorded device → the command's device, then the
    /// RTDS → lab map; then key identifiers: the certificates the recorded command installed
    /// → those the command sent installs, then the RTDS certificates' → the lab's.
    ids: Vec<(EntityId, EntityId)>,
}

impl<'a> Readdress<'a> {
    fn new(
        recorded: &'a CommandFacts,
        actual: CommandFacts,
        invoke: Option<[u8; 3]>,
        map: &[(EntityId, EntityId)],
        key_ids: &[(EntityId, EntityId)],
    ) -> Self {
        let mut ids = vec![(recorded.recipient, actual.recipient)];
        ids.extend(map.iter().filter(|(from, _)| *from != recorded.recipient));
        ids.extend(
            recorded
                .replacing_keys
                .iter()
                .zip(&actual.replacing_keys)
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (*a, *b)),
        );
        ids.extend(key_ids);
        Readdress {
            recorded,
            actual,
            invoke,
            ids,
        }
    }

    fn id(&self, id: EntityId) -> EntityId {
        self.ids
            .iter()
            .find(|(from, _)| *from == id)
            .map_or(id, |(_, to)| *to)
    }

    /// The party a message goes to: the command's sender where the recording answered its
    /// sender (the harness may play another party than the recording).
    fn party(&self, id: EntityId) -> EntityId {
        if id == self.recorded.originator {
            self.actual.originator
        } else {
            self.id(id)
        }
    }

    fn swap_ids(&self, bytes: &mut [u8]) {
        let mut i = 0;
        while i + 8 <= bytes.len() {
            match self.ids.iter().find(|(from, _)| bytes[i..i + 8] == from.0) {
                Some((_, to)) => {
                    bytes[i..i + 8].copy_from_slice(&to.0);
                    i += 8;
                }
                None => i += 1,
            }
        }
    }

    /// Echoes of the recorded command in plain payload bytes: DLMS protection parameters
    /// (`09 09 04 ‖ counter`, then the originator and recipient of the protected data, dlms
    /// §7) and future-dated outcome alerts (message code ‖ counter of the command, dlms §6,
    /// zigbee-gbz); then entity ids.
    fn rewrite(&self, bytes: &mut [u8]) {
        let old = self.recorded.counter.to_be_bytes();
        let new = self.actual.counter.to_be_bytes();
        let code = self.recorded.message_code.0.to_be_bytes();
        let mut i = 0;
        while i + 10 <= bytes.len() {
            if i + 11 <= bytes.len()
                && bytes[i..i + 3] == [0x09, 0x09, 0x04]
                && bytes[i + 3..i + 11] == old
            {
                bytes[i + 3..i + 11].copy_from_slice(&new);
                let mut j = i + 11;
                for _ in 0..2 {
                    if j + 10 <= bytes.len() && bytes[j..j + 2] == [0x09, 0x08] {
                        let id = EntityId(bytes[j + 2..j + 10].try_into().unwrap_or_default());
                        bytes[j + 2..j + 10].copy_from_slice(&self.party(id).0);
                        j += 10;
                    }
                }
                i = j;
            } else if bytes[i..i + 2] == code && bytes[i + 2..i + 10] == old {
                bytes[i + 2..i + 10].copy_from_slice(&new);
                i += 10;
            } else {
                i += 1;
            }
        }
        self.swap_ids(bytes);
    }

    fn other_information(&self, oi: &OtherInformation, response: bool) -> OtherInformation {
        let mut oi = oi.clone();
        let echo = |counter: &mut u64| {
            if response && Some(*counter) == self.recorded.supplementary_counter {
                if let Some(actual) = self.actual.supplementary_counter {
                    *counter = actual;
                }
            }
        };
        match &mut oi {
            OtherInformation::MessageCode { .. } => {}
            OtherInformation::SupplementaryRemoteParty {
                supplementary_remote_party,
                ..
            } => *supplementary_remote_party = self.id(*supplementary_remote_party),
            OtherInformation::SupplementaryRemotePartyCounter {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                ..
            }
            | OtherInformation::SupplementaryOriginatorCounter {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                ..
            }
            | OtherInformation::SupplementaryCertificate {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                ..
            } => {
                *supplementary_remote_party = self.id(*supplementary_remote_party);
                echo(supplementary_remote_party_counter);
            }
            OtherInformation::Unrecognised { raw, .. } => {
                let mut bytes = raw.as_slice().to_vec();
                self.swap_ids(&mut bytes);
                *raw = bytes.into();
            }
        }
        oi
    }

    /// The recording, readdressed to the actual command and protected with the lab's keys.
    fn rebuild(
        &self,
        rec: &Recording,
        response: bool,
        keys: &KeyStore,
        acb: EntityId,
    ) -> Result<Vec<u8>, ReferenceError> {
        let protect_error = |reason: String| ReferenceError::Protect {
            file: rec.file.clone(),
            reason,
        };
        let mut header = rec.header.clone();
        if response {
            header.counter = self.actual.counter;
        }
        header.originator = self.id(header.originator);
        header.recipient = self.party(header.recipient);
        header.other_information = self.other_information(&header.other_information, response);

        let mut content = rec.content.clone();
        let mut untouched: Vec<std::ops::Range<usize>> = rec.opaque.iter().cloned().collect();
        if let Some(der) = rec
            .device_certificate
            .and_then(|usage| keys.certificate_der(self.actual.recipient, usage))
        {
            if let Some((replaced, at)) = with_device_certificate(&content, &header, der) {
                content = replaced;
                untouched.clear();
                untouched.push(at);
            }
        }
        untouched.extend(rec.blocks.iter().map(|b| b.offset..b.offset + b.len));
        untouched.sort_by_key(|r| r.start);
        let mut start = 0;
        for r in &untouched {
            if let Some(segment) = content.get_mut(start..r.start) {
                self.rewrite(segment);
            }
            start = start.max(r.end);
        }
        if let Some(segment) = content.get_mut(start..) {
            self.rewrite(segment);
        }
        if response && content.len() >= 5 && content[0] == DLMS_ACCESS_RESPONSE {
            if let Some(invoke) = self.invoke {
                content[2..5].copy_from_slice(&invoke);
            }
        }
        if rec.blocks.is_empty() {
            if let Some(echoed) = self.asn1_echoes(&content, &header) {
                content = echoed;
            }
        }
        let stub = Frame {
            general_ciphering: None,
            general_signing: GeneralSigning {
                header: header.clone(),
                content: Vec::new().into(),
                content_offset: 0,
                signature: SignatureField::Null,
            },
            spans: FrameSpans::default(),
        };
        for b in &rec.blocks {
            let mut plaintext = b.plaintext.clone();
            self.swap_ids(&mut plaintext);
            let block = protect::encrypt_block(keys, &stub, b.invocation_counter, &plaintext)
                .map_err(|e| protect_error(format!("cannot encrypt: {e}")))?;
            let mut encoded = Vec::with_capacity(b.len);
            block.encode(&mut encoded);
            // GCM keeps the length, so the block fits where the recorded one was.
            let slot = content
                .get_mut(b.offset..b.offset + b.len)
                .filter(|s| s.len() == encoded.len())
                .ok_or_else(|| protect_error("re-encrypted block changed length".into()))?;
            slot.copy_from_slice(&encoded);
        }
        let mut gs = GeneralSigning {
            header,
            content: content.into(),
            content_offset: 0,
            signature: SignatureField::Null,
        };
        if rec.signed {
            protect::sign(keys, &mut gs).map_err(|e| protect_error(format!("cannot sign: {e}")))?;
        }
        if rec.maced {
            Ok(protect::wrap_with_mac(keys, Some(acb), gs)
                .map_err(|e| protect_error(format!("cannot MAC: {e}")))?
                .encode())
        } else {
            Ok(Frame {
                general_ciphering: None,
                general_signing: gs,
                spans: FrameSpans::default(),
            }
            .encode())
        }
    }

    /// An ASN.1 answer repeats fields of the command's payload (CS02b's sequence number,
    /// CS06's originator counter): when the command sent carries other values than the
    /// recorded one, the answer repeats what was sent. `None` when nothing changes.
    fn asn1_echoes(&self, content: &[u8], header: &GroupingHeader) -> Option<Vec<u8>> {
        let (was, now) = (&self.recorded.echoes, &self.actual.echoes);
        if was == now || detect_family(content) != Some(PayloadFamily::Asn1) {
            return None;
        }
        let code = header.message_code()?;
        let mut payload = decode_payload(content, 0, code, header.cra).ok()?;
        let Payload::Asn1(asn1) = &mut payload else {
            return None;
        };
        let set = |field: &mut Integer, was: &Option<Integer>, now: &Option<Integer>| {
            if let (Some(was), Some(now)) = (was, now) {
                if field == was {
                    *field = now.clone();
                }
            }
        };
        match asn1.body.as_mut() {
            Asn1Body::UpdateSecurityCredentialsResponse(r) => {
                if let Some(o) = r.execution_outcome.as_mut() {
                    set(
                        &mut o.authorising_remote_party_seq_number,
                        &was.seq_number,
                        &now.seq_number,
                    );
                }
            }
            Asn1Body::UpdateSecurityCredentialsAlert(a) => set(
                &mut a.execution_outcome.authorising_remote_party_seq_number,
                &was.seq_number,
                &now.seq_number,
            ),
            Asn1Body::ActivateFirmwareAlert(a) => set(
                &mut a.originator_counter,
                &was.originator_counter,
                &now.originator_counter,
            ),
            _ => return None,
        }
        let mut out = Vec::with_capacity(content.len() + 8);
        payload.encode(&mut out);
        Some(out)
    }
}

fn supplementary_counter(oi: &OtherInformation) -> Option<u64> {
    match oi {
        OtherInformation::SupplementaryRemotePartyCounter {
            supplementary_remote_party_counter,
            ..
        }
        | OtherInformation::SupplementaryOriginatorCounter {
            supplementary_remote_party_counter,
            ..
        }
        | OtherInformation::SupplementaryCertificate {
            supplementary_remote_party_counter,
            ..
        } => Some(*supplementary_remote_party_counter),
        _ => None,
    }
}

fn replacing_keys(content: &[u8], code: MessageCode) -> Vec<EntityId> {
    if detect_family(content) != Some(PayloadFamily::Asn1) {
        return Vec::new();
    }
    let Ok(Payload::Asn1(p)) = decode_payload(content, 0, code, CraFlag::Command) else {
        return Vec::new();
    };
    let Asn1Body::UpdateSecurityCredentialsCommand(c) = *p.body else {
        return Vec::new();
    };
    c.replacements
        .iter()
        .map(|r| key_identifier(r.replacing_certificate.as_slice()).unwrap_or(EntityId([0; 8])))
        .collect()
}

/// The 8-byte subject key identifier of a certificate (the size trust anchor cells carry),
/// held as an [`EntityId`] so that it is swapped like one.
fn key_identifier(der: &[u8]) -> Option<EntityId> {
    let ski = certificate_facts(der)?.subject_key_identifier?;
    Some(EntityId(ski.as_slice().try_into().ok()?))
}

/// RTDS certificates' key identifiers → those of the lab's certificates for the same
/// identities: trust anchor cells name keys by them.
fn key_identifier_map(
    rtds: &KeyStore,
    lab: &KeyStore,
    map: &[(EntityId, EntityId)],
) -> Vec<(EntityId, EntityId)> {
    let mut out = Vec::new();
    for (from, to) in map {
        for usage in [
            KeyUsage::DigitalSignature,
            KeyUsage::KeyAgreement,
            KeyUsage::PrepaymentKeyAgreement,
        ] {
            let ski = |keys: &KeyStore, id: EntityId| {
                keys.certificate_der(id, usage).and_then(key_identifier)
            };
            if let (Some(a), Some(b)) = (ski(rtds, *from), ski(lab, *to)) {
                if a != b {
                    out.push((a, b));
                }
            }
        }
    }
    out
}

fn asn1_echoes(content: &[u8], code: MessageCode) -> Asn1Echoes {
    if detect_family(content) != Some(PayloadFamily::Asn1) {
        return Asn1Echoes::default();
    }
    let Ok(Payload::Asn1(p)) = decode_payload(content, 0, code, CraFlag::Command) else {
        return Asn1Echoes::default();
    };
    match *p.body {
        Asn1Body::UpdateSecurityCredentialsCommand(c) => Asn1Echoes {
            seq_number: Some(
                c.authorising_remote_party_control
                    .authorising_remote_party_seq_number,
            ),
            originator_counter: None,
        },
        Asn1Body::ActivateFirmwareCommand(c) => Asn1Echoes {
            seq_number: None,
            originator_counter: Some(c.originator_counter),
        },
        _ => Asn1Echoes::default(),
    }
}

/// Reads every recorded command of a corpus into a variant (kept apart from
/// `ReferenceTransport::load` so that function reads as the steps of loading). Returns
/// the variants, the commands skipped and why, and each variant's match key, all in the
/// order of `files`.
fn load_variants(
    dir: &Path,
    rtds_keys: &KeyStore,
    map: &[(EntityId, EntityId)],
    files: Vec<CommandFile>,
) -> (Vec<Variant>, Vec<Skipped>, Vec<Vec<u8>>) {
    let mut variants = Vec::new();
    let mut skipped = Vec::new();
    let mut keys = Vec::new();
    let mut stems: HashMap<PathBuf, Vec<String>> = HashMap::new();
    for CommandFile {
        path,
        file,
        response,
        ..
    } in files
    {
        let skip = |reason: String| Skipped {
            file: file.clone(),
            reason,
        };
        if !response.is_file() {
            skipped.push(skip("no recorded response".into()));
            continue;
        }
        let frame = match read_message(&path).and_then(|b| {
            decode_frame(&b).map_err(|e| ReferenceError::Recording {
                file: file.clone(),
                reason: e.to_string(),
            })
        }) {
            Ok(f) => f,
            Err(e) => {
                skipped.push(skip(e.to_string()));
                continue;
            }
        };
        let Some(mut template) = CommandTemplate::from_frame(&frame) else {
            skipped.push(skip(
                "other-information a command template cannot hold".into(),
            ));
            continue;
        };
        template.readdress(map);
        let name = file.trim_end_matches("_COMMAND_GBCS.HEX").to_string();
        let folder = path.parent().unwrap_or(dir).to_path_buf();
        let siblings = stems
            .entry(folder.clone())
            .or_insert_with(|| folder_stems(&folder));
        let answer = load_answer(rtds_keys, &response, &folder, siblings, &name);
        keys.push(match_key(
            template.message_code,
            template.payload.as_slice(),
        ));
        variants.push(Variant {
            name,
            recorded: CommandFacts::of(&frame),
            answer,
        });
    }
    (variants, skipped, keys)
}

/// Groups variant indices by match key, each group in name order (as `by_key` documents),
/// whatever order the command files were found in.
fn index_by_key(keys: Vec<Vec<u8>>, variants: &[Variant]) -> HashMap<Vec<u8>, Vec<usize>> {
    let mut by_key: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (i, key) in keys.into_iter().enumerate() {
        by_key.entry(key).or_default().push(i);
    }
    for list in by_key.values_mut() {
        list.sort_by(|a, b| variants[*a].name.cmp(&variants[*b].name));
    }
    by_key
}

/// The key a command is found by: its message code and payload, with what changes from one
/// sending to the next normalised. DLMS: the invoke id and the counter in protection
/// parameters' transaction ids. ASN.1: certificates (re-issued by each lab PKI, with fresh
/// ECDSA signatures) and the sequence numbers and counters that track the sending.
pub fn match_key(code: MessageCode, payload: &[u8]) -> Vec<u8> {
    let mut key = code.0.to_be_bytes().to_vec();
    match detect_family(payload) {
        Some(PayloadFamily::Dlms) if payload[0] == DLMS_ACCESS_REQUEST => {
            let mut p = payload.to_vec();
            if p.len() >= 5 {
                p[2..5].fill(0);
            }
            let mut i = 0;
            while i + 11 <= p.len() {
                if p[i..i + 3] == [0x09, 0x09, 0x04] {
                    p[i + 3..i + 11].fill(0);
                    i += 11;
                } else {
                    i += 1;
                }
            }
            key.extend_from_slice(&p);
        }
        Some(PayloadFamily::Asn1) => match decode_payload(payload, 0, code, CraFlag::Command) {
            Ok(p) => {
                let mut v = serde_json::to_value(&p).unwrap_or(Value::Null);
                normalise_json(&mut v);
                key.extend_from_slice(v.to_string().as_bytes());
            }
            Err(_) => key.extend_from_slice(payload),
        },
        _ => key.extend_from_slice(payload),
    }
    key
}

fn normalise_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k.contains("certificate")
                    || k.contains("seq_number")
                    || k.contains("originator_counter")
                {
                    *child = Value::Null;
                } else {
                    normalise_json(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_json),
        _ => {}
    }
}

fn read_message(path: &Path) -> Result<Vec<u8>, ReferenceError> {
    read_hex_file(path).map_err(|e| ReferenceError::Recording {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        reason: e.to_string(),
    })
}

/// The `*_GBCS.HEX` stems of a folder, sorted.
fn folder_stems(folder: &Path) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .strip_suffix("_GBCS.HEX")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    stems.sort();
    stems
}

/// The recorded response of a variant and its alerts (`UC_VER[_CODE]_VARIANT_ALERT…`).
fn load_answer(
    rtds_keys: &KeyStore,
    response: &Path,
    folder: &Path,
    stems: &[String],
    name: &str,
) -> Result<(Recording, Vec<Recording>), ReferenceError> {
    let response = load_recording(rtds_keys, response)?;
    let mut fields = name.splitn(3, '_');
    let (Some(uc), Some(ver), Some(variant)) = (fields.next(), fields.next(), fields.next()) else {
        return Ok((response, Vec::new()));
    };
    let prefix = format!("{uc}_{ver}_");
    let alerts = stems
        .iter()
        .filter(|s| alert_variant(s, &prefix) == Some(variant))
        .map(|s| load_recording(rtds_keys, &folder.join(format!("{s}_GBCS.HEX"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((response, alerts))
}

/// Appends [`CONSEQUENTIAL_ALERTS`] to the successful variants of their use cases.
fn add_consequential_alerts(rtds_keys: &KeyStore, dir: &Path, variants: &mut [Variant]) {
    let wanted: HashMap<&str, &str> = CONSEQUENTIAL_ALERTS.iter().copied().collect();
    let mut found: HashMap<&str, Result<Recording, ReferenceError>> = HashMap::new();
    for path in hex_files(dir) {
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix("_GBCS.HEX"))
        else {
            continue;
        };
        if let Some((_, stem)) = CONSEQUENTIAL_ALERTS.iter().find(|(_, s)| *s == stem) {
            found.insert(stem, load_recording(rtds_keys, &path));
        }
    }
    for v in variants.iter_mut().filter(|v| !v.is_error()) {
        let use_case = v.name.split('_').next().unwrap_or("");
        let Some(alert) = wanted.get(use_case).and_then(|stem| found.get(stem)) else {
            continue;
        };
        match (&mut v.answer, alert) {
            (Ok((_, alerts)), Ok(alert)) => alerts.push(alert.clone()),
            (answer @ Ok(_), Err(e)) => *answer = Err(e.clone()),
            (Err(_), _) => {}
        }
    }
}

/// Reads, decodes and decrypts one recorded response or alert.
fn load_recording(rtds_keys: &KeyStore, path: &Path) -> Result<Recording, ReferenceError> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = read_message(path)?;
    let frame = decode_frame(&bytes).map_err(|e| ReferenceError::Recording {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let header = frame.header().clone();
    let content = frame.general_signing.content.as_slice().to_vec();
    let code = header.message_code().unwrap_or(MessageCode(0));
    let mut found: Vec<(CipheredBlock, Result<Vec<u8>, String>)> = Vec::new();
    let (opaque, device_certificate) = signed_objects(&content, code, header.cra);
    if let Ok(mut payload) = decode_payload(&content, 0, code, header.cra) {
        let mut key = None;
        payload.decrypt_blocks(&mut |block: &CipheredBlock| {
            let key = key.get_or_insert_with(|| {
                protect::encryption_key(rtds_keys, &frame).map_err(|e| e.to_string())
            });
            let plaintext = match key {
                Err(e) => Err(format!("no key ({e})")),
                Ok(key) => gcm::decrypt(
                    key,
                    &gcm::iv(&header.originator, block.invocation_counter),
                    &[block.security_control],
                    block.ciphertext.as_slice(),
                    block.tag.as_slice(),
                )
                .ok_or_else(|| "the GCM tag does not verify".to_string()),
            };
            found.push((block.clone(), plaintext.clone()));
            match plaintext {
                Ok(p) => Decryption::Plaintext(p),
                Err(_) => Decryption::AuthenticationFailed,
            }
        });
    }
    let mut blocks = Vec::with_capacity(found.len());
    for (index, (block, plaintext)) in found.into_iter().enumerate() {
        let undecryptable = |reason: String| ReferenceError::Undecryptable {
            file: file.clone(),
            index,
            reason,
        };
        let plaintext = plaintext.map_err(undecryptable)?;
        let mut encoded = Vec::new();
        block.encode(&mut encoded);
        let offset = find(&content, &encoded)
            .ok_or_else(|| undecryptable("not found in the content".into()))?;
        blocks.push(Block {
            offset,
            len: encoded.len(),
            invocation_counter: block.invocation_counter,
            plaintext,
        });
    }
    blocks.sort_by_key(|b| b.offset);
    if blocks
        .windows(2)
        .any(|w| w[0].offset + w[0].len > w[1].offset)
    {
        return Err(ReferenceError::Recording {
            file,
            reason: "ciphered blocks overlap".into(),
        });
    }
    Ok(Recording {
        file,
        header,
        content,
        blocks,
        opaque,
        device_certificate,
        maced: frame.general_ciphering.is_some(),
        signed: frame.general_signing.signature.signature().is_some(),
    })
}

/// Where the signed DER objects of an ASN.1 answer sit, and whether one is the device's own
/// certificate (with its usage).
fn signed_objects(
    content: &[u8],
    code: MessageCode,
    cra: CraFlag,
) -> (Option<std::ops::Range<usize>>, Option<KeyUsage>) {
    if detect_family(content) != Some(PayloadFamily::Asn1) {
        return (None, None);
    }
    let Ok(Payload::Asn1(p)) = decode_payload(content, 0, code, cra) else {
        return (None, None);
    };
    let (der, usage) = match p.body.as_ref() {
        Asn1Body::IssueSecurityCredentialsResponse(r) => match &r.result {
            CertificationRequestOrCode::CertificationRequest(csr) => (csr.as_slice(), None),
            CertificationRequestOrCode::ResponseCode(_) => return (None, None),
        },
        Asn1Body::ProvideDeviceCertificateResponse(r) => match &r.result {
            CertificateOrCode::Certificate(cert) => (
                cert.as_slice(),
                certificate_facts(cert.as_slice()).and_then(|f| f.key_usage),
            ),
            CertificateOrCode::ResponseCode(_) => return (None, None),
        },
        _ => return (None, None),
    };
    match find(content, der) {
        Some(at) => (Some(at..at + der.len()), usage),
        None => (None, None),
    }
}

/// The content with the CS02e certificate replaced by `der`, and where it now sits.
fn with_device_certificate(
    content: &[u8],
    header: &GroupingHeader,
    der: &[u8],
) -> Option<(Vec<u8>, std::ops::Range<usize>)> {
    let code = header.message_code()?;
    let mut payload = decode_payload(content, 0, code, header.cra).ok()?;
    let Payload::Asn1(asn1) = &mut payload else {
        return None;
    };
    let Asn1Body::ProvideDeviceCertificateResponse(r) = asn1.body.as_mut() else {
        return None;
    };
    r.result = CertificateOrCode::Certificate(der.to_vec().into());
    let mut out = Vec::with_capacity(content.len() + 64);
    payload.encode(&mut out);
    let at = find(&out, der)?;
    Some((out, at..at + der.len()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
