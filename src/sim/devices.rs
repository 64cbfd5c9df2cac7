//! The device models as the simulator's pipeline sees them.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::payload::Payload;

use super::context::CommandContext;
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
