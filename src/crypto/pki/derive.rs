//! Private keys derived from the seed, so that a seed names a whole PKI.

use aws_lc_rs::agreement::{self, ECDH_P256};
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use sha2::{Digest, Sha256};

use super::{KeyOwner, PkiError};

/// Keeps these scalars apart from anything else a caller might derive from the same seed.
const DOMAIN: &[u8] = b"gbcs-harness test PKI v1";

/// A candidate fails only when SHA-256 lands on zero or at or above the P-256 group order
/// (odds about 2^-32), so running out of tries means something else is wrong.
const MAX_TRIES: u32 = 16;

/// A derived P-256 key: PKCS#8 v1 DER (what the key store and rcgen read) and its
/// uncompressed public point.
pub(super) struct DerivedKey {
    pub pkcs8: Vec<u8>,
    pub point: Vec<u8>,
}

/// The input of one try: `DOMAIN ‖ len(seed) u32 ‖ seed ‖ entity(8) ‖ len(label) u8 ‖
/// label ‖ counter u32`. The lengths make the concatenation unambiguous whatever the seed.
fn candidate(seed: &[u8], entity: &[u8; 8], label: &str, counter: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update((seed.len() as u32).to_be_bytes());
    h.update(seed);
    h.update(entity);
    h.update([label.len() as u8]);
    h.update(label.as_bytes());
    h.update(counter.to_be_bytes());
    h.finalize().into()
}

/// The key of `owner`: the first candidate scalar (counter 0, 1, …) that is a valid P-256
/// private key.
pub(super) fn derive_key(
    seed: &[u8],
    entity: &[u8; 8],
    label: &str,
    owner: KeyOwner,
) -> Result<DerivedKey, PkiError> {
    for counter in 0..MAX_TRIES {
        let scalar = candidate(seed, entity, label, counter);
        // Rejected only for an out-of-range scalar: try the next counter.
        let Ok(key) = agreement::PrivateKey::from_private_key(&ECDH_P256, &scalar) else {
            continue;
        };
        let encoding = |source| PkiError::KeyEncoding { owner, source };
        let pkcs8: Pkcs8V1Der<'static> = key.as_der().map_err(encoding)?;
        let pkcs8 = pkcs8.as_ref().to_vec();
        let point = key
            .compute_public_key()
            .map_err(encoding)?
            .as_ref()
            .to_vec();
        return Ok(DerivedKey { pkcs8, point });
    }
    Err(PkiError::NoValidScalar {
        owner,
        tries: MAX_TRIES,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::ids::EntityId;
    use crate::crypto::KeyUsage;

    #[test]
    fn seed_length_is_part_of_the_input() {
        // Without the length prefix these two would hash the same bytes.
        let a = candidate(b"ab", &[0; 8], "ds", 0);
        let b = candidate(b"a", &[b'b', 0, 0, 0, 0, 0, 0, 0], "ds", 0);
        assert_ne!(a, b);
    }

    #[test]
    fn a_key_is_a_function_of_seed_entity_and_label() {
        let owner = KeyOwner::Entity(EntityId([1; 8]), KeyUsage::KeyAgreement);
        let k = |seed: &[u8], label| derive_key(seed, &[1; 8], label, owner).unwrap().point;
        assert_eq!(k(b"s", "ka"), k(b"s", "ka"));
        assert_ne!(k(b"s", "ka"), k(b"t", "ka"));
        assert_ne!(k(b"s", "ka"), k(b"s", "ds"));
        assert_eq!(k(b"s", "ka").len(), 65);
    }
}
