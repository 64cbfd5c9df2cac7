//! The JUnit writer: one testcase per scenario, the file rewritten after each (so a killed
//! run leaves a valid report), and the device firmware version a scenario read, taken from
//! the run context, as a suite property.

use std::sync::{Arc, Mutex};

use crate::report::JunitWriter;

use super::world::RunContext;
use super::writer::{Finished, Record};

/// The JUnit report, shared so a run cut short can still add what it did not run.
pub type SharedJunit = Arc<Mutex<JunitWriter>>;

pub struct JunitRecorder {
    junit: SharedJunit,
    ctx: Arc<RunContext>,
    /// The version last written, so the file is rewritten only when it changes.
    firmware_version: Option<String>,
}

impl JunitRecorder {
    pub fn new(junit: JunitWriter, ctx: Arc<RunContext>) -> Self {
        JunitRecorder {
            junit: Arc::new(Mutex::new(junit)),
            ctx,
            firmware_version: None,
        }
    }

    /// The report, for the writing that follows the run.
    pub fn shared(&self) -> SharedJunit {
        self.junit.clone()
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, JunitWriter> {
        self.junit.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, done: &Finished) {
        let mut w = self.writer();
        if let Err(e) = w.record(done.result.clone()) {
            eprintln!("cannot write {}: {e}", w.path().display());
        }
    }

    /// A scenario that read the device's firmware version left it in the run context.
    fn note_firmware_version(&mut self) {
        let Some(version) = self.ctx.firmware_version() else {
            return;
        };
        if self.firmware_version.as_deref() != Some(version.as_str()) {
            let mut w = self.writer();
            if let Err(e) = w.set_firmware_version(version.clone()) {
                eprintln!("cannot write {}: {e}", w.path().display());
            }
            drop(w);
            self.firmware_version = Some(version);
        }
    }
}

impl Record for JunitRecorder {
    fn scenario(&mut self, done: &Finished) {
        self.record(done);
        // Only scenarios cucumber ran can have read it.
        if done.location.is_some() {
            self.note_firmware_version();
        }
    }

    fn feature_error(&mut self, done: &Finished) {
        self.record(done);
    }
}
