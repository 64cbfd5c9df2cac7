//! `sim://[?fault=NAME&fault=NAME&esme=single|twin]`: the reference simulator in-process, with
//! the default profile's devices and keys (deterministic, so commands built from
//! [`DefaultProfile::generate`] elsewhere are accepted). `esme=twin` makes the ESME a
//! twin-element meter (RTDS `_TWIN_` variants); the default is single-element.
//!
//! [`Transport::prepare`] puts a simulated device into the failing state a recorded
//! `_ERROR_` / `NOT_FOUND` variant needs (`sim::state`), for its next command only.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::sim::esme::MeterVariant;
use crate::sim::faults::{Fault, FaultSet};
use crate::sim::profile::DefaultProfile;
use crate::sim::simulator::Simulator;
use crate::sim::state::state_for_variant;

use super::{BoxFuture, DeviceState, Limits, Received, TimedFrame, Transport, TransportError};

pub struct SimTransport {
    url: String,
    sim: Simulator,
    /// The devices' clock runs in real time from this instant, as in `simulate --listen`,
    /// so future-dated alerts fall due.
    started: Instant,
    start_clock: u32,
    /// The profile the simulator was built from, when known: a `_TWIN_` variant then gets a
    /// twin-element meter built from it (`prepare`).
    profile: Option<Arc<DefaultProfile>>,
    esme: MeterVariant,
}

/// What a `sim://` URL asks of the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOptions {
    pub faults: FaultSet,
    pub esme: MeterVariant,
}

/// The fault profiles a `sim://[?fault=NAME&fault=NAME]` URL asks for (other parameters,
/// such as `esme=`, are checked and left to [`sim_options_in_url`]).
pub fn faults_in_url(url: &str) -> Result<FaultSet, TransportError> {
    sim_options_in_url(url).map(|o| o.faults)
}

/// Everything a `sim://` URL asks for: `fault=NAME` (repeatable) and `esme=single|twin`.
pub fn sim_options_in_url(url: &str) -> Result<SimOptions, TransportError> {
    let bad = |reason: String| TransportError::BadUrl {
        url: url.to_string(),
        reason,
    };
    let rest = url
        .strip_prefix("sim://")
        .ok_or_else(|| bad("expected sim://".into()))?;
    let query = rest.trim_start_matches('/');
    let query = match query.strip_prefix('?') {
        Some(q) => q,
        None if query.is_empty() => "",
        None => return Err(bad("expected sim:// or sim://?fault=NAME".into())),
    };
    let mut faults = FaultSet::none();
    let mut esme = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("fault", name)) => faults.insert(
                name.parse::<Fault>()
                    .map_err(|_| bad(format!("unknown fault {name:?}")))?,
            ),
            Some(("esme", kind)) => {
                let variant = match kind {
                    "single" => MeterVariant::SingleElement,
                    "twin" => MeterVariant::TwinElement,
                    _ => return Err(bad(format!("unknown ESME {kind:?} (single, twin)"))),
                };
                // Two answers to one question: say so rather than pick one.
                if esme.is_some_and(|e| e != variant) {
                    return Err(bad("esme= given twice with different values".into()));
                }
                esme = Some(variant);
            }
            _ => return Err(bad(format!("unknown parameter {pair:?}"))),
        }
    }
    Ok(SimOptions {
        faults,
        esme: esme.unwrap_or_default(),
    })
}

impl SimTransport {
    pub(crate) fn from_query(url: &str) -> Result<Self, TransportError> {
        let options = sim_options_in_url(url)?;
        let bad = |reason: String| TransportError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let profile = DefaultProfile::generate()
            .map_err(|e| bad(format!("cannot build the default profile: {e}")))?;
        let mut sim = profile.simulator_with(options.esme);
        sim.set_faults(options.faults);
        let mut t = Self::with_simulator(url, sim);
        t.profile = Some(Arc::new(profile));
        t.esme = options.esme;
        Ok(t)
    }

    /// A fresh simulator of `profile` (single-element ESME), which can become a twin-element
    /// one when a scenario asks for a `_TWIN_` variant.
    pub fn from_profile(url: &str, profile: Arc<DefaultProfile>, faults: FaultSet) -> Self {
        let mut sim = profile.simulator();
        sim.set_faults(faults);
        let mut t = Self::with_simulator(url, sim);
        t.profile = Some(profile);
        t
    }

    /// Wraps a simulator built elsewhere (another profile, more devices).
    pub fn with_simulator(url: &str, sim: Simulator) -> Self {
        SimTransport {
            url: url.to_string(),
            start_clock: sim.clock(),
            sim,
            started: Instant::now(),
            profile: None,
            esme: MeterVariant::default(),
        }
    }

    fn tick(&mut self) -> Vec<Vec<u8>> {
        let now = self
            .start_clock
            .saturating_add(self.started.elapsed().as_secs() as u32);
        if now > self.sim.clock() {
            self.sim.advance_to(now)
        } else {
            Vec::new()
        }
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        let target = self.url.clone();
        let timeout = || TransportError::Timeout {
            target: target.clone(),
            ms: limits.response_timeout.as_millis(),
            what: "waiting for a response",
        };
        if frame.len() > limits.max_frame {
            return Err(TransportError::TooLarge {
                target: self.url.clone(),
                direction: "outgoing",
                size: frame.len(),
                limit: limits.max_frame,
            });
        }
        let mut received = Received::default();
        // Alerts that fell due since the last call reach the harness before this answer.
        for alert in self.tick() {
            received.push(TimedFrame::now(alert));
        }
        let exchange = self.sim.handle(frame);
        if let Some(delay) = exchange.delay {
            if delay > limits.response_timeout {
                // A real device this late would be given up on at the timeout.
                tokio::time::sleep(limits.response_timeout).await;
                return Err(timeout());
            }
            tokio::time::sleep(delay).await;
        }
        for out in exchange.response.into_iter().chain(exchange.alerts) {
            received.push(TimedFrame::now(out));
        }
        // A discarded command (bad MAC, replay) gets no answer, as from a real meter. The
        // simulator knows nothing will come, so it does not sit out the timeout.
        if received.responses.is_empty() && received.alerts.is_empty() {
            return Err(timeout());
        }
        Ok(received)
    }

    fn do_prepare(&mut self, state: &DeviceState) -> Result<(), TransportError> {
        let url = self.url.clone();
        let fail = |reason: String| TransportError::StateControl {
            target: url.clone(),
            variant: state.variant.clone(),
            reason,
        };
        if state.variant.contains("_TWIN_") {
            self.become_twin().map_err(fail)?;
        }
        if !(state.variant.contains("_ERROR") || state.variant.contains("NOT_FOUND")) {
            if state.variant.contains("_TWIN_") {
                return Ok(());
            }
            return Err(fail(format!(
                "{} is neither a failure nor a twin-element variant",
                state.variant
            )));
        }
        if !self.sim.devices().any(|d| d == state.device) {
            return Err(fail(format!(
                "device {} is not simulated here",
                state.device
            )));
        }
        // `None`: the command itself carries the error; the healthy device answers it.
        if let Some(failure) = state_for_variant(&state.variant).map_err(fail)? {
            self.sim.set_device_state(state.device, failure);
        }
        Ok(())
    }

    /// Makes the ESME a twin-element meter: a new simulator from the same profile, with the
    /// same faults. It only happens before a scenario's first command, so no state is lost.
    fn become_twin(&mut self) -> Result<(), String> {
        if self.esme == MeterVariant::TwinElement {
            return Ok(());
        }
        let Some(profile) = &self.profile else {
            return Err("a twin-element meter is chosen with sim://?esme=twin".into());
        };
        let faults = self.sim.faults().clone();
        let mut sim = profile.simulator_with(MeterVariant::TwinElement);
        sim.set_faults(faults);
        self.start_clock = sim.clock();
        self.sim = sim;
        self.started = Instant::now();
        self.esme = MeterVariant::TwinElement;
        Ok(())
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let until = super::deadline_after(wait);
        loop {
            let due = self.tick();
            if !due.is_empty() {
                return Ok(due.into_iter().map(TimedFrame::now).collect());
            }
            let now = Instant::now();
            if now >= until {
                return Ok(Vec::new());
            }
            // The clock moves in whole seconds; polling faster than that finds nothing new.
            tokio::time::sleep((until - now).min(Duration::from_millis(250))).await;
        }
    }
}

impl Transport for SimTransport {
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>> {
        Box::pin(self.do_exchange(frame, limits))
    }

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        Box::pin(self.do_alerts(wait))
    }

    fn describe(&self) -> String {
        self.url.clone()
    }

    fn prepare<'a>(
        &'a mut self,
        state: &'a DeviceState,
        _limits: &'a Limits,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        let result = self.do_prepare(state);
        Box::pin(async move { result })
    }
}
