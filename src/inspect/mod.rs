//! Judging one received GBCS message: decode it, then check its signature and MAC, decrypt
//! its encrypted blocks and confirm it re-encodes to the same bytes.
//!
//! Which key pair protects a message is read from the message itself (GBCS primer, framing
//! §6.1): a command is MAC'd by the access control broker's key-agreement key with the
//! recipient's (or, for a HAN-only use case, by the two devices' keys); a response or alert
//! by the device's key with its recipient's. When the store holds no private key for either
//! side of that pair the MAC is *unverifiable*, never valid or invalid.

#[cfg(test)]
mod outcome_tests;
mod protection;
pub mod roles;
#[cfg(test)]
mod tests;
mod utrn;

use serde::Serialize;

use crate::codec::catalogue::UseCaseEntry;
use crate::codec::ciphered::BlockStats;
use crate::codec::error::DecodeError;
use crate::codec::ids::EntityId;
use crate::codec::message::{decode_message, Message};
use crate::crypto::KeyStore;

pub use utrn::{UtrnCheck, UtrnFields};

/// The outcome of one cryptographic check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Valid,
    Invalid,
    /// The message carries protection, but the key material to check it is not available.
    Unverifiable {
        reason: String,
    },
    /// The message carries no such protection (an unsigned message, a bare `DF` frame).
    NotPresent,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checks {
    pub signature: Verdict,
    pub mac: Verdict,
    pub decryption: BlockStats,
    /// Present when the message carries a prepayment top-up token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utrn: Option<UtrnCheck>,
    pub roundtrip_identical: bool,
}

/// Everything known about one message after inspection.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_case: Option<&'static UseCaseEntry>,
    #[serde(flatten)]
    pub message: Message,
    pub checks: Checks,
}

impl Inspection {
    /// Decoded completely (frame and payload).
    pub fn fully_decoded(&self) -> bool {
        self.message.payload.is_ok()
    }

    /// A conformance failure: undecodable payload, invalid MAC or signature, a failed
    /// decryption, or bytes that do not survive a round trip.
    pub fn is_failure(&self) -> bool {
        !self.fully_decoded()
            || self.checks.signature == Verdict::Invalid
            || self.checks.mac == Verdict::Invalid
            || self.checks.decryption.authentication_failed > 0
            || self
                .checks
                .utrn
                .as_ref()
                .is_some_and(|u| u.verdict == Verdict::Invalid)
            || !self.checks.roundtrip_identical
    }
}

/// Decodes and verifies messages against a key store.
pub struct Inspector<'k> {
    keys: &'k KeyStore,
    acb: Option<EntityId>,
}

impl<'k> Inspector<'k> {
    /// `acb` is the access control broker whose key MACs commands; `None` takes the one
    /// ACB certificate in the store, if there is exactly one.
    pub fn new(keys: &'k KeyStore, acb: Option<EntityId>) -> Self {
        let acb = acb.or_else(|| {
            let acbs = keys.entities_with_role(crate::crypto::RemotePartyRole::AccessControlBroker);
            (acbs.len() == 1).then(|| acbs[0])
        });
        Inspector { keys, acb }
    }

    pub fn acb(&self) -> Option<EntityId> {
        self.acb
    }

    pub fn inspect(&self, bytes: &[u8]) -> Result<Inspection, DecodeError> {
        let mut message = decode_message(bytes)?;
        let signature = protection::check_signature(self.keys, &message.frame, bytes);
        let mac = protection::check_mac(self.keys, self.acb, &message.frame, bytes);
        let decryption = match &mut message.payload {
            Ok(payload) => protection::decrypt_payload(self.keys, &message.frame, payload),
            Err(_) => BlockStats::default(),
        };
        let utrn = match &message.payload {
            Ok(payload) => utrn::check(self.keys, &message.frame, payload),
            Err(_) => None,
        };
        let roundtrip_identical = message.encode() == bytes;
        Ok(Inspection {
            use_case: message.use_case(),
            message,
            checks: Checks {
                signature,
                mac,
                decryption,
                utrn,
                roundtrip_identical,
            },
        })
    }
}
