//! What a decoded payload says about the outcome of the command it answers, read from the
//! typed structures (never from their JSON form): the failures it reports (a DLMS
//! data-access or action result, a ZCL status in a GBZ component, an ASN.1 response code or
//! status) and the firmware version a read-firmware-version response carries.

use std::fmt;

use super::asn1::payloads::{
    ActivateFirmwareResult, CertificateOrCode, CertificationRequestOrCode,
    CredentialsExecutionOutcome,
};
use super::asn1::values::Coded;
use super::asn1::Asn1Body;
use super::dlms::{AccessResult, Data, DlmsBody};
use super::enums::{ActionResult, DataAccessResult, ZclStatus};
use super::gbz::header::ComponentBody;
use super::gbz::{Status, ZclPayload};
use super::payload::Payload;

/// The typed code a payload reports a failure with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportedCode {
    /// A DLMS get or set result.
    DataAccess(DataAccessResult),
    /// A DLMS action result.
    Action(ActionResult),
    /// A DLMS result of an access-response-specification choice the tables do not know.
    DlmsChoice { choice: u8, code: u8 },
    /// A ZCL status (attribute record or default response).
    Zcl(ZclStatus),
    /// An ASN.1 response code or status (with its label table).
    Asn1(Coded),
}

impl ReportedCode {
    /// The code's name, or its number when the tables have none.
    pub fn name(&self) -> String {
        match self {
            ReportedCode::DataAccess(r) => r
                .name()
                .map_or_else(|| r.to_code().to_string(), str::to_string),
            ReportedCode::Action(r) => r
                .name()
                .map_or_else(|| r.to_code().to_string(), str::to_string),
            ReportedCode::DlmsChoice { code, .. } => code.to_string(),
            ReportedCode::Zcl(s) => s
                .name()
                .map_or_else(|| format!("0x{:02X}", s.to_code()), str::to_string),
            ReportedCode::Asn1(c) => match c.label() {
                Some(super::asn1::values::Label::Verified(n))
                | Some(super::asn1::values::Label::Parser(n)) => n.to_string(),
                None => c
                    .as_i64()
                    .map_or_else(|| hex::encode_upper(c.value.as_bytes()), |v| v.to_string()),
            },
        }
    }
}

/// Where in the payload a failure is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureSite {
    /// The `index`th result of a DLMS access-response.
    DlmsResult { index: usize },
    /// A ZCL status in the `component`th GBZ component (`record`: the attribute record of a
    /// Read Attributes Response; `None`: a Default Response).
    ZclStatus {
        component: usize,
        record: Option<usize>,
    },
    /// An ASN.1 field (its schema name, `responseCode`, `status`...), the `index`th when
    /// the structure repeats it.
    Asn1 { field: &'static str, index: usize },
}

impl FailureSite {
    /// The field kind the failure is in: `result`, `status` or `response_code`.
    pub fn field(&self) -> &'static str {
        match self {
            FailureSite::DlmsResult { .. } => "result",
            FailureSite::ZclStatus { .. } => "status",
            FailureSite::Asn1 { field, .. } => field,
        }
    }
}

/// A failure a payload reports: where, and which typed code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedFailure {
    pub site: FailureSite,
    pub code: ReportedCode,
}

impl fmt::Display for ReportedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.site.field(), self.code.name())
    }
}

impl Payload {
    /// Every failure the payload reports, in payload order: DLMS access-response results
    /// other than success, ZCL statuses other than SUCCESS (in plain and decrypted GBZ
    /// components), ASN.1 response codes and statuses other than 0 (success).
    pub fn reported_failures(&self) -> Vec<ReportedFailure> {
        let mut out = Vec::new();
        match self {
            Payload::Dlms(apdu) => {
                if let DlmsBody::AccessResponse(resp) = &apdu.body {
                    for (index, r) in resp.results.iter().enumerate() {
                        if !r.is_success() {
                            out.push(ReportedFailure {
                                site: FailureSite::DlmsResult { index },
                                code: dlms_code(r),
                            });
                        }
                    }
                }
            }
            Payload::Gbz(gbz) => {
                for (component, c) in gbz.components.iter().enumerate() {
                    let payload = match &c.body {
                        ComponentBody::Plain { payload, .. } => Some(payload),
                        ComponentBody::Encrypted { decrypted, .. } => decrypted.as_ref(),
                    };
                    match payload {
                        Some(ZclPayload::ReadAttributesResponse { records, .. }) => {
                            for (i, rec) in records.iter().enumerate() {
                                if rec.status != Status::SUCCESS {
                                    out.push(ReportedFailure {
                                        site: FailureSite::ZclStatus {
                                            component,
                                            record: Some(i),
                                        },
                                        code: ReportedCode::Zcl(rec.status.kind()),
                                    });
                                }
                            }
                        }
                        Some(ZclPayload::DefaultResponse { status, .. })
                            if *status != Status::SUCCESS =>
                        {
                            out.push(ReportedFailure {
                                site: FailureSite::ZclStatus {
                                    component,
                                    record: None,
                                },
                                code: ReportedCode::Zcl(status.kind()),
                            });
                        }
                        _ => {}
                    }
                }
            }
            Payload::Asn1(p) => asn1_failures(&p.body, &mut out),
        }
        out
    }

    /// The firmware version a read-firmware-version response carries (ECS52: the DLMS
    /// octet string; GCS38: the ZCL octet or character string attribute; CS08: the DER
    /// firmwareVersion), as upper-case hex. `None` when the payload carries none (a failed
    /// read, another use case).
    pub fn firmware_version(&self) -> Option<String> {
        match self {
            Payload::Dlms(apdu) => match &apdu.body {
                DlmsBody::AccessResponse(resp) => {
                    resp.data.iter().zip(&resp.results).find_map(|(d, r)| {
                        match (d, r.is_success()) {
                            (Data::OctetString(b) | Data::VisibleString(b), true) => {
                                Some(hex::encode_upper(b.as_slice()))
                            }
                            _ => None,
                        }
                    })
                }
                _ => None,
            },
            Payload::Gbz(gbz) => gbz.components.iter().find_map(|c| {
                let payload = match &c.body {
                    ComponentBody::Plain { payload, .. } => Some(payload),
                    ComponentBody::Encrypted { decrypted, .. } => decrypted.as_ref(),
                };
                let Some(ZclPayload::ReadAttributesResponse { records, .. }) = payload else {
                    return None;
                };
                records.iter().find_map(|rec| match &rec.value {
                    Some(
                        super::gbz::Value::OctetString(b)
                        | super::gbz::Value::LongOctetString(b)
                        | super::gbz::Value::CharString(b)
                        | super::gbz::Value::LongCharString(b),
                    ) if rec.status == Status::SUCCESS => Some(hex::encode_upper(b.as_slice())),
                    _ => None,
                })
            }),
            Payload::Asn1(p) => match &*p.body {
                Asn1Body::ReadFirmwareVersionResponse(r) if r.response_code.as_i64() == Some(0) => {
                    Some(hex::encode_upper(r.firmware_version.as_slice()))
                }
                _ => None,
            },
        }
    }
}

fn dlms_code(r: &AccessResult) -> ReportedCode {
    match (r.data_access_result(), r.action_result()) {
        (Some(d), _) => ReportedCode::DataAccess(d),
        (_, Some(a)) => ReportedCode::Action(a),
        _ => ReportedCode::DlmsChoice {
            choice: r.choice,
            code: r.code,
        },
    }
}

fn failed(c: &Coded) -> bool {
    c.as_i64() != Some(0)
}

fn push(out: &mut Vec<ReportedFailure>, field: &'static str, index: usize, c: &Coded) {
    if failed(c) {
        out.push(ReportedFailure {
            site: FailureSite::Asn1 { field, index },
            code: ReportedCode::Asn1(c.clone()),
        });
    }
}

fn credentials_outcome(o: &CredentialsExecutionOutcome, out: &mut Vec<ReportedFailure>) {
    for (i, r) in o.replacement_outcomes.iter().enumerate() {
        push(out, "status", i, &r.status);
    }
}

fn asn1_failures(body: &Asn1Body, out: &mut Vec<ReportedFailure>) {
    match body {
        Asn1Body::ProvideSecurityCredentialsResponse(r) => {
            for (i, c) in r.remote_party_credentials.iter().enumerate() {
                push(out, "status", i, &c.status);
            }
        }
        Asn1Body::UpdateSecurityCredentialsResponse(r) => {
            if let Some(o) = &r.execution_outcome {
                credentials_outcome(o, out);
            }
        }
        Asn1Body::UpdateSecurityCredentialsAlert(a) => {
            credentials_outcome(&a.execution_outcome, out)
        }
        Asn1Body::IssueSecurityCredentialsResponse(r) => {
            if let CertificationRequestOrCode::ResponseCode(c) = &r.result {
                push(out, "result", 0, c);
            }
        }
        Asn1Body::ProvideDeviceCertificateResponse(r) => {
            if let CertificateOrCode::ResponseCode(c) = &r.result {
                push(out, "result", 0, c);
            }
        }
        Asn1Body::UpdateDeviceCertificateResponse(r)
        | Asn1Body::JoinResponse(r)
        | Asn1Body::UnjoinResponse(r) => push(out, "response_code", 0, &r.response_code),
        Asn1Body::ActivateFirmwareResponse(r) => {
            if let ActivateFirmwareResult::ExecutionOutcome(o) = &r.result {
                push(out, "response_code", 0, &o.response_code);
            }
        }
        Asn1Body::ActivateFirmwareAlert(a) => {
            push(out, "response_code", 0, &a.execution_outcome.response_code)
        }
        Asn1Body::ReadDeviceJoinDetailsResponse(r) => {
            push(out, "response_code", 0, &r.response_code)
        }
        Asn1Body::RestoreDeviceLogResponse(r) => {
            for (i, o) in r.restore_outcomes.iter().enumerate() {
                push(out, "join_response_code", i, &o.join_response_code);
            }
        }
        Asn1Body::ReadFirmwareVersionResponse(r) => push(out, "response_code", 0, &r.response_code),
        Asn1Body::ReadFirmwareVersionAlert(a) => push(out, "result", 0, &a.result),
        Asn1Body::FirmwareVersionAlert(a) => {
            push(out, "activate_image_result", 0, &a.activate_image_result)
        }
        _ => {}
    }
}
