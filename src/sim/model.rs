//! The interface between the simulator's security pipeline and a device model.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::payload::Payload;

use super::context::{AlertRequest, CommandContext};
use super::state::DeviceFailure;

/// What a device model answers to an accepted command.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelReply {
    pub payload: Payload,
    pub alerts: Vec<AlertRequest>,
}

/// A device's behaviour: state plus the answer to each command it understands. The pipeline
/// has checked recipient, MAC, signature, counter and role before calling it.
pub trait DeviceModel: Send {
    /// Answers a command, or `None` when the device does not implement its payload family or
    /// use case (the pipeline then discards the command, as a device does with one it cannot
    /// process). `encrypt` seals data for the command's data recipient.
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &Payload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply>;

    /// Puts the device into a failing state for its next command (a tester's state, see
    /// [`DeviceFailure`]); `false` when this model has no such state (the simulator then
    /// applies the DLMS ones itself, on the access-request).
    fn fail_next(&mut self, _failure: &DeviceFailure) -> bool {
        false
    }
}
