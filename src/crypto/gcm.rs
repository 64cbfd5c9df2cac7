//! AES-128-GCM as GBCS uses it: 12-byte IV = system title ‖ invocation counter, and tags
//! truncated to 12 bytes (the UTRN uses the full 16-byte tag).

use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::aes::Aes128;
use aes_gcm::{AesGcm, Nonce, Tag};

use crate::codec::ids::EntityId;

type Gcm12 = AesGcm<Aes128, U12, U12>;
type Gcm16 = AesGcm<Aes128, U12, U16>;

/// IV = the 8-byte system title of the party that applied the protection ‖ invocation counter.
pub fn iv(system_title: &EntityId, invocation_counter: u32) -> [u8; 12] {
    let mut iv = [0u8; 12];
    iv[..8].copy_from_slice(system_title.as_bytes());
    iv[8..].copy_from_slice(&invocation_counter.to_be_bytes());
    iv
}

/// The 12-byte tag over `aad` with an empty plaintext (a GBCS MAC).
pub fn mac(key: &[u8; 16], iv: &[u8; 12], aad: &[u8]) -> [u8; 12] {
    let cipher = Gcm12::new(key.into());
    let tag = cipher
        .encrypt_in_place_detached(&Nonce::from(*iv), aad, &mut [])
        .expect("GCM accepts any AAD length GBCS can carry");
    tag.into()
}

/// The full 16-byte tag over `aad` with an empty plaintext (UTRN MAC input).
pub fn full_tag(key: &[u8; 16], iv: &[u8; 12], aad: &[u8]) -> [u8; 16] {
    let cipher = Gcm16::new(key.into());
    let tag = cipher
        .encrypt_in_place_detached(&Nonce::from(*iv), aad, &mut [])
        .expect("GCM accepts any AAD length GBCS can carry");
    tag.into()
}

/// Constant-time comparison of a received MAC with the expected one.
pub fn mac_matches(expected: &[u8; 12], received: &[u8]) -> bool {
    if received.len() != expected.len() {
        return false;
    }
    expected
        .iter()
        .zip(received)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// Encrypts `plaintext`, returning ciphertext ‖ 12-byte tag.
pub fn encrypt(key: &[u8; 16], iv: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Gcm12::new(key.into());
    let mut buf = plaintext.to_vec();
    let tag = cipher
        .encrypt_in_place_detached(&Nonce::from(*iv), aad, &mut buf)
        .expect("GCM accepts any payload length GBCS can carry");
    buf.extend_from_slice(&tag);
    buf
}

/// Decrypts and authenticates; `None` when the tag does not verify.
pub fn decrypt(
    key: &[u8; 16],
    iv: &[u8; 12],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    let tag: [u8; 12] = tag.try_into().ok()?;
    let cipher = Gcm12::new(key.into());
    let mut buf = ciphertext.to_vec();
    cipher
        .decrypt_in_place_detached(&Nonce::from(*iv), aad, &mut buf, &Tag::<U12>::from(tag))
        .ok()?;
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypt_then_decrypt_and_tamper() {
        let key = [7u8; 16];
        let iv = iv(&"00db1234567890a0".parse().unwrap(), 0);
        let sealed = encrypt(&key, &iv, &[0x31], b"register value");
        let (ct, tag) = sealed.split_at(sealed.len() - 12);
        assert_eq!(
            decrypt(&key, &iv, &[0x31], ct, tag).unwrap(),
            b"register value"
        );
        let mut bad = ct.to_vec();
        bad[0] ^= 1;
        assert!(decrypt(&key, &iv, &[0x31], &bad, tag).is_none());
    }

    #[test]
    fn mac_is_a_prefix_of_the_full_tag() {
        let key = [1u8; 16];
        let iv = [2u8; 12];
        assert_eq!(
            mac(&key, &iv, b"aad")[..],
            full_tag(&key, &iv, b"aad")[..12]
        );
    }
}
