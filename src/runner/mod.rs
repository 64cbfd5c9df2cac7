//! The Gherkin runner: a cucumber World that plays the remote parties, the step vocabulary of
//! `features/README.md`, and `gbcs-harness run`.

pub mod command;
pub mod credentials;
