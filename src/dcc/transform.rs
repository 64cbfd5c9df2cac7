//! The DCC's transform: a DUIS service request in, the GBCS command for the target device out
//! (a [`CommandTemplate`]: message code, other-information form, payload, signed).
//!
//! How a command is built:
//! 1. The use case is chosen from the service reference variant and the target's device kind
//!    (the golden vectors say which use cases serve an SRV on which kind of device); where
//!    several do, the request's body chooses ([`SELECTORS`]: `Credit` or `Prepayment` for 1.6,
//!    `LogToRead` for 6.13, ...), and where nothing in the request can choose (ECS26b or ECS26k,
//!    the same request for a single- or a poly-phase meter) the request is refused as
//!    [`TransformError::Ambiguous`] unless the caller names the use case ([`transform_as`]).
//! 2. The use case's command is the skeleton: the recorded command of its vector (a success
//!    recorded for immediate execution, never a future-dated or cancelling one; of the
//!    target's element count, [`Options::twin`], when the use case has twin recordings),
//!    readdressed from the lab's User and device to the request's originator and target, with
//!    the request's counter in every place the counter goes (the DLMS invoke id, the
//!    transaction id of a Data Protection access): a DUIS `RequestID` counter is the GBCS
//!    originator counter of its command.
//! 3. Every parameter of the request's body is bound into the payload through the codec's typed
//!    structures (decode, set the field, re-encode), or the request is refused: a parameter no
//!    binding reads is [`TransformError::UnusedParameter`], a value the field cannot hold is
//!    [`TransformError::BadParameter`]. The skeleton's values never pass for the User's.
//!
//! Bindings ([`Binding`]): a use case whose body has no parameter takes the skeleton as it is
//! (its payload does not depend on anything the User sends); `ReadLogPeriod` (start and end
//! date-time) goes into the DLMS range selection (selective access by range, or the access
//! selection of a Data Protection protected get) or the ZCL window of GBZ log reads;
//! `ExecutionDateTime` replaces the skeleton's "at once" execution date-times (DLMS
//! `00…00 8000 FF`, ZCL time 0) with the request's, or with the cancellation value for DUIS's
//! 3000-12-31T00:00:00Z; single values ([`VALUES`]: supplier name, MPANs, thresholds, meter
//! balance adjustment, device ids, ...) go into their DLMS data item, ZCL field or DER field,
//! converted to the field's type with its range checked; a clock synchronisation's current
//! date-time and tolerance become the preset's validity interval; choice markers (`Credit`,
//! `ResetMeterBalance`, `ReadSecurityDetails`, ...), `LogToRead` and `RequestType` choose the
//! use case. Each binding is checked against the RTDS (tests/duis_transform.rs).
//!
//! Commands the DCC sends in its own name (to a comms hub or GPF, or through its access
//! control broker: the recordings' `SupplementaryRemotePartyCounter` form) name the User and
//! the request's counter in the other-information ([`CommandOriginator::Dcc`]); the header's
//! originator and counter are then the DCC's, set when the emulator builds the frame.
//!
//! Every refusal maps to a DUIS response code ([`TransformError::response_code`]).

use std::collections::BTreeMap;

use crate::codec::dlms::{self, Data, DlmsApdu};
use crate::codec::gbz::{self, ComponentBody, UtcTime, Value, ZclPayload};
use crate::codec::payload::{decode_payload, Payload};
use crate::codec::{decode_frame, CraFlag, EntityId};
use crate::command::identities::{DeviceKind, Identities, Party};
use crate::command::template::CommandTemplate;
use crate::duis::codes::ResponseCode;
use crate::duis::request::{Request, RequestBody};
use crate::duis::xml::{Element, Node};
use crate::vectors::{Sender, Vector, VectorError, VectorStore};

/// Most leaf parameters a body may have (the largest template has about 200).
pub const MAX_PARAMETERS: usize = 4096;

/// A request's command, as the DCC builds it for the target device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transformed {
    /// The GBCS use case chosen, e.g. `ECS17b`.
    pub use_case: String,
    /// The recorded variant whose command is the skeleton, e.g. `ECS17b_4.1.1_SINGLE_SUCCESS`.
    pub skeleton: String,
    /// The command: the payload built from the request (originator and target, counter,
    /// parameters); the emulator addresses it, counts, MACs and signs or has it signed.
    pub template: CommandTemplate,
    /// The body parameters bound into the payload (or that chose the use case), by path.
    pub bound: Vec<String>,
    /// Who the command's header names as its originator.
    pub originator: CommandOriginator,
}

/// Who sends a transformed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOriginator {
    /// The User: the header's originator is the request's, its counter the request's
    /// (a DUIS `RequestID` counter is the GBCS originator counter of its command).
    User,
    /// The DCC, in its own name (its access control broker id and counter): the User is the
    /// supplementary remote party of the other-information, with the request's counter.
    Dcc,
}

/// Why a request has no command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    #[error("service request variant {variant} has no transform for a {device}: {reason}")]
    NoTransform {
        variant: String,
        device: String,
        reason: String,
    },
    #[error("service request variant {variant} on a {device} is served by {use_cases:?}; nothing in the request chooses between them")]
    Ambiguous {
        variant: String,
        device: String,
        use_cases: Vec<String>,
    },
    #[error("parameter {path} is not carried into the {use_case} command by this transform")]
    UnusedParameter { use_case: String, path: String },
    #[error("parameter {path} = {found:?}: expected {expected}")]
    BadParameter {
        path: String,
        expected: String,
        found: String,
    },
    #[error("the request carries no service body (a SignedPreCommand is not transformed)")]
    NotAServiceRequest,
    #[error("the {use_case} skeleton {skeleton} cannot be used: {reason}")]
    Skeleton {
        use_case: String,
        skeleton: String,
        reason: String,
    },
}

impl TransformError {
    /// The DUIS response code the DCC answers with.
    ///
    /// Every refusal is E12, the schema's code for a service request that passed the schema
    /// but that the DCC cannot process as asked (its validation of the request's content
    /// failed): E11 is for a schema-invalid document, E13 for a request type the URL does not
    /// take, E19 for an unknown device, none of which is the case. A request the transform
    /// cannot carry faithfully is not processed, and E12 says so before any command exists.
    pub fn response_code(&self) -> ResponseCode {
        ResponseCode::E12
    }

    /// A short name of the reason, for counts and reports.
    pub fn reason(&self) -> &'static str {
        match self {
            TransformError::NoTransform { .. } => "no-transform",
            TransformError::Ambiguous { .. } => "ambiguous",
            TransformError::UnusedParameter { .. } => "unused-parameter",
            TransformError::BadParameter { .. } => "bad-parameter",
            TransformError::NotAServiceRequest => "not-a-service-request",
            TransformError::Skeleton { .. } => "skeleton",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// One leaf of a request body: an element with no child element (its text, possibly empty:
/// a choice marker like `<sr:Credit/>`), or an attribute (`path/@name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// Local names from the body element (excluded) down, joined by `/`.
    pub path: String,
    pub value: String,
    used: bool,
}

/// The parameters of a request body, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The body element's local name, e.g. `ReadInstantaneousImportRegisters`.
    pub body: String,
    leaves: Vec<Leaf>,
}

impl Params {
    /// Parameters from (path, value) pairs.
    pub fn new(body: impl Into<String>, leaves: Vec<(String, String)>) -> Params {
        Params {
            body: body.into(),
            leaves: leaves
                .into_iter()
                .map(|(path, value)| Leaf {
                    path,
                    value,
                    used: false,
                })
                .collect(),
        }
    }

    /// The leaves of a body element (its attributes and each descendant's).
    pub fn from_element(body: &Element) -> Result<Params, TransformError> {
        let mut leaves = Vec::new();
        collect_attributes(body, "", &mut leaves)?;
        for child in body.elements() {
            collect(child, "", &mut leaves)?;
        }
        Ok(Params::new(body.name.local.clone(), leaves))
    }

    pub fn leaves(&self) -> impl Iterator<Item = (&str, &str)> {
        self.leaves
            .iter()
            .map(|l| (l.path.as_str(), l.value.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The first unused leaf at `path`, marked used.
    fn take(&mut self, path: &str) -> Option<String> {
        let leaf = self.leaves.iter_mut().find(|l| !l.used && l.path == path)?;
        leaf.used = true;
        Some(leaf.value.clone())
    }

    fn value(&self, path: &str) -> Option<&str> {
        self.leaves
            .iter()
            .find(|l| l.path == path)
            .map(|l| l.value.as_str())
    }

    fn has_under(&self, prefix: &str) -> bool {
        self.leaves
            .iter()
            .any(|l| l.path == prefix || l.path.starts_with(&format!("{prefix}/")))
    }

    fn first_unused(&self) -> Option<&str> {
        self.leaves
            .iter()
            .find(|l| !l.used)
            .map(|l| l.path.as_str())
    }

    fn used(&self) -> Vec<String> {
        self.leaves
            .iter()
            .filter(|l| l.used)
            .map(|l| l.path.clone())
            .collect()
    }
}

fn push_leaf(
    leaves: &mut Vec<(String, String)>,
    path: String,
    value: String,
) -> Result<(), TransformError> {
    if leaves.len() >= MAX_PARAMETERS {
        return Err(TransformError::BadParameter {
            path,
            expected: format!("at most {MAX_PARAMETERS} parameters in a body"),
            found: "more".into(),
        });
    }
    leaves.push((path, value));
    Ok(())
}

fn collect_attributes(
    e: &Element,
    path: &str,
    leaves: &mut Vec<(String, String)>,
) -> Result<(), TransformError> {
    for a in &e.attributes {
        let p = if path.is_empty() {
            format!("@{}", a.name.local)
        } else {
            format!("{path}/@{}", a.name.local)
        };
        push_leaf(leaves, p, a.value.clone())?;
    }
    Ok(())
}

fn collect(
    e: &Element,
    parent: &str,
    leaves: &mut Vec<(String, String)>,
) -> Result<(), TransformError> {
    let path = if parent.is_empty() {
        e.name.local.clone()
    } else {
        format!("{parent}/{}", e.name.local)
    };
    collect_attributes(e, &path, leaves)?;
    let mut any_child = false;
    for child in e.elements() {
        any_child = true;
        collect(child, &path, leaves)?;
    }
    let text: String = e
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    if !any_child {
        push_leaf(leaves, path, text.trim().to_string())?;
    } else if !text.trim().is_empty() {
        // Text beside child elements is content too: no binding reads it, so it is refused.
        push_leaf(leaves, format!("{path}/#text"), text.trim().to_string())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Use case selection

/// What in a body chooses one use case among those serving the same SRV on the same device.
#[derive(Debug, Clone, Copy)]
pub enum Selector {
    /// A leaf at this path exists (a choice marker or a branch of a choice); a marker with no
    /// text is consumed by the choice.
    Present(&'static str),
    /// The leaf at this path has this value (consumed by the choice).
    Equals(&'static str, &'static str),
}

/// Per use case, what its requests carry that its siblings' do not.
pub const SELECTORS: &[(&str, &[Selector])] = {
    use Selector::*;
    &[
        ("ECS02", &[Present("Credit")]),
        ("GCS02", &[Present("Credit")]),
        ("ECS03", &[Present("Prepayment")]),
        ("GCS03", &[Present("Prepayment")]),
        ("ECS04a", &[Present("PrepaymentMode/AdjustMeterBalance")]),
        ("ECS04b", &[Present("CreditMode/ResetMeterBalance")]),
        ("GCS40a", &[Present("PrepaymentMode/AdjustMeterBalance")]),
        ("GCS40b", &[Present("PrepaymentMode/ResetMeterBalance")]),
        ("GCS40c", &[Present("CreditMode/AdjustMeterBalance")]),
        ("GCS40d", &[Present("CreditMode/ResetMeterBalance")]),
        ("ECS35a", &[Equals("LogToRead", "Event")]),
        ("ECS35b", &[Equals("LogToRead", "Security")]),
        ("ECS35c", &[Equals("LogToRead", "Event")]),
        ("ECS35d", &[Equals("LogToRead", "Security")]),
        ("ECS35e", &[Equals("LogToRead", "PowerEvent")]),
        ("ECS35f", &[Equals("LogToRead", "ALCSEvent")]),
        ("ECS35g", &[Equals("LogToRead", "ALCSEvent")]),
        ("CS10a", &[Equals("LogToRead", "Event")]),
        ("CS10b", &[Equals("LogToRead", "Security")]),
        ("ECS15a", &[Equals("ESMEEventLogType", "ESME")]),
        ("ECS15c", &[Equals("ESMEEventLogType", "ALCS")]),
        ("CCS07", &[Present("ReadSecurityDetails")]),
        ("CCS01", &[Equals("RequestType", "Add")]),
        ("CCS02", &[Equals("RequestType", "Remove")]),
        ("ECS30", &[Present("ElectricityBillingCalendar/Monthly")]),
        ("ECS30a", &[Present("ElectricityBillingCalendar/Quarterly")]),
        ("ECS47Reset", &[Present("ResetALCSHCALCS")]),
    ]
};

fn selectors_of(use_case: &str) -> Option<&'static [Selector]> {
    SELECTORS
        .iter()
        .find(|(u, _)| *u == use_case)
        .map(|(_, s)| *s)
}

fn selects(params: &Params, use_case: &str) -> bool {
    selectors_of(use_case).is_none_or(|sels| {
        sels.iter().all(|s| match s {
            Selector::Present(p) => params.has_under(p),
            Selector::Equals(p, v) => params.value(p) == Some(v),
        })
    })
}

fn consume_selectors(params: &mut Params, use_case: &str) {
    for s in selectors_of(use_case).unwrap_or(&[]) {
        match s {
            Selector::Present(p) => {
                if params.value(p) == Some("") {
                    params.take(p);
                }
            }
            Selector::Equals(p, _) => {
                params.take(p);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Skeletons

/// The commands of the golden vectors, by SRV and device kind: what the transform builds from.
#[derive(Debug, Clone)]
pub struct Skeletons {
    /// (SRV, device) → use cases, sorted.
    routes: BTreeMap<(String, DeviceKind), Vec<String>>,
    /// use case → its vectors' skeleton candidates.
    vectors: BTreeMap<String, Vec<Vector>>,
    ids: Identities,
}

impl Skeletons {
    /// Every vector of the store (read once; keep the result).
    pub fn load(store: &VectorStore) -> Result<Skeletons, VectorError> {
        let all = store.all()?;
        let mut routes: BTreeMap<(String, DeviceKind), Vec<String>> = BTreeMap::new();
        for (use_case, vs) in &all {
            for v in vs {
                if let Some(srv) = &v.service_request {
                    let e = routes.entry((srv.clone(), v.device)).or_default();
                    if !e.contains(use_case) {
                        e.push(use_case.clone());
                    }
                }
            }
        }
        routes.values_mut().for_each(|v| v.sort());
        Ok(Skeletons {
            routes,
            vectors: all,
            ids: Identities::default_lab(),
        })
    }

    /// The use cases serving an SRV on a kind of device.
    pub fn use_cases(&self, srv: &str, device: DeviceKind) -> &[String] {
        self.routes
            .get(&(srv.to_string(), device))
            .map_or(&[], Vec::as_slice)
    }

    /// Every (SRV, device kind) with a skeleton.
    pub fn routes(&self) -> impl Iterator<Item = (&str, DeviceKind, &[String])> {
        self.routes
            .iter()
            .map(|((s, d), u)| (s.as_str(), *d, u.as_slice()))
    }

    /// The vector whose command is the use case's skeleton on `device`: a success recorded
    /// for immediate execution (a future-dated or cancelling recording carries its User's
    /// execution date-time, which must not pass for another's), by preference of the same
    /// element count (single or twin) as the target.
    ///
    /// A use case recorded for twin-element meters (`_TWIN` variants) has a command that may
    /// depend on the element count: its skeleton must then be of the target's count.
    pub fn skeleton(&self, use_case: &str, device: DeviceKind, twin: bool) -> Option<&Vector> {
        let vs = self.vectors.get(use_case)?;
        let by_count = vs.iter().any(|v| v.is_twin());
        vs.iter()
            .filter(|v| {
                v.device == device
                    && !v.is_device_state_error()
                    && !v.variant.contains("_DATED")
                    && !v.variant.contains("CANCELLATION")
                    && (!by_count || v.is_twin() == twin)
            })
            .min_by_key(|v| {
                (
                    !v.variant.contains("SUCCESS"),
                    v.is_twin() != twin,
                    v.variant.clone(),
                )
            })
    }

    /// Whether the use case has a future-dated recording: its commands carry an execution
    /// date-time.
    pub fn future_dated(&self, use_case: &str) -> bool {
        self.vectors
            .get(use_case)
            .is_some_and(|vs| vs.iter().any(|v| v.variant.contains("FUTURE_DATED")))
    }

    /// Whether a use case has a recorded variant named `variant`.
    pub fn vector(&self, use_case: &str, variant: &str) -> Option<&Vector> {
        self.vectors
            .get(use_case)?
            .iter()
            .find(|v| v.variant == variant)
    }
}

// ---------------------------------------------------------------------------------------------
// The transform

/// Who sends the request to whom, with which counter: the request's `RequestID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestAddress {
    pub originator: EntityId,
    pub target: EntityId,
    pub counter: u64,
}

/// What the caller knows beyond the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options<'a> {
    /// The use case, for an SRV that several serve on the device with nothing in the
    /// request to choose (the DCC knows the meter's variant from its inventory).
    pub use_case: Option<&'a str>,
    /// The target is a twin-element meter.
    pub twin: bool,
}

/// The command for a request to a device of kind `target`.
pub fn transform(
    request: &Request,
    target: DeviceKind,
    skeletons: &Skeletons,
) -> Result<Transformed, TransformError> {
    transform_with(request, target, Options::default(), skeletons)
}

/// As [`transform`], with what the DCC knows of the device.
pub fn transform_with(
    request: &Request,
    target: DeviceKind,
    options: Options<'_>,
    skeletons: &Skeletons,
) -> Result<Transformed, TransformError> {
    let (srv, address, params) = parts(request)?;
    transform_parts(&srv, address, params, target, options, skeletons)
}

/// As [`transform`], with the use case named by the caller (it must serve the SRV on the
/// device): for SRVs served by several use cases nothing in the request chooses between.
pub fn transform_as(
    request: &Request,
    use_case: &str,
    target: DeviceKind,
    skeletons: &Skeletons,
) -> Result<Transformed, TransformError> {
    let options = Options {
        use_case: Some(use_case),
        ..Options::default()
    };
    transform_with(request, target, options, skeletons)
}

fn parts(request: &Request) -> Result<(String, RequestAddress, Params), TransformError> {
    let RequestBody::Service(body) = &request.body else {
        return Err(TransformError::NotAServiceRequest);
    };
    let id = &request.header.request_id;
    Ok((
        request.header.service_reference_variant.clone(),
        RequestAddress {
            originator: id.originator,
            target: id.target,
            counter: id.counter,
        },
        Params::from_element(body)?,
    ))
}

/// The transform on a request's parts: its SRV, `RequestID` and body parameters.
pub fn transform_parts(
    srv: &str,
    address: RequestAddress,
    mut params: Params,
    target: DeviceKind,
    options: Options<'_>,
    skeletons: &Skeletons,
) -> Result<Transformed, TransformError> {
    let use_case = options.use_case;
    let candidates = skeletons.use_cases(srv, target);
    let no_transform = |reason: String| TransformError::NoTransform {
        variant: srv.to_string(),
        device: target.tag().to_string(),
        reason,
    };
    if candidates.is_empty() {
        return Err(no_transform(
            "no recorded command of this service request for this kind of device".into(),
        ));
    }
    let use_case = match use_case {
        Some(u) => {
            if !candidates.iter().any(|c| c == u) {
                return Err(no_transform(format!(
                    "{u} does not serve it (served by {candidates:?})"
                )));
            }
            if !selects(&params, u) {
                return Err(no_transform(format!(
                    "the request's body does not ask for {u}"
                )));
            }
            u.to_string()
        }
        None => {
            let chosen: Vec<&String> = candidates.iter().filter(|u| selects(&params, u)).collect();
            match chosen.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    return Err(no_transform(format!(
                        "the request's body asks for none of {candidates:?}"
                    )))
                }
                _ => {
                    return Err(TransformError::Ambiguous {
                        variant: srv.to_string(),
                        device: target.tag().to_string(),
                        use_cases: chosen.into_iter().cloned().collect(),
                    })
                }
            }
        }
    };
    consume_selectors(&mut params, &use_case);
    let vector = skeletons
        .skeleton(&use_case, target, options.twin)
        .ok_or_else(|| {
            no_transform(format!(
                "no success recording of {use_case} for immediate execution{}",
                if options.twin {
                    " on a twin-element meter"
                } else {
                    ""
                }
            ))
        })?;
    let mut command = Command::from_vector(vector, &skeletons.ids, address)?;
    bind(&mut params, &use_case, skeletons, &mut command)?;
    if let Some(path) = params.first_unused() {
        return Err(TransformError::UnusedParameter {
            use_case,
            path: path.to_string(),
        });
    }
    let originator = command.originator;
    let template = command.finish();
    Ok(Transformed {
        originator,
        use_case,
        skeleton: vector.variant.clone(),
        template,
        bound: params.used(),
    })
}

/// A skeleton being turned into the request's command: its payload decoded.
struct Command {
    originator: CommandOriginator,
    template: CommandTemplate,
    payload: Payload,
    use_case: String,
    skeleton: String,
}

impl Command {
    fn from_vector(
        vector: &Vector,
        ids: &Identities,
        to: RequestAddress,
    ) -> Result<Command, TransformError> {
        let fail = |reason: String| TransformError::Skeleton {
            use_case: vector.use_case.clone(),
            skeleton: vector.variant.clone(),
            reason,
        };
        let mut template = vector.command.template.clone();
        let recorded = hex::decode(&vector.command.hex)
            .ok()
            .and_then(|b| decode_frame(&b).ok())
            .ok_or_else(|| fail("its recorded frame does not decode".into()))?;
        let recorded_counter = recorded.header().counter;
        let sender = vector
            .sender
            .id_in(ids)
            .ok_or_else(|| fail("its sender has no id in the lab".into()))?;
        let device = *ids
            .devices
            .get(&vector.device)
            .ok_or_else(|| fail("its device has no id in the lab".into()))?;
        // A command the DCC sends in its own name (to a comms hub, a GPF, or where GBCS has
        // the DCC's access control broker originate it) names the User as its supplementary
        // remote party, with the User's counter; the header's counter is the DCC's own.
        let originator = match (&vector.sender, template.supplementary_party()) {
            (Sender::Party(Party::AccessControlBroker), Some(_)) => CommandOriginator::Dcc,
            _ => CommandOriginator::User,
        };
        let user = match originator {
            CommandOriginator::Dcc => template.supplementary_party().unwrap_or(sender),
            CommandOriginator::User => sender,
        };
        // The lab's User and device, as the vector names them, become the request's.
        let mut map = Vec::new();
        if user != to.originator {
            map.push((user, to.originator));
        }
        if device != to.target && device != to.originator {
            map.push((device, to.target));
        }
        template.readdress(&map);
        if originator == CommandOriginator::Dcc {
            set_supplementary_counter(&mut template, to.counter);
        }
        let mut payload = decode_payload(
            template.payload.as_slice(),
            0,
            template.message_code,
            CraFlag::Command,
        )
        .map_err(|e| fail(format!("its payload does not decode: {e}")))?;
        if let Payload::Dlms(apdu) = &mut payload {
            // The DCC's own counter is not known here: a DCC-originated command's invoke id
            // is set when it is built (`CommandTemplate::general_signing`), as for any.
            if originator == CommandOriginator::User {
                set_counter(apdu, recorded_counter, to.counter);
            }
        }
        Ok(Command {
            originator,
            template,
            payload,
            use_case: vector.use_case.clone(),
            skeleton: vector.variant.clone(),
        })
    }

    fn finish(mut self) -> CommandTemplate {
        let bytes = match &self.payload {
            Payload::Dlms(apdu) => apdu.encoded(),
            Payload::Gbz(gbz) => gbz.to_bytes(),
            Payload::Asn1(der) => {
                let mut out = Vec::new();
                der.encode(&mut out);
                out
            }
        };
        self.template.payload = bytes.into();
        self.template
    }

    fn skeleton_error(&self, reason: impl Into<String>) -> TransformError {
        TransformError::Skeleton {
            use_case: self.use_case.clone(),
            skeleton: self.skeleton.clone(),
            reason: reason.into(),
        }
    }
}

/// Puts `counter` where a DLMS command carries its originator counter: the invoke id (low 24
/// bits) and each Data Protection transaction id (a 9-octet string: a flag octet, then the
/// counter, big-endian) that holds the recorded counter.
fn set_counter(apdu: &mut DlmsApdu, recorded: u64, counter: u64) {
    apdu.invoke_id = dlms::invoke_id_from_counter(counter);
    let from = recorded.to_be_bytes();
    let to = counter.to_be_bytes();
    for_each_data(apdu, &mut |d| {
        if let Data::OctetString(b) = d {
            let s = b.as_slice();
            if s.len() == 9 && s[1..] == from {
                let mut v = s.to_vec();
                v[1..].copy_from_slice(&to);
                *b = v.into();
            }
        }
    });
}

/// The User's counter in the other-information of a DCC-originated command.
fn set_supplementary_counter(template: &mut CommandTemplate, to: u64) {
    use crate::command::template::OtherInformationTemplate as O;
    match &mut template.other_information {
        O::SupplementaryRemotePartyCounter { counter, .. }
        | O::SupplementaryOriginatorCounter { counter, .. }
        | O::SupplementaryCertificate { counter, .. } => *counter = to,
        O::MessageCode | O::SupplementaryRemoteParty { .. } => {}
    }
}

/// Every `Data` of an APDU (request selections and data lists), depth first.
fn for_each_data(apdu: &mut DlmsApdu, f: &mut dyn FnMut(&mut Data)) {
    if let dlms::DlmsBody::AccessRequest(req) = &mut apdu.body {
        for spec in &mut req.specs {
            if let Some(sel) = &mut spec.selection {
                walk(&mut sel.parameters, f);
            }
        }
        for d in &mut req.data {
            walk(d, f);
        }
    }
}

fn walk(d: &mut Data, f: &mut dyn FnMut(&mut Data)) {
    f(d);
    if let Data::Array(items) | Data::Structure(items) = d {
        for i in items {
            walk(i, f);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bindings

/// A way parameters go into a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `ReadLogPeriod/StartDateTime` and `ReadLogPeriod/EndDateTime`.
    ReadLogPeriod,
    /// `ExecutionDateTime` of a future-dated (or, with 3000-12-31T00:00:00Z, cancelling)
    /// request, into the skeleton's execution date-times.
    ExecutionDateTime,
    /// One parameter into one field ([`VALUES`]), converted to the field's type.
    Value,
    /// `GasBillingCalendar/BillingPeriodStart` and `GasBillingCalendar/Periodicity` (GCS25,
    /// GCS25a): the start and the duration in months of the billing and block periods.
    GasBillingCalendar,
    /// `CurrentDateTime` and `TolerancePeriod` of a clock synchronisation (ECS70): the
    /// validity interval of the clock's preset adjusting time, from the current date-time to
    /// that plus the tolerance, as the RTDS records it.
    SynchroniseClock,
}

/// Where a value parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The DLMS data item `data` of the access-request, then `path` into its
    /// arrays/structures.
    Dlms { data: usize, path: &'static [usize] },
    /// The field `field` of the ZCL command of GBZ component `component`.
    Gbz {
        component: usize,
        field: &'static str,
    },
    /// The other device of a CS04 unjoin command (DER).
    UnjoinOtherDevice,
}

/// How a value parameter's text becomes the field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// A decimal integer, in the range of the field's integer type.
    Integer,
    /// Printable ASCII text, as octets (DUIS strings are `xs:string` restricted to ASCII
    /// for these fields); at most 255 octets.
    Ascii,
    /// A UTC date-time, as the field's date-time form.
    DateTime,
    /// A DUIS EUI-64 (`00-DB-12-34-56-78-90-A0`), as 8 octets.
    EntityId,
    /// One of two enumeration values, as a boolean.
    Boolean {
        when_true: &'static str,
        when_false: &'static str,
    },
}

/// Per use case, the value parameters bound and where (each checked against the RTDS command
/// of its template, and by a test changing it).
pub const VALUES: &[(&str, &str, Slot, Conversion)] = {
    use Conversion::*;
    const fn d(data: usize) -> Slot {
        Slot::Dlms { data, path: &[] }
    }
    const fn z(field: &'static str) -> Slot {
        Slot::Gbz {
            component: 0,
            field,
        }
    }
    &[
        ("CCS02", "DeviceID", d(0), EntityId),
        ("CS04B", "OtherDeviceID", Slot::UnjoinOtherDevice, EntityId),
        ("ECS12", "RestrictionDateTime", d(0), DateTime),
        ("ECS16", "SupplierTelephoneNumber", d(0), Ascii),
        ("ECS16", "SupplierName", d(1), Ascii),
        (
            "ECS34",
            "LowMediumPowerThreshold",
            Slot::Dlms {
                data: 0,
                path: &[0],
            },
            Integer,
        ),
        (
            "ECS34",
            "MediumHighPowerThreshold",
            Slot::Dlms {
                data: 0,
                path: &[1],
            },
            Integer,
        ),
        // The recordings: Disable (IMMEDIATE, CANCELLATION) sets TRUE, Unchanged
        // (FUTURE_DATED) FALSE.
        (
            "ECS28a",
            "LoadLimitSupplyState",
            d(0),
            Boolean {
                when_true: "Disable",
                when_false: "Unchanged",
            },
        ),
        ("ECS28a", "LoadLimitPowerThreshold", d(1), Integer),
        ("ECS28a", "LoadLimitPeriod", d(2), Integer),
        ("ECS28a", "LoadLimitRestorationPeriod", d(3), Integer),
        ("ECS38", "RandomisedOffsetLimit", d(0), Integer),
        ("ECS39b", "ExportMPAN", d(0), Ascii),
        ("GCS07", "SupplierMessage", z("message"), Ascii),
        (
            "GCS40a",
            "PrepaymentMode/AdjustMeterBalance",
            z("credit_adjustment_value"),
            Integer,
        ),
        (
            "GCS40c",
            "CreditMode/AdjustMeterBalance",
            z("credit_adjustment_value"),
            Integer,
        ),
        ("GCS41", "ImportMPRN", z("site_id"), Ascii),
        ("GCS44", "SupplierName", z("proposed_provider_name"), Ascii),
        (
            "GCS44",
            "SupplierTelephoneNumber",
            z("proposed_provider_contact_details"),
            Ascii,
        ),
    ]
};

/// The value parameters of a use case whose skeleton is for a single-element meter only
/// (the twin recordings carry two MPANs: not bound).
const SINGLE_ELEMENT_VALUES: &[(&str, &str, Slot, Conversion)] = &[(
    "ECS39a",
    "ImportMPANs/ImportMPAN",
    Slot::Dlms { data: 0, path: &[] },
    Conversion::Ascii,
)];

/// The bindings implemented, with the parameter paths each reads.
pub const BINDINGS: &[(Binding, &[&str])] = &[
    (
        Binding::ReadLogPeriod,
        &["ReadLogPeriod/StartDateTime", "ReadLogPeriod/EndDateTime"],
    ),
    (Binding::ExecutionDateTime, &[EXECUTION]),
    (Binding::Value, &["see VALUES"]),
    (Binding::SynchroniseClock, &[CURRENT, TOLERANCE]),
    (Binding::GasBillingCalendar, &[BILLING_START, PERIODICITY]),
];

const BILLING_START: &str = "GasBillingCalendar/BillingPeriodStart";
const PERIODICITY: &str = "GasBillingCalendar/Periodicity";
const GAS_BILLING_USE_CASES: &[&str] = &["GCS25", "GCS25a"];
/// The periodicities the RTDS shows (GCS25 monthly, GCS25a six-monthly), in months: the others
/// (daily, weekly need another duration unit; quarterly, yearly are unrecorded) are refused.
const PERIODICITY_MONTHS: &[(&str, u64)] = &[("Monthly", 1), ("SixMonthly", 6)];

/// The gas billing calendar: both ZCL commands (Publish Billing Period, Publish Block Period)
/// start at `BillingPeriodStart` and last `Periodicity` months.
fn bind_gas_billing_calendar(
    params: &mut Params,
    command: &mut Command,
) -> Result<(), TransformError> {
    let (Some(start), Some(periodicity)) = (params.value(BILLING_START), params.value(PERIODICITY))
    else {
        return Ok(()); // one without the other: left unused, refused
    };
    let start_time = DateTime::parse(start)
        .map_err(|expected| TransformError::BadParameter {
            path: BILLING_START.into(),
            expected: expected.into(),
            found: start.into(),
        })
        .and_then(|t| zigbee_time(t, BILLING_START))?;
    let months = PERIODICITY_MONTHS
        .iter()
        .find(|(name, _)| *name == periodicity.trim())
        .map(|(_, m)| *m)
        .ok_or_else(|| TransformError::BadParameter {
            path: PERIODICITY.into(),
            expected: "Monthly or SixMonthly (the periodicities this transform carries)".into(),
            found: periodicity.into(),
        })?;
    let Payload::Gbz(gbz) = &mut command.payload else {
        return Err(command.skeleton_error("not a GBZ payload"));
    };
    let mut set = (0, 0);
    for c in &mut gbz.components {
        if let ComponentBody::Plain {
            payload: ZclPayload::Command { fields },
            ..
        } = &mut c.body
        {
            for f in &mut fields.0 {
                match (f.name, &mut f.value) {
                    ("billing_period_start_time" | "block_period_start_time", Value::Utc(t)) => {
                        *t = start_time;
                        set.0 += 1;
                    }
                    (
                        "billing_period_duration" | "block_period_duration",
                        Value::Uint { value, .. },
                    ) => {
                        *value = months;
                        set.1 += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    if set.0 == 0 || set.1 == 0 {
        return Err(command.skeleton_error("no billing period in its payload"));
    }
    params.take(BILLING_START);
    params.take(PERIODICITY);
    Ok(())
}

const CURRENT: &str = "CurrentDateTime";
const TOLERANCE: &str = "TolerancePeriod";
/// Use cases whose command is the DLMS clock preset of a clock synchronisation.
const CLOCK_USE_CASES: &[&str] = &["ECS70", "ECS70Commission"];

/// The preset-adjusting-time parameter `{preset time, validity start, validity end}` of a
/// clock synchronisation: start = `CurrentDateTime`, end = start + `TolerancePeriod` seconds.
fn bind_synchronise_clock(
    params: &mut Params,
    command: &mut Command,
) -> Result<(), TransformError> {
    let (Some(current), Some(tolerance)) = (params.value(CURRENT), params.value(TOLERANCE)) else {
        return Ok(()); // one without the other: left unused, refused
    };
    let start = DateTime::parse(current).map_err(|expected| TransformError::BadParameter {
        path: CURRENT.into(),
        expected: expected.into(),
        found: current.into(),
    })?;
    let seconds: u32 =
        integer(tolerance, 0u32, 86_400).map_err(|expected| TransformError::BadParameter {
            path: TOLERANCE.into(),
            expected,
            found: tolerance.chars().take(64).collect(),
        })?;
    let end =
        start
            .plus_seconds(i64::from(seconds))
            .ok_or_else(|| TransformError::BadParameter {
                path: TOLERANCE.into(),
                expected: "a validity interval ending before year 10000".into(),
                found: tolerance.into(),
            })?;
    let slots = match &mut command.payload {
        Payload::Dlms(apdu) => match &mut apdu.body {
            dlms::DlmsBody::AccessRequest(req) => match req.data.get_mut(1) {
                Some(Data::Structure(items)) => match items.as_mut_slice() {
                    [_, Data::OctetString(from), Data::OctetString(to)]
                        if from.len() == 12 && to.len() == 12 =>
                    {
                        Some((from, to))
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let Some((from, to)) = slots else {
        return Err(command.skeleton_error("no clock preset validity interval in its payload"));
    };
    *from = start.dlms().to_vec().into();
    *to = end.dlms().to_vec().into();
    params.take(CURRENT);
    params.take(TOLERANCE);
    Ok(())
}

const EXECUTION: &str = "ExecutionDateTime";

/// A DLMS execution date-time meaning "at once", as the immediate recordings carry it.
const DLMS_IMMEDIATE: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0xFF];
/// A DLMS execution date-time cancelling a pending future-dated command.
const DLMS_CANCEL: [u8; 12] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF,
];

/// Sets one field from a parameter's text.
fn bind_value(
    command: &mut Command,
    path: &str,
    text: &str,
    slot: Slot,
    conversion: Conversion,
) -> Result<(), TransformError> {
    let bad = |expected: String| TransformError::BadParameter {
        path: path.into(),
        expected,
        found: text.chars().take(64).collect(),
    };
    let missing = || format!("no {slot:?} in its payload");
    match (slot, &mut command.payload) {
        (Slot::Dlms { data, path: inner }, Payload::Dlms(apdu)) => {
            let dlms::DlmsBody::AccessRequest(req) = &mut apdu.body else {
                return Err(command_error(
                    &command.use_case,
                    &command.skeleton,
                    missing(),
                ));
            };
            let mut item = req.data.get_mut(data);
            for i in inner {
                item = match item {
                    Some(Data::Array(v) | Data::Structure(v)) => v.get_mut(*i),
                    _ => None,
                };
            }
            let Some(item) = item else {
                return Err(command_error(
                    &command.use_case,
                    &command.skeleton,
                    missing(),
                ));
            };
            set_dlms_value(item, text, conversion, path).map_err(bad)
        }
        (Slot::Gbz { component, field }, Payload::Gbz(gbz)) => {
            let f = gbz
                .components
                .get_mut(component)
                .and_then(|c| match &mut c.body {
                    ComponentBody::Plain {
                        payload: ZclPayload::Command { fields },
                        ..
                    } => fields.0.iter_mut().find(|f| f.name == field),
                    _ => None,
                });
            let Some(f) = f else {
                return Err(command_error(
                    &command.use_case,
                    &command.skeleton,
                    missing(),
                ));
            };
            set_gbz_value(&mut f.value, text, conversion, path).map_err(bad)
        }
        (Slot::UnjoinOtherDevice, Payload::Asn1(der)) => {
            let crate::codec::asn1::Asn1Body::UnjoinCommand(unjoin) = der.body.as_mut() else {
                return Err(command_error(
                    &command.use_case,
                    &command.skeleton,
                    missing(),
                ));
            };
            if conversion != Conversion::EntityId {
                return Err(bad("(an EUI-64 field)".into()));
            }
            unjoin.other_device_entity_identifier = eui64(text).map_err(bad)?.to_vec().into();
            Ok(())
        }
        _ => Err(command_error(
            &command.use_case,
            &command.skeleton,
            missing(),
        )),
    }
}

/// A DUIS EUI-64: eight hex octets joined by `-`.
fn eui64(text: &str) -> Result<[u8; 8], String> {
    const EXPECTED: &str = "an EUI-64 as eight hex octets joined by '-' (00-DB-12-34-56-78-90-A0)";
    let parts: Vec<&str> = text.trim().split('-').collect();
    if parts.len() != 8 {
        return Err(EXPECTED.into());
    }
    let mut out = [0u8; 8];
    for (o, p) in out.iter_mut().zip(parts) {
        if p.len() != 2 || !p.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(EXPECTED.into());
        }
        *o = u8::from_str_radix(p, 16).map_err(|_| EXPECTED.to_string())?;
    }
    Ok(out)
}

fn command_error(use_case: &str, skeleton: &str, reason: String) -> TransformError {
    TransformError::Skeleton {
        use_case: use_case.into(),
        skeleton: skeleton.into(),
        reason,
    }
}

fn ascii(text: &str) -> Result<Vec<u8>, String> {
    if text.len() > 255 || !text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Err("printable ASCII text of at most 255 characters".into());
    }
    Ok(text.as_bytes().to_vec())
}

/// A decimal integer in `min..=max` (the field's type's range, or narrower).
fn integer<T>(text: &str, min: T, max: T) -> Result<T, String>
where
    T: TryFrom<i128> + Into<i128> + Copy + std::fmt::Display,
{
    let range = || format!("an integer from {min} to {max}");
    let t = text.trim();
    if t.is_empty() || t.len() > 40 {
        return Err(range());
    }
    let v: i128 = t.parse().map_err(|_| range())?;
    if v < min.into() || v > max.into() {
        return Err(range());
    }
    T::try_from(v).map_err(|_| range())
}

fn set_dlms_value(
    d: &mut Data,
    text: &str,
    conversion: Conversion,
    path: &str,
) -> Result<(), String> {
    match (conversion, d) {
        (Conversion::Integer, Data::Unsigned(v)) => *v = integer(text, u8::MIN, u8::MAX)?,
        (Conversion::Integer, Data::LongUnsigned(v)) => *v = integer(text, u16::MIN, u16::MAX)?,
        (Conversion::Integer, Data::DoubleLongUnsigned(v)) => {
            *v = integer(text, u32::MIN, u32::MAX)?
        }
        (Conversion::Integer, Data::Long64Unsigned(v)) => *v = integer(text, u64::MIN, u64::MAX)?,
        (Conversion::Integer, Data::Integer(v)) => *v = integer(text, i8::MIN, i8::MAX)?,
        (Conversion::Integer, Data::Long(v)) => *v = integer(text, i16::MIN, i16::MAX)?,
        (Conversion::Integer, Data::DoubleLong(v)) => *v = integer(text, i32::MIN, i32::MAX)?,
        (Conversion::Integer, Data::Long64(v)) => *v = integer(text, i64::MIN, i64::MAX)?,
        (Conversion::Ascii, Data::OctetString(b) | Data::VisibleString(b)) => {
            *b = ascii(text)?.into()
        }
        (Conversion::DateTime, Data::OctetString(b)) if b.len() == 12 => {
            *b = DateTime::parse(text)?.dlms().to_vec().into()
        }
        (Conversion::DateTime, Data::DateTime(b)) => *b = DateTime::parse(text)?.dlms(),
        (
            Conversion::Boolean {
                when_true,
                when_false,
            },
            Data::Boolean(v),
        ) => {
            *v = match text.trim() {
                t if t == when_true => 0xFF,
                t if t == when_false => 0x00,
                _ => return Err(format!("{when_true} or {when_false}")),
            }
        }
        (Conversion::EntityId, Data::OctetString(b)) if b.len() == 8 => {
            *b = eui64(text)?.to_vec().into()
        }
        (_, other) => {
            return Err(format!(
                "(the transform of {path} found a {} field it cannot set)",
                other.type_name()
            ))
        }
    }
    Ok(())
}

fn set_gbz_value(
    v: &mut Value,
    text: &str,
    conversion: Conversion,
    path: &str,
) -> Result<(), String> {
    match (conversion, v) {
        (Conversion::Integer, Value::Uint { width, value }) => {
            let max = if *width >= 8 {
                u64::MAX
            } else {
                (1u64 << (8 * u32::from(*width))) - 1
            };
            *value = integer(text, 0u64, max)?;
        }
        (Conversion::Integer, Value::Int { width, value }) => {
            let bits = 8 * u32::from((*width).clamp(1, 8));
            let (min, max) = if bits >= 64 {
                (i64::MIN, i64::MAX)
            } else {
                (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
            };
            *value = integer(text, min, max)?;
        }
        (Conversion::Ascii, Value::OctetString(b) | Value::CharString(b)) => {
            *b = ascii(text)?.into()
        }
        (Conversion::DateTime, Value::Utc(t)) => {
            let d = DateTime::parse(text)?;
            *t = zigbee_time(d, path).map_err(|e| e.to_string())?;
        }
        (_, _) => {
            return Err(format!(
                "(the transform of {path} found a field it cannot set)"
            ))
        }
    }
    Ok(())
}

/// `ExecutionDateTime`: every execution date-time of the (immediate) skeleton, a DLMS
/// date-time `00…00 8000 FF` or a ZCL UTC time 0, becomes the request's, or the cancellation
/// value (all ones) for DUIS's 3000-12-31T00:00:00Z, as the RTDS future-dated and cancelling
/// recordings of ECS02, ECS28a, ECS46c, GCS02, GCS03 have them.
fn bind_execution_date_time(
    params: &mut Params,
    command: &mut Command,
) -> Result<(), TransformError> {
    let Some(text) = params.value(EXECUTION) else {
        return Ok(());
    };
    let t = DateTime::parse(text).map_err(|expected| TransformError::BadParameter {
        path: EXECUTION.into(),
        expected: expected.into(),
        found: text.into(),
    })?;
    let cancel = t == DateTime::OPEN_END;
    let mut found = 0;
    match &mut command.payload {
        Payload::Dlms(apdu) => {
            let value = if cancel { DLMS_CANCEL } else { t.dlms() };
            for_each_data(apdu, &mut |d| match d {
                Data::OctetString(b) if b.as_slice() == DLMS_IMMEDIATE => {
                    *b = value.to_vec().into();
                    found += 1;
                }
                Data::DateTime(b) if *b == DLMS_IMMEDIATE => {
                    *b = value;
                    found += 1;
                }
                _ => {}
            });
        }
        Payload::Gbz(gbz) => {
            let value = if cancel {
                UtcTime(u32::MAX)
            } else {
                zigbee_time(t, EXECUTION)?
            };
            for c in &mut gbz.components {
                if let ComponentBody::Plain {
                    payload: ZclPayload::Command { fields },
                    ..
                } = &mut c.body
                {
                    for f in &mut fields.0 {
                        if f.value == Value::Utc(UtcTime(0)) {
                            f.value = Value::Utc(value);
                            found += 1;
                        }
                    }
                }
            }
        }
        Payload::Asn1(_) => {}
    }
    if found > 0 {
        params.take(EXECUTION);
    }
    Ok(())
}

/// GBZ log reads whose window the DCC passes through as the User gives it (the recordings of
/// GCS15c, GCS17, GCS18 and GCS61 show other rules: a number of intervals, a window moved
/// to billing dates; those are not transformed).
const GBZ_LOG_WINDOW_USE_CASES: &[&str] = &[
    "GCS15b", "GCS15d", "GCS15e", "GCS16a", "GCS16b", "CS10a", "CS10b",
];

fn bind(
    params: &mut Params,
    use_case: &str,
    skeletons: &Skeletons,
    command: &mut Command,
) -> Result<(), TransformError> {
    if params.value(EXECUTION).is_some() && skeletons.future_dated(use_case) {
        bind_execution_date_time(params, command)?;
    }
    if CLOCK_USE_CASES.contains(&use_case) {
        bind_synchronise_clock(params, command)?;
    }
    if GAS_BILLING_USE_CASES.contains(&use_case) {
        bind_gas_billing_calendar(params, command)?;
    }
    let single = !command.skeleton.contains("_TWIN");
    let values = VALUES
        .iter()
        .chain(SINGLE_ELEMENT_VALUES.iter().filter(|_| single))
        .filter(|(u, ..)| *u == use_case);
    for (_, path, slot, conversion) in values {
        if let Some(text) = params.value(path).map(str::to_string) {
            bind_value(command, path, &text, *slot, *conversion)?;
            params.take(path);
        }
    }
    if params.value("ReadLogPeriod/StartDateTime").is_some()
        || params.value("ReadLogPeriod/EndDateTime").is_some()
    {
        bind_read_log_period(params, use_case, command)?;
    }
    Ok(())
}

fn bind_read_log_period(
    params: &mut Params,
    use_case: &str,
    command: &mut Command,
) -> Result<(), TransformError> {
    const START: &str = "ReadLogPeriod/StartDateTime";
    const END: &str = "ReadLogPeriod/EndDateTime";
    let is_gbz = matches!(command.payload, Payload::Gbz(_));
    if is_gbz && !GBZ_LOG_WINDOW_USE_CASES.contains(&use_case) {
        // Left unused: refused as a parameter this transform does not carry.
        return Ok(());
    }
    let (Some(start), Some(end)) = (params.value(START), params.value(END)) else {
        return Ok(()); // one without the other: left unused, refused
    };
    let start = DateTime::parse(start).map_err(|expected| TransformError::BadParameter {
        path: START.into(),
        expected: expected.into(),
        found: start.into(),
    })?;
    let end = DateTime::parse(end).map_err(|expected| TransformError::BadParameter {
        path: END.into(),
        expected: expected.into(),
        found: end.into(),
    })?;
    if end < start {
        return Err(TransformError::BadParameter {
            path: END.into(),
            expected: "a date-time not before StartDateTime".into(),
            found: end.to_string(),
        });
    }
    let found = match &mut command.payload {
        Payload::Dlms(apdu) => set_dlms_range(apdu, start, end, START, END)?,
        Payload::Gbz(gbz) => set_gbz_window(gbz, start, end, START, END)?,
        Payload::Asn1(_) => 0,
    };
    if found == 0 {
        return Err(command.skeleton_error("no log window in its payload to set"));
    }
    params.take(START);
    params.take(END);
    Ok(())
}

/// Sets the (from, to) of every range in the APDU: a selective-access range descriptor
/// `{restricting object, from, to, selected values}` or a Data Protection access selection
/// `{enum 1, {from, to}}`. Returns how many ranges were set.
fn set_dlms_range(
    apdu: &mut DlmsApdu,
    start: DateTime,
    end: DateTime,
    start_path: &str,
    end_path: &str,
) -> Result<usize, TransformError> {
    let mut found = 0;
    let mut error = None;
    for_each_data(apdu, &mut |d| {
        let Data::Structure(items) = d else { return };
        let slots = match items.as_mut_slice() {
            [Data::Structure(obj), from, to, Data::Array(_)]
                if obj.len() == 4 && is_time_value(from) && is_time_value(to) =>
            {
                Some((from, to))
            }
            [Data::Enum(1), Data::Structure(range)] => match range.as_mut_slice() {
                [from, to] if is_time_value(from) && is_time_value(to) => Some((from, to)),
                _ => None,
            },
            _ => None,
        };
        if let Some((from, to)) = slots {
            let r = set_time_value(from, start, start_path)
                .and_then(|()| set_time_value(to, end, end_path));
            match r {
                Ok(()) => found += 1,
                Err(e) => error = Some(e),
            }
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

fn is_time_value(d: &Data) -> bool {
    match d {
        Data::OctetString(b) => b.len() == 12,
        Data::DoubleLongUnsigned(_) | Data::DateTime(_) => true,
        _ => false,
    }
}

fn set_time_value(d: &mut Data, t: DateTime, path: &str) -> Result<(), TransformError> {
    match d {
        Data::OctetString(b) => *b = t.dlms().to_vec().into(),
        Data::DateTime(b) => *b = t.dlms(),
        Data::DoubleLongUnsigned(v) => {
            *v = t
                .seconds_since_2000()
                .and_then(|s| u32::try_from(s).ok())
                .ok_or_else(|| TransformError::BadParameter {
                    path: path.into(),
                    expected: "a date-time from 2000-01-01T00:00:00Z to 2136-02-07T06:28:15Z"
                        .into(),
                    found: t.to_string(),
                })?
        }
        _ => {}
    }
    Ok(())
}

/// Sets the window of every GBZ log read: its `earliest_start_time` and `latest_end_time`,
/// its `start_time` and `end_time` (event logs), or its extended header's from-date-time and
/// `latest_end_time` (debt repayment and top-up logs).
fn set_gbz_window(
    gbz: &mut gbz::GbzPayload,
    start: DateTime,
    end: DateTime,
    start_path: &str,
    end_path: &str,
) -> Result<usize, TransformError> {
    let mut found = 0;
    for c in &mut gbz.components {
        let ComponentBody::Plain {
            payload: ZclPayload::Command { fields },
            ..
        } = &mut c.body
        else {
            continue;
        };
        let has = |n: &str| matches!(fields.get(n), Some(Value::Utc(_)));
        let (start_field, end_field) = if has("earliest_start_time") && has("latest_end_time") {
            (Some("earliest_start_time"), "latest_end_time")
        } else if has("start_time") && has("end_time") {
            (Some("start_time"), "end_time")
        } else if c.from_date_time.is_some() && has("latest_end_time") {
            (None, "latest_end_time")
        } else {
            continue;
        };
        let start_time = zigbee_time(start, start_path)?;
        let end_time = zigbee_time(end, end_path)?;
        match start_field {
            None => c.from_date_time = Some(start_time),
            Some(name) => {
                if let Some(f) = fields.0.iter_mut().find(|f| f.name == name) {
                    f.value = Value::Utc(start_time);
                }
            }
        }
        if let Some(f) = fields.0.iter_mut().find(|f| f.name == end_field) {
            f.value = Value::Utc(end_time);
        }
        found += 1;
    }
    Ok(found)
}

/// A ZigBee UTCTime. DUIS's open end, 3000-12-31T00:00:00Z, beyond what a UTCTime holds,
/// is the largest valid one (`FFFFFFFE`), as the DCC sends it (RTDS GCS15e).
fn zigbee_time(t: DateTime, path: &str) -> Result<UtcTime, TransformError> {
    if t == DateTime::OPEN_END {
        return Ok(UtcTime(0xFFFF_FFFE));
    }
    t.seconds_since_2000()
        .and_then(|s| u32::try_from(s).ok())
        .filter(|s| *s != u32::MAX)
        .map(UtcTime)
        .ok_or_else(|| TransformError::BadParameter {
            path: path.into(),
            expected: "a date-time from 2000-01-01T00:00:00Z to 2136-02-07T06:28:14Z, or 3000-12-31T00:00:00Z".into(),
            found: t.to_string(),
        })
}

// ---------------------------------------------------------------------------------------------
// Date-times

/// A UTC `xs:dateTime` as DUIS writes it (`2015-01-01T00:00:00.00Z`), to the hundredth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub hundredths: u8,
}

impl DateTime {
    /// DUIS's "no end" date-time.
    pub const OPEN_END: DateTime = DateTime {
        year: 3000,
        month: 12,
        day: 31,
        hour: 0,
        minute: 0,
        second: 0,
        hundredths: 0,
    };

    /// `YYYY-MM-DDThh:mm:ss[.f+](Z|+00:00)`; a time with no zone is taken as UTC.
    pub fn parse(s: &str) -> Result<DateTime, &'static str> {
        const EXPECTED: &str = "a UTC date-time YYYY-MM-DDThh:mm:ss[.ff]Z";
        let s = s.trim();
        let s = s
            .strip_suffix('Z')
            .or_else(|| s.strip_suffix("+00:00"))
            .unwrap_or(s);
        let b = s.as_bytes();
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(EXPECTED);
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, &'static str> {
            let t = &s[r];
            if t.bytes().all(|c| c.is_ascii_digit()) {
                t.parse().map_err(|_| EXPECTED)
            } else {
                Err(EXPECTED)
            }
        };
        let year = num(0..4)?;
        let month = num(5..7)?;
        let day = num(8..10)?;
        let hour = num(11..13)?;
        let minute = num(14..16)?;
        let second = num(17..19)?;
        let hundredths = match &s[19..] {
            "" => 0,
            frac => {
                let digits = frac.strip_prefix('.').ok_or(EXPECTED)?;
                if digits.is_empty()
                    || digits.len() > 9
                    || !digits.bytes().all(|c| c.is_ascii_digit())
                {
                    return Err(EXPECTED);
                }
                let two: String = digits.chars().chain("00".chars()).take(2).collect();
                if digits.len() > 2 && digits[2..].bytes().any(|c| c != b'0') {
                    return Err("a date-time to the hundredth of a second");
                }
                two.parse().map_err(|_| EXPECTED)?
            }
        };
        let days_in_month = |y: u32, m: u32| match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
            2 => 28,
            _ => 0,
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
            || year == 0
        {
            return Err("a valid date and time of day");
        }
        Ok(DateTime {
            year: year as u16,
            month: month as u8,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            hundredths: hundredths as u8,
        })
    }

    /// Seconds since 2000-01-01T00:00:00Z (negative before).
    pub fn seconds_since_2000(self) -> Option<i64> {
        let days = crate::codec::calendar::days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        ) - crate::codec::calendar::DAYS_1970_TO_2000;
        let s = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        (s >= 0).then_some(s)
    }

    /// This date-time plus `seconds` (hundredths kept), if still a year 1–9999.
    pub fn plus_seconds(self, seconds: i64) -> Option<DateTime> {
        use crate::codec::calendar::{civil_from_days, days_from_civil};
        let days = days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        );
        let total = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            + seconds;
        let (y, m, d) = civil_from_days(total.div_euclid(86_400));
        let tod = total.rem_euclid(86_400);
        if !(1..=9999).contains(&y) {
            return None;
        }
        Some(DateTime {
            year: y as u16,
            month: m as u8,
            day: d as u8,
            hour: (tod / 3600) as u8,
            minute: (tod / 60 % 60) as u8,
            second: (tod % 60) as u8,
            hundredths: self.hundredths,
        })
    }

    /// The COSEM date-time: year, month, day, day of week not specified, time, hundredths,
    /// deviation not specified (`8000`), clock status not specified (`FF`), as the DCC
    /// writes a User's UTC date-time.
    pub fn dlms(self) -> [u8; 12] {
        let y = self.year.to_be_bytes();
        [
            y[0],
            y[1],
            self.month,
            self.day,
            0xFF,
            self.hour,
            self.minute,
            self.second,
            self.hundredths,
            0x80,
            0x00,
            0xFF,
        ]
    }
}

impl std::fmt::Display for DateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.hundredths
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_parse_as_duis_writes_them() {
        let t = DateTime::parse("2014-03-09T00:00:00.00Z").unwrap();
        assert_eq!(t.dlms(), hex_array("07DE0309FF000000008000FF"));
        assert_eq!(
            DateTime::parse("2014-12-31T00:00:00.00Z")
                .unwrap()
                .seconds_since_2000(),
            Some(473_299_200)
        );
        for bad in [
            "2014-02-30T00:00:00Z",
            "2014-13-01T00:00:00Z",
            "2014-01-01T24:00:00Z",
            "2014-01-01",
            "yesterday",
            "2014-01-01T00:00:00.001Z",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
    }

    fn hex_array(s: &str) -> [u8; 12] {
        hex::decode(s).unwrap().try_into().unwrap()
    }
}
