//! The reference device simulator: ESME, GSME, GPF and comms hub models that answer GBCS
//! commands from their state behind the GBCS security pipeline (MAC, signature, counters,
//! roles). It can be put into the failing states the RTDS records ([`state`]), given a
//! twin-element ESME, or made deliberately non-conformant ([`faults`]). It is one more device
//! under test: the golden vectors judge it like any other.

pub mod access;
pub mod check;
pub mod chf;
pub mod context;
pub mod credentials;
pub mod devices;
pub mod esme;
pub mod faults;
pub mod gsme;
pub mod model;
pub mod profile;
pub mod shape;
pub mod simulator;
pub mod state;

pub use context::{AlertRequest, CommandContext};
pub use model::{DeviceModel, ModelReply};
pub use shape::{shape, shapes_match};
pub use simulator::{Exchange, Rejection, Simulator};
pub use state::{state_for_variant, DeviceFailure};
