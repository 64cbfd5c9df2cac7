//! The GBCS key derivation: one SHA-256 block over the ECDH shared secret and a 33-byte
//! OtherInfo naming the message (originator, transaction id, recipient).

use sha2::{Digest, Sha256};

use crate::codec::ids::EntityId;

/// AlgorithmID of the GBCS KDF OtherInfo (constant in every derivation).
const ALGORITHM_ID: [u8; 7] = [0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00];

/// The first byte of the transaction id inside OtherInfo: which kind of key is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfMode {
    /// Command MAC (also the UTRN MAC).
    Command = 1,
    Response = 2,
    Alert = 3,
    /// Encryption of device data returned to a remote party.
    Encryption = 4,
}

/// AES-128 key = SHA-256(00000001 ‖ Z ‖ OtherInfo)[0..16].
pub fn derive_key(
    shared_secret: &[u8; 32],
    originator: &EntityId,
    mode: u8,
    counter: u64,
    recipient: &EntityId,
) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update([0, 0, 0, 1]);
    h.update(shared_secret);
    h.update(ALGORITHM_ID);
    h.update(originator.as_bytes());
    h.update([9, mode]);
    h.update(counter.to_be_bytes());
    h.update(recipient.as_bytes());
    let digest = h.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> EntityId {
        s.parse().unwrap()
    }

    #[test]
    fn reproduces_the_primer_command_mac_key() {
        // framing-and-crypto.md §7.1: ECS42 command MAC key.
        let z: [u8; 32] =
            hex::decode("ed342441df01551a6beaff3b54adc981f4c6a7e71dff4c3e1cc80b3c9f4e5ac0")
                .unwrap()
                .try_into()
                .unwrap();
        let key = derive_key(
            &z,
            &id("90b3d51f30010000"),
            KdfMode::Command as u8,
            1000,
            &id("00db1234567890a0"),
        );
        assert_eq!(hex::encode(key), "ec1d51bd8f8bf0cdd2314cf396cc12c0");
    }
}
