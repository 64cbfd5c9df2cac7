//! The Gherkin runner: a cucumber World that plays the remote parties, the step vocabulary of
//! `features/README.md`, and `gbcs-harness run`.

pub mod capabilities;
pub mod judge;
pub mod profile;
pub mod run;
pub mod state_hook;
pub mod steps;
pub mod world;
pub mod writer;

pub use run::{run, Lab, RunError, RunOptions};
pub use writer::RunSummary;
