//! The frames a target sends unasked (alerts, and answers that belong to no command in
//! flight), kept for whichever scenario waits for them. Every frame gets a sequence number;
//! a scenario remembers the number current when it sent its command and reads what came
//! after, so concurrent scenarios see the same alerts and none takes another's away.
//!
//! The board is bounded: past [`ALERT_BACKLOG`] frames the oldest are dropped and counted,
//! so a target that floods the harness costs it a fixed amount of memory, and the scenarios
//! waiting at the time learn that frames were lost.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;

use super::TimedFrame;

/// Unasked frames kept at most; beyond this a target is flooding.
pub const ALERT_BACKLOG: usize = 256;

/// A position on the board: the frames pinned after it are "since" it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct AlertMark(u64);

/// What arrived since a mark.
#[derive(Debug, Default)]
pub struct SinceMark {
    pub frames: Vec<TimedFrame>,
    /// Frames that arrived since the mark but were dropped from the full board.
    pub dropped: u64,
    /// The mark after the last of `frames`, for the next read.
    pub next: AlertMark,
}

#[derive(Default)]
struct Board {
    frames: VecDeque<TimedFrame>,
    /// Sequence number of `frames[0]`.
    first: u64,
}

impl Board {
    fn end(&self) -> u64 {
        self.first + self.frames.len() as u64
    }
}

#[derive(Default)]
pub struct AlertBoard {
    board: Mutex<Board>,
    pinned: Notify,
}

impl AlertBoard {
    fn lock(&self) -> std::sync::MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current position: what is pinned from now on is "since" it.
    pub fn mark(&self) -> AlertMark {
        AlertMark(self.lock().end())
    }

    /// Pins a frame, dropping the oldest when the board is full.
    pub fn pin(&self, frame: TimedFrame) {
        {
            let mut b = self.lock();
            if b.frames.len() == ALERT_BACKLOG {
                b.frames.pop_front();
                b.first += 1;
            }
            b.frames.push_back(frame);
        }
        self.pinned.notify_waiters();
    }

    /// How many frames pinned since `mark` were dropped from the full board.
    pub fn dropped_since(&self, mark: AlertMark) -> u64 {
        self.lock().first.saturating_sub(mark.0)
    }

    /// The frames pinned since `mark`, at once.
    pub fn since(&self, mark: AlertMark) -> SinceMark {
        let b = self.lock();
        let end = b.end();
        let dropped = b.first.saturating_sub(mark.0);
        let skip = mark.0.saturating_sub(b.first) as usize;
        SinceMark {
            frames: b.frames.iter().skip(skip).cloned().collect(),
            dropped,
            next: AlertMark(end.max(mark.0)),
        }
    }

    /// What a reader with its own position gets: the frames pinned since `*read`, waiting up
    /// to `wait` for the first; `*read` moves past them.
    pub async fn read_on(&self, read: &mut AlertMark, wait: Duration) -> Vec<TimedFrame> {
        let got = self.wait_since(*read, wait).await;
        *read = got.next;
        got.frames
    }

    /// The frames pinned since `mark`, waiting up to `wait` for the first if there is none
    /// yet.
    pub async fn wait_since(&self, mark: AlertMark, wait: Duration) -> SinceMark {
        let deadline = super::deadline_after(wait);
        loop {
            // Registered before looking, so a frame pinned in between still wakes us.
            let pinned = self.pinned.notified();
            let got = self.since(mark);
            if !got.frames.is_empty() || got.dropped > 0 {
                return got;
            }
            if tokio::time::timeout_at(deadline.into(), pinned)
                .await
                .is_err()
            {
                return got;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    fn frame(n: u8) -> TimedFrame {
        TimedFrame::now(vec![n])
    }

    #[test]
    fn readers_see_what_came_after_their_mark() {
        let board = AlertBoard::default();
        board.pin(frame(1));
        let a = board.mark();
        board.pin(frame(2));
        let b = board.mark();
        board.pin(frame(3));
        let seen: Vec<u8> = board.since(a).frames.iter().map(|f| f.frame[0]).collect();
        assert_eq!(seen, [2, 3]);
        let seen: Vec<u8> = board.since(b).frames.iter().map(|f| f.frame[0]).collect();
        assert_eq!(seen, [3], "a second reader is not robbed by the first");
        assert_eq!(board.since(b).next, board.mark());
    }

    #[test]
    fn a_full_board_drops_the_oldest_and_says_so() {
        let board = AlertBoard::default();
        let start = board.mark();
        for n in 0..(ALERT_BACKLOG + 10) {
            board.pin(frame(n as u8));
        }
        let got = board.since(start);
        assert_eq!(got.frames.len(), ALERT_BACKLOG);
        assert_eq!(got.dropped, 10);
        assert_eq!(board.since(got.next).frames.len(), 0);
    }

    #[tokio::test]
    async fn a_waiter_wakes_on_the_next_frame_and_gives_up_at_its_deadline() {
        let board = Arc::new(AlertBoard::default());
        let mark = board.mark();
        let nothing = board.wait_since(mark, Duration::from_millis(20)).await;
        assert!(nothing.frames.is_empty());
        let pinner = board.clone();
        let waiter =
            tokio::spawn(async move { board.wait_since(mark, Duration::from_secs(30)).await });
        tokio::task::yield_now().await;
        pinner.pin(frame(7));
        let got = waiter.await.unwrap();
        assert_eq!(got.frames[0].frame, [7]);
    }
}
