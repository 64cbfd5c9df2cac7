//! The security pipeline of a simulated GBCS device set: the checks a conformant device makes
//! before acting on a command, and the framing and protection of what it sends back.
//!
//! Order of checks, as a device applies them: the frame decodes and is a command; its
//! recipient is one of our devices; it is authenticated (the ACB's MAC, or for the use cases
//! that allow it a signature alone); a critical command carries a valid signature of its
//! originator; its counter is above the last one accepted from that originator; the acting
//! role is entitled to the use case. A command failing any check is discarded: no response,
//! and the reason is reported to the caller (a real device logs it as a security event).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::codec::calendar;
use crate::codec::catalogue::{self, MessageType};
use crate::codec::ciphered::CipheredBlock;
use crate::codec::error::DecodeError;
use crate::codec::frame::{
    DateTime12, Frame, FrameSpans, GeneralSigning, GroupingHeader, OtherInformation, SignatureField,
};
use crate::codec::ids::{CraFlag, EntityId, MessageCode};
use crate::codec::message::{decode_message, Message};
use crate::codec::payload::Payload;
use crate::crypto::{gcm, protect, KeyStore, RemotePartyRole};

use super::access::{acting_role, entitlement};
use super::context::{AlertRequest, CommandContext};
use super::faults::{bump_first_number, corrupt_reading, Fault, FaultSet};
use super::model::DeviceModel;
use super::state::DeviceFailure;
use crate::codec::dlms::{AccessRequest, AccessResult, Data, DlmsBody, SpecKind};

/// Why a command was discarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "rejection", rename_all = "snake_case")]
pub enum Rejection {
    #[error("frame does not decode: {0}")]
    Undecodable(DecodeError),
    #[error("not a command (CRA flag {0:?})")]
    NotACommand(CraFlag),
    #[error("recipient {0} is not a simulated device")]
    UnknownRecipient(EntityId),
    #[error("command is not MAC'd by the access control broker")]
    MissingMac,
    #[error("command MAC does not verify")]
    BadMac,
    #[error("command MAC cannot be checked: {0}")]
    MacUnverifiable(String),
    #[error("critical command {use_case} is not signed")]
    MissingSignature { use_case: String },
    #[error("signature of {originator} does not verify")]
    BadSignature { originator: EntityId },
    #[error("signature cannot be checked: {0}")]
    SignatureUnverifiable(String),
    #[error("counter {received} from {originator} is not above the last accepted {last}")]
    Replay {
        originator: EntityId,
        last: u64,
        received: u64,
    },
    #[error("originator {0} has no certificate the device knows")]
    UnknownOriginator(EntityId),
    #[error("role {role:?} is not entitled to run {use_case}")]
    NotEntitled {
        role: RemotePartyRole,
        use_case: String,
    },
    #[error("unknown message code {0}")]
    UnknownMessageCode(MessageCode),
    #[error("payload does not decode: {0}")]
    MalformedPayload(DecodeError),
    #[error("device does not implement {use_case}")]
    Unsupported { use_case: String },
}

/// What one command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exchange {
    pub response: Option<Vec<u8>>,
    /// Alerts due at once (future-dated ones wait for [`Simulator::advance_to`]).
    pub alerts: Vec<Vec<u8>>,
    pub rejection: Option<Rejection>,
    /// How long the device takes before answering (only the `late-response` fault sets it).
    pub delay: Option<Duration>,
}

struct SimDevice {
    model: Box<dyn DeviceModel>,
    /// Highest counter accepted from each originator.
    last_counter: HashMap<EntityId, u64>,
    /// The device's own originator counter for alerts.
    alert_counter: u64,
}

struct PendingAlert {
    due: u32,
    device: EntityId,
    recipient: EntityId,
    request: AlertRequest,
}

/// A set of simulated devices sharing one key store and clock.
pub struct Simulator {
    keys: Arc<KeyStore>,
    acb: EntityId,
    devices: BTreeMap<EntityId, SimDevice>,
    /// Seconds since 2000-01-01T00:00:00Z.
    clock: u32,
    pending: Vec<PendingAlert>,
    faults: FaultSet,
    /// One-shot failing states set by a tester, by device (see [`Simulator::set_device_state`]).
    failures: HashMap<EntityId, DeviceFailure>,
}

/// 2015-01-01T00:00:00Z, the RTDS "now".
pub const DEFAULT_CLOCK: u32 = 473_385_600;

impl Simulator {
    /// `keys` must let the devices verify remote parties (their certificates) and compute
    /// MACs and signatures for the devices (their private keys, or the remote parties' for
    /// key agreement where device keys are not available).
    pub fn new(keys: impl Into<Arc<KeyStore>>, acb: EntityId) -> Self {
        Simulator {
            keys: keys.into(),
            acb,
            devices: BTreeMap::new(),
            clock: DEFAULT_CLOCK,
            pending: Vec::new(),
            faults: FaultSet::none(),
            failures: HashMap::new(),
        }
    }

    /// Makes the devices deliberately non-conformant (see [`Fault`]).
    pub fn set_faults(&mut self, faults: FaultSet) {
        self.faults = faults;
    }

    /// Puts `device` into a failing state: the next command it acts on (only that one; one it
    /// discards, for a bad MAC say, leaves the state waiting) gets the failure outcome GBCS
    /// defines for it (see [`DeviceFailure`]). A state for a device the
    /// simulator does not hold is ignored, as a command to it would be.
    pub fn set_device_state(&mut self, device: EntityId, failure: DeviceFailure) {
        if self.devices.contains_key(&device) {
            self.failures.insert(device, failure);
        }
    }

    /// The failing state waiting for `device`'s next command, if any.
    pub fn device_state(&self, device: EntityId) -> Option<&DeviceFailure> {
        self.failures.get(&device)
    }

    pub fn faults(&self) -> &FaultSet {
        &self.faults
    }

    pub fn add_device(&mut self, id: EntityId, model: Box<dyn DeviceModel>) {
        self.devices.insert(
            id,
            SimDevice {
                model,
                last_counter: HashMap::new(),
                alert_counter: 0,
            },
        );
    }

    pub fn devices(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.devices.keys().copied()
    }

    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    pub fn clock(&self) -> u32 {
        self.clock
    }

    /// Moves the clock forward and returns the future-dated alerts that fell due.
    pub fn advance_to(&mut self, now: u32) -> Vec<Vec<u8>> {
        self.clock = self.clock.max(now);
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.due <= self.clock);
        self.pending = later;
        due.into_iter()
            .filter_map(|p| self.frame_alert(p.device, p.recipient, p.request))
            .collect()
    }

    /// Processes one frame received for the devices.
    pub fn handle(&mut self, bytes: &[u8]) -> Exchange {
        match self.accept(bytes) {
            Err(rejection) => Exchange {
                rejection: Some(rejection),
                ..Exchange::default()
            },
            Ok((frame, payload, device)) => self.execute(&frame, &payload, device),
        }
    }

    /// The security checks; on success the command's counter is recorded.
    /// Returns the frame, its payload and the device that will act on it.
    fn accept(&mut self, bytes: &[u8]) -> Result<(Frame, Payload, EntityId), Rejection> {
        let message = decode_message(bytes).map_err(Rejection::Undecodable)?;
        let frame = &message.frame;
        let h = frame.header();
        if h.cra != CraFlag::Command {
            return Err(Rejection::NotACommand(h.cra));
        }
        let acting = match self.devices.get(&h.recipient) {
            Some(_) => h.recipient,
            // Fault: a device that does not look at the recipient acts on the command anyway.
            None if self.faults.has(Fault::AcceptOtherRecipient) => {
                match self.devices.keys().next() {
                    Some(first) => *first,
                    None => return Err(Rejection::UnknownRecipient(h.recipient)),
                }
            }
            None => return Err(Rejection::UnknownRecipient(h.recipient)),
        };
        let device = &self.devices[&acting];
        let code = h.message_code().unwrap_or(MessageCode(0));
        let entry = catalogue::lookup(code).ok_or(Rejection::UnknownMessageCode(code))?;

        let signature_valid = match frame.general_signing.signature.signature() {
            None => None,
            Some(sig) => {
                match self
                    .keys
                    .verify(h.originator, &bytes[frame.spans.signed.clone()], sig)
                {
                    Ok(true) => Some(h.originator),
                    // Fault: a device that ignores signatures treats a bad one as none.
                    Ok(false) if self.faults.has(Fault::AcceptUnsignedCritical) => None,
                    Ok(false) => {
                        return Err(Rejection::BadSignature {
                            originator: h.originator,
                        })
                    }
                    Err(e) => return Err(Rejection::SignatureUnverifiable(e.to_string())),
                }
            }
        };
        match &frame.general_ciphering {
            Some(gc) => {
                let expected = protect::frame_mac(
                    &self.keys,
                    Some(self.acb),
                    frame,
                    &bytes[frame.spans.general_signing.clone()],
                )
                .map_err(|e| Rejection::MacUnverifiable(e.to_string()))?;
                if !gcm::mac_matches(&expected, gc.mac.as_slice()) {
                    return Err(Rejection::BadMac);
                }
            }
            None if signature_valid.is_some() && code.is_signature_only() => {}
            None => return Err(Rejection::MissingMac),
        }
        if entry.message_type == MessageType::CriticalCommand
            && signature_valid.is_none()
            && !self.faults.has(Fault::AcceptUnsignedCritical)
        {
            return Err(Rejection::MissingSignature {
                use_case: entry.use_case.to_string(),
            });
        }
        let last = device.last_counter.get(&h.originator).copied();
        let replay_checked = !self.faults.has(Fault::AcceptReplay);
        if let Some(last) = last.filter(|last| replay_checked && h.counter <= *last) {
            return Err(Rejection::Replay {
                originator: h.originator,
                last,
                received: h.counter,
            });
        }
        let role = acting_role(&self.keys, h).ok_or(Rejection::UnknownOriginator(h.originator))?;
        if !entitlement(code).allows(role) && !self.faults.has(Fault::AcceptUnauthorisedRole) {
            return Err(Rejection::NotEntitled {
                role,
                use_case: entry.use_case.to_string(),
            });
        }
        let (originator, counter) = (h.originator, h.counter);
        let Message { frame, payload } = message;
        let payload = payload.map_err(Rejection::MalformedPayload)?;
        if let Some(device) = self.devices.get_mut(&acting) {
            let last = device.last_counter.entry(originator).or_insert(counter);
            *last = (*last).max(counter);
        }
        Ok((frame, payload, acting))
    }

    fn execute(&mut self, frame: &Frame, request: &Payload, acting: EntityId) -> Exchange {
        let h = frame.header().clone();
        let code = h.message_code().unwrap_or(MessageCode(0));
        let use_case = catalogue::lookup(code).map_or("unknown", |e| e.use_case);
        let response_header = self.acting_response_header(&h, acting);
        let ctx = self.command_context(&h, code, acting);
        let corrupt = self.faults.has(Fault::WrongRegisterValue);
        let keys = &*self.keys;
        let stub = frame_with_header(response_header.clone());
        let mut encrypt = |plaintext: &[u8]| -> CipheredBlock {
            let corrupted = corrupt.then(|| corrupt_plaintext(plaintext)).flatten();
            let plaintext = corrupted.as_deref().unwrap_or(plaintext);
            protect::encrypt_block(keys, &stub, 0, plaintext).unwrap_or_else(|_| CipheredBlock {
                // Without a key the device cannot encrypt: it sends nothing readable, which
                // the harness reports as a decryption failure rather than a crash.
                security_control: protect::AUTHENTICATED_ENCRYPTION,
                invocation_counter: 0,
                ciphertext: Vec::new().into(),
                tag: vec![0; 12].into(),
            })
        };
        let Some(device) = self.devices.get_mut(&acting) else {
            return Exchange::default();
        };
        // A tester's failing state applies to this command, then lapses.
        let failure = self.failures.remove(&acting);
        let mut dlms_fault = None;
        if let Some(f) = &failure {
            if !device.model.fail_next(f) {
                dlms_fault = dlms_failure_split(f, request);
            }
        }
        let reply = match &dlms_fault {
            Some((truncated, _)) => device.model.handle(&ctx, truncated, &mut encrypt),
            None => device.model.handle(&ctx, request, &mut encrypt),
        };
        let reply = reply.map(|mut r| {
            if let Some((_, failed)) = &dlms_fault {
                append_dlms_failure(&mut r.payload, failed);
            }
            r
        });
        let Some(mut reply) = reply else {
            return Exchange {
                rejection: Some(Rejection::Unsupported {
                    use_case: use_case.to_string(),
                }),
                ..Exchange::default()
            };
        };
        if self.faults.has(Fault::WrongRegisterValue) {
            corrupt_reading(&mut reply.payload);
        }
        let mut content = Vec::new();
        reply.payload.encode(&mut content);
        if self.faults.has(Fault::TruncatedResponse) {
            content.truncate(content.len() / 2);
        }
        let signed = frame.general_signing.signature.signature().is_some()
            || catalogue::lookup(code).is_some_and(|e| e.message_type.is_critical());
        let response = self.protect(response_header, content, signed);
        if self.faults.has(Fault::MissingAlert) {
            reply.alerts.clear();
        }
        let delay = self.faults.has(Fault::LateResponse).then(|| {
            let target = catalogue::lookup(code).map_or(60, |e| {
                catalogue::traffic::response_target(e).max_response_s
            });
            Duration::from_secs(u64::from(target) + 1)
        });
        let alerts = self.raise_alerts(acting, ctx.data_recipient, reply.alerts);
        Exchange {
            response,
            alerts,
            rejection: None,
            delay,
        }
    }

    /// The header `execute` answers under: the response header sent by the acting device,
    /// with the counter and message-code faults applied. Split out so `execute` reads as
    /// the command's path through the device, not header bookkeeping.
    fn acting_response_header(&self, h: &GroupingHeader, acting: EntityId) -> GroupingHeader {
        let mut response_header = self.response_header(h);
        response_header.originator = acting;
        if self.faults.has(Fault::CounterNotEchoed) {
            response_header.counter = h.counter.wrapping_add(1);
        }
        if self.faults.has(Fault::WrongMessageCode) {
            response_header.other_information =
                bump_message_code(&response_header.other_information);
        }
        response_header
    }

    /// What a device model is told about the command: its code, counter and parties (the
    /// data goes to the supplementary remote party when the header names one, else back
    /// to the originator) and the simulated time.
    fn command_context(
        &self,
        h: &GroupingHeader,
        code: MessageCode,
        acting: EntityId,
    ) -> CommandContext {
        CommandContext {
            message_code: code,
            counter: h.counter,
            originator: h.originator,
            data_recipient: h
                .other_information
                .supplementary_remote_party()
                .unwrap_or(h.originator),
            device: acting,
            now: self.clock,
        }
    }

    /// The alerts a command raised, in order: those dated in the future wait in `pending`
    /// for [`Simulator::advance_to`]; the rest are framed now and returned.
    fn raise_alerts(
        &mut self,
        acting: EntityId,
        recipient: EntityId,
        requests: Vec<AlertRequest>,
    ) -> Vec<Vec<u8>> {
        let mut alerts = Vec::new();
        for request in requests {
            match request.due {
                Some(due) if due > self.clock => self.pending.push(PendingAlert {
                    due,
                    device: acting,
                    recipient,
                    request,
                }),
                _ => alerts.extend(self.frame_alert(acting, recipient, request)),
            }
        }
        alerts
    }

    /// The response grouping header: same counter and message code, ids swapped, the
    /// command's supplementary party echoed.
    fn response_header(&self, command: &GroupingHeader) -> GroupingHeader {
        let other_information = match &command.other_information {
            OtherInformation::SupplementaryCertificate {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
                ..
            } => OtherInformation::SupplementaryRemotePartyCounter {
                message_code: *message_code,
                supplementary_remote_party: *supplementary_remote_party,
                supplementary_remote_party_counter: *supplementary_remote_party_counter,
            },
            other => other.clone(),
        };
        GroupingHeader {
            cra: CraFlag::Response,
            counter: command.counter,
            originator: command.recipient,
            recipient: command.originator,
            date_time: Some(dlms_date_time(self.clock)),
            other_information,
        }
    }

    /// Signs (critical exchanges) or MACs a device message.
    fn protect(&self, header: GroupingHeader, content: Vec<u8>, signed: bool) -> Option<Vec<u8>> {
        let mut gs = GeneralSigning {
            header,
            content: content.into(),
            content_offset: 0,
            signature: SignatureField::Null,
        };
        if signed {
            protect::sign(&self.keys, &mut gs).ok()?;
            if self.faults.has(Fault::BadResponseSignature) {
                if let SignatureField::Present(sig) = &mut gs.signature {
                    sig.0[10] ^= 0x01;
                }
            }
            return Some(frame_with_signing(gs).encode());
        }
        if self.faults.has(Fault::MissingResponseMac) {
            return Some(frame_with_signing(gs).encode());
        }
        let mut frame = protect::wrap_with_mac(&self.keys, Some(self.acb), gs).ok()?;
        if self.faults.has(Fault::BadResponseMac) {
            if let Some(gc) = frame.general_ciphering.as_mut() {
                gc.mac.0[0] ^= 0x01;
            }
        }
        Some(frame.encode())
    }

    fn frame_alert(
        &mut self,
        device: EntityId,
        recipient: EntityId,
        request: AlertRequest,
    ) -> Option<Vec<u8>> {
        let d = self.devices.get_mut(&device)?;
        d.alert_counter += 1;
        let header = GroupingHeader {
            cra: CraFlag::Alert,
            counter: d.alert_counter,
            originator: device,
            recipient,
            date_time: None,
            other_information: OtherInformation::MessageCode {
                message_code: request.message_code,
            },
        };
        let mut content = Vec::new();
        request.payload.encode(&mut content);
        let critical =
            catalogue::lookup(request.message_code).is_some_and(|e| e.message_type.is_critical());
        self.protect(header, content, critical)
    }
}

/// For a DLMS hardware fault: the access-request cut before the first item that addresses
/// the failed object (the device carries out the items before it), and the kinds of the
/// items from the failed one on. `None` when the command does not touch the object.
fn dlms_failure_split(failure: &DeviceFailure, request: &Payload) -> Option<(Payload, Vec<u8>)> {
    let DeviceFailure::DlmsHardwareFault { class_id, obis, id } = failure else {
        return None;
    };
    let Payload::Dlms(apdu) = request else {
        return None;
    };
    let DlmsBody::AccessRequest(req) = &apdu.body else {
        return None;
    };
    let at = req
        .specs
        .iter()
        .position(|s| s.class_id == *class_id && s.obis == *obis && s.id == *id)?;
    let choices = req.specs[at..]
        .iter()
        .map(|s| match s.kind {
            SpecKind::Get | SpecKind::GetWithSelection => 1,
            SpecKind::Set | SpecKind::SetWithSelection => 2,
            SpecKind::Action => 3,
        })
        .collect();
    let mut cut = apdu.clone();
    cut.body = DlmsBody::AccessRequest(AccessRequest {
        specs: req.specs[..at].to_vec(),
        data: req.data.iter().take(at).cloned().collect(),
    });
    Some((Payload::Dlms(cut), choices))
}

/// Appends the failed item (`hardware_fault`, null data) and the items not carried out after
/// it (`other_reason`, break-on-error, dlms.md §5) to a model's access-response.
fn append_dlms_failure(payload: &mut Payload, choices: &[u8]) {
    use crate::codec::enums::DataAccessResult as R;
    const HARDWARE_FAULT: u8 = R::HardwareFault.to_code();
    const OTHER_REASON: u8 = R::OtherReason.to_code();
    let Payload::Dlms(apdu) = payload else {
        return;
    };
    let DlmsBody::AccessResponse(resp) = &mut apdu.body else {
        return;
    };
    for (i, choice) in choices.iter().enumerate() {
        resp.data.push(Data::Null);
        resp.results.push(AccessResult {
            choice: *choice,
            code: if i == 0 { HARDWARE_FAULT } else { OTHER_REASON },
        });
    }
}

/// The same other-information with the next message code (the `wrong-message-code` fault).
fn bump_message_code(oi: &OtherInformation) -> OtherInformation {
    let mut oi = oi.clone();
    match &mut oi {
        OtherInformation::MessageCode { message_code }
        | OtherInformation::SupplementaryRemoteParty { message_code, .. }
        | OtherInformation::SupplementaryRemotePartyCounter { message_code, .. }
        | OtherInformation::SupplementaryOriginatorCounter { message_code, .. }
        | OtherInformation::SupplementaryCertificate { message_code, .. } => {
            message_code.0 = message_code.0.wrapping_add(1)
        }
        OtherInformation::Unrecognised { .. } => {}
    }
    oi
}

/// A DLMS plaintext with its first number off by one (the `wrong-register-value` fault on
/// encrypted readings); `None` when it is not a DLMS value with a number in it.
fn corrupt_plaintext(plaintext: &[u8]) -> Option<Vec<u8>> {
    let mut data = crate::codec::dlms::Data::decode_exact(plaintext, 0).ok()?;
    if !bump_first_number(&mut data) {
        return None;
    }
    let mut out = Vec::with_capacity(plaintext.len());
    data.encode(&mut out);
    Some(out)
}

fn frame_with_header(header: GroupingHeader) -> Frame {
    frame_with_signing(GeneralSigning {
        header,
        content: Vec::new().into(),
        content_offset: 0,
        signature: SignatureField::Null,
    })
}

fn frame_with_signing(general_signing: GeneralSigning) -> Frame {
    Frame {
        general_ciphering: None,
        general_signing,
        spans: FrameSpans::default(),
    }
}

/// The 12-byte DLMS date-time of a simulator clock value (UTC, deviation unspecified).
pub fn dlms_date_time(seconds_since_2000: u32) -> DateTime12 {
    let days = i64::from(seconds_since_2000 / 86_400) + calendar::DAYS_1970_TO_2000;
    let secs = seconds_since_2000 % 86_400;
    // DLMS numbers the days of the week Monday 1 … Sunday 7, as ISO does.
    let day_of_week = calendar::weekday(days);
    let (year, month, day) = calendar::civil_from_days(days);
    let mut b = [0u8; 12];
    b[..2].copy_from_slice(&(year as u16).to_be_bytes());
    b[2] = month as u8;
    b[3] = day as u8;
    b[4] = day_of_week;
    b[5] = (secs / 3600) as u8;
    b[6] = (secs / 60 % 60) as u8;
    b[7] = (secs % 60) as u8;
    b[8] = 0;
    b[9] = 0x80;
    b[10] = 0x00;
    b[11] = 0x00;
    DateTime12(b)
}

#[cfg(test)]
mod tests;
