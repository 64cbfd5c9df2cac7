//! Who is behind the emulated DCC: the devices (a simulator, its GBCS key store and ACB, each
//! device's kind for the inventory and the transform) and the DCC Users (EUI → role).
//!
//! Two labs: the built-in default lab (the test PKI's ids, `90-B3-D5-1F-50-…`), and the RTDS
//! lab over a ZAZ1 GBCS key store (`simulate --duis … --keys DIR`), whose ids are those of the
//! DUIS templates and of the ZAZ1 XML-signing keys (supplier `90-B3-D5-1F-30-01-00-00`, network
//! operator `90-B3-D5-1F-30-02-00-00`, devices `00-DB-12-34-56-78-90-A0`…).
//!
//! Roles ([`default_roles`]): a supplier id is an import supplier (IS), a gas supplier id a gas
//! supplier (GS), a network operator id an electricity distributor (ED), in both labs; the
//! ZAZ1 store's third XML key, `00-DB-12-34-56-78-00-04`, is an other user (OU). `--duis-role
//! EUI=ROLE` (IS, ES, GS, RSA, ED, GT, OU) adds or changes one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::codec::EntityId;
use crate::command::identities::{DeviceKind, Identities};
use crate::crypto::pki::defaults;
use crate::crypto::KeyStore;
use crate::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use crate::duis::services::UserRole;
use crate::sim::esme::MeterVariant;
use crate::sim::profile::{rtds_to_default, DefaultProfile, RtdsProfile};
use crate::sim::Simulator;

/// The devices behind the DCC and the Users in front of it.
pub struct Lab {
    pub simulator: Simulator,
    pub gbcs_keys: Arc<KeyStore>,
    pub acb: EntityId,
    pub devices: BTreeMap<EntityId, DeviceKind>,
    pub roles: BTreeMap<EntityId, UserRole>,
    /// The twin-element meters (for the transform: [`super::emulator::Emulator::start_with_twins`]).
    pub twin_element: BTreeSet<EntityId>,
}

/// The lab's ESME, when it is twin-element.
fn twins(esme: EntityId, variant: MeterVariant) -> BTreeSet<EntityId> {
    match variant {
        MeterVariant::TwinElement => [esme].into_iter().collect(),
        MeterVariant::SingleElement => BTreeSet::new(),
    }
}

fn eui(s: &str) -> EntityId {
    s.parse().expect("constant entity id")
}

/// The RTDS supplier (import), gas supplier and network operator ids (ZAZ1).
pub const RTDS_SUPPLIER: &str = "90b3d51f30010000";
pub const RTDS_NETWORK_OPERATOR: &str = "90b3d51f30020000";
pub const RTDS_GAS_SUPPLIER: &str = "90b3d51f30030000";
/// The ZAZ1 XML key store's third User key.
pub const ZAZ1_OTHER_USER: &str = "00db123456780004";

/// Both labs' Users and their roles.
pub fn default_roles() -> BTreeMap<EntityId, UserRole> {
    [
        (eui(RTDS_SUPPLIER), UserRole::ImportSupplier),
        (eui(RTDS_GAS_SUPPLIER), UserRole::GasSupplier),
        (eui(RTDS_NETWORK_OPERATOR), UserRole::ElectricityDistributor),
        (eui(ZAZ1_OTHER_USER), UserRole::OtherUser),
        (defaults::SUPPLIER, UserRole::ImportSupplier),
        (defaults::GAS_SUPPLIER, UserRole::GasSupplier),
        (defaults::NETWORK_OPERATOR, UserRole::ElectricityDistributor),
    ]
    .into_iter()
    .collect()
}

/// `EUI=ROLE`, as `--duis-role` takes it.
pub fn parse_role(s: &str) -> Result<(EntityId, UserRole), String> {
    let (id, role) = s
        .split_once('=')
        .ok_or_else(|| format!("expected EUI=ROLE, not {s:?}"))?;
    let id: EntityId = id
        .trim()
        .parse()
        .map_err(|_| format!("{id:?} is not an EUI-64"))?;
    let role: UserRole = role.trim().parse()?;
    Ok((id, role))
}

/// The default lab (plus `extra` ESMEs, for load).
pub fn default_lab(extra: u64) -> Result<Lab, String> {
    default_lab_with(extra, MeterVariant::SingleElement)
}

/// The default lab with its ESME in the given configuration (the extra ones are single).
pub fn default_lab_with(extra: u64, esme: MeterVariant) -> Result<Lab, String> {
    let profile = DefaultProfile::scaled(extra).map_err(|e| e.to_string())?;
    let mut devices: BTreeMap<EntityId, DeviceKind> = Identities::default_lab()
        .devices
        .into_iter()
        .map(|(kind, id)| (id, kind))
        .collect();
    for id in profile.extra_esmes() {
        devices.insert(*id, DeviceKind::Esme);
    }
    Ok(Lab {
        simulator: profile.simulator_with(esme),
        gbcs_keys: profile.shared_keys(),
        acb: profile.acb(),
        devices,
        roles: default_roles(),
        twin_element: twins(defaults::ESME, esme),
    })
}

/// The RTDS lab over the ZAZ1 GBCS key store in `keys`.
pub fn rtds_lab(keys: &Path) -> Result<Lab, String> {
    rtds_lab_with(keys, MeterVariant::SingleElement)
}

/// The RTDS lab with its ESME in the given configuration.
pub fn rtds_lab_with(keys: &Path, esme: MeterVariant) -> Result<Lab, String> {
    let profile = RtdsProfile::load(keys).map_err(|e| e.to_string())?;
    let lab = Identities::default_lab();
    let devices = rtds_to_default()
        .into_iter()
        .filter_map(|(rtds, default)| lab.device_of(default).map(|kind| (rtds, kind)))
        .collect();
    Ok(Lab {
        simulator: profile.simulator_with(esme),
        // The DCC's own view of the store (the ACB's key, Users' certificates, devices'
        // key-agreement certificates); the simulator keeps its device keys to itself.
        gbcs_keys: Arc::new(KeyStore::load_dir(keys).map_err(|e| e.to_string())?),
        acb: eui(crate::sim::profile::RTDS_ACB),
        devices,
        roles: default_roles(),
        twin_element: twins(eui(crate::sim::profile::RTDS_ESME), esme),
    })
}

/// A fresh XML test PKI for the Users of `roles` and the DCC (private keys included: the
/// in-process tests sign with them).
pub fn xml_test_keys(roles: &BTreeMap<EntityId, UserRole>) -> XmlKeyStore {
    let mut euis: Vec<EntityId> = roles.keys().copied().collect();
    euis.push(DCC_XML_SIGNER);
    XmlKeyStore::test_pki(&euis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_the_labs_name_every_device() {
        let (id, role) = parse_role("90-B3-D5-1F-30-01-00-00=ES").unwrap();
        assert_eq!(id, eui(RTDS_SUPPLIER));
        assert_eq!(role, UserRole::ExportSupplier);
        assert!(parse_role("90-B3-D5-1F-30-01-00-00").is_err());
        assert!(parse_role("nobody=IS").is_err());
        assert!(parse_role("90-B3-D5-1F-30-01-00-00=KING").is_err());
        let lab = default_lab(0).unwrap();
        assert_eq!(lab.devices.len(), lab.simulator.devices().count());
        assert_eq!(lab.devices.get(&defaults::ESME), Some(&DeviceKind::Esme));
    }
}
