//! Re-issuing the certificates a recorded security-credentials command carries, so that it
//! can be sent by the default remote parties to the default devices.
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
use crate::crypto::{KeyStore, KeyUsage};
use crate::sim::credentials::certificate_facts;

use super::command::CommandTemplate;

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
    use crate::codec::decode_frame;
    use crate::corpus::read_hex_file;
    use crate::runner::command::{Addressing, Tampering};
    use crate::sim::profile::{rtds_to_default, DefaultProfile};

    const CS02B: &str =
        "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX";

    /// The recorded CS02b command as a template readdressed to the default identities, with
    /// its originator and recipient.
    fn recorded_cs02b() -> Option<(CommandTemplate, EntityId, EntityId)> {
        let Some(dir) = crate::corpus::messages_dir() else {
            println!("RTDS corpus absent: skipping");
            return None;
        };
        let path = dir.join(CS02B);
        if !path.is_file() {
            println!("{} absent: skipping", path.display());
            return None;
        }
        let frame = decode_frame(&read_hex_file(&path).unwrap()).unwrap();
        let mut template = CommandTemplate::from_frame(&frame).unwrap();
        let map = rtds_to_default();
        template.readdress(&map);
        let swap = |id: EntityId| map.iter().find(|(f, _)| *f == id).map_or(id, |(_, t)| *t);
        Some((
            template,
            swap(frame.header().originator),
            swap(frame.header().recipient),
        ))
    }

    #[test]
    fn reissued_cs02b_is_accepted_with_success() {
        let Some((mut template, originator, recipient)) = recorded_cs02b() else {
            return;
        };
        let profile = DefaultProfile::generate().unwrap();
        let n = reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
        assert_eq!(n, 4, "three supplier certificates and the issuing CA");

        let frame = template
            .build(
                Addressing {
                    originator,
                    recipient,
                    counter: 0x0100_0000_0001,
                },
                profile.keys(),
                Some(profile.acb()),
                Tampering::default(),
            )
            .unwrap();
        let mut sim = profile.simulator();
        let response = sim.handle(&frame).response.expect("a response");
        let inspected = crate::inspect::Inspector::new(profile.keys(), None)
            .inspect(&response)
            .unwrap();
        let crate::codec::Payload::Asn1(payload) = inspected.message.payload.unwrap() else {
            panic!("not an ASN.1 response");
        };
        let Asn1Body::UpdateSecurityCredentialsResponse(r) = *payload.body else {
            panic!("not a CS02b response: {:?}", payload.body);
        };
        let outcome = r.execution_outcome.expect("an immediate outcome");
        assert_eq!(outcome.replacement_outcomes.len(), 3);
        for o in &outcome.replacement_outcomes {
            assert_eq!(o.status.as_i64(), Some(0), "{o:?}");
            assert_eq!(
                o.replacing_subject_unique_id.as_slice(),
                crate::crypto::pki::defaults::SUPPLIER.as_bytes()
            );
        }
    }

    #[test]
    fn reissuing_twice_changes_nothing_more() {
        let Some((mut template, _, _)) = recorded_cs02b() else {
            return;
        };
        let profile = DefaultProfile::generate().unwrap();
        reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
        let once = template.clone();
        reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
        assert_eq!(template, once);
    }

    fn template(code: u16, payload: Vec<u8>) -> CommandTemplate {
        CommandTemplate {
            message_code: MessageCode(code),
            other_information: crate::runner::command::OtherInformationTemplate::MessageCode,
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

    #[test]
    fn truncated_payloads_are_errors() {
        let profile = DefaultProfile::generate().unwrap();
        let map = rtds_to_default();
        let full = recorded_cs02b()
            .map(|(t, _, _)| t.payload.as_slice().to_vec())
            .unwrap_or_else(|| hex::decode("3082010030").unwrap());
        for cut in [0, 1, 2, 5, full.len() / 2, full.len() - 1] {
            let mut t = template(
                MessageCode::CS02B_SUPPLIER_BY_SUPPLIER.0,
                full[..cut].to_vec(),
            );
            let before = t.clone();
            let e = reissue_certificates(&mut t, profile.keys(), &map);
            assert!(e.is_err(), "cut at {cut}: {e:?}");
            assert_eq!(t, before);
        }
        // A CS02d whose certificate is not a certificate.
        let mut t = template(MessageCode::CS02D.0, hex::decode("3003020101").unwrap());
        assert!(reissue_certificates(&mut t, profile.keys(), &map).is_err());
    }
}
