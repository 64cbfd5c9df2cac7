//! The UTRN MAC (primer asn1-and-utrn.md §4.2, framing-and-crypto.md §6.5).
//!
//! Generation and verification are the same computation: the supplier derives the key from
//! its prepayment key-agreement private key and the device's KA certificate, the device from
//! its KA private key and the prepayment certificate in its supplier trust-anchor cell.

use super::gcm;
use crate::codec::ids::EntityId;

/// The CRA byte of the key derivation and of the associated data: a UTRN is MACed like a
/// command.
const COMMAND_MODE: u8 = 0x01;

/// MAC-only security header `11` with invocation counter 0, then a zero byte: the same
/// 6-byte prefix as a frame MAC's associated data.
const AAD_PREFIX: [u8; 6] = [0x11, 0, 0, 0, 0, 0];

/// The 35-byte associated data: prefix ‖ O ‖ T ‖ 01 ‖ C ‖ H.
pub fn utrn_mac_aad(
    originator: &EntityId,
    target: &EntityId,
    counter: u64,
    high_word: u32,
) -> [u8; 35] {
    let mut aad = [0u8; 35];
    aad[..6].copy_from_slice(&AAD_PREFIX);
    aad[6..14].copy_from_slice(originator.as_bytes());
    aad[14..22].copy_from_slice(target.as_bytes());
    aad[22] = COMMAND_MODE;
    aad[23..31].copy_from_slice(&counter.to_be_bytes());
    aad[31..35].copy_from_slice(&high_word.to_be_bytes());
    aad
}

/// The 32-bit UTRN MAC: the last 4 bytes of the full 16-byte GCM tag over empty plaintext,
/// key `key` (the KDF output for originator, mode 01, `counter`, target), IV = O ‖ 0⁴.
///
/// `counter` is the full 64-bit UTRN counter and `high_word` is PTUT bits 63..32
/// ([`crate::codec::utrn::Utrn::mac_input_high_word`]).
pub fn utrn_mac(
    key: &[u8; 16],
    originator: &EntityId,
    target: &EntityId,
    counter: u64,
    high_word: u32,
) -> u32 {
    let aad = utrn_mac_aad(originator, target, counter, high_word);
    let tag = gcm::full_tag(key, &gcm::iv(originator, 0), &aad);
    u32::from_be_bytes([tag[12], tag[13], tag[14], tag[15]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::utrn::{Utrn, ValueClass};
    use p256::pkcs8::DecodePrivateKey;
    use sha2::{Digest, Sha256};
    use x509_cert::der::DecodePem;

    fn id(s: &str) -> EntityId {
        s.parse().unwrap()
    }

    /// K for the worked check, derived independently of `crypto::kdf` from the key store:
    /// ECDH(supplier prepayment KA private, device KA certificate), then the GBCS KDF.
    fn worked_key(counter: u64) -> Option<[u8; 16]> {
        let Some(dir) = crate::corpus::keystore_dir() else {
            eprintln!("key store not found: skipping the UTRN MAC worked check");
            return None;
        };
        let pem = std::fs::read_to_string(dir.join("90b3d51f30010000-pp-ka.key")).ok()?;
        let secret = p256::SecretKey::from_pkcs8_pem(&pem).expect("pp-ka private key");
        let cert_pem = std::fs::read(dir.join("00db1234567890a0-ka.pem")).ok()?;
        let cert = x509_cert::Certificate::from_pem(&cert_pem).expect("device KA certificate");
        let spki = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes()
            .to_vec();
        let public = p256::PublicKey::from_sec1_bytes(&spki).expect("P-256 point");
        let z = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
        let mut h = Sha256::new();
        h.update([0, 0, 0, 1]);
        h.update(z.raw_secret_bytes());
        h.update([0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]);
        h.update(id("90B3D51F30010000").as_bytes());
        h.update([0x09, 0x01]);
        h.update(counter.to_be_bytes());
        h.update(id("00DB1234567890A0").as_bytes());
        let mut k = [0u8; 16];
        k.copy_from_slice(&h.finalize()[..16]);
        Some(k)
    }

    fn token(counter: u64, class: ValueClass, value: u16) -> Option<Utrn> {
        let key = worked_key(counter)?;
        let high = Utrn::build(counter, class, value, 0).mac_input_high_word();
        let mac = utrn_mac(
            &key,
            &id("90B3D51F30010000"),
            &id("00DB1234567890A0"),
            counter,
            high,
        );
        Some(Utrn::build(counter, class, value, mac))
    }

    #[test]
    fn aad_layout() {
        let aad = utrn_mac_aad(
            &id("90B3D51F30010000"),
            &id("00DB1234567890A0"),
            0x3_0000_0000,
            0x0001_A00A,
        );
        assert_eq!(
            hex::encode_upper(aad),
            "11000000000090B3D51F3001000000DB1234567890A001000000030000000000".to_string()
                + "01A00A"
        );
    }

    #[test]
    fn primer_worked_check() {
        // Primer §4.2: C = 0x0000000300000000, pounds 10 → MAC 0x9CD029E3.
        let Some(u) = token(0x3_0000_0000, ValueClass::Pounds, 10) else {
            return;
        };
        assert_eq!(u.mac_input_high_word(), 0x0001_A00A);
        assert_eq!(u.mac(), 0x9CD0_29E3);
        assert_eq!(u.to_string(), "73946144332040217315");
    }

    #[test]
    fn second_genuine_corpus_token() {
        // CS01a ERROR command: counter 5 << 32, pounds 10, MAC 0x26972203 (primer §4.1).
        let Some(u) = token(0x5_0000_0000, ValueClass::Pounds, 10) else {
            return;
        };
        assert_eq!(u.to_string(), "73948959061972833313");
    }

    #[test]
    fn primer_reference_vectors() {
        let Some(a) = token(0x1_0000_0000, ValueClass::Pounds, 100) else {
            return;
        };
        assert_eq!(a.to_string(), "73943333457189043313");
        let b = token(0x4_0000_0000, ValueClass::Pence, 1234).unwrap();
        assert_eq!(b.to_string(), "73947252416745201637");
    }
}
