//! Subcommands of the `gbcs-harness` binary.

pub mod catalogue;
pub mod decode;
pub mod duis;
pub mod head_end;
pub mod import;
pub mod init;
pub mod inputs;
pub mod load;
pub mod output;
pub mod report;
pub mod run;
pub mod simulate;
pub mod text;
pub mod vectors;
