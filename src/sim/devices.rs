//! The device models as the simulator's pipeline sees them.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::payload::Payload;

use super::chf::Chf;
use super::context::CommandContext;
use super::esme::Esme;
use super::gsme::GasMeter;
use super::model::{DeviceModel, ModelReply};

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
        // The hub's ASN.1 (PKI) and GBZ traffic is not modelled here.
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
