//! A head-end (a DCC User system) under test: the harness stands where the DCC stands. It
//! serves the DCC's DUIS interface (the DCC emulator of [`crate::dcc`], whose journal records
//! every request and the verdict of the DCC's checks), makes the head-end act through the
//! profile's trigger, judges what it sent, and delivers responses and alerts — good and bad —
//! to the head-end's response URL to see how it answers.
//!
//! - [`settings`]: the profile's `[head_end]` section.
//! - [`trigger`]: how the head-end is made to act (a command line or an HTTP call).
//! - [`stand`]: the DCC side for one run: the emulator, the templates, deliveries, the inbox.
//! - [`judge`]: what a request must be, each failure its own kind.
//! - [`steps`]: the head-end step vocabulary (`features/README.md`).

pub mod judge;
pub mod settings;
pub mod stand;
pub mod steps;
pub mod trigger;

pub use settings::{HeadEndSection, HeadEndSettings};
pub use stand::Stand;
