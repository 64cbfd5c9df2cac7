//! The reference device simulator (issue 3, being built): device models that answer GBCS
//! commands from state, as a conformant SMETS2 device would.
//!
//! Landed so far: the command context a model receives and the structural comparison used
//! to judge a model's responses against recorded ones. The security pipeline (MAC, signature,
//! counters, roles), identities, fault profiles and servers come next.

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
