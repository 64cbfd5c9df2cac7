//! Which remote-party roles a device lets run each use case.
//!
//! A device sees a role, not a DCC user: the role in the certificate of the command's
//! originator (GBCS primer, framing §5). Suppliers (import, gas) sign and originate with their
//! own supplier certificates, electricity distributors and gas transporters with network
//! operator certificates; every other DCC user (export supplier, registered supplier agent,
//! other user) reaches the device through the access control broker, which originates the
//! command and names the user as supplementary remote party. So the SMETS1 eligible users map
//! onto three device roles, and the finer distinction (import vs export supplier, which other
//! user) is the DCC's to enforce, not the device's.
//!
//! When the ACB originates a command on behalf of a user it names the user as supplementary
//! remote party; if the device knows that party's certificate, the party's role is the one
//! that acts ([`acting_role`]). Entitlement, most specific rule first:
//! 1. use cases the RTDS corpus shows run by other roles ([`SPECIAL_CASES`]);
//! 2. security-credential updates: the role the credentials replacement mode names, or the
//!    ACB handing a change of supplier or operator over (RTDS `CS02b*Handover`);
//! 3. a service request among the SMETS1 minimum services: its eligible users, mapped;
//! 4. a use case addressed to the network operator by its title: the network operator;
//! 5. a critical command: the supplier, who holds the device's trust anchor for it;
//! 6. any other command: supplier, network operator, or the ACB on a user's behalf.

use serde::Serialize;

use crate::codec::catalogue::{self, EligibleUser, MessageType, UseCaseEntry};
use crate::codec::frame::GroupingHeader;
use crate::codec::ids::MessageCode;
use crate::crypto::{KeyStore, RemotePartyRole};

/// Every role that can hold a trust anchor cell on a device.
const ANCHOR_ROLES: &[RemotePartyRole] = &[
    RemotePartyRole::Recovery,
    RemotePartyRole::Supplier,
    RemotePartyRole::NetworkOperator,
    RemotePartyRole::AccessControlBroker,
    RemotePartyRole::TransitionalCos,
    RemotePartyRole::WanProvider,
    RemotePartyRole::LoadController,
];

/// Use cases whose originators the catalogue does not tell, taken from the RTDS corpus.
pub const SPECIAL_CASES: &[(&str, &[RemotePartyRole])] = &[
    // Provide security credentials details: any trust-anchor holder may ask (RTDS
    // CS02aSignature: signed by the transitional CoS party and answered).
    ("CS02a", ANCHOR_ROLES),
    ("CS02f", ANCHOR_ROLES),
    // Limit APC level: signed by the load controller (certificate OU 08).
    (
        "ECS47e",
        &[RemotePartyRole::Supplier, RemotePartyRole::LoadController],
    ),
    // Joins that may be critical or not: the non-critical form comes from the ACB.
    (
        "CS03A2",
        &[
            RemotePartyRole::Supplier,
            RemotePartyRole::AccessControlBroker,
        ],
    ),
    (
        "CS03C",
        &[
            RemotePartyRole::Supplier,
            RemotePartyRole::AccessControlBroker,
        ],
    ),
];

/// Use cases the catalogue gives no service request, which the RTDS files under a SMETS1
/// minimum service (its folder names): the service's eligible users apply to them too.
pub const RTDS_SERVICE_REQUESTS: &[(&str, &str)] = &[
    ("CS08", "11.2"),
    ("ECS08", "2.1"),
    ("ECS35f", "6.13"),
    ("GCS24", "6.7"),
];

/// Why a set of roles is entitled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementRule {
    RtdsSpecialCase(&'static str),
    CredentialsReplacementMode(&'static str),
    Smets1ServiceRequest(&'static str),
    NetworkOperatorUseCase,
    CriticalCommand,
    NonCriticalCommand,
    UnknownMessageCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    pub roles: Vec<RemotePartyRole>,
    pub rule: EntitlementRule,
}

impl Entitlement {
    pub fn allows(&self, role: RemotePartyRole) -> bool {
        self.roles.contains(&role)
    }
}

/// The device role a DCC user acts in.
pub fn device_role(user: EligibleUser) -> RemotePartyRole {
    match user {
        EligibleUser::ImportSupplier | EligibleUser::GasSupplier => RemotePartyRole::Supplier,
        EligibleUser::ElectricityDistributor | EligibleUser::GasTransporter => {
            RemotePartyRole::NetworkOperator
        }
        EligibleUser::ExportSupplier
        | EligibleUser::RegisteredSupplierAgent
        | EligibleUser::OtherUser => RemotePartyRole::AccessControlBroker,
    }
}

/// The authorising role of a security-credentials update, from the replacement mode in the
/// catalogue title (e.g. "Update Security Credentials (supplierBySupplier)").
fn credentials_mode_role(title: &str) -> Option<(&'static str, RemotePartyRole)> {
    const MODES: &[(&str, RemotePartyRole)] = &[
        ("rootBySupplier", RemotePartyRole::Supplier),
        ("rootByWanProvider", RemotePartyRole::WanProvider),
        ("supplierBySupplier", RemotePartyRole::Supplier),
        (
            "networkOperatorByNetworkOperator",
            RemotePartyRole::NetworkOperator,
        ),
        (
            "accessControlBrokerByACB",
            RemotePartyRole::AccessControlBroker,
        ),
        ("wanProviderByWanProvider", RemotePartyRole::WanProvider),
        ("transCoSByTransCoS", RemotePartyRole::TransitionalCos),
        ("supplierByTransCoS", RemotePartyRole::TransitionalCos),
        ("anyExceptAbnormalRootByRecovery", RemotePartyRole::Recovery),
        ("anyByContingency", RemotePartyRole::Recovery),
        (
            "loadControllerByLoadController",
            RemotePartyRole::LoadController,
        ),
        ("loadControllerBySupplier", RemotePartyRole::Supplier),
    ];
    MODES
        .iter()
        .find(|(mode, _)| title.contains(&format!("({mode})")))
        .map(|(mode, role)| (*mode, *role))
}

fn smets1_roles(service_request: &str) -> Vec<RemotePartyRole> {
    let mut roles: Vec<RemotePartyRole> = catalogue::smets1_minimum_services()
        .iter()
        .filter(|s| s.service_request == service_request)
        .flat_map(|s| s.eligible_users.iter().copied().map(device_role))
        .collect();
    roles.sort_by_key(|r| format!("{r:?}"));
    roles.dedup();
    roles
}

/// The roles entitled to originate commands with this catalogue entry.
pub fn entitlement_for(entry: &UseCaseEntry) -> Entitlement {
    if let Some((use_case, roles)) = SPECIAL_CASES.iter().find(|(u, _)| *u == entry.use_case) {
        return Entitlement {
            roles: roles.to_vec(),
            rule: EntitlementRule::RtdsSpecialCase(use_case),
        };
    }
    if let Some((mode, role)) = credentials_mode_role(entry.title) {
        let mut roles = vec![role];
        if role != RemotePartyRole::AccessControlBroker {
            roles.push(RemotePartyRole::AccessControlBroker);
        }
        return Entitlement {
            roles,
            rule: EntitlementRule::CredentialsReplacementMode(mode),
        };
    }
    let filed_under = RTDS_SERVICE_REQUESTS
        .iter()
        .find(|(u, _)| *u == entry.use_case)
        .map(|(_, sr)| *sr);
    if let Some(sr) = entry.service_request.or(filed_under) {
        let roles = smets1_roles(sr);
        if !roles.is_empty() {
            return Entitlement {
                roles,
                rule: EntitlementRule::Smets1ServiceRequest(sr),
            };
        }
    }
    if entry.title.contains("Network Operator") {
        return Entitlement {
            roles: vec![RemotePartyRole::NetworkOperator],
            rule: EntitlementRule::NetworkOperatorUseCase,
        };
    }
    if entry.message_type == MessageType::CriticalCommand {
        return Entitlement {
            roles: vec![RemotePartyRole::Supplier],
            rule: EntitlementRule::CriticalCommand,
        };
    }
    Entitlement {
        roles: vec![
            RemotePartyRole::Supplier,
            RemotePartyRole::NetworkOperator,
            RemotePartyRole::AccessControlBroker,
        ],
        rule: EntitlementRule::NonCriticalCommand,
    }
}

/// The role acting in a command: the originator's, or, when the ACB originates on behalf of
/// a supplementary remote party whose certificate the device holds, that party's.
pub fn acting_role(keys: &KeyStore, header: &GroupingHeader) -> Option<RemotePartyRole> {
    let originator = keys.role(header.originator)?;
    if originator == RemotePartyRole::AccessControlBroker {
        if let Some(role) = header
            .other_information
            .supplementary_remote_party()
            .and_then(|party| keys.role(party))
        {
            return Some(role);
        }
    }
    Some(originator)
}

/// The roles entitled to originate commands with this message code; an unknown code is
/// entitled to nobody (the device cannot know what it would do).
pub fn entitlement(code: MessageCode) -> Entitlement {
    match catalogue::lookup(code) {
        Some(entry) => entitlement_for(entry),
        None => Entitlement {
            roles: Vec::new(),
            rule: EntitlementRule::UnknownMessageCode,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supplier_only_services_refuse_the_network_operator() {
        // ECS01a: service request 1.1, import/gas supplier only.
        let e = entitlement(MessageCode::ECS01A);
        assert_eq!(e.rule, EntitlementRule::Smets1ServiceRequest("1.1"));
        assert!(e.allows(RemotePartyRole::Supplier));
        assert!(!e.allows(RemotePartyRole::NetworkOperator));
        assert!(!e.allows(RemotePartyRole::AccessControlBroker));
    }

    #[test]
    fn other_users_arrive_through_the_acb() {
        // ECS35a (read event log, SR 6.13) lists the registered supplier agent.
        let e = entitlement(MessageCode::ECS21A);
        assert!(e.allows(RemotePartyRole::AccessControlBroker), "{e:?}");
        assert!(e.allows(RemotePartyRole::NetworkOperator), "{e:?}");
    }

    #[test]
    fn credentials_updates_name_their_authorising_role() {
        let e = entitlement(MessageCode::CS02B_NETWORK_OPERATOR_BY_NETWORK_OPERATOR);
        assert_eq!(
            e.roles,
            vec![
                RemotePartyRole::NetworkOperator,
                RemotePartyRole::AccessControlBroker
            ]
        );
        let e = entitlement(MessageCode::CS02B_ACCESS_CONTROL_BROKER_BY_ACB);
        assert_eq!(e.roles, vec![RemotePartyRole::AccessControlBroker]);
        assert!(entitlement(MessageCode(0x7777)).roles.is_empty());
    }
}
