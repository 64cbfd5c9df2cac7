//! ESME device model: a stateful DLMS/COSEM object model that answers access-requests as a
//! conformant SMETS2 electricity meter would.
//!
//! State is the object table (`objects`): every attribute keyed by (class, OBIS, attribute
//! id) with its current value and type template, profile-generic buffers (`logs`), pending
//! future-dated activations and the clock adjustment. `handle` applies one access-request:
//! items run in order and the first failure stops the rest (break-on-error, dlms.md §5).
//!
//! The engine is not ESME-specific: `with_table` runs it over another device's object table
//! (the comms hub's, `sim::chf`), built with the same `objects::Builder`.
//!
//! The model is pure: no I/O, no keys. Encryption of Data Protection results is delegated
//! to the caller's `encrypt`, alerts are returned as requests for the simulator core to
//! number, frame and send.

pub(crate) mod logs;
mod model;
pub(crate) mod objects;
mod protection;
mod store;
pub(crate) mod time;

#[cfg(test)]
pub(crate) mod corpus_tests;
#[cfg(test)]
mod tests;

use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::{
    AccessResponse, AccessResult, Data, DlmsApdu, DlmsBody, ObisCode, SpecKind,
};
use crate::codec::ids::{EntityId, MessageCode};
use crate::sim::context::{AlertRequest, CommandContext};

pub(crate) use model::{device_eui, device_log_backup};
pub use model::{
    is_activation_time, result, FUTURE_DATED_MESSAGE_CODE, FUTURE_DATED_SUCCESS_ALERT,
};
pub use time::{date_time, parse_date_time};

use objects::ObjectTable;

/// Metering variant: responses that carry per-element data differ (a twin-element meter
/// reports a second import register and a second set of TOU registers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeterVariant {
    #[default]
    SingleElement,
    TwinElement,
}

/// A future-dated activation waiting for its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingActivation {
    pub class_id: u16,
    pub obis: ObisCode,
    pub attribute: i8,
    /// Seconds since 2000-01-01.
    pub due: u32,
    /// The command that scheduled it.
    pub message_code: MessageCode,
    pub counter: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EsmeReply {
    pub response: DlmsApdu,
    pub alerts: Vec<AlertRequest>,
}

#[derive(Debug, Clone)]
pub struct Esme {
    device: EntityId,
    variant: MeterVariant,
    objects: store::ObjectStore,
    pending: Vec<PendingActivation>,
    /// Device time minus simulator time, from clock writes and adjustments.
    clock_offset: i64,
    /// Set by the clock's preset_adjusting_time, consumed by adjust_to_preset_time.
    clock_preset: Option<u32>,
    /// Recently executed scripts: (script table, script id, device time).
    executed_scripts: Vec<(ObisCode, u16, u32)>,
    /// UTRN counters already credited (a token is accepted once).
    used_tokens: Vec<u64>,
}

/// The default objects of a meter configuration, built once per process for a reference id
/// and shared by every simulated meter of that configuration.
fn shared_defaults(variant: MeterVariant) -> std::sync::Arc<ObjectTable> {
    use std::sync::{Arc, OnceLock};
    static SINGLE: OnceLock<Arc<ObjectTable>> = OnceLock::new();
    static TWIN: OnceLock<Arc<ObjectTable>> = OnceLock::new();
    let cell = match variant {
        MeterVariant::SingleElement => &SINGLE,
        MeterVariant::TwinElement => &TWIN,
    };
    cell.get_or_init(|| Arc::new(objects::build(EntityId([0; 8]), variant)))
        .clone()
}

impl Esme {
    /// A freshly commissioned single-element meter.
    pub fn new(device: EntityId) -> Self {
        Self::with_variant(device, MeterVariant::SingleElement)
    }

    pub fn with_variant(device: EntityId, variant: MeterVariant) -> Self {
        let store =
            store::ObjectStore::over(shared_defaults(variant), objects::build(device, variant));
        Self::with_store(device, variant, store)
    }

    /// The same COSEM engine over another device's object table: the comms hub answers
    /// get / set / action with the ESME's semantics, only its objects differ.
    pub(crate) fn with_table(device: EntityId, variant: MeterVariant, table: ObjectTable) -> Self {
        Self::with_store(device, variant, store::ObjectStore::owned(table))
    }

    fn with_store(device: EntityId, variant: MeterVariant, objects: store::ObjectStore) -> Self {
        Esme {
            device,
            variant,
            objects,
            pending: Vec::new(),
            clock_offset: 0,
            clock_preset: None,
            executed_scripts: Vec::new(),
            used_tokens: Vec::new(),
        }
    }

    pub fn device(&self) -> EntityId {
        self.device
    }

    pub fn variant(&self) -> MeterVariant {
        self.variant
    }

    /// Activations scheduled and not yet due, in scheduling order.
    pub fn pending_activations(&self) -> &[PendingActivation] {
        &self.pending
    }

    /// Scripts executed so far (most recent last, bounded).
    pub fn executed_scripts(&self) -> &[(ObisCode, u16, u32)] {
        &self.executed_scripts
    }

    /// Whether the meter models this object.
    pub fn has_object(&self, class_id: u16, obis: ObisCode) -> bool {
        self.objects.contains_key(&(class_id, obis))
    }

    /// Every modelled (class, OBIS) pair.
    pub fn objects(&self) -> impl Iterator<Item = (u16, ObisCode)> + '_ {
        self.objects.keys().copied()
    }

    /// The value a get of this attribute would return at `now`, or its result code.
    pub fn attribute(&self, now: u32, class_id: u16, obis: ObisCode, attr: i8) -> Result<Data, u8> {
        self.read(now, class_id, obis, attr)
    }

    /// Applies every activation due at `now` (the simulator calls this as its clock moves;
    /// `handle` does so first too).
    pub fn run_due(&mut self, now: u32) {
        let now = self.clock(now);
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.due <= now);
        self.pending = later;
        for p in due {
            self.activate(p.class_id, p.obis, p.attribute);
        }
    }

    /// Answers an access-request (DLMS `D9`). `encrypt` turns a plaintext A-XDR Data
    /// encoding into the ciphered block for the command's data recipient.
    pub fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &DlmsApdu,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> EsmeReply {
        self.run_due(ctx.now);
        let mut data = Vec::new();
        let mut results = Vec::new();
        let mut alerts = Vec::new();
        // Anything but an access-request gets an empty access-response: there is no item
        // to carry an error result.
        if let DlmsBody::AccessRequest(req) = &request.body {
            let mut failed = false;
            let mut size = 0;
            for (i, spec) in req.specs.iter().enumerate() {
                let choice = AccessResult::choice_for(spec.kind);
                let outcome = if failed {
                    Err(result::OTHER_REASON)
                } else {
                    let param = req.data.get(i);
                    match (spec.kind, &spec.selection) {
                        (SpecKind::Get, _) => self.read(ctx.now, spec.class_id, spec.obis, spec.id),
                        (SpecKind::GetWithSelection, Some(sel)) => {
                            self.get_with_selection(ctx.now, spec, sel)
                        }
                        (SpecKind::Set, _) => match param {
                            Some(v) => self.write(ctx, spec, v, &mut alerts).map(|()| Data::Null),
                            None => Err(result::TYPE_UNMATCHED),
                        },
                        (SpecKind::Action, _) => {
                            self.act(ctx, spec, param.unwrap_or(&Data::Null), encrypt)
                        }
                        // Selective writes are not part of GBCS (never in the corpus).
                        _ => Err(result::READ_WRITE_DENIED),
                    }
                };
                let outcome = outcome.and_then(|d| {
                    size += model::encoded_size(&d);
                    if size > model::MAX_RESPONSE_DATA {
                        Err(result::SCOPE_OF_ACCESS_VIOLATED)
                    } else {
                        Ok(d)
                    }
                });
                match outcome {
                    Ok(d) => {
                        data.push(d);
                        results.push(AccessResult {
                            choice,
                            code: AccessResult::SUCCESS,
                        });
                    }
                    Err(code) => {
                        failed = true;
                        data.push(Data::Null);
                        results.push(AccessResult { choice, code });
                    }
                }
            }
        }
        EsmeReply {
            response: DlmsApdu {
                invoke_id: crate::codec::dlms::invoke_id_from_counter(ctx.counter),
                flags: request.flags,
                date_time: Bytes::default(),
                body: DlmsBody::AccessResponse(AccessResponse {
                    request_specs: None,
                    data,
                    results,
                }),
            },
            alerts,
        }
    }
}
