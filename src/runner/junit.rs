//! The JUnit writer: one testcase per scenario, the file rewritten after each (so a killed
//! run leaves a valid report), and the device firmware version a scenario read, taken from
//! the run context, as a suite property.

use std::sync::Arc;

use crate::report::JunitWriter;

use super::world::RunContext;
use super::writer::{Finished, Record};

pub struct JunitRecorder {
    junit: JunitWriter,
    ctx: Arc<RunContext>,
    /// The version last written, so the file is rewritten only when it changes.
    firmware_version: Option<String>,
}

impl JunitRecorder {
    pub fn new(junit: JunitWriter, ctx: Arc<RunContext>) -> Self {
        JunitRecorder {
            junit,
            ctx,
            firmware_version: None,
        }
    }

    fn warn(&self, e: &std::io::Error) {
        eprintln!("cannot write {}: {e}", self.junit.path().display());
    }

    /// A scenario that read the device's firmware version left it in the run context.
    fn note_firmware_version(&mut self) {
        let Some(version) = self.ctx.firmware_version() else {
            return;
        };
        if self.firmware_version.as_deref() != Some(version.as_str()) {
            if let Err(e) = self.junit.set_firmware_version(version.clone()) {
                self.warn(&e);
            }
            self.firmware_version = Some(version);
        }
    }
}

impl Record for JunitRecorder {
    fn scenario(&mut self, done: &Finished) {
        if let Err(e) = self.junit.record(done.result.clone()) {
            self.warn(&e);
        }
        // Only scenarios cucumber ran can have read it.
        if done.location.is_some() {
            self.note_firmware_version();
        }
    }

    fn feature_error(&mut self, done: &Finished) {
        if let Err(e) = self.junit.record(done.result.clone()) {
            self.warn(&e);
        }
    }
}
