//! The head-end's receiving side (`POST /duis`): the DCC's asynchronous responses, device
//! alerts and DCC alerts, each checked before anything is believed (as the `duis://` callback
//! listener checks them, [`crate::transport::duis`]), and the inbox of what was accepted
//! (`GET /inbox`).
//!
//! Checks in order, and the answer to a failure: over 1 MiB, 413; content type not XML, 415;
//! not well-formed XML, or a DOCTYPE or entity (XXE), 400; unsigned or not signed by the DCC
//! (with the DCC Boxed 1.4.1+ key-match rule of [`verify_dcc`]), 403; not valid DUIS or not a
//! response, 400; a response to a RequestID this head-end never sent, 404. Everything else is
//! 200 and recorded once per (kind, request id, response code), a copy counting as one more
//! delivery. The fault modes turn single checks off ([`Fault`]).

use std::collections::{HashMap, HashSet, VecDeque};

use axum::http::StatusCode;
use serde::Serialize;

use crate::codec::EntityId;
use crate::duis::keys::XmlKeyStore;
use crate::duis::response::ResponseBody;
use crate::duis::xml::parse;
use crate::transport::duis::{is_xml_content, request_id_of, response_of, verify_dcc};

use super::faults::{Fault, Faults};

/// Inbox entries kept (the oldest is forgotten beyond this).
pub const MAX_INBOX: usize = 10_000;
/// RequestIDs sent that are remembered, to tell a response to one of them from a stray.
pub const MAX_SENT: usize = 65_536;

/// What a delivery was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Response,
    DeviceAlert,
    DccAlert,
}

/// One distinct delivery in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxEntry {
    pub kind: Kind,
    /// The RequestID a response answers; for an alert, its ResponseID.
    pub request_id: String,
    pub response_code: String,
    /// Copies received.
    pub deliveries: u64,
}

type Key = (Kind, String, String);

/// What was accepted, in arrival order, bounded.
#[derive(Debug, Default)]
pub struct Inbox {
    /// (sequence number, entry), oldest first.
    entries: VecDeque<(u64, InboxEntry)>,
    /// The latest entry of each key, by sequence number.
    index: HashMap<Key, u64>,
    next: u64,
}

impl Inbox {
    /// Records one delivery: a new entry, or one more delivery of the entry with the same
    /// key (unless `duplicates_as_new`, the `counts-duplicates` fault).
    pub fn record(
        &mut self,
        kind: Kind,
        request_id: String,
        code: String,
        duplicates_as_new: bool,
    ) {
        let key = (kind, request_id, code);
        if !duplicates_as_new {
            if let Some(&seq) = self.index.get(&key) {
                let front = self.entries.front().map_or(seq, |(s, _)| *s);
                if let Some((_, e)) = seq
                    .checked_sub(front)
                    .and_then(|i| self.entries.get_mut(i as usize))
                {
                    e.deliveries += 1;
                    return;
                }
            }
        }
        let seq = self.next;
        self.next += 1;
        if self.entries.len() == MAX_INBOX {
            if let Some((old, e)) = self.entries.pop_front() {
                let k = (e.kind, e.request_id, e.response_code);
                if self.index.get(&k) == Some(&old) {
                    self.index.remove(&k);
                }
            }
        }
        self.entries.push_back((
            seq,
            InboxEntry {
                kind: key.0,
                request_id: key.1.clone(),
                response_code: key.2.clone(),
                deliveries: 1,
            },
        ));
        self.index.insert(key, seq);
    }

    pub fn entries(&self) -> Vec<InboxEntry> {
        self.entries.iter().map(|(_, e)| e.clone()).collect()
    }
}

/// The RequestIDs sent, the last [`MAX_SENT`].
#[derive(Debug, Default)]
pub struct Sent {
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl Sent {
    pub fn insert(&mut self, id: String) {
        if !self.set.insert(id.clone()) {
            return;
        }
        if self.order.len() == MAX_SENT {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.order.push_back(id);
    }

    pub fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }
}

/// What to do with a delivery once checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Record it (kind, request id, code), answer 200.
    Record(Kind, String, String),
    /// Answer with this status and text, record nothing.
    Answer(StatusCode, String),
}

/// Checks one delivery: an XML content type, XML, signed by the DCC, a DUIS response or
/// alert, and a response to a request this head-end sent (`sent` says whether a RequestID
/// is one).
pub fn check(
    content_type: Option<&str>,
    body: &[u8],
    keys: &XmlKeyStore,
    dcc: EntityId,
    faults: &Faults,
    sent: impl Fn(&str) -> bool,
) -> Verdict {
    let garbage = |status: StatusCode, reason: String| {
        if faults.has(Fault::AcceptsGarbage) {
            Verdict::Answer(StatusCode::OK, String::new())
        } else {
            Verdict::Answer(status, reason)
        }
    };
    if !is_xml_content(content_type) {
        return garbage(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "content type {} is not application/xml",
                content_type.unwrap_or("(none)")
            ),
        );
    }
    let doc = match parse(body) {
        Ok(d) => d,
        Err(e) => return garbage(StatusCode::BAD_REQUEST, format!("not accepted XML: {e}")),
    };
    if let Err(reason) = verify_dcc(&doc, keys, dcc) {
        if !faults.has(Fault::AcceptsBadSignature) {
            return Verdict::Answer(StatusCode::FORBIDDEN, reason);
        }
    }
    let response = match response_of(&doc) {
        Ok(r) => r,
        Err(reason) => return garbage(StatusCode::BAD_REQUEST, reason),
    };
    let code = response.header.response_code.as_str().to_string();
    let alert = match &response.body {
        ResponseBody::DeviceAlert { gbcs_payload, .. } => {
            if gbcs_payload.is_empty() {
                return garbage(StatusCode::BAD_REQUEST, "device alert without GBCS".into());
            }
            Some(Kind::DeviceAlert)
        }
        ResponseBody::DccAlert { .. } => Some(Kind::DccAlert),
        _ => None,
    };
    if let Some(kind) = alert {
        if faults.has(Fault::DropsAlerts) {
            return Verdict::Answer(StatusCode::INTERNAL_SERVER_ERROR, "alert dropped".into());
        }
        // An alert answers no request: it is known by its ResponseID.
        let id = response
            .header
            .response_id
            .or(response.header.request_id)
            .map(|id| id.to_string());
        let Some(id) = id else {
            return garbage(
                StatusCode::BAD_REQUEST,
                "an alert with neither ResponseID nor RequestID".into(),
            );
        };
        return Verdict::Record(kind, id, code);
    }
    let Some(id) = request_id_of(&response) else {
        return garbage(
            StatusCode::BAD_REQUEST,
            "a response with neither RequestID nor ResponseID".into(),
        );
    };
    if !sent(&id) && !faults.has(Fault::AcceptsUnknownRequest) {
        return Verdict::Answer(
            StatusCode::NOT_FOUND,
            format!("this head-end never sent a request {id}"),
        );
    }
    Verdict::Record(Kind::Response, id, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_counts_copies_keeps_arrival_order_and_is_bounded() {
        let mut inbox = Inbox::default();
        inbox.record(Kind::Response, "a".into(), "I0".into(), false);
        inbox.record(Kind::DeviceAlert, "b".into(), "I0".into(), false);
        inbox.record(Kind::Response, "a".into(), "I0".into(), false);
        inbox.record(Kind::Response, "a".into(), "E20".into(), false);
        let e = inbox.entries();
        assert_eq!(e.len(), 3);
        assert_eq!((e[0].request_id.as_str(), e[0].deliveries), ("a", 2));
        assert_eq!(e[1].kind, Kind::DeviceAlert);
        assert_eq!(e[2].response_code, "E20");
        // counts-duplicates: a copy becomes an entry of its own.
        inbox.record(Kind::Response, "a".into(), "I0".into(), true);
        assert_eq!(inbox.entries().len(), 4);

        let mut inbox = Inbox::default();
        for i in 0..MAX_INBOX + 5 {
            inbox.record(Kind::Response, i.to_string(), "I0".into(), false);
        }
        let e = inbox.entries();
        assert_eq!(e.len(), MAX_INBOX);
        assert_eq!(e[0].request_id, "5");
        // A copy of a kept entry still counts on it after the oldest went.
        inbox.record(Kind::Response, "6".into(), "I0".into(), false);
        assert_eq!(inbox.entries()[1].deliveries, 2);
        // One of a forgotten entry is new again.
        inbox.record(Kind::Response, "0".into(), "I0".into(), false);
        assert_eq!(inbox.entries().last().unwrap().request_id, "0");
    }

    #[test]
    fn the_sent_set_forgets_the_oldest() {
        let mut sent = Sent::default();
        for i in 0..MAX_SENT + 1 {
            sent.insert(i.to_string());
        }
        assert!(!sent.contains("0"));
        assert!(sent.contains("1") && sent.contains(&MAX_SENT.to_string()));
    }
}
