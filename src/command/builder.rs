//! Command frames for tests, tools and load generators, built exactly as the runner builds a
//! scenario's command (a [`CommandTemplate`] addressed, signed if critical, MAC'd through the
//! ACB):
//!
//! ```
//! # use gbcs_harness::command::builder::Command;
//! # use gbcs_harness::crypto::pki::defaults::{ESME, SUPPLIER};
//! # let profile = gbcs_harness::sim::profile::DefaultProfile::generate().unwrap();
//! let frame = Command::ecs45()
//!     .from(SUPPLIER)
//!     .to(ESME)
//!     .counter(7)
//!     .build(profile.keys(), Some(profile.acb()))
//!     .unwrap();
//! ```

use crate::codec::dlms;
use crate::codec::frame::GeneralSigning;
use crate::codec::{EntityId, MessageCode};
use crate::crypto::pki::defaults;
use crate::crypto::KeyStore;

use super::template::{
    Addressing, BuildError, CommandTemplate, OtherInformationTemplate, Tampering,
};

/// The xDLMS access-request tag, which the long invoke id follows.
const DLMS_ACCESS_REQUEST: u8 = 0xD9;

/// One command on its way to being a frame: the use case's template, who sends it to whom
/// with which counter, and any deliberate tampering. By default the import supplier sends it
/// to the ESME of the built-in lab with counter 1.
#[derive(Debug, Clone)]
pub struct Command {
    template: CommandTemplate,
    to: Addressing,
    tamper: Tampering,
}

impl Command {
    /// Any use case's command, from its template.
    pub fn from_template(template: CommandTemplate) -> Self {
        Command {
            template,
            to: Addressing {
                originator: defaults::SUPPLIER,
                recipient: defaults::ESME,
                counter: 1,
            },
            tamper: Tampering::default(),
        }
    }

    /// ECS45, read the supply status: a DLMS get of the disconnect control's `control_state`
    /// (IC 70 0-0:96.3.10.255 attribute 3).
    pub fn ecs45() -> Self {
        Command::from_template(CommandTemplate {
            message_code: MessageCode::ECS45,
            other_information: OtherInformationTemplate::MessageCode,
            payload: dlms::read_supply_status(0).into(),
            signed: false,
        })
    }

    /// A DLMS command: an access-request whose long invoke id follows the counter, then
    /// `body` (the date-time and the request specifications and data, as bytes).
    pub fn dlms(message_code: MessageCode, body: &[u8], signed: bool) -> Self {
        let mut payload = vec![DLMS_ACCESS_REQUEST];
        payload.extend_from_slice(&dlms::long_invoke_id_and_priority(0).to_be_bytes());
        payload.extend_from_slice(body);
        Command::from_template(CommandTemplate {
            message_code,
            other_information: OtherInformationTemplate::MessageCode,
            payload: payload.into(),
            signed,
        })
    }

    /// The remote party that sends it.
    pub fn from(mut self, originator: EntityId) -> Self {
        self.to.originator = originator;
        self
    }

    /// The device it is for.
    pub fn to(mut self, recipient: EntityId) -> Self {
        self.to.recipient = recipient;
        self
    }

    /// The originator counter (the DLMS invoke id follows it).
    pub fn counter(mut self, counter: u64) -> Self {
        self.to.counter = counter;
        self
    }

    /// Spoilt on purpose: a bad MAC, a bad signature, no signature.
    pub fn tampered(mut self, tamper: Tampering) -> Self {
        self.tamper = tamper;
        self
    }

    /// The General Signing structure before any protection (no signature, no MAC).
    pub fn general_signing(&self) -> GeneralSigning {
        self.template.general_signing(self.to)
    }

    /// The frame as sent: signed if the use case is critical, MAC'd with the key pair the
    /// recipient uses (through the ACB when `acb` is given).
    pub fn build(&self, keys: &KeyStore, acb: Option<EntityId>) -> Result<Vec<u8>, BuildError> {
        self.template.build(self.to, keys, acb, self.tamper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invoke_id_follows_the_counter_as_the_hand_built_read_had_it() {
        for counter in [1, 7, 0x0100_0000_0000_0001, u64::MAX] {
            let gs = Command::ecs45().counter(counter).general_signing();
            assert_eq!(gs.content.as_slice(), dlms::read_supply_status(counter));
            assert_eq!(gs.header.counter, counter);
            assert_eq!(gs.header.message_code(), Some(MessageCode::ECS45));
        }
    }

    #[test]
    fn addressing_lands_in_the_header() {
        let gs = Command::ecs45()
            .from(defaults::NETWORK_OPERATOR)
            .to(defaults::GSME)
            .general_signing();
        assert_eq!(gs.header.originator, defaults::NETWORK_OPERATOR);
        assert_eq!(gs.header.recipient, defaults::GSME);
    }
}
