//! DUIS, the XML interface between a DCC User's system and the DCC: documents read and written
//! without any DTD or entity processing ([`xml`]), inclusive and exclusive canonicalisation and
//! the enveloped XML signature DUIS uses ([`c14n`], [`signature`], [`keys`]), and the typed model
//! of requests, responses and alerts ([`request_id`], [`codes`], [`services`], [`request`],
//! [`response`], [`validate`]), with `xs:base64Binary` in [`base64`].
//!
//! It sits beside [`crate::inspect`] in the layers: it uses the codec and the cryptography only.
//! The DCC emulator built on it is [`crate::dcc`]; the `duis://` transport is in
//! [`crate::transport`].

pub mod base64;
pub mod c14n;
pub mod codes;
pub mod keys;
pub mod request;
pub mod request_id;
pub mod response;
pub mod services;
pub mod signature;
pub mod validate;
pub mod xml;
