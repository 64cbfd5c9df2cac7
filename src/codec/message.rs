//! A whole GBCS message: the frame and its decoded payload.

use serde::Serialize;

use super::catalogue::{self, UseCaseEntry};
use super::error::{DecodeError, DecodeResult};
use super::frame::{decode_frame, Frame};
use super::ids::MessageCode;
use super::payload::{decode_payload, Payload};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub frame: Frame,
    /// The decoded content, or why it could not be decoded (the raw content stays in the
    /// frame, so the message is still lossless and its MAC and signature can still be checked).
    #[serde(serialize_with = "serialize_payload")]
    pub payload: Result<Payload, DecodeError>,
}

fn serialize_payload<S: serde::Serializer>(
    p: &Result<Payload, DecodeError>,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shown<'a> {
        Error(&'a DecodeError),
    }
    match p {
        Ok(payload) => payload.serialize(s),
        Err(e) => Shown::Error(e).serialize(s),
    }
}

impl Message {
    pub fn message_code(&self) -> Option<MessageCode> {
        self.frame.header().message_code()
    }

    pub fn use_case(&self) -> Option<&'static UseCaseEntry> {
        self.message_code().and_then(catalogue::lookup)
    }

    /// Re-encodes the message from its decoded parts (the payload from its model, not from
    /// the raw content), which is what the round-trip check compares with the input.
    pub fn encode(&self) -> Vec<u8> {
        match &self.payload {
            Err(_) => self.frame.encode(),
            Ok(payload) => {
                let mut content = Vec::with_capacity(self.frame.general_signing.content.len());
                payload.encode(&mut content);
                let mut frame = self.frame.clone();
                frame.general_signing.content = content.into();
                frame.encode()
            }
        }
    }
}

/// Decodes a frame and its payload. Only a frame-level failure is an `Err`; a payload that
/// does not decode is reported inside the message.
pub fn decode_message(bytes: &[u8]) -> DecodeResult<Message> {
    let frame = decode_frame(bytes)?;
    let h = frame.header();
    let payload = decode_payload(
        frame.general_signing.content.as_slice(),
        frame.general_signing.content_offset,
        h.message_code().unwrap_or(MessageCode(0)),
        h.cra,
    );
    Ok(Message { frame, payload })
}
