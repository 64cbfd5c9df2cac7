//! The GBCS wire format: pure functions from bytes to typed, named structures and back.
//!
//! Nothing here does I/O or cryptography. `decode(bytes)` followed by `encode()` gives the
//! same bytes for every message the decoder accepts; parts the codec does not understand are
//! kept as raw bytes rather than dropped.

pub mod asn1;
pub mod bytes;
pub mod calendar;
pub mod catalogue;
pub mod ciphered;
pub mod dlms;
pub mod enums;
pub mod error;
pub mod frame;
pub mod gbz;
pub mod ids;
pub mod length;
pub mod message;
pub mod outcome;
pub mod payload;
pub mod reader;
pub mod utrn;

pub use bytes::Bytes;
pub use enums::DeviceType;
pub use error::{DecodeError, DecodeErrorKind, DecodeResult};
pub use frame::{decode_frame, Frame};
pub use ids::{CraFlag, EntityId, MessageCode};
pub use message::{decode_message, Message};
pub use payload::Payload;
pub use reader::Reader;
