//! The reference device simulator (issue 3, being built): device models that answer GBCS
//! commands from state, as a conformant SMETS2 device would.
//!
//! Landed so far: the command context a model receives and the structural comparison used
//! to judge a model's responses against recorded ones. The security pipeline (MAC, signature,
//! counters, roles), identities, fault profiles and servers come next.

pub mod access;
pub mod context;
pub mod esme;
pub mod gsme;
pub mod shape;

pub use context::{AlertRequest, CommandContext};
pub use shape::{shape, shapes_match};
