//! Command building: the layer between inspection and the simulator that turns what a use case
//! says into the frame one remote party sends one device.
//!
//! - [`template`]: a use case's command with its identities and counter left open
//!   ([`CommandTemplate`](template::CommandTemplate)), the addressing and deliberate tampering
//!   a scenario gives it, and the signed, MAC'd frame they build.
//! - [`identities`]: who is who in a run, the devices of the target by kind and the remote
//!   parties the harness plays.
//! - [`builder`]: a [`Command`](builder::Command) built fluently from a template, for tests,
//!   tools and load generators.
//! - [`credentials`]: the certificates of a recorded security-credentials command, re-issued
//!   from the key store the command is sent with.
//!
//! It depends on the codec, cryptography and inspection only; the simulator, transports,
//! vectors and runner build on it.

pub mod builder;
pub mod credentials;
pub mod identities;
pub mod template;
