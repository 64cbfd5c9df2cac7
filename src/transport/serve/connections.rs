//! The open connections of a TCP server (`simulate --listen`), bounded.
//!
//! A server that takes every connection offered runs out of file descriptors, and then can
//! accept nobody, not even the harness. So at most `limit` connections are served at once.
//! When a new one arrives at the limit, the connection that has been idle longest gives way
//! to it if it has been idle at least [`EVICTABLE_AFTER`] (a flood of idle sockets cannot lock
//! out a client with work to do); otherwise the new connection is closed at once and counted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// How long a connection must have been idle before a new one may take its place.
pub const EVICTABLE_AFTER: Duration = Duration::from_secs(2);

/// What became of a connection offered to a full (or not full) server.
pub enum Admission {
    /// Served; the slot frees itself when dropped.
    Admitted(Slot),
    /// Served, in place of the longest-idle connection, which is told to close.
    Replaced(Slot),
    /// At the limit with no connection idle long enough to give way: close it.
    Refused,
}

/// Counts of connections turned away or closed by the server, for its log.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Turnover {
    pub refused: u64,
    pub replaced: u64,
}

/// The registry of open connections.
pub struct Connections {
    limit: usize,
    epoch: Instant,
    open: Mutex<HashMap<u64, Arc<Entry>>>,
    next_id: AtomicU64,
    refused: AtomicU64,
    replaced: AtomicU64,
}

struct Entry {
    /// Milliseconds since the registry's epoch at the last frame received (or the accept).
    last_frame_ms: AtomicU64,
    close: Notify,
}

/// One admitted connection's place in the registry.
pub struct Slot {
    id: u64,
    entry: Arc<Entry>,
    registry: Arc<Connections>,
}

impl Connections {
    /// A registry serving at most `limit` connections (at least one).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Connections {
            limit: limit.max(1),
            epoch: Instant::now(),
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            replaced: AtomicU64::new(0),
        })
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Entry>>> {
        // The map stays consistent whatever panicked while holding it (inserts and removes
        // only), so a poisoned lock is still usable.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connections served now.
    pub fn open(&self) -> usize {
        self.lock().len()
    }

    pub fn turnover(&self) -> Turnover {
        Turnover {
            refused: self.refused.load(Ordering::Relaxed),
            replaced: self.replaced.load(Ordering::Relaxed),
        }
    }

    /// Admits a new connection, replacing the longest-idle one or refusing at the limit.
    pub fn admit(self: &Arc<Self>) -> Admission {
        self.admit_at(self.now_ms())
    }

    /// [`Connections::admit`] at `now` (milliseconds since the registry's epoch).
    fn admit_at(self: &Arc<Self>, now: u64) -> Admission {
        let mut open = self.lock();
        let mut replaced = false;
        if open.len() >= self.limit {
            let idlest = open
                .iter()
                .map(|(id, e)| (*id, e.last_frame_ms.load(Ordering::Relaxed)))
                .min_by_key(|&(_, last)| last);
            match idlest {
                Some((id, last))
                    if now.saturating_sub(last) >= EVICTABLE_AFTER.as_millis() as u64 =>
                {
                    if let Some(entry) = open.remove(&id) {
                        // A stored permit: the connection closes even if not waiting yet.
                        entry.close.notify_one();
                    }
                    self.replaced.fetch_add(1, Ordering::Relaxed);
                    replaced = true;
                }
                _ => {
                    self.refused.fetch_add(1, Ordering::Relaxed);
                    return Admission::Refused;
                }
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let entry = Arc::new(Entry {
            last_frame_ms: AtomicU64::new(now),
            close: Notify::new(),
        });
        open.insert(id, entry.clone());
        let slot = Slot {
            id,
            entry,
            registry: self.clone(),
        };
        if replaced {
            Admission::Replaced(slot)
        } else {
            Admission::Admitted(slot)
        }
    }
}

impl Slot {
    /// Records a frame received: the connection is not idle.
    pub fn touch(&self) {
        self.entry
            .last_frame_ms
            .store(self.registry.now_ms(), Ordering::Relaxed);
    }

    /// Resolves when a newer connection has taken this one's place.
    pub async fn replaced(&self) {
        self.entry.close.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.registry.lock();
        // Only this connection's own entry: a replaced one was removed already.
        if open
            .get(&self.id)
            .is_some_and(|e| Arc::ptr_eq(e, &self.entry))
        {
            open.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_and_only_an_idle_connection_gives_way() {
        let registry = Connections::new(2);
        let Admission::Admitted(a) = registry.admit() else {
            panic!("room for the first")
        };
        let Admission::Admitted(_b) = registry.admit() else {
            panic!("room for the second")
        };
        // Both just arrived: a third is refused.
        assert!(matches!(registry.admit(), Admission::Refused));
        assert_eq!(registry.open(), 2);
        assert_eq!(registry.turnover().refused, 1);
        drop(a);
        assert_eq!(registry.open(), 1, "a closed connection frees its place");
        assert!(matches!(registry.admit(), Admission::Admitted(_)));
    }

    #[test]
    fn the_longest_idle_connection_is_replaced_and_told_to_close() {
        let registry = Connections::new(1);
        let Admission::Admitted(old) = registry.admit() else {
            panic!("room for the first")
        };
        let last = old.entry.last_frame_ms.load(Ordering::Relaxed);
        let soon = last + EVICTABLE_AFTER.as_millis() as u64 - 1;
        assert!(matches!(registry.admit_at(soon), Admission::Refused));
        let Admission::Replaced(new) = registry.admit_at(soon + 1) else {
            panic!("the idle connection gives way")
        };
        assert_eq!(registry.open(), 1);
        assert_eq!(
            registry.turnover(),
            Turnover {
                refused: 1,
                replaced: 1
            }
        );
        // The old one's wake-up is stored: it closes even though it was not waiting yet.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(1), old.replaced())
                .await
                .expect("told to close")
        });
        drop(old);
        assert_eq!(
            registry.open(),
            1,
            "dropping the old slot keeps the new one"
        );
        new.touch();
    }
}
