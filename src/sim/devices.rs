//! The device models as the simulator's pipeline sees them, and the composite a real device
//! is: its application model (DLMS for electricity and the comms hub, GBZ for gas) together
//! with the security-credentials model every device has for the ASN.1 use cases.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::payload::Payload;

use super::chf::Chf;
use super::context::CommandContext;
use super::esme::Esme;
use super::gsme::GasMeter;
use super::model::{DeviceModel, ModelReply};
use super::state::DeviceFailure;

impl DeviceModel for GasMeter {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        let Payload::Gbz(gbz) = request else {
            return None;
        };
        // Future-dated changes that fell due since the last command take effect first.
        self.advance(ctx.now);
        let reply = GasMeter::handle(self, ctx, gbz, encrypt);
        Some(ModelReply {
            payload: Payload::Gbz(reply.response),
            alerts: reply.alerts,
        })
    }

    fn fail_next(&mut self, failure: &DeviceFailure) -> bool {
        GasMeter::fail_next(self, failure)
    }
}

impl DeviceModel for Esme {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        let Payload::Dlms(apdu) = request else {
            return None;
        };
        self.run_due(ctx.now);
        let reply = Esme::handle(self, ctx, apdu, encrypt);
        Some(ModelReply {
            payload: Payload::Dlms(reply.response),
            alerts: reply.alerts,
        })
    }
}

impl DeviceModel for Chf {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        // The hub's ASN.1 traffic is the credentials model's (`SmartDevice`).
        let Payload::Dlms(apdu) = request else {
            return None;
        };
        self.run_due(ctx.now);
        let reply = Chf::handle(self, ctx, apdu, encrypt);
        Some(ModelReply {
            payload: Payload::Dlms(reply.response),
            alerts: reply.alerts,
        })
    }
}

/// One device: an optional application model plus the security-credentials model.
pub struct SmartDevice {
    pub application: Option<Box<dyn DeviceModel>>,
    pub credentials: super::credentials::Credentials,
}

impl DeviceModel for SmartDevice {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        // Future-dated credential changes that fell due take effect first.
        self.credentials.advance(ctx.now);
        match request {
            Payload::Asn1(_) => DeviceModel::handle(&mut self.credentials, ctx, request, encrypt),
            _ => self.application.as_mut()?.handle(ctx, request, encrypt),
        }
    }

    fn fail_next(&mut self, failure: &DeviceFailure) -> bool {
        self.credentials.fail_next(failure)
            || self
                .application
                .as_mut()
                .is_some_and(|a| a.fail_next(failure))
    }
}
