//! Identity profiles: which devices a simulator holds and with which keys.
//!
//! The default profile needs nothing outside the project: its identities and keys come from
//! the deterministic test PKI (`crypto::pki`, default seed), so every run of every checkout
//! has the same devices and the same public keys.
//!
//! The RTDS profile takes the device entity ids of the Smart DCC Reference Test Data Set and
//! its ZAZ1 key store. That store holds the remote parties' private keys but no device
//! private key: the devices' MACs and payload encryption can still be computed from the
//! remote party's side of each pair, but device signatures cannot, so the profile gives each
//! device a signing key and certificate from a deterministic test PKI of its own and says so
//! (the certificate replaces the published one in the store the simulator and its checker
//! share, and `publish` writes it out for checkers elsewhere).

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::codec::ids::EntityId;
use crate::codec::DeviceType;
use crate::crypto::pki::{defaults, CaRole, PkiError, PkiSpec, TestPki};
use crate::crypto::{KeyMaterialError, KeyStore, KeyStoreError, KeyUsage};

/// Why a profile could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
    #[error(transparent)]
    Pki(#[from] PkiError),
    #[error("generated key material rejected: {0}")]
    KeyMaterial(#[from] KeyMaterialError),
    #[error("cannot publish the generated keys into {0}: {1}")]
    Publish(String, String),
}

use super::chf::Chf;
use super::credentials::{rtds as rtds_state, Credentials};
use super::devices::SmartDevice;
use super::esme::{Esme, MeterVariant};
use super::gsme::{GasDevice, GasMeter};
use super::model::DeviceModel;
use super::simulator::Simulator;

/// RTDS entity ids (GBCS primer, other-families §6).
pub const RTDS_ESME: &str = "00db1234567890a0";
pub const RTDS_GSME: &str = "00db1234567890a1";
pub const RTDS_CHF: &str = "00db1234567890a2";
pub const RTDS_GPF: &str = "00db1234567890a3";
pub const RTDS_PPMID: &str = "00db1234567890a4";
pub const RTDS_HCALCS: &str = "00db1234567890a5";
pub const RTDS_LOAD_CONTROLLED: &str = "00db1234567890a6";
pub const RTDS_ACB: &str = "90b3d51f30000002";

/// A key the profile made up because the store could not supply it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedKey {
    pub entity: EntityId,
    pub usage: KeyUsage,
    /// Uncompressed P-256 public point, hex.
    pub public_key: String,
    /// The device certificate issued for it by the harness's test device CA (DER).
    #[serde(skip)]
    pub certificate: Vec<u8>,
}

fn id(s: &str) -> EntityId {
    s.parse().expect("constant entity id")
}

/// Seed of the device signing keys the RTDS profile adds: fixed, so the same public keys (and
/// certificates) come out of every run and a checker can be given them once.
pub const RTDS_DEVICE_KEY_SEED: &[u8] = b"gbcs-harness RTDS device signing keys";

/// The RTDS identities over the ZAZ1 store; hands out simulators with fresh device state.
pub struct RtdsProfile {
    keys: Arc<KeyStore>,
    pub generated: Vec<GeneratedKey>,
    /// The CA certificates that issued the generated device certificates.
    device_pki: TestPki,
}

impl RtdsProfile {
    /// The RTDS devices: ESME, GSME, CHF, GPF, PPMID, HCALCS and the load-controlled meter
    /// of CS02g (…A6).
    pub fn devices() -> Vec<EntityId> {
        [
            RTDS_ESME,
            RTDS_GSME,
            RTDS_CHF,
            RTDS_GPF,
            RTDS_PPMID,
            RTDS_HCALCS,
            RTDS_LOAD_CONTROLLED,
        ]
        .iter()
        .map(|s| id(s))
        .collect()
    }

    pub fn load(keystore: &Path) -> Result<Self, ProfileError> {
        let mut keys = KeyStore::load_dir(keystore)?;
        // The store publishes device certificates but no device private keys: devices sign
        // with keys of the harness's own deterministic test PKI, and their certificates
        // replace the published ones in the store the simulator and its checker share.
        let spec = PkiSpec {
            seed: RTDS_DEVICE_KEY_SEED.to_vec(),
            remote_parties: Vec::new(),
            devices: Self::devices()
                .into_iter()
                .map(|d| (d, rtds_state::device_type(d)))
                .collect(),
        };
        let device_pki = TestPki::generate(&spec)?;
        let issued = device_pki.key_store();
        let mut generated = Vec::new();
        for device in Self::devices() {
            let usage = KeyUsage::DigitalSignature;
            if keys.has_private(device, usage) {
                continue;
            }
            let (Some(der), Some(private)) = (
                device_pki.certificate_der(device, usage),
                issued.private_key_der(device, usage),
            ) else {
                continue;
            };
            keys.add_certificate_der(device, usage, der)?;
            keys.add_private_der(device, usage, private)?;
            generated.push(GeneratedKey {
                entity: device,
                usage,
                public_key: hex::encode_upper(keys.public_point(device, usage).unwrap_or_default()),
                certificate: der.to_vec(),
            });
        }
        Ok(RtdsProfile {
            keys: Arc::new(keys),
            generated,
            device_pki,
        })
    }

    /// Writes the generated device certificates (`<eui>-ds.pem`) and the test CAs that issued
    /// them (`ca/`) into `dir`, for a checker outside this process.
    pub fn publish(&self, dir: &Path) -> Result<(), ProfileError> {
        let io =
            |e: std::io::Error| ProfileError::Publish(dir.display().to_string(), e.to_string());
        std::fs::create_dir_all(dir.join("ca")).map_err(io)?;
        let pem = |label: &str, der: &[u8]| {
            x509_cert::der::pem::encode_string(label, x509_cert::der::pem::LineEnding::LF, der)
                .map_err(|e| ProfileError::Publish(dir.display().to_string(), e.to_string()))
        };
        for g in &self.generated {
            let name = KeyStore::file_name(g.entity, g.usage, false);
            std::fs::write(dir.join(name), pem("CERTIFICATE", &g.certificate)?).map_err(io)?;
        }
        for role in [CaRole::Root, CaRole::DeviceCa] {
            let der = self.device_pki.ca_certificate_der(role);
            std::fs::write(
                dir.join("ca").join(role.file_name()),
                pem("CERTIFICATE", der)?,
            )
            .map_err(io)?;
        }
        Ok(())
    }

    /// The store the simulator uses, generated device keys included: a checker verifies
    /// the simulator's signatures with it.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// A simulator whose devices are in service at the RTDS date, with a single-element ESME.
    pub fn simulator(&self) -> Simulator {
        self.simulator_with(MeterVariant::SingleElement)
    }

    /// The same with the ESME in the given configuration (RTDS records some use cases
    /// against a twin-element meter as well).
    pub fn simulator_with(&self, esme: MeterVariant) -> Simulator {
        let mut simulator = Simulator::new(self.keys.clone(), id(RTDS_ACB));
        let now = simulator.clock();
        for device in Self::devices() {
            let application: Option<Box<dyn DeviceModel>> = match device {
                d if d == id(RTDS_ESME) => Some(Box::new(Esme::with_variant(d, esme))),
                // The load-controlled meter of CS02g / ECS46d is an electricity meter too.
                d if d == id(RTDS_LOAD_CONTROLLED) => Some(Box::new(Esme::new(d))),
                d if d == id(RTDS_GSME) => {
                    Some(Box::new(GasMeter::in_service(d, GasDevice::Gsme, now)))
                }
                d if d == id(RTDS_GPF) => {
                    Some(Box::new(GasMeter::in_service(d, GasDevice::Gpf, now)))
                }
                d if d == id(RTDS_CHF) => Some(Box::new(Chf::with_device_logs(
                    d,
                    &[id(RTDS_ESME), id(RTDS_GSME)],
                    &[id(RTDS_GPF), id(RTDS_PPMID)],
                ))),
                _ => None,
            };
            simulator.add_device(
                device,
                Box::new(SmartDevice {
                    application,
                    credentials: rtds_state::credentials(&self.keys, device),
                }),
            );
        }
        simulator
    }
}

/// The device log a default device starts with: the GSME's, as in the RTDS (its entries are
/// test ids outside the profile, which CS07 and CS04B read and change).
fn default_device_log(kind: DeviceType) -> Vec<super::credentials::JoinedDevice> {
    match kind {
        DeviceType::Gsme => rtds_state::device_log(RTDS_GSME.parse().expect("constant entity id")),
        _ => Vec::new(),
    }
}

/// The RTDS identity each default identity stands for, so a use case recorded in the RTDS
/// can be addressed to the default devices and sent by the default remote parties.
pub fn rtds_to_default() -> Vec<(EntityId, EntityId)> {
    use defaults::*;
    let rtds = |s: &str| -> EntityId { s.parse().expect("constant entity id") };
    vec![
        (rtds(RTDS_ESME), ESME),
        (rtds(RTDS_GSME), GSME),
        (rtds(RTDS_CHF), COMMS_HUB),
        (rtds(RTDS_GPF), GPF),
        (rtds(RTDS_PPMID), PPMID),
        (rtds(RTDS_HCALCS), HCALCS),
        (rtds(RTDS_LOAD_CONTROLLED), LOAD_CONTROLLED_ESME),
        (rtds("90b3d51f30010000"), SUPPLIER),
        (rtds("90b3d51f30030000"), GAS_SUPPLIER),
        (rtds("90b3d51f30020000"), NETWORK_OPERATOR),
        (rtds(RTDS_ACB), ACCESS_CONTROL_BROKER),
        (rtds("90b3d51f30000001"), RECOVERY),
        (rtds("90b3d51f30000004"), TRANSITIONAL_COS),
        (rtds("90b3d51f30000007"), WAN_PROVIDER),
        (rtds("90b3d51f30010008"), LOAD_CONTROLLER),
    ]
}

/// The default identities: the test PKI's remote parties and devices.
pub struct DefaultProfile {
    pki: TestPki,
    keys: Arc<KeyStore>,
    extra_esmes: Vec<EntityId>,
}

/// The id of the `n`th extra ESME of a scaled profile: `00DB52` then `n` in ten hex digits.
pub fn extra_esme_id(n: u64) -> EntityId {
    EntityId((0x00DB_5200_0000_0000u64 | (n & 0xFF_FFFF_FFFF)).to_be_bytes())
}

impl DefaultProfile {
    pub fn generate() -> Result<Self, PkiError> {
        Self::scaled(0)
    }

    /// The default profile plus `extra` ESMEs ([`extra_esme_id`]), for load tests: every
    /// process that asks for the same count derives the same keys.
    pub fn scaled(extra: u64) -> Result<Self, PkiError> {
        let mut spec = TestPki::default_profile();
        let extra_esmes: Vec<EntityId> = (0..extra).map(extra_esme_id).collect();
        spec.devices
            .extend(extra_esmes.iter().map(|id| (*id, DeviceType::Esme)));
        let pki = TestPki::generate(&spec)?;
        // An in-process lab: the simulator holds the devices' private keys; the remote
        // parties' private keys are in the same store, for the harness side of the run.
        let keys = Arc::new(pki.key_store());
        Ok(DefaultProfile {
            pki,
            keys,
            extra_esmes,
        })
    }

    pub fn extra_esmes(&self) -> &[EntityId] {
        &self.extra_esmes
    }

    pub fn pki(&self) -> &TestPki {
        &self.pki
    }

    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// The same store, shared (the harness side of an in-process run uses it too).
    pub fn shared_keys(&self) -> Arc<KeyStore> {
        self.keys.clone()
    }

    pub fn acb(&self) -> EntityId {
        defaults::ACCESS_CONTROL_BROKER
    }

    /// A simulator with the default devices in service: ESME, GSME, comms hub, GPF, PPMID,
    /// HCALCS and the load-controlled ESME, in the state the RTDS scripts assume of theirs
    /// (the GSME's device log, the comms hub's device logs, the firmware image), so the
    /// corpus's use cases, addressed to these devices, work as they do there.
    pub fn simulator(&self) -> Simulator {
        self.simulator_with(MeterVariant::SingleElement)
    }

    /// The same with the ESME in the given configuration (`sim://?esme=twin`: RTDS records
    /// some use cases against a twin-element meter).
    pub fn simulator_with(&self, esme: MeterVariant) -> Simulator {
        let mut simulator = Simulator::new(self.keys.clone(), self.acb());
        let now = simulator.clock();
        let anchors = Credentials::anchors_from_store(&self.keys);
        let device = |id: EntityId, kind: DeviceType, application: Option<Box<dyn DeviceModel>>| {
            Box::new(SmartDevice {
                application,
                credentials: Credentials::new(id, kind, anchors.clone())
                    .with_store_certificates(&self.keys)
                    .with_device_log(default_device_log(kind))
                    .with_firmware(rtds_state::firmware()),
            })
        };
        use defaults::*;
        simulator.add_device(
            ESME,
            device(
                ESME,
                DeviceType::Esme,
                Some(Box::new(Esme::with_variant(ESME, esme))),
            ),
        );
        simulator.add_device(
            LOAD_CONTROLLED_ESME,
            device(
                LOAD_CONTROLLED_ESME,
                DeviceType::Esme,
                Some(Box::new(Esme::new(LOAD_CONTROLLED_ESME))),
            ),
        );
        simulator.add_device(
            GSME,
            device(
                GSME,
                DeviceType::Gsme,
                Some(Box::new(GasMeter::in_service(GSME, GasDevice::Gsme, now))),
            ),
        );
        simulator.add_device(
            GPF,
            device(
                GPF,
                DeviceType::Gpf,
                Some(Box::new(GasMeter::in_service(GPF, GasDevice::Gpf, now))),
            ),
        );
        simulator.add_device(
            COMMS_HUB,
            device(
                COMMS_HUB,
                DeviceType::CommsHub,
                Some(Box::new(Chf::with_device_logs(
                    COMMS_HUB,
                    &[ESME, GSME],
                    &[GPF, PPMID],
                ))),
            ),
        );
        simulator.add_device(PPMID, device(PPMID, DeviceType::Ppmid, None));
        simulator.add_device(HCALCS, device(HCALCS, DeviceType::Hcalcs, None));
        for id in &self.extra_esmes {
            simulator.add_device(
                *id,
                device(*id, DeviceType::Esme, Some(Box::new(Esme::new(*id)))),
            );
        }
        simulator
    }
}
