//! The Gherkin runner: a cucumber World that plays the remote parties, the step vocabulary of
//! `features/README.md`, and `gbcs-harness run`.

pub mod capabilities;
pub mod console;
pub mod evidence;
pub mod head_end;
pub mod html;
pub mod interrupt;
pub mod judge;
pub mod junit;
pub mod options;
pub mod params;
pub mod profile;
pub mod run;
pub mod state_hook;
pub mod steps;
pub mod summary;
pub mod tags;
pub mod world;
pub mod writer;

pub use options::{resolve, Overrides, RunOptions};
pub use profile::Lab;
pub use run::{run, RunError};
pub use summary::RunSummary;
