//! The re-issue of the certificates a recorded security-credentials command carries, so that
//! it can be sent by the default remote parties to the default devices.
//!
//! A CS02b/CS02g command (primer asn1-and-utrn.md §3.2) carries the replacing certificates
//! and the certification path (the issuing CA) that certifies them; a CS02d command (§3.4)
//! carries a device's own certificate. The device (`sim::credentials`) checks that a
//! replacing certificate is signed by a certificate of the path, that its key usage is the
//! target cell's, and records its subject entity id and subject key identifier in the cell;
//! for CS02d it checks that the certificate names it and certifies a key pair it holds.
//! Nothing else in these payloads depends on the certificates (no hash, no signature of
//! their own: the command's signature is computed when it is built), so re-issuing means:
//! every end-entity certificate becomes the default store's certificate of the same subject
//! (through the RTDS → default id map) and the same key usage, every path certificate the
//! default CA certificate that issued its replacement, and the payload is encoded again.
//! A certificate the device must refuse whoever it names (not issued by the path, or
//! without a GBCS key usage: the RTDS error variants) is kept as recorded, so that it is
//! refused by the default devices too.

use x509_cert::der::{Decode, Encode};
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::Certificate;

use crate::codec::asn1::payloads::UpdateSecurityCredentialsCommand;
use crate::codec::asn1::{self, Asn1Body};
use crate::codec::{Bytes, CraFlag, DecodeError, EntityId, MessageCode};
use crate::crypto::pki::certificate_facts;
use crate::crypto::{KeyStore, KeyUsage};

use super::template::CommandTemplate;

/// Why a command's certificates could not be re-issued.
#[derive(Debug, thiserror::Error)]
pub enum ReissueError {
    #[error("message code {code}: the payload is not DER: {source}")]
    Decode {
        code: MessageCode,
        source: DecodeError,
    },
    #[error("message code {code}: the payload does not fit its security-credentials schema{}",
        .reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Schema {
        code: MessageCode,
        reason: Option<DecodeError>,
    },
    #[error("message code {code}: {what} is not an X.509 certificate")]
    NotACertificate { code: MessageCode, what: String },
    #[error("message code {code}: {what} names no subject entity id")]
    NoSubject { code: MessageCode, what: String },
    #[error(
        "message code {code}: {what}: the default key store holds no {usage} certificate of \
         {entity} (subject {subject} in the command)"
    )]
    MissingCertificate {
        code: MessageCode,
        what: String,
        subject: EntityId,
        entity: EntityId,
        usage: KeyUsage,
    },
    #[error(
        "message code {code}: {what} issues none of the command's certificates, or the \
         default key store holds no CA certificate that issues their replacements"
    )]
    NoIssuer { code: MessageCode, what: String },
}

/// CS02b, CS02g.
fn is_update_credentials(code: MessageCode) -> bool {
    code.updates_security_credentials()
}

/// CS02d.
const UPDATE_DEVICE_CERTIFICATE: MessageCode = MessageCode::CS02D;

/// Replaces every X.509 certificate a security-credentials command (CS02b, CS02g, CS02d)
/// carries by the certificate `keys` holds for the same subject, mapped through `map`
/// (RTDS id → default id; a subject the map does not name is taken as it is), and the same
/// key usage, and every certification-path certificate by the CA certificate of `keys` that
/// issued those. A certificate the device must refuse whoever it names (a replacing
/// certificate no path certificate issued, or one without a GBCS key usage) is left as
/// recorded: it is what the command's error variants test. Returns how many certificates
/// were replaced; other payloads are left untouched (`Ok(0)`). On error the template is
/// unchanged.
pub fn reissue_certificates(
    template: &mut CommandTemplate,
    keys: &KeyStore,
    map: &[(EntityId, EntityId)],
) -> Result<usize, ReissueError> {
    let code = template.message_code;
    if !is_update_credentials(code) && code != UPDATE_DEVICE_CERTIFICATE {
        return Ok(0);
    }
    let mut payload = asn1::decode(template.payload.as_slice(), 0, code, CraFlag::Command)
        .map_err(|source| ReissueError::Decode { code, source })?;
    let ctx = Ctx { code, keys, map };
    let replaced = match payload.body.as_mut() {
        Asn1Body::UpdateSecurityCredentialsCommand(c) if is_update_credentials(code) => {
            ctx.update_credentials(c)?
        }
        Asn1Body::UpdateDeviceCertificateCommand(c) if code == UPDATE_DEVICE_CERTIFICATE => {
            match ctx.end_entity(c.certificate.as_slice(), false, "the device certificate")? {
                Some(new) => {
                    c.certificate = new.into();
                    1
                }
                None => return Ok(0),
            }
        }
        Asn1Body::Generic(g) => {
            return Err(ReissueError::Schema {
                code,
                reason: g.schema_mismatch.clone(),
            })
        }
        _ => return Err(ReissueError::Schema { code, reason: None }),
    };
    // The lengths the recording wrote in a non-minimal form no longer apply.
    payload.non_minimal_lengths.clear();
    template.payload = payload.to_bytes().into();
    Ok(replaced)
}

struct Ctx<'a> {
    code: MessageCode,
    keys: &'a KeyStore,
    map: &'a [(EntityId, EntityId)],
}

impl Ctx<'_> {
    fn update_credentials(
        &self,
        c: &mut UpdateSecurityCredentialsCommand,
    ) -> Result<usize, ReissueError> {
        let parsed: Vec<Certificate> = c
            .certification_path_certificates
            .iter()
            .enumerate()
            .map(|(i, der)| self.parse(der.as_slice(), &format!("path certificate {i}")))
            .collect::<Result<_, _>>()?;
        // (recorded, reissued) pairs, to find each path certificate's replacement from the
        // certificates it issued.
        let mut issued: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut new_replacing = Vec::with_capacity(c.replacements.len());
        for (i, r) in c.replacements.iter().enumerate() {
            let what = format!("replacing certificate {i}");
            let old = r.replacing_certificate.as_slice();
            let certified = {
                let cert = self.parse(old, &what)?;
                parsed.iter().any(|ca| issued_by(&cert, ca))
            };
            if !certified {
                // No certificate of the path issued it (the RTDS error variants: a key
                // agreement certificate of another CA): it stays as recorded, so that it
                // stays uncertified.
                new_replacing.push(None);
                continue;
            }
            let prepayment = r
                .target_trust_anchor_cell
                .cell_usage
                .as_ref()
                .and_then(|u| u.as_i64())
                == Some(1);
            let new = self.end_entity(old, prepayment, &what)?;
            if let Some(new) = &new {
                issued.push((old.to_vec(), new.clone()));
            }
            new_replacing.push(new);
        }

        let mut new_path: Vec<Option<Vec<u8>>> =
            vec![None; c.certification_path_certificates.len()];
        // A path certificate is replaced by the default CA that issued the replacements of
        // the certificates it issued; a path may go up more than one level, so repeat until
        // nothing more is found.
        loop {
            let mut progress = false;
            for (i, ca) in parsed.iter().enumerate() {
                if new_path[i].is_some() {
                    continue;
                }
                let found = issued.iter().find_map(|(old, new)| {
                    let old = Certificate::from_der(old).ok()?;
                    if !issued_by(&old, ca) {
                        return None;
                    }
                    let new = Certificate::from_der(new).ok()?;
                    self.keys.ca_certificates().find(|d| {
                        Certificate::from_der(d).is_ok_and(|default| issued_by(&new, &default))
                    })
                });
                if let Some(der) = found {
                    let der = der.to_vec();
                    if let Ok(old) = ca.to_der() {
                        issued.push((old, der.clone()));
                    }
                    new_path[i] = Some(der);
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
        let new_path = new_path
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                d.map(Bytes::from).ok_or_else(|| ReissueError::NoIssuer {
                    code: self.code,
                    what: format!("path certificate {i}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;

        let mut replaced = new_path.len();
        for (r, new) in c.replacements.iter_mut().zip(new_replacing) {
            if let Some(new) = new {
                r.replacing_certificate = new.into();
                replaced += 1;
            }
        }
        c.certification_path_certificates = new_path;
        Ok(replaced)
    }

    fn parse(&self, der: &[u8], what: &str) -> Result<Certificate, ReissueError> {
        Certificate::from_der(der).map_err(|_| ReissueError::NotACertificate {
            code: self.code,
            what: what.to_string(),
        })
    }

    /// The default store's certificate for the subject and key usage of `der`
    /// (`prepayment`: a key-agreement certificate for a prepayment cell); `None` for a
    /// certificate without a GBCS key usage, which no device accepts whoever it names (the
    /// RTDS CS02d error variant: non-repudiation), so it stays as recorded.
    fn end_entity(
        &self,
        der: &[u8],
        prepayment: bool,
        what: &str,
    ) -> Result<Option<Vec<u8>>, ReissueError> {
        let code = self.code;
        let facts = certificate_facts(der).ok_or_else(|| ReissueError::NotACertificate {
            code,
            what: what.to_string(),
        })?;
        let subject = facts.subject.ok_or_else(|| ReissueError::NoSubject {
            code,
            what: what.to_string(),
        })?;
        let usage = match facts.key_usage {
            Some(KeyUsage::KeyAgreement) if prepayment => KeyUsage::PrepaymentKeyAgreement,
            Some(u) => u,
            None => return Ok(None),
        };
        let entity = self
            .map
            .iter()
            .find(|(from, _)| *from == subject)
            .map_or(subject, |(_, to)| *to);
        self.keys
            .certificate_der(entity, usage)
            .map(|d| Some(d.to_vec()))
            .ok_or_else(|| ReissueError::MissingCertificate {
                code,
                what: what.to_string(),
                subject,
                entity,
                usage,
            })
    }
}

/// Whether `ca` issued `cert`: its key identifier is the certificate's authority key
/// identifier where both are present, else its subject is the certificate's issuer.
fn issued_by(cert: &Certificate, ca: &Certificate) -> bool {
    let extension = |c: &Certificate, oid: &str| {
        c.tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == oid)
            .map(|e| e.extn_value.as_bytes().to_vec())
    };
    let aki = extension(cert, "2.5.29.35")
        .and_then(|v| AuthorityKeyIdentifier::from_der(&v).ok())
        .and_then(|a| a.key_identifier)
        .map(|k| k.as_bytes().to_vec());
    let ski = ca
        .to_der()
        .ok()
        .and_then(|d| certificate_facts(&d))
        .and_then(|f| f.subject_key_identifier);
    match (aki, ski) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => cert.tbs_certificate.issuer == ca.tbs_certificate.subject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(code: u16, payload: Vec<u8>) -> CommandTemplate {
        CommandTemplate {
            message_code: MessageCode(code),
            other_information: crate::command::template::OtherInformationTemplate::MessageCode,
            payload: payload.into(),
            signed: true,
        }
    }

    #[test]
    fn other_payloads_are_untouched() {
        let keys = KeyStore::new();
        // A DLMS get (ECS17b-like) and a CS03A1 join: no certificate to re-issue.
        for t in [
            template(
                MessageCode::ECS17C.0,
                hex::decode("D9200003E8000001010003000001080000FF0200").unwrap(),
            ),
            template(
                MessageCode::CS03A1.0,
                hex::decode("3010020100040800DB12345678909A020104").unwrap(),
            ),
        ] {
            let mut changed = t.clone();
            assert_eq!(reissue_certificates(&mut changed, &keys, &[]).unwrap(), 0);
            assert_eq!(changed, t);
        }
    }
}
