//! gbcs-harness: a conformance and interoperability test harness for GB smart metering (GBCS).
//!
//! The modules are layers, lowest first; each imports only its own layer and those below it:
//!
//! 0. [`codec`]: the GBCS wire format, pure functions.
//! 1. [`crypto`]: key store, key agreement, MACs, signatures, the test PKI.
//! 2. [`inspect`]: a message decoded and verified, and the role of each of its fields;
//!    [`duis`]: DUIS documents, their XML signatures and their typed model.
//! 3. [`command`]: the commands a scenario sends (templates, identities, re-issued
//!    credentials).
//! 4. [`sim`]: the reference device simulator.
//! 5. [`transport`]: the ways frames reach a device under test, and the device side of them.
//! 6. [`vectors`]: golden vectors from the recordings, and how a response is judged by them.
//! 7. [`runner`]: the Gherkin runner that plays the remote parties; [`dcc`]: the DCC emulator
//!    that plays the DCC to a User over DUIS, with the simulators behind it; [`headend`]: the
//!    reference DCC User system (head-end) a head-end suite is judged against.
//!
//! [`corpus`] (locating and reading the RTDS hex files) and [`report`] (failure kinds, the
//! scenario-result model and its writers) are utilities beside the layers: they import no other
//! module of the crate, so any layer may use them. The binary (`main.rs`, `cli/`) sits on top.
//! `tests/layers.rs` holds every module to its rank.

pub mod codec;
pub mod command;
pub mod corpus;
pub mod crypto;
pub mod dcc;
pub mod duis;
pub mod headend;
pub mod inspect;
pub mod report;
pub mod runner;
pub mod sim;
pub mod transport;
pub mod vectors;
