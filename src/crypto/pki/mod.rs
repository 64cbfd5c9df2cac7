//! A test PKI generated from a seed, so that the simulator's default profile needs no key
//! material from outside the project.
//!
//! Every private key is derived from the seed (see `derive`), so the same seed always gives
//! the same keys, key identifiers, serial numbers and certificate contents (fixed validity
//! dates, no clock) and the same certificate signatures: they are deterministic ECDSA
//! (RFC 6979), so a certificate's whole DER is reproducible, and so is every generated file
//! that carries one (the re-issued certificates in imported vectors).
//!
//! The certificate profile mirrors the RTDS ZAZ1 store (`profile`): organisation
//! certificates under an `OU=07` issuing CA, device certificates under a device CA, both
//! under one root.

mod derive;
mod facts;
mod profile;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use x509_cert::der::pem::LineEnding;

use crate::codec::ids::EntityId;
use crate::crypto::{KeyMaterialError, KeyStore, KeyUsage, RemotePartyRole};
use derive::{derive_key, DerivedKey};
use profile::Ca;

/// Device types of the GBCS deviceType enumeration (defined in the codec).
pub use crate::codec::enums::DeviceType;
pub use facts::{certificate_facts, signed_by, CertFacts};

/// Who gets keys and certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiSpec {
    pub seed: Vec<u8>,
    /// Organisations: a DS and a KA key each, plus a prepayment KA key for suppliers.
    pub remote_parties: Vec<(EntityId, RemotePartyRole)>,
    /// Devices: a DS and a KA key each, whatever the type (as every device in the RTDS
    /// store has both).
    pub devices: Vec<(EntityId, DeviceType)>,
}

/// The three certification authorities of the PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaRole {
    Root,
    /// Issues organisation certificates (`OU=07`, like the RTDS `OU=07, CN=Z1`).
    OrganisationCa,
    /// Issues device certificates (like the RTDS `CN=E357`).
    DeviceCa,
}

impl CaRole {
    /// File name under `ca/` in [`TestPki::write_dir`].
    pub fn file_name(self) -> &'static str {
        match self {
            CaRole::Root => "root.pem",
            CaRole::OrganisationCa => "organisation-ca.pem",
            CaRole::DeviceCa => "device-ca.pem",
        }
    }
}

impl fmt::Display for CaRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CaRole::Root => "root CA",
            CaRole::OrganisationCa => "organisation issuing CA",
            CaRole::DeviceCa => "device issuing CA",
        })
    }
}

/// Whose key or certificate an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    Entity(EntityId, KeyUsage),
    Ca(CaRole),
}

impl fmt::Display for KeyOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyOwner::Entity(entity, usage) => write!(f, "the {usage} key of {entity}"),
            KeyOwner::Ca(role) => write!(f, "the {role}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("entity {0} is named more than once in the PKI spec")]
    DuplicateEntity(EntityId),
    #[error("no valid P-256 scalar for {owner} after {tries} tries")]
    NoValidScalar { owner: KeyOwner, tries: u32 },
    #[error("cannot encode {owner}")]
    KeyEncoding {
        owner: KeyOwner,
        source: aws_lc_rs::error::Unspecified,
    },
    #[error("cannot build the certificate of {owner}")]
    Certificate {
        owner: KeyOwner,
        source: rcgen::Error,
    },
    #[error("cannot encode the certificate of {owner}")]
    Der {
        owner: KeyOwner,
        source: x509_cert::der::Error,
    },
    #[error("{issuer} cannot sign the certificate of {owner}")]
    Signing { owner: KeyOwner, issuer: KeyOwner },
    #[error("the key store rejects {owner}")]
    KeyStore {
        owner: KeyOwner,
        source: KeyMaterialError,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One certified key.
struct Issued {
    entity: EntityId,
    usage: KeyUsage,
    key: DerivedKey,
    certificate: Vec<u8>,
    /// Held by a remote party (else by a device).
    remote_party: bool,
}

impl Issued {
    fn owner(&self) -> KeyOwner {
        KeyOwner::Entity(self.entity, self.usage)
    }
}

/// Identities of [`TestPki::default_profile`]: the RTDS id ranges (remote parties
/// `90B3D51F…`, devices `00DB…`) but never an RTDS id, so that a message of one profile
/// can never be checked with the keys of the other. The RTDS uses `90B3D51F3…` and
/// `00DB1234567890xx`; these are `90B3D51F5…` (same low digits as the RTDS party of the
/// same role) and `00DB5100000000xx`.
pub mod defaults {
    use crate::codec::ids::EntityId;

    pub const SEED: &[u8] = b"gbcs-harness default test PKI";

    /// Electricity import supplier (RTDS counterpart 90B3D51F30010000).
    pub const SUPPLIER: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x01, 0x00, 0x00]);
    /// Gas supplier, also a second supplier for supplementary-party cases (RTDS
    /// counterpart 90B3D51F30030000).
    pub const GAS_SUPPLIER: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x03, 0x00, 0x00]);
    pub const NETWORK_OPERATOR: EntityId =
        EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x02, 0x00, 0x00]);
    pub const ACCESS_CONTROL_BROKER: EntityId =
        EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x00, 0x00, 0x02]);
    /// Recovery, transitional CoS and WAN provider hold trust anchors on every device
    /// (CS02 credential replacement), so they are part of the default profile too.
    pub const RECOVERY: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x00, 0x00, 0x01]);
    pub const TRANSITIONAL_COS: EntityId =
        EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x00, 0x00, 0x04]);
    pub const WAN_PROVIDER: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x00, 0x00, 0x07]);

    pub const ESME: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x01]);
    pub const GSME: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x02]);
    pub const COMMS_HUB: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x03]);
    pub const GPF: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x04]);
    pub const PPMID: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x05]);
    pub const HCALCS: EntityId = EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x06]);
    /// The electricity meter an HCALCS switches (RTDS CS02g's load-controlled meter).
    pub const LOAD_CONTROLLED_ESME: EntityId =
        EntityId([0x00, 0xDB, 0x51, 0x00, 0x00, 0x00, 0x00, 0x07]);
    /// A device the simulator does not have: the harness holds its keys, so a command to it
    /// can be correctly MAC'd, and a target must still discard it (wrong recipient).
    pub const FOREIGN_ESME: EntityId = EntityId([0x00, 0xDB, 0x51, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]);
    /// The load controller that may limit an ESME's auxiliary load (RTDS counterpart
    /// 90B3D51F30010008).
    pub const LOAD_CONTROLLER: EntityId =
        EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x01, 0x00, 0x08]);
}

/// Generated keys and certificates for a [`PkiSpec`].
pub struct TestPki {
    root: Ca,
    organisation_ca: Ca,
    device_ca: Ca,
    remote_parties: Vec<(EntityId, RemotePartyRole)>,
    devices: Vec<(EntityId, DeviceType)>,
    issued: Vec<Issued>,
}

impl fmt::Debug for TestPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestPki")
            .field("remote_parties", &self.remote_parties)
            .field("devices", &self.devices)
            .field("certificates", &self.issued.len())
            .finish()
    }
}

/// Label of a key in the derivation: the store's file suffix for entity keys.
fn usage_label(usage: KeyUsage) -> &'static str {
    match usage {
        KeyUsage::DigitalSignature => "ds",
        KeyUsage::KeyAgreement => "ka",
        KeyUsage::PrepaymentKeyAgreement => "pp-ka",
    }
}

/// Entity id under which CA keys are derived. Their labels differ from every entity-key
/// label, so a spec entity with this id still gets keys of its own.
const CA_ENTITY: [u8; 8] = [0; 8];

fn ca_label(role: CaRole) -> &'static str {
    match role {
        CaRole::Root => "root-ca",
        CaRole::OrganisationCa => "organisation-ca",
        CaRole::DeviceCa => "device-ca",
    }
}

impl TestPki {
    pub fn generate(spec: &PkiSpec) -> Result<TestPki, PkiError> {
        let mut seen = std::collections::HashSet::new();
        let entities = spec
            .remote_parties
            .iter()
            .map(|(e, _)| *e)
            .chain(spec.devices.iter().map(|(e, _)| *e));
        for entity in entities {
            if !seen.insert(entity) {
                return Err(PkiError::DuplicateEntity(entity));
            }
        }

        let seed = spec.seed.as_slice();
        let ca_key = |role| derive_key(seed, &CA_ENTITY, ca_label(role), KeyOwner::Ca(role));
        let root = profile::certification_authority(CaRole::Root, ca_key(CaRole::Root)?, None)?;
        let organisation_ca = profile::certification_authority(
            CaRole::OrganisationCa,
            ca_key(CaRole::OrganisationCa)?,
            Some(&root),
        )?;
        let device_ca = profile::certification_authority(
            CaRole::DeviceCa,
            ca_key(CaRole::DeviceCa)?,
            Some(&root),
        )?;

        let mut issued = Vec::new();
        for &(entity, role) in &spec.remote_parties {
            let mut usages = vec![KeyUsage::DigitalSignature, KeyUsage::KeyAgreement];
            if role == RemotePartyRole::Supplier {
                usages.push(KeyUsage::PrepaymentKeyAgreement);
            }
            for usage in usages {
                let owner = KeyOwner::Entity(entity, usage);
                let key = derive_key(seed, entity.as_bytes(), usage_label(usage), owner)?;
                let certificate =
                    profile::organisation_certificate(&organisation_ca, entity, role, usage, &key)?;
                issued.push(Issued {
                    entity,
                    usage,
                    key,
                    certificate,
                    remote_party: true,
                });
            }
        }
        for &(entity, _) in &spec.devices {
            for usage in [KeyUsage::DigitalSignature, KeyUsage::KeyAgreement] {
                let owner = KeyOwner::Entity(entity, usage);
                let key = derive_key(seed, entity.as_bytes(), usage_label(usage), owner)?;
                let certificate = profile::device_certificate(&device_ca, entity, usage, &key)?;
                issued.push(Issued {
                    entity,
                    usage,
                    key,
                    certificate,
                    remote_party: false,
                });
            }
        }

        let pki = TestPki {
            root,
            organisation_ca,
            device_ca,
            remote_parties: spec.remote_parties.clone(),
            devices: spec.devices.clone(),
            issued,
        };
        // Building the full store once proves every view can be built.
        pki.try_store(|_| true)?;
        Ok(pki)
    }

    /// The default simulator identities (see [`defaults`]): two suppliers, the network
    /// operator, the ACB, recovery, transitional CoS and WAN provider; an ESME, GSME, CHF,
    /// GPF and PPMID.
    pub fn default_profile() -> PkiSpec {
        use defaults::*;
        PkiSpec {
            seed: SEED.to_vec(),
            remote_parties: vec![
                (SUPPLIER, RemotePartyRole::Supplier),
                (GAS_SUPPLIER, RemotePartyRole::Supplier),
                (NETWORK_OPERATOR, RemotePartyRole::NetworkOperator),
                (ACCESS_CONTROL_BROKER, RemotePartyRole::AccessControlBroker),
                (RECOVERY, RemotePartyRole::Recovery),
                (TRANSITIONAL_COS, RemotePartyRole::TransitionalCos),
                (WAN_PROVIDER, RemotePartyRole::WanProvider),
                (LOAD_CONTROLLER, RemotePartyRole::LoadController),
            ],
            devices: vec![
                (ESME, DeviceType::Esme),
                (GSME, DeviceType::Gsme),
                (COMMS_HUB, DeviceType::CommsHub),
                (GPF, DeviceType::Gpf),
                (PPMID, DeviceType::Ppmid),
                (HCALCS, DeviceType::Hcalcs),
                (LOAD_CONTROLLED_ESME, DeviceType::Esme),
                (FOREIGN_ESME, DeviceType::Esme),
            ],
        }
    }

    pub fn remote_parties(&self) -> &[(EntityId, RemotePartyRole)] {
        &self.remote_parties
    }

    pub fn devices(&self) -> &[(EntityId, DeviceType)] {
        &self.devices
    }

    /// The certificate (DER) of an entity's key, if the PKI issued one.
    pub fn certificate_der(&self, entity: EntityId, usage: KeyUsage) -> Option<&[u8]> {
        self.issued
            .iter()
            .find(|i| i.entity == entity && i.usage == usage)
            .map(|i| i.certificate.as_slice())
    }

    /// A CA certificate (DER).
    pub fn ca_certificate_der(&self, role: CaRole) -> &[u8] {
        &self.ca(role).der
    }

    fn ca(&self, role: CaRole) -> &Ca {
        match role {
            CaRole::Root => &self.root,
            CaRole::OrganisationCa => &self.organisation_ca,
            CaRole::DeviceCa => &self.device_ca,
        }
    }

    /// Every key pair: both sides' private keys (a test lab / simulator view).
    pub fn key_store(&self) -> KeyStore {
        self.store(|_| true)
    }

    /// What a remote party holds: the private keys of every remote party (the harness plays
    /// all of them), everyone's certificates.
    pub fn remote_party_view(&self) -> KeyStore {
        self.store(|i| i.remote_party)
    }

    /// What one device holds: its own private keys, everyone's certificates. A device the
    /// PKI does not know gets the certificates alone.
    pub fn device_view(&self, device: EntityId) -> KeyStore {
        self.store(|i| !i.remote_party && i.entity == device)
    }

    fn store(&self, private: impl Fn(&Issued) -> bool) -> KeyStore {
        // `generate` built the complete store from this same material, so no part of it
        // can be rejected now.
        self.try_store(private)
            .expect("key material was accepted by a key store when generated")
    }

    fn try_store(&self, private: impl Fn(&Issued) -> bool) -> Result<KeyStore, PkiError> {
        let mut store = KeyStore::new();
        for role in [CaRole::Root, CaRole::OrganisationCa, CaRole::DeviceCa] {
            store
                .add_ca_certificate_der(&self.ca(role).der)
                .map_err(|source| PkiError::KeyStore {
                    owner: KeyOwner::Ca(role),
                    source,
                })?;
        }
        // Certificates first: a private key added before its certificate would leave a
        // bare public key in the slot.
        for i in &self.issued {
            store
                .add_certificate_der(i.entity, i.usage, &i.certificate)
                .map_err(|source| PkiError::KeyStore {
                    owner: i.owner(),
                    source,
                })?;
        }
        for i in self.issued.iter().filter(|i| private(i)) {
            store
                .add_private_der(i.entity, i.usage, &i.key.pkcs8)
                .map_err(|source| PkiError::KeyStore {
                    owner: i.owner(),
                    source,
                })?;
        }
        Ok(store)
    }

    /// Writes every key in the store convention (`<eui>-{ds,ka,pp-ka}.pem` certificates,
    /// `.key` PKCS#8 private keys) into `dir`, and the CA certificates into `dir/ca/`: a
    /// subfolder, because [`KeyStore::load_dir`] notes every file of its own folder that
    /// does not follow the convention. CA private keys are not written: the seed
    /// regenerates them.
    pub fn write_dir(&self, dir: &Path) -> Result<(), PkiError> {
        let ca_dir = dir.join("ca");
        std::fs::create_dir_all(&ca_dir).map_err(|source| PkiError::Write {
            path: ca_dir.clone(),
            source,
        })?;
        for i in &self.issued {
            let owner = i.owner();
            write_pem(
                &dir.join(KeyStore::file_name(i.entity, i.usage, false)),
                "CERTIFICATE",
                &i.certificate,
                owner,
            )?;
            write_pem(
                &dir.join(KeyStore::file_name(i.entity, i.usage, true)),
                "PRIVATE KEY",
                &i.key.pkcs8,
                owner,
            )?;
        }
        for role in [CaRole::Root, CaRole::OrganisationCa, CaRole::DeviceCa] {
            write_pem(
                &ca_dir.join(role.file_name()),
                "CERTIFICATE",
                &self.ca(role).der,
                KeyOwner::Ca(role),
            )?;
        }
        Ok(())
    }
}

fn write_pem(path: &Path, label: &str, der: &[u8], owner: KeyOwner) -> Result<(), PkiError> {
    let pem = x509_cert::der::pem::encode_string(label, LineEnding::LF, der).map_err(|e| {
        PkiError::Der {
            owner,
            source: e.into(),
        }
    })?;
    std::fs::write(path, pem).map_err(|source| PkiError::Write {
        path: path.to_path_buf(),
        source,
    })
}
