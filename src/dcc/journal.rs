//! What the DCC emulator received: every request, with the verdict of the DCC's checks. A
//! head-end under test is judged from it (the harness plays the DCC and reads what the User's
//! system sent), so the journal keeps the raw document as well as what the checks made of it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::duis::codes::ResponseCode;
use crate::duis::request_id::RequestId;
use crate::duis::services::{CommandVariant, ServiceUrl};

use super::emulator::Check;

/// Requests remembered at most; the oldest are forgotten beyond.
pub const MAX_ENTRIES: usize = 10_000;
/// Bytes of documents and pre-commands remembered at most (each document is at most 1 MiB,
/// so [`MAX_ENTRIES`] alone would allow ~10 GiB); the oldest are forgotten beyond.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// What the DCC made of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed; the DCC answered with this code (I99, or I0 with a pre-command).
    Accepted { code: ResponseCode },
    /// A check failed: the DUIS code the DCC answered with, and why.
    Refused {
        check: Check,
        code: ResponseCode,
        reason: String,
    },
    /// Refused before DUIS: not XML, too large, wrong content type (HTTP status and why).
    Http { status: u16, reason: String },
}

/// One request as the DCC received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the emulator's life: strictly increasing from 1.
    pub seq: u64,
    /// The URL it was posted to.
    pub url: ServiceUrl,
    /// The document as received (at most [`crate::duis::xml::MAX_DOCUMENT_BYTES`]).
    pub body: Vec<u8>,
    /// The header's RequestID, when it could be read.
    pub request_id: Option<RequestId>,
    /// The header's service reference variant, as written (empty when absent).
    pub service_reference_variant: String,
    /// The header's command variant, when it could be read.
    pub command_variant: Option<CommandVariant>,
    pub verdict: Verdict,
    /// For an accepted CV 4: the pre-command issued (a General-Signing APDU, unsigned).
    pub pre_command: Option<Vec<u8>>,
    /// When the DCC judged it (set by [`Journal::record`]).
    pub at: Instant,
}

impl Entry {
    pub fn accepted(&self) -> bool {
        matches!(self.verdict, Verdict::Accepted { .. })
    }
}

/// The journal: bounded in entries and bytes, shared by the emulator's handlers and whoever
/// judges.
#[derive(Debug)]
pub struct Journal {
    held: Mutex<Held>,
    last_seq: AtomicU64,
    changed: Notify,
    max_bytes: usize,
}

/// The entries remembered and the bytes they hold.
#[derive(Debug, Default)]
struct Held {
    entries: VecDeque<Entry>,
    bytes: usize,
}

impl Default for Journal {
    fn default() -> Self {
        Self::with_max_bytes(MAX_BYTES)
    }
}

fn size(e: &Entry) -> usize {
    e.body.len() + e.pre_command.as_ref().map_or(0, Vec::len)
}

impl Journal {
    pub fn new() -> Self {
        Self::default()
    }

    fn with_max_bytes(max_bytes: usize) -> Self {
        Journal {
            held: Mutex::default(),
            last_seq: AtomicU64::new(0),
            changed: Notify::new(),
            max_bytes,
        }
    }

    /// Records a request (its `seq` is assigned here), forgetting the oldest beyond the
    /// bounds (the newest is always kept).
    pub(super) fn record(&self, mut entry: Entry) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        entry.seq = self.last_seq.fetch_add(1, Ordering::SeqCst) + 1;
        entry.at = Instant::now();
        held.bytes += size(&entry);
        held.entries.push_back(entry);
        while held.entries.len() > MAX_ENTRIES
            || (held.bytes > self.max_bytes && held.entries.len() > 1)
        {
            if let Some(old) = held.entries.pop_front() {
                held.bytes -= size(&old);
            }
        }
        drop(held);
        self.changed.notify_waiters();
    }

    /// The `seq` of the last request recorded so far (0 before any): entries after it are
    /// what a scenario's User system sends from now on.
    pub fn mark(&self) -> u64 {
        self.last_seq.load(Ordering::SeqCst)
    }

    /// Every remembered request recorded after `mark`, oldest first.
    pub fn since(&self, mark: u64) -> Vec<Entry> {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .iter()
            .filter(|e| e.seq > mark)
            .cloned()
            .collect()
    }

    /// Waits at most `within` until a request after `mark` satisfies `want`; the first that
    /// does, or `None`.
    pub async fn wait_for(
        &self,
        mark: u64,
        within: Duration,
        mut want: impl FnMut(&Entry) -> bool,
    ) -> Option<Entry> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so a record between the look and the wait wakes us.
            changed.as_mut().enable();
            if let Some(e) = self.since(mark).into_iter().find(|e| want(e)) {
                return Some(e);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(srv: &str) -> Entry {
        Entry {
            seq: 0,
            url: ServiceUrl::SendCommand,
            body: Vec::new(),
            request_id: None,
            service_reference_variant: srv.into(),
            command_variant: None,
            verdict: Verdict::Http {
                status: 400,
                reason: "not XML".into(),
            },
            pre_command: None,
            at: Instant::now(),
        }
    }

    #[tokio::test]
    async fn entries_after_a_mark_are_found_and_waited_for() {
        let j = Journal::new();
        j.record(entry("4.1.1"));
        let mark = j.mark();
        assert_eq!(mark, 1);
        assert!(j.since(mark).is_empty());
        let waiting = j.wait_for(mark, Duration::from_secs(5), |e| {
            e.service_reference_variant == "6.2.1"
        });
        let recorder = async {
            tokio::task::yield_now().await;
            j.record(entry("4.1.1"));
            j.record(entry("6.2.1"));
        };
        let (found, ()) = tokio::join!(waiting, recorder);
        assert_eq!(found.map(|e| e.seq), Some(3));
        assert_eq!(j.since(mark).len(), 2);
        assert!(j
            .wait_for(j.mark(), Duration::from_millis(1), |_| true)
            .await
            .is_none());
    }

    #[test]
    fn the_journal_is_bounded() {
        let j = Journal::new();
        for _ in 0..MAX_ENTRIES + 5 {
            j.record(entry("4.1.1"));
        }
        let all = j.since(0);
        assert_eq!(all.len(), MAX_ENTRIES);
        assert_eq!(all[0].seq, 6);
    }

    #[test]
    fn the_journal_is_bounded_in_bytes_too() {
        let j = Journal::with_max_bytes(1000);
        let big = |n: usize| Entry {
            body: vec![b'x'; n],
            ..entry("4.1.1")
        };
        for _ in 0..5 {
            j.record(big(300));
        }
        let kept: Vec<u64> = j.since(0).iter().map(|e| e.seq).collect();
        assert_eq!(kept, [3, 4, 5]);
        // A pre-command counts as well.
        j.record(Entry {
            pre_command: Some(vec![0; 200]),
            ..big(300)
        });
        let kept: Vec<u64> = j.since(0).iter().map(|e| e.seq).collect();
        assert_eq!(kept, [5, 6]);
        // One entry over the bound alone is still kept: it is the newest.
        j.record(big(2000));
        let kept: Vec<u64> = j.since(0).iter().map(|e| e.seq).collect();
        assert_eq!(kept, [7]);
        j.record(big(10));
        assert_eq!(j.since(0).iter().map(|e| e.seq).collect::<Vec<_>>(), [8]);
    }
}
