//! Communications Hub Function (CHF) device model: the DLMS/COSEM objects a comms hub
//! answers for — its device logs (IC 104 ZigBee network control), identity, sub-GHz (DBCH)
//! configuration and channel log, and security log.
//!
//! Get / set / action semantics are the ESME model's (same engine over the hub's own object
//! table: invoke id from the counter, result choice mirroring, break-on-error, typed sets,
//! object-undefined for objects the hub does not have). What is the hub's own is the alerts
//! its state changes raise: a changed device log sends CS14 (0x0018) with the updated log, a
//! new sub-GHz configuration DBCH09 (0x0113), a channel scan request DBCH08 (0x0112).

mod objects;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::{Data, DataNotification, DlmsApdu, DlmsBody, ObisCode, SpecKind};
use crate::codec::ids::{EntityId, MessageCode};
use crate::codec::payload::Payload;
use crate::sim::context::{AlertRequest, CommandContext};
use crate::sim::esme::objects::{dt, obis};
use crate::sim::esme::{device_eui, device_log_backup, Esme, MeterVariant};

pub use objects::{
    sub_ghz_defaults, CHANNEL_SCAN_REQUEST, HAN_DEVICE_LOG, OTHER_DEVICE_LOG, SUB_GHZ_CHANNEL,
    SUB_GHZ_CONFIGURATION,
};

/// CS14 "device addition to / removal from HAN whitelist" (other-families.md §3).
pub const DEVICE_LOG_CHANGED: MessageCode = MessageCode::CS14;
pub const DEVICE_LOG_CHANGED_ALERT: u16 = 0x8F12;
/// DBCH08 "sub-GHz channel scan request assessment outcome".
pub const CHANNEL_SCAN_OUTCOME: MessageCode = MessageCode::DBCH08;
pub const CHANNEL_SCAN_OUTCOME_ALERT: u16 = 0x8F28;
/// DBCH09 "sub-GHz configuration changed".
pub const CONFIGURATION_CHANGED: MessageCode = MessageCode::DBCH09;
pub const CONFIGURATION_CHANGED_ALERT: u16 = 0x8F2A;

#[derive(Debug, Clone, PartialEq)]
pub struct ChfReply {
    pub response: DlmsApdu,
    pub alerts: Vec<AlertRequest>,
}

#[derive(Debug, Clone)]
pub struct Chf {
    engine: Esme,
}

/// RTDS numbers a hub's neighbours from its own EUI: ESME −2, GSME −1, GPF +1, PPMID +2.
fn neighbour(device: EntityId, offset: i8) -> EntityId {
    let mut b = *device.as_bytes();
    b[7] = b[7].wrapping_add_signed(offset);
    EntityId(b)
}

impl Chf {
    /// A hub installed as in RTDS: the ESME and GSME in its HAN device log, the GPF and
    /// PPMID in its second log, numbered from the hub's own EUI.
    pub fn new(device: EntityId) -> Self {
        let han = [neighbour(device, -2), neighbour(device, -1)];
        let other = [neighbour(device, 1), neighbour(device, 2)];
        Self::with_device_logs(device, &han, &other)
    }

    /// A hub whose device logs hold the given devices.
    pub fn with_device_logs(device: EntityId, han: &[EntityId], other: &[EntityId]) -> Self {
        Chf {
            engine: Esme::with_table(
                device,
                MeterVariant::SingleElement,
                objects::build(device, han, other),
            ),
        }
    }

    pub fn device(&self) -> EntityId {
        self.engine.device()
    }

    /// Whether the hub models this object.
    pub fn has_object(&self, class_id: u16, obis: ObisCode) -> bool {
        self.engine.has_object(class_id, obis)
    }

    /// The value a get of this attribute would return at `now`, or its result code.
    pub fn attribute(&self, now: u32, class_id: u16, obis: ObisCode, attr: i8) -> Result<Data, u8> {
        self.engine.attribute(now, class_id, obis, attr)
    }

    /// The EUI-64s in a device log (`HAN_DEVICE_LOG` or `OTHER_DEVICE_LOG`), in log order.
    pub fn device_log(&self, log: &str) -> Vec<Vec<u8>> {
        match self.engine.attribute(0, 104, obis(log), 4) {
            Ok(Data::Array(entries)) => entries.iter().filter_map(device_eui).collect(),
            _ => Vec::new(),
        }
    }

    /// Applies activations due at `now` (none of the hub's objects schedule any today, but
    /// the engine keeps the clock bookkeeping).
    pub fn run_due(&mut self, now: u32) {
        self.engine.run_due(now);
    }

    /// Answers an access-request (DLMS `D9`); see the module notes for the alerts raised.
    pub fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &DlmsApdu,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> ChfReply {
        let logs = [HAN_DEVICE_LOG, OTHER_DEVICE_LOG];
        let before: Vec<_> = logs.iter().map(|l| self.device_log(l)).collect();
        let reply = self.engine.handle(ctx, request, encrypt);
        let mut alerts = reply.alerts;
        let now = self.engine.clock(ctx.now);

        for (log, before) in logs.iter().zip(before) {
            if self.device_log(log) == before {
                continue;
            }
            if let Ok(Data::Array(entries)) = self.engine.attribute(ctx.now, 104, obis(log), 4) {
                alerts.push(alert(
                    DEVICE_LOG_CHANGED,
                    DEVICE_LOG_CHANGED_ALERT,
                    now,
                    device_log_backup(&entries, now),
                ));
            }
        }

        // Only writes that took effect announce themselves.
        if let (DlmsBody::AccessRequest(req), DlmsBody::AccessResponse(resp)) =
            (&request.body, &reply.response.body)
        {
            for (spec, res) in req.specs.iter().zip(&resp.results) {
                if spec.kind != SpecKind::Set || spec.class_id != 1 || spec.id != 2 || res.code != 0
                {
                    continue;
                }
                if spec.obis == obis(SUB_GHZ_CONFIGURATION) {
                    if let Ok(config) = self.engine.attribute(ctx.now, 1, spec.obis, 2) {
                        alerts.push(alert(
                            CONFIGURATION_CHANGED,
                            CONFIGURATION_CHANGED_ALERT,
                            now,
                            config,
                        ));
                    }
                } else if spec.obis == obis(CHANNEL_SCAN_REQUEST) {
                    // {assessment outcome, channel}, one byte each; RTDS records 00 00, which
                    // the model reads as "scan accepted, no change".
                    alerts.push(alert(
                        CHANNEL_SCAN_OUTCOME,
                        CHANNEL_SCAN_OUTCOME_ALERT,
                        now,
                        Data::Structure(vec![os1(0), os1(0)]),
                    ));
                }
            }
        }

        ChfReply {
            response: reply.response,
            alerts,
        }
    }
}

fn os1(b: u8) -> Data {
    Data::OctetString(vec![b].into())
}

/// A DLMS alert: data-notification {alert code, time stamp, use-case data}.
fn alert(message_code: MessageCode, alert_code: u16, now: u32, data: Data) -> AlertRequest {
    AlertRequest {
        message_code,
        // The simulator core assigns the invoke id from the device's alert counter.
        payload: Payload::Dlms(DlmsApdu {
            invoke_id: 0,
            flags: 0x20,
            date_time: Bytes::default(),
            body: DlmsBody::DataNotification(DataNotification {
                body: Data::Structure(vec![Data::LongUnsigned(alert_code), dt(now), data]),
            }),
        }),
        due: None,
    }
}
