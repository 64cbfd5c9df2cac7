use std::sync::OnceLock;

use super::*;
use crate::codec::asn1::payloads::{
    AuthorisingRemotePartyControl, KeyUsageCommand, NullCommand, Replacement,
    RestoreDeviceLogCommand, UnjoinCommand,
};
use crate::codec::asn1::{self, values::Integer};
use crate::codec::ids::CraFlag;
use crate::crypto::pki::{defaults, CaRole};

/// 2015-01-01T00:00:00Z.
const NOW: u32 = 473_385_600;

fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate(&TestPki::default_profile()).expect("test PKI"))
}

fn esme() -> Credentials {
    let keys = pki().key_store();
    Credentials::new(
        defaults::ESME,
        DeviceType::Esme,
        Credentials::anchors_from_store(&keys),
    )
    .with_store_certificates(&keys)
}

fn ctx(code: MessageCode, counter: u64, now: u32) -> CommandContext {
    CommandContext {
        message_code: code,
        counter,
        originator: defaults::SUPPLIER,
        data_recipient: defaults::SUPPLIER,
        device: defaults::ESME,
        now,
    }
}

fn payload(body: Asn1Body) -> Asn1Payload {
    Asn1Payload {
        body: Box::new(body),
        non_minimal_lengths: Vec::new(),
    }
}

fn run(
    c: &mut Credentials,
    code: MessageCode,
    counter: u64,
    now: u32,
    body: Asn1Body,
) -> (Asn1Body, Vec<AlertRequest>) {
    let (p, alerts) = c
        .handle(&ctx(code, counter, now), &payload(body))
        .expect("handled");
    (*p.body, alerts)
}

fn role(r: i64) -> Coded {
    code(CodeKind::RemotePartyRole, r)
}

fn provide(c: &mut Credentials, roles: &[i64]) -> Vec<RemotePartyCredentials> {
    let body = Asn1Body::ProvideSecurityCredentialsCommand(ProvideSecurityCredentialsCommand {
        authorising_remote_party_ta_cell_identifier: TaCellIdentifier {
            remote_party_role: role(4),
            key_usage: KeyUsageBits::key_agreement(),
            cell_usage: None,
        },
        remote_party_roles_credentials_required: roles.iter().map(|r| role(*r)).collect(),
    });
    match run(c, MessageCode::CS02A, 1, NOW, body).0 {
        Asn1Body::ProvideSecurityCredentialsResponse(r) => r.remote_party_credentials,
        other => panic!("{other:?}"),
    }
}

fn status(c: &Coded) -> i64 {
    c.as_i64().unwrap()
}

#[test]
fn anchors_come_from_the_organisation_certificates() {
    let anchors = Credentials::anchors_from_store(&pki().key_store());
    let supplier: Vec<_> = anchors
        .iter()
        .filter(|a| a.role == RemotePartyRole::Supplier)
        .collect();
    assert_eq!(supplier.len(), 3);
    assert!(supplier.iter().all(|a| a.entity == defaults::SUPPLIER));
    assert_eq!(
        supplier.iter().filter(|a| a.cell_usage == Some(1)).count(),
        1
    );
    assert!(anchors.iter().all(|a| a.subject_key_identifier.len() == 8));
    assert!(anchors
        .iter()
        .any(|a| a.role == RemotePartyRole::WanProvider));
}

#[test]
fn provide_credentials_lists_held_roles_and_flags_others() {
    let mut c = esme();
    let r = provide(&mut c, &[2, 6, 3]);
    assert_eq!(r.len(), 3);
    assert_eq!(status(&r[0].status), 0);
    assert_eq!(r[0].trust_anchor_cell_details.as_ref().unwrap().len(), 3);
    assert_eq!(r[0].current_seq_number, Some(Integer::from(0)));
    // The ESME holds no WAN provider cell.
    assert_eq!(status(&r[1].status), STATUS_NOT_HELD);
    assert!(r[1].trust_anchor_cell_details.is_none());
    assert_eq!(status(&r[2].status), 0);

    let keys = pki().key_store();
    let mut hub = Credentials::new(
        defaults::COMMS_HUB,
        DeviceType::CommsHub,
        Credentials::anchors_from_store(&keys),
    );
    let r = provide(&mut hub, &[6, 2]);
    assert_eq!(status(&r[0].status), 0);
    assert_eq!(status(&r[1].status), STATUS_NOT_HELD);
}

fn cell(r: i64, usage: KeyUsageBits) -> TaCellIdentifier {
    TaCellIdentifier {
        remote_party_role: role(r),
        key_usage: usage,
        cell_usage: None,
    }
}

/// CS02b supplier-by-supplier replacing the supplier's DS cell with `cert`.
fn supplier_update(cert: &[u8], ca: &[u8], at: Option<&str>) -> Asn1Body {
    Asn1Body::UpdateSecurityCredentialsCommand(UpdateSecurityCredentialsCommand {
        authorising_remote_party_control: AuthorisingRemotePartyControl {
            credentials_replacement_mode: code(CodeKind::CredentialsReplacementMode, 2),
            plaintext_symmetric_key: None,
            apply_time_based_cpv_checks: None,
            authorising_remote_party_ta_cell_identifier: Some(cell(
                2,
                KeyUsageBits::digital_signature(),
            )),
            authorising_remote_party_seq_number: Integer::from(1000),
            new_remote_party_floor_seq_number: Some(Integer::from(5)),
            new_remote_party_specialist_floor_seq_numbers: None,
            other_remote_party_seq_number_changes: None,
        },
        replacements: vec![Replacement {
            replacing_certificate: cert.to_vec().into(),
            target_trust_anchor_cell: cell(2, KeyUsageBits::digital_signature()),
        }],
        certification_path_certificates: vec![ca.to_vec().into()],
        execution_date_time: at.map(|t| GeneralizedTime(t.into())),
    })
}

fn new_supplier_cert() -> &'static [u8] {
    // Another supplier's certificate from the same organisation CA: a valid replacement.
    pki()
        .certificate_der(defaults::GAS_SUPPLIER, KeyUsage::DigitalSignature)
        .unwrap()
}

fn org_ca() -> &'static [u8] {
    pki().ca_certificate_der(CaRole::OrganisationCa)
}

fn supplier_ds(c: &mut Credentials) -> TaCellContents {
    provide(c, &[2])
        .remove(0)
        .trust_anchor_cell_details
        .unwrap()
        .remove(0)
}

#[test]
fn update_then_provide_shows_the_new_cell() {
    let mut c = esme();
    let (body, alerts) = run(
        &mut c,
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
        1000,
        NOW,
        supplier_update(new_supplier_cert(), org_ca(), None),
    );
    assert!(alerts.is_empty());
    let Asn1Body::UpdateSecurityCredentialsResponse(r) = body else {
        panic!()
    };
    let outcome = r.execution_outcome.unwrap();
    assert_eq!(status(&outcome.replacement_outcomes[0].status), 0);
    assert_eq!(
        outcome.replacement_outcomes[0]
            .replacing_subject_unique_id
            .as_slice(),
        defaults::GAS_SUPPLIER.as_bytes()
    );
    assert_eq!(outcome.remote_party_seq_number_changes.len(), 1);
    let now = supplier_ds(&mut c);
    assert_eq!(
        now.subject_unique_id.as_slice(),
        defaults::GAS_SUPPLIER.as_bytes()
    );
    assert_eq!(
        now.subject_key_identifier,
        outcome.replacement_outcomes[0].replacing_subject_key_identifier
    );
    // The floor of the new key holder is the supplier's current number.
    assert_eq!(
        provide(&mut c, &[2])[0].current_seq_number,
        Some(Integer::from(5))
    );
}

#[test]
fn update_rejects_uncertified_or_misplaced_certificates() {
    let mut c = esme();
    let before = supplier_ds(&mut c);
    // Signed by the device CA, not the organisation CA the path names.
    let other_ca = pki().ca_certificate_der(CaRole::DeviceCa);
    // A key-agreement certificate for a digital-signature cell.
    let ka = pki()
        .certificate_der(defaults::GAS_SUPPLIER, KeyUsage::KeyAgreement)
        .unwrap();
    for (cert, ca) in [
        (new_supplier_cert(), other_ca),
        (ka, org_ca()),
        (&b"junk"[..], org_ca()),
    ] {
        let (body, _) = run(
            &mut c,
            MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
            1000,
            NOW,
            supplier_update(cert, ca, None),
        );
        let Asn1Body::UpdateSecurityCredentialsResponse(r) = body else {
            panic!()
        };
        let o = &r.execution_outcome.unwrap().replacement_outcomes[0];
        assert_eq!(status(&o.status), REPLACEMENT_FAILED);
        assert_eq!(o.replacing_subject_unique_id, o.existing_subject_unique_id);
    }
    // The mode of another message code (0x0103 is network operator by network operator).
    let (body, _) = run(
        &mut c,
        MessageCode::CS02B_NETWORK_OPERATOR_BY_NETWORK_OPERATOR,
        1000,
        NOW,
        supplier_update(new_supplier_cert(), org_ca(), None),
    );
    let Asn1Body::UpdateSecurityCredentialsResponse(r) = body else {
        panic!()
    };
    assert_eq!(
        status(&r.execution_outcome.unwrap().replacement_outcomes[0].status),
        REPLACEMENT_FAILED
    );
    assert_eq!(supplier_ds(&mut c), before);
}

const DUE: &str = "20300115000000Z";

#[test]
fn future_dated_update_alerts_and_applies_when_due() {
    let mut c = esme();
    let before = supplier_ds(&mut c);
    let (body, alerts) = run(
        &mut c,
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
        1001,
        NOW,
        supplier_update(new_supplier_cert(), org_ca(), Some(DUE)),
    );
    let Asn1Body::UpdateSecurityCredentialsResponse(r) = body else {
        panic!()
    };
    assert!(r.execution_outcome.is_none());
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].message_code, MessageCode::FDUSCA);
    let due = parse_time(DUE).unwrap();
    assert_eq!(alerts[0].due, Some(due));
    let Payload::Asn1(a) = &alerts[0].payload else {
        panic!()
    };
    let Asn1Body::UpdateSecurityCredentialsAlert(a) = &*a.body else {
        panic!()
    };
    assert_eq!(a.alert_code.as_i64(), Some(ALERT_SUCCESS));
    assert_eq!(supplier_ds(&mut c), before, "not yet applied");
    c.advance(due);
    assert_eq!(
        supplier_ds(&mut c).subject_unique_id.as_slice(),
        defaults::GAS_SUPPLIER.as_bytes()
    );
}

#[test]
fn cancellation_stops_a_pending_update() {
    let mut c = esme();
    let before = supplier_ds(&mut c);
    run(
        &mut c,
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
        1001,
        NOW,
        supplier_update(new_supplier_cert(), org_ca(), Some(DUE)),
    );
    let (body, alerts) = run(
        &mut c,
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
        1002,
        NOW,
        supplier_update(new_supplier_cert(), org_ca(), Some("99991231235959Z")),
    );
    assert!(alerts.is_empty());
    assert!(
        matches!(body, Asn1Body::UpdateSecurityCredentialsResponse(r) if r.execution_outcome.is_none())
    );
    c.advance(parse_time(DUE).unwrap() + 1);
    assert_eq!(supplier_ds(&mut c), before);
}

#[test]
fn future_dated_load_controller_update_alerts_with_0124() {
    let mut c = esme();
    let mut body = supplier_update(new_supplier_cert(), org_ca(), Some(DUE));
    if let Asn1Body::UpdateSecurityCredentialsCommand(u) = &mut body {
        u.authorising_remote_party_control
            .credentials_replacement_mode = code(CodeKind::CredentialsReplacementMode, 11);
        u.replacements[0].target_trust_anchor_cell = cell(8, KeyUsageBits::digital_signature());
    }
    let (_, alerts) = run(
        &mut c,
        MessageCode::CS02G_LOAD_CONTROLLER_BY_SUPPLIER,
        1001,
        NOW,
        body,
    );
    assert_eq!(
        alerts[0].message_code,
        MessageCode::CS02G_FUTURE_DATED_ALERT
    );
}

fn key_usage_cmd(code_: MessageCode, bits: KeyUsageBits) -> Asn1Body {
    let c = KeyUsageCommand { key_usage: bits };
    match code_ {
        MessageCode::CS02C => Asn1Body::IssueSecurityCredentialsCommand(c),
        _ => Asn1Body::ProvideDeviceCertificateCommand(c),
    }
}

#[test]
fn issue_credentials_returns_a_request_for_a_new_key() {
    let mut c = esme();
    let (body, _) = run(
        &mut c,
        MessageCode::CS02C,
        1,
        NOW,
        key_usage_cmd(MessageCode::CS02C, KeyUsageBits::digital_signature()),
    );
    let Asn1Body::IssueSecurityCredentialsResponse(IssueSecurityCredentialsResponse {
        result: CertificationRequestOrCode::CertificationRequest(csr),
    }) = body
    else {
        panic!("{body:?}")
    };
    assert_eq!(csr.as_slice()[0], 0x30);
    assert!(c.requested.contains_key(&KeyUsage::DigitalSignature));
    let (body, _) = run(
        &mut c,
        MessageCode::CS02C,
        2,
        NOW,
        key_usage_cmd(MessageCode::CS02C, KeyUsageBits(vec![0x00, 0x01].into())),
    );
    assert!(matches!(
        body,
        Asn1Body::IssueSecurityCredentialsResponse(IssueSecurityCredentialsResponse {
            result: CertificationRequestOrCode::ResponseCode(rc)
        }) if rc.as_i64() == Some(1)
    ));
}

fn cert_update(c: &mut Credentials, der: &[u8]) -> i64 {
    let body = Asn1Body::UpdateDeviceCertificateCommand(
        crate::codec::asn1::payloads::CertificateCommand {
            certificate: der.to_vec().into(),
        },
    );
    match run(c, MessageCode::CS02D, 1, NOW, body).0 {
        Asn1Body::UpdateDeviceCertificateResponse(r) => r.response_code.as_i64().unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn update_device_certificate_checks_identity_and_key() {
    let mut c = esme();
    let own = pki()
        .certificate_der(defaults::ESME, KeyUsage::DigitalSignature)
        .unwrap();
    let other = pki()
        .certificate_der(defaults::GSME, KeyUsage::DigitalSignature)
        .unwrap();
    assert_eq!(cert_update(&mut c, own), 0);
    assert_eq!(cert_update(&mut c, other), 2);
    assert_eq!(cert_update(&mut c, b"\x30\x00"), 1);
    // A CA certificate has keyCertSign, not a GBCS device usage.
    assert_eq!(cert_update(&mut c, org_ca()), 3);
    let mut bare = Credentials::new(defaults::ESME, DeviceType::Esme, Vec::new());
    assert_eq!(cert_update(&mut bare, own), 4);
}

fn provide_cert(c: &mut Credentials, bits: KeyUsageBits) -> CertificateOrCode {
    match run(
        c,
        MessageCode::CS02E,
        1,
        NOW,
        key_usage_cmd(MessageCode::CS02E, bits),
    )
    .0
    {
        Asn1Body::ProvideDeviceCertificateResponse(r) => r.result,
        other => panic!("{other:?}"),
    }
}

#[test]
fn provide_device_certificate_returns_the_held_or_a_generated_one() {
    let mut c = esme();
    let own = pki()
        .certificate_der(defaults::ESME, KeyUsage::KeyAgreement)
        .unwrap();
    assert_eq!(
        provide_cert(&mut c, KeyUsageBits::key_agreement()),
        CertificateOrCode::Certificate(own.to_vec().into())
    );
    assert!(matches!(
        provide_cert(&mut c, KeyUsageBits(vec![0x07, 0x00].into())),
        CertificateOrCode::ResponseCode(rc) if rc.as_i64() == Some(1)
    ));
    let mut bare = Credentials::new(defaults::GSME, DeviceType::Gsme, Vec::new());
    let CertificateOrCode::Certificate(first) =
        provide_cert(&mut bare, KeyUsageBits::digital_signature())
    else {
        panic!()
    };
    let f = crate::crypto::pki::certificate_facts(first.as_slice()).unwrap();
    assert_eq!(f.subject, Some(defaults::GSME));
    assert_eq!(f.key_usage, Some(KeyUsage::DigitalSignature));
    assert_eq!(
        provide_cert(&mut bare, KeyUsageBits::digital_signature()),
        CertificateOrCode::Certificate(first)
    );
}

const PPMID: EntityId = EntityId([0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0x9A]);

fn join(
    c: &mut Credentials,
    code_: MessageCode,
    method: i64,
    other: &[u8],
    ty: i64,
    cert: Option<&[u8]>,
) -> i64 {
    let body = Asn1Body::JoinCommand(JoinCommand {
        join_method_and_role: code(CodeKind::JoinMethodAndRole, method),
        other_device_entity_identifier: other.to_vec().into(),
        other_device_type: code(CodeKind::DeviceType, ty),
        other_device_certificate: cert.map(|d| d.to_vec().into()),
    });
    match run(c, code_, 1, NOW, body).0 {
        Asn1Body::JoinResponse(r) => r.response_code.as_i64().unwrap(),
        other => panic!("{other:?}"),
    }
}

fn join_details(c: &mut Credentials) -> Vec<DeviceLogEntry> {
    let body = Asn1Body::ReadDeviceJoinDetailsCommand(NullCommand { null: Null });
    match run(c, MessageCode::CS07, 1, NOW, body).0 {
        Asn1Body::ReadDeviceJoinDetailsResponse(r) => {
            assert_eq!(r.response_code.as_i64(), Some(0));
            r.device_log_entries.unwrap()
        }
        other => panic!("{other:?}"),
    }
}

fn unjoin(c: &mut Credentials, id: &[u8]) -> i64 {
    let body = Asn1Body::UnjoinCommand(UnjoinCommand {
        other_device_entity_identifier: id.to_vec().into(),
    });
    match run(c, MessageCode::CS04AC, 1, NOW, body).0 {
        Asn1Body::UnjoinResponse(r) => r.response_code.as_i64().unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn join_then_read_join_details_lists_it_and_unjoin_removes_it() {
    let mut c = esme();
    assert!(join_details(&mut c).is_empty());
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 5, None),
        0
    );
    let log = join_details(&mut c);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].device_id.as_slice(), PPMID.as_bytes());
    assert_eq!(log[0].device_type.as_i64(), Some(5));
    // Joining again as the same type is harmless; as another type it conflicts.
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 5, None),
        0
    );
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 4, None),
        3
    );
    assert_eq!(
        unjoin(&mut c, &[3; 8]),
        1,
        "unknown device: not in device log"
    );
    assert_eq!(unjoin(&mut c, PPMID.as_bytes()), 0);
    assert!(join_details(&mut c).is_empty());
    assert_eq!(unjoin(&mut c, PPMID.as_bytes()), 1);
}

#[test]
fn join_checks_method_role_and_certificate() {
    let mut c = esme();
    // Method A initiator under the method B message code.
    assert_eq!(
        join(&mut c, MessageCode::CS03B, 0, PPMID.as_bytes(), 5, None),
        1
    );
    // Method B is for the gas meter and its proxy only.
    assert_eq!(
        join(&mut c, MessageCode::CS03B, 2, PPMID.as_bytes(), 5, None),
        2
    );
    // An ESME does not initiate a join with another meter.
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 1, None),
        2
    );
    assert_eq!(join(&mut c, MessageCode::CS03A1, 0, &[1, 2, 3], 5, None), 2);
    // Method C needs the other device's key-agreement certificate.
    let gsme_ka = pki()
        .certificate_der(defaults::GSME, KeyUsage::KeyAgreement)
        .unwrap();
    let gsme_ds = pki()
        .certificate_der(defaults::GSME, KeyUsage::DigitalSignature)
        .unwrap();
    let gsme = defaults::GSME.as_bytes();
    assert_eq!(join(&mut c, MessageCode::CS03C, 3, gsme, 0, None), 11);
    assert_eq!(
        join(&mut c, MessageCode::CS03C, 3, gsme, 0, Some(gsme_ds)),
        11
    );
    assert_eq!(
        join(&mut c, MessageCode::CS03C, 3, gsme, 0, Some(b"\x30\x00")),
        11
    );
    assert_eq!(
        join(&mut c, MessageCode::CS03C, 3, gsme, 0, Some(gsme_ka)),
        0
    );
    let mut gsme = Credentials::new(defaults::GSME, DeviceType::Gsme, Vec::new());
    assert_eq!(
        join(
            &mut gsme,
            MessageCode::CS03B,
            2,
            defaults::GPF.as_bytes(),
            3,
            None
        ),
        0
    );
}

#[test]
fn device_log_fills_up() {
    let mut c = esme();
    for i in 0..DEVICE_LOG_CAPACITY as u8 {
        assert_eq!(
            join(
                &mut c,
                MessageCode::CS03A1,
                0,
                &[0, 0xDB, 0, 0, 0, 0, 1, i],
                5,
                None
            ),
            0
        );
    }
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 5, None),
        4
    );
}

#[test]
fn restore_device_log_on_the_gpf() {
    let mut gpf =
        Credentials::new(defaults::GPF, DeviceType::Gpf, Vec::new()).with_device_log(vec![
            JoinedDevice {
                entity: PPMID,
                device_type: 5,
            },
        ]);
    let entries = vec![
        log_entry(&JoinedDevice {
            entity: EntityId([1; 8]),
            device_type: 6,
        }),
        log_entry(&JoinedDevice {
            entity: PPMID,
            device_type: 4,
        }),
        DeviceLogEntry {
            device_id: vec![1, 2].into(),
            device_type: code(CodeKind::DeviceType, DeviceType::Ppmid.code().into()),
        },
    ];
    let body = Asn1Body::RestoreDeviceLogCommand(RestoreDeviceLogCommand {
        device_log_entries: entries,
    });
    let Asn1Body::RestoreDeviceLogResponse(r) =
        run(&mut gpf, MessageCode::GCS59, 1, NOW, body.clone()).0
    else {
        panic!()
    };
    let codes: Vec<_> = r
        .restore_outcomes
        .iter()
        .map(|o| o.join_response_code.as_i64().unwrap())
        .collect();
    assert_eq!(codes, [0, 3, 2]);
    assert_eq!(gpf.device_log().len(), 2);
    // Only the GPF keeps a restorable log.
    assert!(esme()
        .handle(&ctx(MessageCode::GCS59, 1, NOW), &payload(body))
        .is_none());
}

fn activate(
    c: &mut Credentials,
    hash: &[u8],
    counter: u64,
    at: Option<&str>,
) -> (ActivateFirmwareResult, Vec<AlertRequest>) {
    let body = Asn1Body::ActivateFirmwareCommand(ActivateFirmwareCommand {
        manufacturer_image_hash: hash.to_vec().into(),
        originator_counter: Integer::from(counter as i64),
        execution_date_time: at.map(|t| GeneralizedTime(t.into())),
    });
    match run(c, MessageCode::CS06, counter, NOW, body) {
        (Asn1Body::ActivateFirmwareResponse(r), alerts) => (r.result, alerts),
        other => panic!("{other:?}"),
    }
}

fn outcome_code(r: &ActivateFirmwareResult) -> i64 {
    match r {
        ActivateFirmwareResult::ExecutionOutcome(o) => o.response_code.as_i64().unwrap(),
        ActivateFirmwareResult::CommandAccepted(_) => -1,
    }
}

#[test]
fn activate_firmware_matches_the_held_image() {
    let mut c = esme();
    let fw = reference_firmware();
    let image = fw.image.clone().unwrap();
    assert_eq!(outcome_code(&activate(&mut c, &[0; 32], 1000, None).0), 2);
    assert_eq!(c.firmware().version, fw.version);
    let (r, _) = activate(&mut c, &image.hash, 1002, None);
    assert_eq!(outcome_code(&r), 0);
    assert_eq!(c.firmware().version, image.version);
    let mut none = esme().with_firmware(Firmware {
        version: [0; 4],
        image: None,
    });
    assert_eq!(
        outcome_code(&activate(&mut none, &image.hash, 1, None).0),
        1
    );
}

/// GBCS's CS06 processing checks the image and its hash, not the payload's originatorCounter:
/// a command whose payload counter differs from its header's (a readdressed recording) is
/// still carried out, accepted when future-dated or cancelling, and the alert quotes the
/// payload's counter.
#[test]
fn activation_does_not_fail_on_the_payload_counter() {
    let image = reference_firmware().image.unwrap();
    let mut c = esme();
    let body = |at: Option<&str>| {
        Asn1Body::ActivateFirmwareCommand(ActivateFirmwareCommand {
            manufacturer_image_hash: image.hash.to_vec().into(),
            originator_counter: Integer::from(7),
            execution_date_time: at.map(|t| GeneralizedTime(t.into())),
        })
    };
    let (Asn1Body::ActivateFirmwareResponse(r), alerts) = run(
        &mut c,
        MessageCode::CS06,
        1001,
        NOW,
        body(Some("20300115090000Z")),
    ) else {
        panic!()
    };
    assert!(matches!(
        r.result,
        ActivateFirmwareResult::CommandAccepted(_)
    ));
    let Payload::Asn1(a) = &alerts[0].payload else {
        panic!()
    };
    assert!(
        matches!(&*a.body, Asn1Body::ActivateFirmwareAlert(a) if a.originator_counter.as_i64() == Some(7))
    );
    let (Asn1Body::ActivateFirmwareResponse(r), _) = run(
        &mut c,
        MessageCode::CS06,
        1002,
        NOW,
        body(Some("99991231235959Z")),
    ) else {
        panic!()
    };
    assert!(matches!(
        r.result,
        ActivateFirmwareResult::CommandAccepted(_)
    ));
    let (Asn1Body::ActivateFirmwareResponse(r), _) =
        run(&mut c, MessageCode::CS06, 1003, NOW, body(None))
    else {
        panic!()
    };
    assert_eq!(outcome_code(&r.result), 0);
    assert_eq!(c.firmware().version, image.version);
}

#[test]
fn future_dated_activation_alerts_and_can_be_cancelled() {
    let image = reference_firmware().image.unwrap();
    let mut c = esme();
    let (r, alerts) = activate(&mut c, &image.hash, 1001, Some("20300115090000Z"));
    assert!(matches!(r, ActivateFirmwareResult::CommandAccepted(_)));
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].message_code, MessageCode::FDFAA);
    let Payload::Asn1(a) = &alerts[0].payload else {
        panic!()
    };
    let Asn1Body::ActivateFirmwareAlert(a) = &*a.body else {
        panic!()
    };
    assert_eq!(a.alert_code.as_i64(), Some(ALERT_SUCCESS));
    assert_eq!(a.originator_counter.as_i64(), Some(1001));
    let due = alerts[0].due.unwrap();
    assert_eq!(c.firmware().version, reference_firmware().version);
    c.advance(due);
    assert_eq!(c.firmware().version, image.version);

    let mut c = esme();
    let (_, alerts) = activate(&mut c, &[9; 32], 1001, Some("20300101000000Z"));
    let Payload::Asn1(a) = &alerts[0].payload else {
        panic!()
    };
    assert!(
        matches!(&*a.body, Asn1Body::ActivateFirmwareAlert(a) if a.alert_code.as_i64() == Some(ALERT_FAILURE))
    );

    let mut c = esme();
    activate(&mut c, &image.hash, 1001, Some("20300115090000Z"));
    let (r, alerts) = activate(&mut c, &image.hash, 1002, Some("99991231235959Z"));
    assert!(matches!(r, ActivateFirmwareResult::CommandAccepted(_)));
    assert!(alerts.is_empty());
    c.advance(u32::MAX);
    assert_eq!(c.firmware().version, reference_firmware().version);
}

#[test]
fn firmware_version_is_read_on_han_devices_only() {
    let keys = pki().key_store();
    let mut ppmid = Credentials::new(
        defaults::PPMID,
        DeviceType::Ppmid,
        Credentials::anchors_from_store(&keys),
    );
    let body = Asn1Body::ReadFirmwareVersionCommand(NullCommand { null: Null });
    let Asn1Body::ReadFirmwareVersionResponse(r) =
        run(&mut ppmid, MessageCode::CS08, 1, NOW, body.clone()).0
    else {
        panic!()
    };
    assert_eq!(r.response_code.as_i64(), Some(0));
    assert_eq!(r.firmware_version.as_slice(), reference_firmware().version);
    assert!(esme()
        .handle(&ctx(MessageCode::CS08, 1, NOW), &payload(body))
        .is_none());
}

#[test]
fn generalized_time_parses_to_the_simulator_clock() {
    assert_eq!(parse_time("20150101000000Z"), Some(NOW));
    assert_eq!(
        parse_time("20300115090000Z"),
        Some(NOW + 5493 * 86_400 + 9 * 3600)
    );
    for bad in [
        "2015010100000Z",
        "20151301000000Z",
        "2015010100000aZ",
        "19990101000000Z",
        "",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
}

/// Untrusted payloads: whatever the bytes, every ASN.1 use case answers with a well-formed
/// response (an error code where the request does not fit) or declines; nothing panics.
#[test]
fn malformed_requests_get_error_codes_not_panics() {
    let codes = [
        MessageCode::CS02A,
        MessageCode::CS02F,
        MessageCode::CS02B_SUPPLIER_BY_SUPPLIER,
        MessageCode::CS02G_LOAD_CONTROLLER_BY_SUPPLIER,
        MessageCode::CS02C,
        MessageCode::CS02D,
        MessageCode::CS02E,
        MessageCode::CS03A1,
        MessageCode::CS03A2,
        MessageCode::CS03B,
        MessageCode::CS03C,
        MessageCode::CS04AC,
        MessageCode::CS04B,
        MessageCode::CS06,
        MessageCode::CS07,
        MessageCode::CS08,
        MessageCode::GCS59,
    ];
    let inputs: [&[u8]; 10] = [
        b"\x05\x00",
        b"\x30\x00",
        b"\x02\x01\x05",
        b"\x04\x03\x01\x02\x03",
        b"\x30\x03\x02\x01\x00",
        b"\x30\x05\x03\x03\x00\xFF\xFF",
        b"\x30\x0A\x04\x01\x00\x02\x01\x00\x18\x02\x31\x32",
        b"\x30\x10\x02\x01\x00\x04\x08\x00\xDB\x12\x34\x56\x78\x90\x9A\x02\x01\x7F",
        b"\x30\x06\x30\x04\x04\x00\x02\x00",
        b"\x30\x08\x30\x06\x02\x01\x02\x03\x01\x00",
    ];
    let mut handled = 0;
    for code_ in codes {
        for input in inputs {
            let Ok(request) = asn1::decode(input, 0, code_, CraFlag::Command) else {
                continue;
            };
            let mut c = esme();
            let Some((response, _)) = c.handle(&ctx(code_, 1, NOW), &request) else {
                continue;
            };
            handled += 1;
            // The answer is typed and survives its own codec.
            let bytes = response.to_bytes();
            let again = asn1::decode(&bytes, 0, code_, CraFlag::Response).unwrap();
            assert!(again.is_typed(), "{code_} {input:02X?}: {again:?}");
        }
    }
    assert!(handled > 60, "{handled}");
}

/// GCS28 (set clock on the GSME): the time is taken when the hub's time lies in the validity
/// interval (status reliable), refused otherwise (invalid); only the GSME implements it.
#[test]
fn gsme_sets_its_clock_within_the_validity_interval() {
    use crate::codec::asn1::payloads::SetClockCommand;
    let command = |start: &str, end: &str| {
        Asn1Body::SetClockCommand(SetClockCommand {
            validity_interval_start: GeneralizedTime(start.into()),
            validity_interval_end: GeneralizedTime(end.into()),
        })
    };
    let mut gsme = Credentials::new(
        "00db1234567890a1".parse().unwrap(),
        DeviceType::Gsme,
        Vec::new(),
    );
    // NOW is 2015-01-01T00:00:00Z.
    let (Asn1Body::SetClockResponse(r), _) = run(
        &mut gsme,
        MessageCode::GCS28,
        1,
        NOW,
        command("20141231235000Z", "20150101001000Z"),
    ) else {
        panic!()
    };
    assert_eq!(r.device_time.0, "20150101000000Z");
    assert_eq!(r.device_time_status.as_i64(), Some(TIME_RELIABLE));
    let (Asn1Body::SetClockResponse(r), _) = run(
        &mut gsme,
        MessageCode::GCS28,
        2,
        NOW,
        command("20150102000000Z", "20150103000000Z"),
    ) else {
        panic!()
    };
    assert_eq!(r.device_time_status.as_i64(), Some(TIME_INVALID));
    let (Asn1Body::SetClockResponse(r), _) = run(
        &mut gsme,
        MessageCode::GCS28,
        3,
        NOW,
        command("garbage", "20150103000000Z"),
    ) else {
        panic!()
    };
    assert_eq!(r.device_time_status.as_i64(), Some(TIME_INVALID));
    assert!(esme()
        .handle(
            &ctx(MessageCode::GCS28, 4, NOW),
            &payload(command("20141231235000Z", "20150101001000Z"))
        )
        .is_none());
}

/// Tester states (`sim::state`), each for one command: an empty device log (CS04B: not in
/// the log), an unreadable one (CS07: read failure), a conflicting entry (CS03A: code 3), no
/// firmware image (CS06: no image held), a failed key store (CS02c code 3, CS02e code 3).
#[test]
fn tester_states_give_the_use_cases_failure_codes_once() {
    use crate::sim::state::DeviceFailure;
    let mut c = esme();
    assert_eq!(
        join(&mut c, MessageCode::CS03A1, 0, PPMID.as_bytes(), 5, None),
        0
    );

    assert!(c.fail_next(&DeviceFailure::DeviceLogEmpty));
    assert_eq!(unjoin(&mut c, PPMID.as_bytes()), 1);
    assert_eq!(join_details(&mut c).len(), 1, "the log is back");

    assert!(c.fail_next(&DeviceFailure::DeviceLogUnreadable));
    let body = Asn1Body::ReadDeviceJoinDetailsCommand(NullCommand { null: Null });
    let (Asn1Body::ReadDeviceJoinDetailsResponse(r), _) =
        run(&mut c, MessageCode::CS07, 2, NOW, body)
    else {
        panic!()
    };
    assert_eq!(r.response_code.as_i64(), Some(1));
    assert!(r.device_log_entries.is_none());

    let other = [0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0x9B];
    assert!(c.fail_next(&DeviceFailure::ConflictingLogEntry));
    assert_eq!(join(&mut c, MessageCode::CS03A1, 0, &other, 5, None), 3);
    assert_eq!(
        join_details(&mut c).len(),
        1,
        "the conflicting entry was the state's"
    );
    assert_eq!(join(&mut c, MessageCode::CS03A1, 0, &other, 5, None), 0);

    let image = reference_firmware().image.unwrap();
    assert!(c.fail_next(&DeviceFailure::NoFirmwareImage));
    assert_eq!(
        outcome_code(&activate(&mut c, &image.hash, 3000, None).0),
        1
    );
    assert_eq!(
        outcome_code(&activate(&mut c, &image.hash, 3001, None).0),
        0
    );

    let mut c = esme();
    assert!(c.fail_next(&DeviceFailure::CredentialStoreFailure));
    let (body, _) = run(
        &mut c,
        MessageCode::CS02C,
        1,
        NOW,
        key_usage_cmd(MessageCode::CS02C, KeyUsageBits::digital_signature()),
    );
    assert!(matches!(
        body,
        Asn1Body::IssueSecurityCredentialsResponse(r)
            if matches!(&r.result, CertificationRequestOrCode::ResponseCode(c) if c.as_i64() == Some(3))
    ));
    assert!(c.fail_next(&DeviceFailure::CredentialStoreFailure));
    let (body, _) = run(
        &mut c,
        MessageCode::CS02E,
        2,
        NOW,
        key_usage_cmd(MessageCode::CS02E, KeyUsageBits::digital_signature()),
    );
    assert!(matches!(
        body,
        Asn1Body::ProvideDeviceCertificateResponse(r)
            if matches!(&r.result, CertificateOrCode::ResponseCode(c) if c.as_i64() == Some(3))
    ));
    assert!(!c.fail_next(&DeviceFailure::ZclNoRecords));
}

/// The gas meter holds no network operator anchor and only the key-agreement cell of the
/// access control broker; no device reports the transitional change-of-supplier cell (RTDS
/// CS02aMAC and CS02f error variants).
#[test]
fn cells_held_depend_on_the_device_type() {
    let gsme = Credentials::new(
        "00db1234567890a1".parse().unwrap(),
        DeviceType::Gsme,
        esme().anchors().to_vec(),
    );
    let mut gsme = gsme;
    let r = provide(&mut gsme, &[4, 3]);
    assert_eq!(status(&r[0].status), 0);
    assert_eq!(
        r[0].trust_anchor_cell_details.as_ref().map(Vec::len),
        Some(1)
    );
    assert_eq!(status(&r[1].status), STATUS_NOT_HELD);
    let r = provide(&mut esme(), &[3, 5]);
    assert_eq!(status(&r[0].status), 0);
    assert_eq!(status(&r[1].status), STATUS_OTHER);
}
