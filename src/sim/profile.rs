//! Identity profiles: which devices a simulator holds and with which keys.
//!
//! The default profile needs nothing outside the project: its identities and keys come from
//! the deterministic test PKI (`crypto::pki`, default seed), so every run of every checkout
//! has the same devices and the same public keys.
//!
//! The RTDS profile takes the device entity ids of the Smart DCC Reference Test Data Set and
//! its ZAZ1 key store. That store holds the remote parties' private keys but no device
//! private key: the devices' MACs and payload encryption can still be computed from the
//! remote party's side of each pair, but device signatures cannot, so the profile generates a
//! signing key per device and says so (its public half replaces the published certificate's
//! in the store the simulator and its checker share).

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::codec::ids::EntityId;
use crate::crypto::pki::{defaults, DeviceType, PkiError, TestPki};
use crate::crypto::{KeyStore, KeyStoreError, KeyUsage};

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
}

fn id(s: &str) -> EntityId {
    s.parse().expect("constant entity id")
}

/// The RTDS identities over the ZAZ1 store; hands out simulators with fresh device state.
pub struct RtdsProfile {
    keys: Arc<KeyStore>,
    pub generated: Vec<GeneratedKey>,
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

    pub fn load(keystore: &Path) -> Result<Self, KeyStoreError> {
        let mut keys = KeyStore::load_dir(keystore)?;
        let mut generated = Vec::new();
        for device in Self::devices() {
            if keys.has_private(device, KeyUsage::DigitalSignature) {
                continue;
            }
            // Generation fails only if the system RNG does; such a device still answers
            // non-critical commands, and signed answers report the missing key.
            if let Ok(point) = keys.generate(device, KeyUsage::DigitalSignature) {
                generated.push(GeneratedKey {
                    entity: device,
                    usage: KeyUsage::DigitalSignature,
                    public_key: hex::encode_upper(point),
                });
            }
        }
        Ok(RtdsProfile {
            keys: Arc::new(keys),
            generated,
        })
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

    pub fn acb(&self) -> EntityId {
        defaults::ACCESS_CONTROL_BROKER
    }

    /// A simulator with the default ESME, GSME and GPF, in service.
    pub fn simulator(&self) -> Simulator {
        let mut simulator = Simulator::new(self.keys.clone(), self.acb());
        let now = simulator.clock();
        let anchors = Credentials::anchors_from_store(&self.keys);
        let device = |id: EntityId, kind: DeviceType, application: Box<dyn DeviceModel>| {
            Box::new(SmartDevice {
                application: Some(application),
                credentials: Credentials::new(id, kind, anchors.clone())
                    .with_store_certificates(&self.keys),
            })
        };
        simulator.add_device(
            defaults::ESME,
            device(
                defaults::ESME,
                DeviceType::Esme,
                Box::new(Esme::new(defaults::ESME)),
            ),
        );
        simulator.add_device(
            defaults::GSME,
            device(
                defaults::GSME,
                DeviceType::Gsme,
                Box::new(GasMeter::in_service(defaults::GSME, GasDevice::Gsme, now)),
            ),
        );
        simulator.add_device(
            defaults::GPF,
            device(
                defaults::GPF,
                DeviceType::Gpf,
                Box::new(GasMeter::in_service(defaults::GPF, GasDevice::Gpf, now)),
            ),
        );
        for id in &self.extra_esmes {
            simulator.add_device(*id, device(*id, DeviceType::Esme, Box::new(Esme::new(*id))));
        }
        simulator
    }
}
