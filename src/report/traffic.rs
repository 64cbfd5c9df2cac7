//! Line traffic: every frame a scenario sent and received, as the evidence shows it (JUnit
//! `system-out`, the evidence bundle, the HTML report). The runner fills it in; the report
//! layer only writes it.

use serde::Serialize;

/// Which way a frame went, seen from the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The harness sent it to the target.
    Sent,
    /// The target answered a command with it.
    Received,
    /// The target sent it unasked (an alert).
    Alert,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Received => "received",
            Direction::Alert => "alert",
        }
    }

    /// An arrow for text renderings: `>>` out, `<<` in, `<!` an alert.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Sent => ">>",
            Direction::Received => "<<",
            Direction::Alert => "<!",
        }
    }
}

/// One frame on the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficLine {
    /// When it was sent or received: RFC 3339, UTC, milliseconds (`2026-12-02T18:43:51.123Z`).
    pub at: String,
    /// Milliseconds since the scenario's first frame.
    pub offset_ms: u64,
    pub direction: Direction,
    /// The transport's URL scheme: `sim`, `tcp`, `exec`, `http`, `replay`, `reference`, `duis`.
    pub transport: String,
    /// The frame's bytes, hex, upper case.
    pub hex: String,
    /// One line decoded: message code, counter, CRA flag, result (or why it does not decode).
    pub summary: String,
}
