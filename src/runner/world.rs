//! The cucumber World: one per scenario. It holds the scenario's view of the target (a fresh
//! in-process simulator for `sim://`, otherwise one device instance of the run's shared
//! target), the last command sent and what came back, and the alerts seen so far. Cucumber
//! creates Worlds without arguments; the run attaches its [`RunContext`] to each before the
//! scenario's first step.
//!
//! Every frame a scenario sends and receives (alerts too) goes into the run's
//! [`TrafficBook`] under the scenario's key as it happens, so the report writers get the
//! line traffic of passing scenarios as well as failing ones.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use crate::codec::payload::decode_payload;
use crate::codec::{catalogue, decode_frame, CraFlag, EntityId, Frame, MessageCode};
use crate::crypto::KeyStore;
use crate::inspect::Inspection;
use crate::report::{utc_timestamp, Direction, Failure, FailureKind, TrafficLine};
use crate::sim::faults::FaultSet;
use crate::sim::profile::DefaultProfile;
use crate::transport::{
    AlertBoard, AlertMark, DeviceState, DuisError, Limits, Received, SimTransport, TimedFrame,
    Transport, TransportError,
};
use crate::vectors::{Vector, VectorStore};

use super::capabilities::Capabilities;
use super::judge::Finding;
use super::params::Tamper;
use super::state_hook::{StateHook, StateHookError};
use crate::command::identities::Identities;
use crate::command::template::{Addressing, CommandTemplate};

/// How scenarios reach the target.
pub enum Target {
    /// `sim://`: every scenario gets a device in its initial state, so scenarios are
    /// independent and may run in parallel.
    FreshSimulator {
        url: String,
        profile: Arc<DefaultProfile>,
        faults: FaultSet,
    },
    /// Anything else: one conversation per device instance for the whole run (a real
    /// device keeps its state between scenarios). A pool of instances shares the scenarios
    /// out between them.
    Shared {
        url: String,
        pool: Vec<Arc<SharedTarget>>,
        /// The pool member the next scenario gets.
        next: AtomicUsize,
    },
}

impl Target {
    pub fn url(&self) -> &str {
        match self {
            Target::FreshSimulator { url, .. } | Target::Shared { url, .. } => url,
        }
    }

    /// One shared device instance per transport, in the order given.
    pub fn shared(url: String, transports: Vec<Box<dyn Transport>>) -> Self {
        let pool = transports
            .into_iter()
            .map(|t| {
                Arc::new(SharedTarget {
                    board: t.alert_board(),
                    overlaps: t.overlaps(),
                    transport: Arc::new(AsyncMutex::new(t)),
                })
            })
            .collect();
        Target::Shared {
            url,
            pool,
            next: AtomicUsize::new(0),
        }
    }

    /// Whether scenarios can have commands in flight together on one device: the transports
    /// match answers to commands (`tcp://`, `exec:`) or every scenario has its own device.
    pub fn overlaps(&self) -> bool {
        match self {
            Target::FreshSimulator { .. } => true,
            Target::Shared { pool, .. } => pool.iter().all(|m| m.overlaps),
        }
    }

    /// How many device instances scenarios are shared out between.
    pub fn instances(&self) -> usize {
        match self {
            Target::FreshSimulator { .. } => 1,
            Target::Shared { pool, .. } => pool.len(),
        }
    }
}

/// One device instance of a shared target.
pub struct SharedTarget {
    /// Whoever holds the lock sends next; answers are awaited without it when the transport
    /// keeps several commands in flight.
    pub transport: Arc<AsyncMutex<Box<dyn Transport>>>,
    /// Where the transport pins the frames that answer no command (alerts).
    pub board: Option<Arc<AlertBoard>>,
    /// Whether the transport keeps several commands in flight ([`Transport::overlaps`]).
    pub overlaps: bool,
}

/// Who sends a command to whom; the counter is assigned when the command is sent, so that
/// commands from one originator reach the device with their counters in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub originator: EntityId,
    pub recipient: EntityId,
}

/// The right to send next on a shared device instance.
type Turn = Option<OwnedMutexGuard<Box<dyn Transport>>>;

/// Everything a run shares between scenarios.
pub struct RunContext {
    pub target: Target,
    /// The harness side's key material: the remote parties' private keys and the devices'
    /// certificates.
    pub keys: Arc<KeyStore>,
    pub identities: Identities,
    pub capabilities: Capabilities,
    pub vectors: VectorStore,
    pub limits: Limits,
    /// Overrides of the WAN traffic model's response-time targets.
    pub sla: super::profile::Sla,
    counters: Mutex<BTreeMap<EntityId, u64>>,
    /// The firmware version a scenario read, for the report's suite properties.
    firmware_version: Mutex<Option<String>>,
    /// Where replayed recordings come from (`replay:DIR` targets): `When the recorded command
    /// "NAME" is sent` reads `DIR/**/NAME_COMMAND_GBCS.HEX`.
    pub replay_dir: Option<std::path::PathBuf>,
    /// The profile's way of putting the device into a recorded variant's state; without one
    /// the transport's own channel is used (`sim://`, `reference:`).
    pub state_hook: Option<StateHook>,
    /// The line traffic of the scenarios, filled by their Worlds and taken by the writer.
    pub traffic: Arc<TrafficBook>,
    /// A head-end run: the DCC side the harness plays (`[head_end]` in the profile).
    pub head_end: Option<Arc<super::head_end::Stand>>,
}

impl RunContext {
    pub fn new(
        target: Target,
        keys: Arc<KeyStore>,
        identities: Identities,
        capabilities: Capabilities,
        vectors: VectorStore,
        limits: Limits,
    ) -> Self {
        RunContext {
            target,
            keys,
            identities,
            capabilities,
            vectors,
            limits,
            sla: super::profile::Sla::default(),
            counters: Mutex::new(BTreeMap::new()),
            firmware_version: Mutex::new(None),
            replay_dir: None,
            state_hook: None,
            traffic: Arc::new(TrafficBook::default()),
            head_end: None,
        }
    }

    /// The device firmware version the last scenario that read one reported.
    pub fn firmware_version(&self) -> Option<String> {
        self.firmware_version
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Keeps a firmware version a scenario read, for the report writers.
    pub fn note_firmware_version(&self, version: String) {
        *self
            .firmware_version
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(version);
    }

    /// The next originator counter for `originator`: strictly increasing within the run and
    /// above any earlier run's (it starts from the wall clock in microseconds), as a device
    /// remembers the last counter it accepted from each party.
    pub fn next_counter(&self, originator: EntityId) -> u64 {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64);
        let next = counters.get(&originator).map_or(now, |c| (c + 1).max(now));
        counters.insert(originator, next);
        next
    }
}

/// At most this many traffic lines are kept per scenario; past it, the last line says how
/// many frames were left out. A device that floods a scenario cannot exhaust memory.
pub const MAX_TRAFFIC_LINES: usize = 1000;

/// A frame longer than this many bytes is shown by its first this-many bytes in hex, with a
/// note in its summary.
pub const MAX_TRAFFIC_FRAME: usize = 64 * 1024;

/// The line traffic of a run's scenarios, each under its key ([`traffic_key`]) until the
/// writer takes it when the scenario finishes.
#[derive(Debug, Default)]
pub struct TrafficBook {
    scenarios: Mutex<HashMap<String, ScenarioTraffic>>,
}

#[derive(Debug)]
struct ScenarioTraffic {
    /// The scenario's first frame, which `offset_ms` counts from.
    first: Instant,
    lines: Vec<TrafficLine>,
    /// Frames past the limit: how many, and the last one's time and direction.
    dropped: u64,
    last_dropped: Option<(Instant, Direction)>,
}

/// The key of a scenario's traffic: its location and name, as the writer knows them.
pub fn traffic_key(location: &str, name: &str) -> String {
    format!("{location} {name}")
}

impl TrafficBook {
    /// Notes one frame of scenario `key`, sent or received at `at` over `transport`.
    pub fn record(
        &self,
        key: &str,
        transport: &str,
        direction: Direction,
        frame: &[u8],
        at: Instant,
    ) {
        self.push(key, at, direction, |first| {
            traffic_line(first, at, direction, transport, frame, frame_summary(frame))
        });
    }

    /// Notes one document of scenario `key` that is not a GBCS frame (a DUIS request or
    /// response), with its one-line `summary`.
    pub fn record_document(
        &self,
        key: &str,
        transport: &str,
        direction: Direction,
        document: &[u8],
        at: Instant,
        summary: String,
    ) {
        self.push(key, at, direction, |first| {
            traffic_line(first, at, direction, transport, document, summary)
        });
    }

    fn push(
        &self,
        key: &str,
        at: Instant,
        direction: Direction,
        line: impl FnOnce(Instant) -> TrafficLine,
    ) {
        let mut book = self.scenarios.lock().unwrap_or_else(|e| e.into_inner());
        let entry = book
            .entry(key.to_string())
            .or_insert_with(|| ScenarioTraffic {
                first: at,
                lines: Vec::new(),
                dropped: 0,
                last_dropped: None,
            });
        // The last slot is kept for the note on what was left out.
        if entry.lines.len() + 1 >= MAX_TRAFFIC_LINES {
            entry.dropped += 1;
            entry.last_dropped = Some((at, direction));
            return;
        }
        entry.lines.push(line(entry.first));
    }

    /// Takes scenario `key`'s traffic (empty when it exchanged no frame).
    pub fn take(&self, key: &str) -> Vec<TrafficLine> {
        let taken = self
            .scenarios
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        let Some(mut t) = taken else {
            return Vec::new();
        };
        if let Some((at, direction)) = t.last_dropped {
            let transport = t
                .lines
                .last()
                .map(|l| l.transport.clone())
                .unwrap_or_default();
            t.lines.push(TrafficLine {
                at: wall_clock(at),
                offset_ms: millis_since(t.first, at),
                direction,
                transport,
                hex: String::new(),
                summary: format!(
                    "traffic truncated: {} more frame(s) not kept (at most {MAX_TRAFFIC_LINES} \
                     lines per scenario)",
                    t.dropped
                ),
            });
        }
        t.lines
    }
}

fn millis_since(first: Instant, at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(first).as_millis()).unwrap_or(u64::MAX)
}

/// The wall-clock time of a monotonic instant, as RFC 3339 UTC with milliseconds.
fn wall_clock(at: Instant) -> String {
    let now = SystemTime::now();
    let ago = Instant::now().saturating_duration_since(at);
    utc_timestamp(now.checked_sub(ago).unwrap_or(now))
}

fn traffic_line(
    first: Instant,
    at: Instant,
    direction: Direction,
    transport: &str,
    frame: &[u8],
    mut summary: String,
) -> TrafficLine {
    let shown = if frame.len() > MAX_TRAFFIC_FRAME {
        summary.push_str(&format!(
            " (hex truncated: the first {MAX_TRAFFIC_FRAME} of {} bytes)",
            frame.len()
        ));
        &frame[..MAX_TRAFFIC_FRAME]
    } else {
        frame
    };
    TrafficLine {
        at: wall_clock(at),
        offset_ms: millis_since(first, at),
        direction,
        transport: transport.to_string(),
        hex: hex::encode_upper(shown),
        summary,
    }
}

/// One line on a frame, from its grouping header and, for responses and alerts, the
/// failures its payload reports (when the payload decodes without keys): `CCS02 0x0002
/// response counter 1796237894386635 00DB510000000003 -> 90B3D51F50000002, reports result =
/// hardware_fault`.
pub fn frame_summary(frame: &[u8]) -> String {
    let decoded = match decode_frame(frame) {
        Ok(f) => f,
        Err(e) => return format!("does not decode: {e} ({} bytes)", frame.len()),
    };
    let h = decoded.header();
    let code = h.message_code();
    let use_case = code
        .and_then(catalogue::lookup)
        .map_or("unknown use case", |e| e.use_case);
    let code = code.map_or_else(|| "no message code".to_string(), |c| c.to_string());
    let cra = match h.cra {
        CraFlag::Command => "command".to_string(),
        CraFlag::Response => "response".to_string(),
        CraFlag::Alert => "alert".to_string(),
        CraFlag::Other(b) => format!("CRA flag 0x{b:02X}"),
    };
    let mut line = format!(
        "{use_case} {code} {cra} counter {} {} -> {}",
        h.counter, h.originator, h.recipient
    );
    if matches!(h.cra, CraFlag::Response | CraFlag::Alert) {
        if let Some(c) = h.message_code() {
            let gs = &decoded.general_signing;
            // An encrypted payload does not decode without keys: the line then has no result.
            if let Ok(payload) = decode_payload(gs.content.as_slice(), gs.content_offset, c, h.cra)
            {
                let failures = payload.reported_failures();
                if failures.is_empty() {
                    line.push_str(", reports success");
                } else {
                    let listed: Vec<String> = failures.iter().map(ToString::to_string).collect();
                    line.push_str(&format!(", reports {}", listed.join(", ")));
                }
            }
        }
    }
    line
}

/// The kind of a transport failure that means the harness could not test at all, rather
/// than the target answering wrongly: the target cannot be started or reached, or the
/// command cannot be expressed on the way to it (a DCC's E12 refusal, what `duis://`
/// cannot say, a device state that cannot be set). `None` for the target's own failures.
pub fn harness_side(e: &TransportError) -> Option<FailureKind> {
    match e {
        TransportError::BadUrl { .. }
        | TransportError::Connect { .. }
        | TransportError::Spawn { .. }
        | TransportError::Listener { .. } => Some(FailureKind::Unreachable),
        TransportError::NoStateControl { .. } | TransportError::StateControl { .. } => {
            Some(FailureKind::Inexpressible)
        }
        TransportError::Duis { source, .. } => match source.as_ref() {
            DuisError::Inexpressible(_)
            | DuisError::NoTemplate { .. }
            | DuisError::Template { .. }
            | DuisError::Templates { .. }
            | DuisError::XmlKeys { .. }
            | DuisError::GbcsKeys { .. }
            | DuisError::NoXmlKey { .. }
            | DuisError::Sign { .. }
            | DuisError::PreCommandSign { .. } => Some(FailureKind::Inexpressible),
            // E12: the request passed the schema but the DCC cannot process it as asked (no
            // transform, an unbound parameter): no command reached the device.
            DuisError::Refused { code, .. } if code == "E12" => Some(FailureKind::Inexpressible),
            _ => None,
        },
        _ => None,
    }
}

/// What came back for a command.
#[derive(Debug)]
pub enum Outcome {
    /// The target answered (with responses, alerts, or both).
    Answered(Received),
    /// Nothing came back in time: a device that discards a command looks like this.
    TimedOut(TransportError),
    /// The transport itself failed (connection refused or lost, oversized frame, ...).
    TransportFailed(TransportError),
}

impl From<Result<Received, TransportError>> for Outcome {
    fn from(result: Result<Received, TransportError>) -> Self {
        match result {
            Ok(r) => Outcome::Answered(r),
            Err(e @ TransportError::Timeout { .. }) => Outcome::TimedOut(e),
            Err(e) => Outcome::TransportFailed(e),
        }
    }
}

/// Why the device could not be put into a recorded variant's state.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Hook(#[from] StateHookError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// The command a scenario sent last, and what came back.
#[derive(Debug)]
pub struct Sent {
    pub use_case: String,
    pub vector: Option<Vector>,
    pub template: Option<CommandTemplate>,
    pub addressing: Addressing,
    /// What was done to the command on purpose, if anything.
    pub tamper: Option<Tamper>,
    pub frame: Vec<u8>,
    pub decoded: Option<Frame>,
    /// When it was sent, or when the device finished the commands in flight before it.
    pub sent_at: Instant,
    pub outcome: Outcome,
    /// The verified response, once a step has judged it valid.
    pub judged: Option<Inspection>,
}

pub struct HarnessWorld {
    /// The run's context, attached before the scenario's first step.
    ctx: Option<Arc<RunContext>>,
    /// `sim://` only: this scenario's own simulator.
    own: Option<SimTransport>,
    /// Other targets: the device instance this scenario talks to.
    shared: Option<Arc<SharedTarget>>,
    /// Where this scenario started reading the shared instance's alert board.
    alert_mark: Option<AlertMark>,
    pub sent: Option<Sent>,
    pub alerts: Vec<TimedFrame>,
    /// The first failure of the scenario, with its detail, for the report.
    pub failure: Option<Failure>,
    /// A head-end scenario's state (what the head-end was asked, what was delivered).
    pub head_end: super::head_end::steps::HeadEndScenario,
    /// Frames exchanged, in hex, for the report's evidence.
    pub transcript: Vec<String>,
    /// This scenario's key in the run's [`TrafficBook`], given by the runner before the
    /// first step; without one no traffic is kept.
    traffic_key: Option<String>,
    /// Set when the last transport call failed on the harness's side ([`harness_side`]): a
    /// transport failure is then reported as "could not test", not against the target.
    could_not_test: Option<FailureKind>,
}

impl std::fmt::Debug for HarnessWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HarnessWorld")
            .field("target", &self.ctx.as_ref().map(|c| c.target.url()))
            .field("sent", &self.sent.as_ref().map(|s| &s.use_case))
            .field("failure", &self.failure)
            .finish()
    }
}

impl cucumber::World for HarnessWorld {
    type Error = std::convert::Infallible;

    async fn new() -> Result<Self, Self::Error> {
        Ok(HarnessWorld {
            ctx: None,
            own: None,
            shared: None,
            alert_mark: None,
            sent: None,
            alerts: Vec::new(),
            failure: None,
            transcript: Vec::new(),
            traffic_key: None,
            could_not_test: None,
            head_end: Default::default(),
        })
    }
}

impl HarnessWorld {
    /// Joins the run: cucumber creates Worlds without arguments, so the runner's
    /// before-scenario hook hands each one the run's context. On `sim://` the scenario gets
    /// its own simulator in its initial state.
    pub fn attach(&mut self, ctx: Arc<RunContext>) {
        self.own = match &ctx.target {
            Target::FreshSimulator {
                url,
                profile,
                faults,
            } => Some(SimTransport::from_profile(
                url,
                profile.clone(),
                faults.clone(),
            )),
            Target::Shared { .. } => None,
        };
        self.shared = match &ctx.target {
            Target::Shared { pool, next, .. } if !pool.is_empty() => {
                Some(pool[next.fetch_add(1, Ordering::Relaxed) % pool.len()].clone())
            }
            _ => None,
        };
        self.ctx = Some(ctx);
    }

    /// Keeps this scenario's line traffic under `key` ([`traffic_key`] of its location and
    /// name), where the writer takes it when the scenario finishes.
    pub fn keep_traffic_as(&mut self, key: String) {
        self.traffic_key = Some(key);
    }

    /// Notes one DUIS document exchanged with a head-end under test, with its one-line
    /// summary, in this scenario's line traffic.
    pub(crate) fn note_document(
        &self,
        direction: Direction,
        document: &[u8],
        at: Instant,
        summary: String,
    ) {
        let (Some(ctx), Some(key)) = (&self.ctx, &self.traffic_key) else {
            return;
        };
        ctx.traffic
            .record_document(key, "duis", direction, document, at, summary);
    }

    /// Notes one frame on the line.
    fn note_frame(&self, direction: Direction, frame: &[u8], at: Instant) {
        let (Some(ctx), Some(key)) = (&self.ctx, &self.traffic_key) else {
            return;
        };
        let url = ctx.target.url();
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        ctx.traffic.record(key, scheme, direction, frame, at);
    }

    /// Remembers whether a transport call failed on the harness's side.
    fn note_result<T>(&mut self, result: &Result<T, TransportError>) {
        self.could_not_test = result.as_ref().err().and_then(harness_side);
    }

    /// The run's context.
    pub fn ctx(&self) -> &Arc<RunContext> {
        self.ctx
            .as_ref()
            .expect("the runner attaches its context before every scenario")
    }

    /// Records the failure (first one wins) and panics with its one-line form, which is how
    /// a cucumber step fails; the report takes the kind and detail from the World.
    pub fn fail(&mut self, step: &str, finding: Finding, details: String) -> ! {
        let mut finding = finding;
        // A transport failure the harness caused is "could not test" (JUnit <error>).
        if let (FailureKind::Transport, Some(kind)) = (finding.kind, self.could_not_test) {
            finding.kind = kind;
        }
        let line = format!("{}: {}", finding.kind, finding.message);
        if self.failure.is_none() {
            let mut details = details;
            if !self.transcript.is_empty() {
                details.push_str("\nframes:\n");
                details.push_str(&self.transcript.join("\n"));
            }
            // A child-process target's standard error belongs with its failure.
            if let Some(shared) = &self.shared {
                if let Some(stderr) = shared.transport.try_lock().ok().and_then(|t| t.stderr()) {
                    if !stderr.trim().is_empty() {
                        details.push_str("\ntarget stderr:\n");
                        details.push_str(stderr.trim_end());
                    }
                }
            }
            self.failure = Some(Failure {
                kind: finding.kind,
                step: step.to_string(),
                message: finding.message,
                details,
            });
        }
        std::panic::panic_any(line)
    }

    pub fn fail_now(&mut self, step: &str, kind: FailureKind, message: impl Into<String>) -> ! {
        self.fail(step, Finding::new(kind, message), String::new())
    }

    /// The right to send next, on a shared device instance (none is needed for a
    /// scenario's own simulator).
    async fn turn(&self) -> Turn {
        match &self.shared {
            Some(shared) => Some(shared.transport.clone().lock_owned().await),
            None => None,
        }
    }

    /// Sends one frame to the target and collects what comes back.
    pub async fn exchange(&mut self, frame: &[u8]) -> Result<Received, TransportError> {
        let turn = self.turn().await;
        self.exchange_in_turn(turn, frame).await
    }

    /// Sends a frame with the turn already held, gives the turn up as soon as the frame is
    /// on its way, and waits for the answer.
    async fn exchange_in_turn(
        &mut self,
        turn: Turn,
        frame: &[u8],
    ) -> Result<Received, TransportError> {
        let mut limits = self.ctx().limits.clone();
        self.transcript
            .push(format!("  sent     {}", hex::encode_upper(frame)));
        self.note_frame(Direction::Sent, frame, Instant::now());
        let board = self.shared.as_ref().and_then(|s| s.board.clone());
        if let Some(board) = &board {
            self.alert_mark.get_or_insert_with(|| board.mark());
            // Alerts are read from the board, by the steps that expect one: no exchange
            // lingers after its response.
            limits.alert_grace = Duration::ZERO;
        }
        let result = match (turn, &mut self.own) {
            (Some(mut transport), _) => {
                let submitted = transport.submit(frame, &limits).await;
                drop(transport);
                match submitted {
                    Ok(answer) => answer.await,
                    Err(e) => Err(e),
                }
            }
            (None, Some(sim)) => sim.exchange(frame, &limits).await,
            (None, None) => unreachable!("a World has its own simulator or a shared target"),
        };
        // The board is this scenario's view of the alerts: everything since its first
        // command, read once.
        let result = result.map(|mut received| {
            if let (Some(board), Some(mark)) = (&board, self.alert_mark) {
                let since = board.since(mark);
                received.alerts = since.frames;
                self.alert_mark = Some(since.next);
            }
            received
        });
        self.note_result(&result);
        if let Ok(r) = &result {
            for f in &r.responses {
                self.transcript
                    .push(format!("  response {}", hex::encode_upper(&f.frame)));
                self.note_frame(Direction::Received, &f.frame, f.at);
            }
            for f in &r.alerts {
                self.transcript
                    .push(format!("  alert    {}", hex::encode_upper(&f.frame)));
                self.note_frame(Direction::Alert, &f.frame, f.at);
            }
        }
        result
    }

    /// Puts the device into the state a recorded variant needs: through the profile's hook
    /// when it has one, else through the transport's own channel. The turn is held
    /// throughout, so the state meets this scenario's command and no other.
    async fn prepare_device(
        &mut self,
        turn: &mut Turn,
        state: &DeviceState,
    ) -> Result<(), PrepareError> {
        let ctx = self.ctx().clone();
        let limits = ctx.limits.clone();
        if let Some(hook) = ctx.state_hook.clone() {
            return Ok(hook.apply(state, limits.response_timeout).await?);
        }
        let result = match (turn, &mut self.own) {
            (Some(transport), _) => transport.prepare(state, &limits).await,
            (None, Some(sim)) => sim.prepare(state, &limits).await,
            (None, None) => unreachable!("a World has its own simulator or a shared target"),
        };
        Ok(result?)
    }

    /// Waits for unsolicited alerts.
    pub async fn wait_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let result = self.alerts_within(wait).await;
        self.note_result(&result);
        result
    }

    async fn alerts_within(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let got = if let Some(board) = self.shared.as_ref().and_then(|s| s.board.clone()) {
            let mark = match self.alert_mark {
                Some(mark) => mark,
                None => {
                    // Alerts come on the conversation: make sure it is open.
                    let mut turn = self.turn().await;
                    if let Some(t) = turn.as_mut() {
                        t.alerts(Duration::ZERO).await?;
                    }
                    *self.alert_mark.insert(board.mark())
                }
            };
            let since = board.wait_since(mark, wait).await;
            self.alert_mark = Some(since.next);
            since.frames
        } else if let Some(sim) = &mut self.own {
            sim.alerts(wait).await?
        } else {
            match self.turn().await {
                Some(mut t) => t.alerts(wait).await?,
                None => Vec::new(),
            }
        };
        for f in &got {
            self.transcript
                .push(format!("  alert    {}", hex::encode_upper(&f.frame)));
            self.note_frame(Direction::Alert, &f.frame, f.at);
        }
        Ok(got)
    }

    /// Builds a command from a template, addressed along `route` with the originator's next
    /// counter, and sends it; the result is kept for the Then steps. A replayed-counter
    /// tampering sends the genuine command first, then the same bytes again.
    pub async fn send_template(
        &mut self,
        step: &str,
        use_case: &str,
        vector: Option<Vector>,
        template: CommandTemplate,
        route: Route,
        tamper: Option<Tamper>,
    ) {
        let mut turn = self.turn().await;
        if let Some(v) = vector.as_ref().filter(|v| v.needs_device_state()) {
            let state = DeviceState {
                use_case: v.use_case.clone(),
                variant: v.variant.clone(),
                device: route.recipient,
            };
            if let Err(e) = self.prepare_device(&mut turn, &state).await {
                // The device could not be set up for the test: the harness could not test,
                // unless the target itself failed on the way.
                let kind = match &e {
                    PrepareError::Transport(t) => harness_side(t).unwrap_or(FailureKind::Transport),
                    PrepareError::Hook(_) => FailureKind::Inexpressible,
                };
                self.fail_now(
                    step,
                    kind,
                    format!("cannot put the device into the state of {}: {e}", v.variant),
                )
            }
        }
        let addressing = Addressing {
            originator: route.originator,
            recipient: route.recipient,
            counter: self.ctx().next_counter(route.originator),
        };
        let keys = self.ctx().keys.clone();
        let acb = Some(self.ctx().identities.acb);
        // A replay is the genuine command, sent twice: it builds untampered.
        let frame = match template.build(addressing, &keys, acb, tamper.into()) {
            Ok(f) => f,
            Err(e) => self.fail_now(
                step,
                FailureKind::Assertion,
                format!("cannot build {use_case}: {e}"),
            ),
        };
        if tamper == Some(Tamper::ReplayedCounter) {
            if let Err(e) = self.exchange_in_turn(turn, &frame).await {
                self.fail_now(
                    step,
                    FailureKind::Transport,
                    format!("the genuine command before the replay got no answer: {e}"),
                );
            }
            turn = self.turn().await;
        }
        let outgoing = Outgoing {
            use_case: use_case.to_string(),
            vector,
            template: Some(template),
            addressing,
            tamper,
            frame,
        };
        self.send_in_turn(turn, outgoing).await;
    }

    /// Sends a frame as it is (a recording), keeping the result for the Then steps.
    pub async fn send_frame(
        &mut self,
        use_case: &str,
        vector: Option<Vector>,
        template: Option<CommandTemplate>,
        addressing: Addressing,
        tamper: Option<Tamper>,
        frame: Vec<u8>,
    ) {
        let turn = self.turn().await;
        let outgoing = Outgoing {
            use_case: use_case.to_string(),
            vector,
            template,
            addressing,
            tamper,
            frame,
        };
        self.send_in_turn(turn, outgoing).await;
    }

    async fn send_in_turn(&mut self, turn: Turn, outgoing: Outgoing) {
        let mut sent_at = Instant::now();
        let result = self.exchange_in_turn(turn, &outgoing.frame).await;
        if let Ok(r) = &result {
            self.alerts.extend(r.alerts.iter().cloned());
            // Busy with other scenarios' commands until then: the device's own time counts.
            sent_at = r.started.map_or(sent_at, |s| s.max(sent_at));
        }
        self.sent = Some(Sent {
            use_case: outgoing.use_case,
            vector: outgoing.vector,
            template: outgoing.template,
            addressing: outgoing.addressing,
            tamper: outgoing.tamper,
            decoded: decode_frame(&outgoing.frame).ok(),
            frame: outgoing.frame,
            sent_at,
            outcome: result.into(),
            judged: None,
        });
    }

    /// The message code of the last command, if one was sent.
    pub fn last_code(&self) -> Option<MessageCode> {
        self.sent
            .as_ref()
            .and_then(|s| s.decoded.as_ref())
            .and_then(|f| f.header().message_code())
    }
}

/// A command about to be sent, and what it was built from.
struct Outgoing {
    use_case: String,
    vector: Option<Vector>,
    template: Option<CommandTemplate>,
    addressing: Addressing,
    tamper: Option<Tamper>,
    frame: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_keeps_at_most_the_line_limit_and_says_what_it_left_out() {
        let book = TrafficBook::default();
        let start = Instant::now();
        for i in 0..MAX_TRAFFIC_LINES + 5 {
            let at = start + Duration::from_millis(i as u64);
            book.record("f:1 s", "tcp", Direction::Sent, &[0x01, 0x02], at);
        }
        book.record("f:2 t", "tcp", Direction::Alert, &[0xFF], start);
        let lines = book.take("f:1 s");
        assert_eq!(lines.len(), MAX_TRAFFIC_LINES);
        let last = lines.last().unwrap();
        assert!(last.hex.is_empty());
        assert!(
            last.summary
                .starts_with("traffic truncated: 6 more frame(s)"),
            "{}",
            last.summary
        );
        assert_eq!(lines[1].offset_ms, 1);
        assert_eq!(lines[0].hex, "0102");
        // Taken once; other scenarios keep theirs.
        assert!(book.take("f:1 s").is_empty());
        assert_eq!(book.take("f:2 t").len(), 1);
    }

    #[test]
    fn a_long_frame_is_shown_truncated_with_a_note() {
        let book = TrafficBook::default();
        let frame = vec![0xABu8; MAX_TRAFFIC_FRAME + 10];
        book.record("k", "exec", Direction::Received, &frame, Instant::now());
        let line = &book.take("k")[0];
        assert_eq!(line.hex.len(), 2 * MAX_TRAFFIC_FRAME);
        assert!(
            line.summary.ends_with(&format!(
                "(hex truncated: the first 65536 of {} bytes)",
                frame.len()
            )),
            "{}",
            line.summary
        );
        assert_eq!(line.transport, "exec");
        assert_eq!(line.at.len(), "2026-12-02T18:43:51.123Z".len());
    }

    #[test]
    fn a_document_keeps_its_own_summary_and_shares_the_frames_limit() {
        let book = TrafficBook::default();
        let start = Instant::now();
        book.record("s", "tcp", Direction::Sent, &[0xDD, 0x00], start);
        let doc = b"<sr:Request/>";
        let summary = "DUIS request #1 to /api/v1/serviceS: SRV 4.1.1".to_string();
        book.record_document(
            "s",
            "duis",
            Direction::Received,
            doc,
            start,
            summary.clone(),
        );
        let lines = book.take("s");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].summary, summary);
        assert_eq!(lines[1].transport, "duis");
        assert_eq!(lines[1].hex, hex::encode_upper(doc));
        for _ in 0..MAX_TRAFFIC_LINES {
            book.record_document("t", "duis", Direction::Sent, doc, start, "d".into());
        }
        let lines = book.take("t");
        assert_eq!(lines.len(), MAX_TRAFFIC_LINES);
        assert!(lines[MAX_TRAFFIC_LINES - 1]
            .summary
            .starts_with("traffic truncated"));
    }

    #[test]
    fn a_frame_that_does_not_decode_says_so() {
        let s = frame_summary(&[0x00, 0x01, 0x02]);
        assert!(s.starts_with("does not decode: "), "{s}");
        assert!(s.ends_with("(3 bytes)"), "{s}");
    }

    #[test]
    fn harness_side_transport_failures_are_could_not_test() {
        let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let t = || "exec:x".to_string();
        assert_eq!(
            harness_side(&TransportError::Spawn {
                target: t(),
                source: io()
            }),
            Some(FailureKind::Unreachable)
        );
        assert_eq!(
            harness_side(&TransportError::Connect {
                target: t(),
                source: io()
            }),
            Some(FailureKind::Unreachable)
        );
        let refused = |code: &str| TransportError::Duis {
            target: t(),
            source: Box::new(DuisError::Refused {
                code: code.into(),
                description: "d".into(),
                request_id: "r".into(),
                endpoint: "e".into(),
            }),
        };
        assert_eq!(
            harness_side(&refused("E12")),
            Some(FailureKind::Inexpressible)
        );
        // An access-control refusal is the DCC's verdict, not the harness's inability.
        assert_eq!(harness_side(&refused("E3")), None);
        // The target's own failures stay failures.
        assert_eq!(
            harness_side(&TransportError::Closed {
                target: t(),
                what: "mid-frame"
            }),
            None
        );
        assert_eq!(
            harness_side(&TransportError::Timeout {
                target: t(),
                ms: 1,
                what: "waiting"
            }),
            None
        );
    }
}
