//! What a device model knows about the command it is answering.

use crate::codec::ids::{EntityId, MessageCode};
use crate::codec::payload::Payload;

/// The grouping-header facts of an accepted command, handed to a device model together with
/// the decoded payload. The security pipeline has already checked MAC, signature, counter and
/// role by the time a model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandContext {
    pub message_code: MessageCode,
    /// The command's originator counter (a response echoes it; DLMS invoke ids and future-
    /// dated alerts quote it).
    pub counter: u64,
    /// The remote party that originated the command (the ACB for ACB-originated commands).
    pub originator: EntityId,
    /// The party the device's data is for: the supplementary remote party when the header
    /// names one, else the originator.
    pub data_recipient: EntityId,
    /// The device being addressed.
    pub device: EntityId,
    /// The simulator clock: seconds since 2000-01-01T00:00:00Z (the GBZ/UTCTime epoch).
    pub now: u32,
}

/// An alert a command triggers (a future-dated execution outcome, an event alert). The
/// simulator gives it the device's own alert counter, frames it and protects it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRequest {
    pub message_code: MessageCode,
    pub payload: Payload,
    /// Seconds since 2000-01-01 at which the alert is due (`None`: at once).
    pub due: Option<u32>,
}
