//! Helpers of the transport tests: limits, a runtime, the MAC verdict of a frame, and the
//! check that a transport error is one line naming its target.

use std::time::Duration;

use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::{Limits, TransportError};

pub fn limits(response_ms: u64) -> Limits {
    Limits {
        response_timeout: Duration::from_millis(response_ms),
        connect_timeout: Duration::from_secs(2),
        alert_grace: Duration::from_millis(20),
        ..Limits::default()
    }
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

pub fn mac_of(profile: &DefaultProfile, frame: &[u8]) -> Verdict {
    Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(frame)
        .unwrap()
        .checks
        .mac
}

/// One line, naming the transport.
pub fn assert_clear(e: &TransportError, target: &str, says: &str) {
    let text = e.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    assert!(text.starts_with(target), "names {target}: {text}");
    assert!(
        text.to_lowercase().contains(&says.to_lowercase()),
        "says {says:?}: {text}"
    );
    println!("error as reported: {text}");
}
