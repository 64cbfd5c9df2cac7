//! The three xDLMS APDUs GBCS uses: access-request (`D9`), access-response (`DA`) and
//! data-notification (`0F`), dlms.md §1–6.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::data::{CipheredData, Data};
use super::names::{action_result_name, class_name, data_access_result_name};
use super::obis::ObisCode;
use crate::codec::bytes::Bytes;
use crate::codec::ciphered::{BlockStats, Decryptor};
use crate::codec::error::{DecodeError, DecodeErrorKind, DecodeResult};
use crate::codec::length::{read_length, write_length};
use crate::codec::reader::Reader;

pub const TAG_ACCESS_REQUEST: u8 = 0xD9;
pub const TAG_ACCESS_RESPONSE: u8 = 0xDA;
pub const TAG_DATA_NOTIFICATION: u8 = 0x0F;

/// class-id (2) + OBIS (6) + attribute/method id (1) after the choice byte.
const MIN_SPEC_LEN: usize = 10;

/// The priority byte of a long-invoke-id-and-priority (`20` in every corpus message).
pub const INVOKE_PRIORITY_FLAGS: u8 = 0x20;

/// GBCS: a DLMS APDU's invoke id is the low 24 bits of the General Signing counter of the
/// command (a response echoes the command's).
pub fn invoke_id_from_counter(counter: u64) -> u32 {
    (counter & 0x00FF_FFFF) as u32
}

/// The long-invoke-id-and-priority word for a counter: the priority flags, then the invoke id.
pub fn long_invoke_id_and_priority(counter: u64) -> u32 {
    (u32::from(INVOKE_PRIORITY_FLAGS) << 24) | invoke_id_from_counter(counter)
}

/// The ECS45 command content (read supply status: get IC 70 `0-0:96.3.10.255` attribute 3),
/// the read the load generator and the tests send: an access-request with the invoke id of
/// `counter`, no date-time, one get and one null-data.
pub fn read_supply_status(counter: u64) -> Vec<u8> {
    let mut content = vec![TAG_ACCESS_REQUEST];
    content.extend_from_slice(&long_invoke_id_and_priority(counter).to_be_bytes());
    content.push(0); // date-time: none
    content.extend_from_slice(&[1, 1]); // one specification: get
    content.extend_from_slice(&super::names::class::DISCONNECT_CONTROL.to_be_bytes());
    content.extend_from_slice(&[0, 0, 96, 3, 10, 255]);
    content.push(3); // attribute: control_state
    content.extend_from_slice(&[1, 0]); // one data: null-data
    content
}

#[derive(Debug, Clone, PartialEq)]
pub struct DlmsApdu {
    /// Low 24 bits of long-invoke-id-and-priority: the low 24 bits of the GS counter.
    pub invoke_id: u32,
    /// High byte of long-invoke-id-and-priority (always `20` in the corpus).
    pub flags: u8,
    /// The APDU date-time octet string (empty in every corpus message).
    pub date_time: Bytes,
    pub body: DlmsBody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApduKind {
    AccessRequest,
    AccessResponse,
    DataNotification,
}

impl ApduKind {
    pub fn name(self) -> &'static str {
        match self {
            ApduKind::AccessRequest => "access_request",
            ApduKind::AccessResponse => "access_response",
            ApduKind::DataNotification => "data_notification",
        }
    }

    pub fn tag(self) -> u8 {
        match self {
            ApduKind::AccessRequest => TAG_ACCESS_REQUEST,
            ApduKind::AccessResponse => TAG_ACCESS_RESPONSE,
            ApduKind::DataNotification => TAG_DATA_NOTIFICATION,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DlmsBody {
    AccessRequest(AccessRequest),
    AccessResponse(AccessResponse),
    DataNotification(DataNotification),
}

/// `N | spec[1..N] | N | data[1..N]`: the two lists are kept separately (they have equal
/// length in every corpus command, but nothing on the wire forces it).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessRequest {
    pub specs: Vec<RequestSpec>,
    pub data: Vec<Data>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccessResponse {
    /// The OPTIONAL echo of the request specifications (absent in the whole corpus).
    pub request_specs: Option<Vec<RequestSpec>>,
    pub data: Vec<Data>,
    pub results: Vec<AccessResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataNotification {
    pub body: Data,
}

impl DataNotification {
    /// Element 0 of the body structure (a long-unsigned), dlms.md §6.
    pub fn alert_code(&self) -> Option<u16> {
        match self.body.items()?.first()? {
            Data::LongUnsigned(code) => Some(*code),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecKind {
    Get,
    Set,
    Action,
    GetWithSelection,
    SetWithSelection,
}

impl SpecKind {
    pub fn from_choice(choice: u8) -> Option<SpecKind> {
        Some(match choice {
            1 => SpecKind::Get,
            2 => SpecKind::Set,
            3 => SpecKind::Action,
            4 => SpecKind::GetWithSelection,
            // Never seen in the corpus; decoded with the same layout as get-with-selection.
            5 => SpecKind::SetWithSelection,
            _ => return None,
        })
    }

    pub fn choice(self) -> u8 {
        match self {
            SpecKind::Get => 1,
            SpecKind::Set => 2,
            SpecKind::Action => 3,
            SpecKind::GetWithSelection => 4,
            SpecKind::SetWithSelection => 5,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SpecKind::Get => "get",
            SpecKind::Set => "set",
            SpecKind::Action => "action",
            SpecKind::GetWithSelection => "get_with_selection",
            SpecKind::SetWithSelection => "set_with_selection",
        }
    }

    pub fn has_selection(self) -> bool {
        matches!(
            self,
            SpecKind::GetWithSelection | SpecKind::SetWithSelection
        )
    }
}

/// One access-request-specification. `selection` is present exactly for the
/// `*_with_selection` kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    pub kind: SpecKind,
    pub class_id: u16,
    pub obis: ObisCode,
    /// Attribute id, or method id for `action`.
    pub id: i8,
    pub selection: Option<Selection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub selector: u8,
    pub parameters: Data,
}

impl RequestSpec {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<RequestSpec> {
        let at = r.offset();
        let choice = r.u8("access-request-specification choice")?;
        let kind = SpecKind::from_choice(choice).ok_or(DecodeError::new(
            at,
            DecodeErrorKind::UnexpectedByte {
                expected: "access-request-specification choice 1-5",
                found: choice,
            },
        ))?;
        let class_id = r.u16_be("class-id")?;
        let obis = ObisCode(r.array("OBIS code")?);
        let id = r.i8(if kind == SpecKind::Action {
            "method-id"
        } else {
            "attribute-id"
        })?;
        let selection = if kind.has_selection() {
            let selector = r.u8("access-selector")?;
            let parameters = Data::decode(r)?;
            Some(Selection {
                selector,
                parameters,
            })
        } else {
            None
        };
        Ok(RequestSpec {
            kind,
            class_id,
            obis,
            id,
            selection,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind.choice());
        out.extend_from_slice(&self.class_id.to_be_bytes());
        out.extend_from_slice(self.obis.as_bytes());
        out.push(self.id as u8);
        if let Some(sel) = &self.selection {
            out.push(sel.selector);
            sel.parameters.encode(out);
        }
    }

    pub fn class_name(&self) -> Option<&'static str> {
        class_name(self.class_id)
    }

    /// (kind, class id, OBIS, attribute or method id): what the harness matches commands on.
    pub fn target(&self) -> (SpecKind, u16, ObisCode, i8) {
        (self.kind, self.class_id, self.obis, self.id)
    }
}

impl Serialize for RequestSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind.name())?;
        m.serialize_entry("class_id", &self.class_id)?;
        if let Some(name) = self.class_name() {
            m.serialize_entry("class", name)?;
        }
        m.serialize_entry("obis", &self.obis)?;
        let id_name = if self.kind == SpecKind::Action {
            "method"
        } else {
            "attribute"
        };
        m.serialize_entry(id_name, &self.id)?;
        if let Some(sel) = &self.selection {
            m.serialize_entry("selector", &sel.selector)?;
            m.serialize_entry("parameters", &sel.parameters)?;
        }
        m.end()
    }
}

/// One access-response-specification: the choice (1 get, 2 set, 3 action; get-with-selection
/// is answered with 1) and a data-access-result or action-result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessResult {
    pub choice: u8,
    pub code: u8,
}

impl AccessResult {
    /// The access-response-specification choice answering a get (or get-with-selection).
    pub const GET: u8 = 1;
    /// ... a set.
    pub const SET: u8 = 2;
    /// ... an action.
    pub const ACTION: u8 = 3;
    /// The result code of success (data-access-result and action-result alike).
    pub const SUCCESS: u8 = 0;

    /// The choice that answers a request specification of this kind.
    pub fn choice_for(kind: SpecKind) -> u8 {
        match kind {
            SpecKind::Get | SpecKind::GetWithSelection => AccessResult::GET,
            SpecKind::Set | SpecKind::SetWithSelection => AccessResult::SET,
            SpecKind::Action => AccessResult::ACTION,
        }
    }

    pub fn kind_name(&self) -> Option<&'static str> {
        match self.choice {
            1 => Some("get"),
            2 => Some("set"),
            3 => Some("action"),
            _ => None,
        }
    }

    pub fn is_action(&self) -> bool {
        self.choice == 3
    }

    pub fn is_success(&self) -> bool {
        self.code == 0
    }

    /// A get or set result, typed (`None` for an action's).
    pub fn data_access_result(&self) -> Option<crate::codec::enums::DataAccessResult> {
        matches!(self.choice, 1 | 2)
            .then(|| crate::codec::enums::DataAccessResult::from_code(self.code))
    }

    /// An action result, typed (`None` for a get's or set's).
    pub fn action_result(&self) -> Option<crate::codec::enums::ActionResult> {
        self.is_action()
            .then(|| crate::codec::enums::ActionResult::from_code(self.code))
    }

    pub fn result_name(&self) -> Option<&'static str> {
        match self.choice {
            1 | 2 => data_access_result_name(self.code),
            3 => action_result_name(self.code),
            _ => None,
        }
    }
}

impl Serialize for AccessResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.kind_name() {
            Some(k) => m.serialize_entry("kind", k)?,
            None => m.serialize_entry("choice", &self.choice)?,
        }
        match self.result_name() {
            Some(name) => m.serialize_entry("result", name)?,
            None => m.serialize_entry("code", &self.code)?,
        }
        m.end()
    }
}

/// Reads a list count and checks it against the bytes left before anything is allocated.
fn read_count(r: &mut Reader<'_>, min_each: usize, what: &'static str) -> DecodeResult<usize> {
    let n = read_length(r, what)?;
    let needed = n.saturating_mul(min_each);
    if needed > r.remaining() {
        return Err(r.error(DecodeErrorKind::Truncated {
            expected: what,
            needed,
            available: r.remaining(),
        }));
    }
    Ok(n)
}

fn decode_specs(r: &mut Reader<'_>) -> DecodeResult<Vec<RequestSpec>> {
    let n = read_count(r, 1 + MIN_SPEC_LEN, "access-request-specification count")?;
    let mut specs = Vec::with_capacity(n);
    for _ in 0..n {
        specs.push(RequestSpec::decode(r)?);
    }
    Ok(specs)
}

fn decode_data_list(r: &mut Reader<'_>) -> DecodeResult<Vec<Data>> {
    let n = read_count(r, 1, "access-request-list-of-data count")?;
    let mut data = Vec::with_capacity(n);
    for _ in 0..n {
        data.push(Data::decode(r)?);
    }
    Ok(data)
}

fn encode_specs(specs: &[RequestSpec], out: &mut Vec<u8>) {
    write_length(out, specs.len());
    for s in specs {
        s.encode(out);
    }
}

fn encode_data_list(data: &[Data], out: &mut Vec<u8>) {
    write_length(out, data.len());
    for d in data {
        d.encode(out);
    }
}

/// Decodes DLMS content; `base` is the absolute offset of `content[0]` in the frame.
pub fn decode(content: &[u8], base: usize) -> DecodeResult<DlmsApdu> {
    let mut r = Reader::with_base(content, base);
    let at = r.offset();
    let tag = r.u8("DLMS APDU tag")?;
    if !matches!(
        tag,
        TAG_ACCESS_REQUEST | TAG_ACCESS_RESPONSE | TAG_DATA_NOTIFICATION
    ) {
        return Err(DecodeError::new(
            at,
            DecodeErrorKind::UnexpectedByte {
                expected:
                    "DLMS APDU tag (D9 access-request, DA access-response, 0F data-notification)",
                found: tag,
            },
        ));
    }
    let liip = r.u32_be("long-invoke-id-and-priority")?;
    let dt_len = read_length(&mut r, "date-time length")?;
    let date_time = r.bytes(dt_len, "date-time")?.into();
    let body = match tag {
        TAG_ACCESS_REQUEST => {
            let specs = decode_specs(&mut r)?;
            let data = decode_data_list(&mut r)?;
            DlmsBody::AccessRequest(AccessRequest { specs, data })
        }
        TAG_ACCESS_RESPONSE => {
            let at = r.offset();
            let request_specs = match r.u8("access-request-specification presence")? {
                0 => None,
                1 => Some(decode_specs(&mut r)?),
                found => {
                    return Err(DecodeError::new(
                        at,
                        DecodeErrorKind::UnexpectedByte {
                            expected: "OPTIONAL presence flag 00 or 01",
                            found,
                        },
                    ))
                }
            };
            let mut data = decode_data_list(&mut r)?;
            let n = read_count(&mut r, 2, "access-response-specification count")?;
            let mut results = Vec::with_capacity(n);
            for _ in 0..n {
                let choice = r.u8("access-response-specification choice")?;
                let code = r.u8("access result")?;
                results.push(AccessResult { choice, code });
            }
            for (d, res) in data.iter_mut().zip(&results) {
                if res.is_action() {
                    d.mark_protected_block();
                }
            }
            DlmsBody::AccessResponse(AccessResponse {
                request_specs,
                data,
                results,
            })
        }
        _ => {
            let mut body = Data::decode(&mut r)?;
            body.mark_protected_block();
            DlmsBody::DataNotification(DataNotification { body })
        }
    };
    r.expect_end("DLMS APDU")?;
    Ok(DlmsApdu {
        invoke_id: liip & 0x00FF_FFFF,
        flags: (liip >> 24) as u8,
        date_time,
        body,
    })
}

impl DlmsApdu {
    pub fn kind(&self) -> ApduKind {
        match self.body {
            DlmsBody::AccessRequest(_) => ApduKind::AccessRequest,
            DlmsBody::AccessResponse(_) => ApduKind::AccessResponse,
            DlmsBody::DataNotification(_) => ApduKind::DataNotification,
        }
    }

    pub fn invoke_id(&self) -> u32 {
        self.invoke_id
    }

    /// The request's specifications (kind, class, OBIS, attribute/method); `None` for other APDUs.
    pub fn request_specs(&self) -> Option<&[RequestSpec]> {
        match &self.body {
            DlmsBody::AccessRequest(req) => Some(&req.specs),
            _ => None,
        }
    }

    /// The response's per-item results; `None` for other APDUs.
    pub fn results(&self) -> Option<&[AccessResult]> {
        match &self.body {
            DlmsBody::AccessResponse(resp) => Some(&resp.results),
            _ => None,
        }
    }

    /// The data list of a request or response.
    pub fn data(&self) -> Option<&[Data]> {
        match &self.body {
            DlmsBody::AccessRequest(req) => Some(&req.data),
            DlmsBody::AccessResponse(resp) => Some(&resp.data),
            DlmsBody::DataNotification(_) => None,
        }
    }

    pub fn alert_code(&self) -> Option<u16> {
        match &self.body {
            DlmsBody::DataNotification(n) => n.alert_code(),
            _ => None,
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind().tag());
        let liip = (u32::from(self.flags) << 24) | (self.invoke_id & 0x00FF_FFFF);
        out.extend_from_slice(&liip.to_be_bytes());
        write_length(out, self.date_time.len());
        out.extend_from_slice(self.date_time.as_slice());
        match &self.body {
            DlmsBody::AccessRequest(req) => {
                encode_specs(&req.specs, out);
                encode_data_list(&req.data, out);
            }
            DlmsBody::AccessResponse(resp) => {
                match &resp.request_specs {
                    None => out.push(0),
                    Some(specs) => {
                        out.push(1);
                        encode_specs(specs, out);
                    }
                }
                encode_data_list(&resp.data, out);
                write_length(out, resp.results.len());
                for res in &resp.results {
                    out.extend_from_slice(&[res.choice, res.code]);
                }
            }
            DlmsBody::DataNotification(n) => n.body.encode(out),
        }
    }

    pub fn encoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    pub(crate) fn data_mut(&mut self) -> Vec<&mut Data> {
        match &mut self.body {
            DlmsBody::AccessRequest(req) => req.data.iter_mut().collect(),
            DlmsBody::AccessResponse(resp) => resp.data.iter_mut().collect(),
            DlmsBody::DataNotification(n) => vec![&mut n.body],
        }
    }

    /// Calls `decrypt` for every ciphered block (the protected octet string of a Data
    /// Protection action result or of the ECS68 alert body, dlms.md §7) and decodes each
    /// plaintext, exactly one A-XDR `Data`, into the block's `decrypted`.
    pub fn decrypt_blocks(&mut self, decrypt: &mut Decryptor<'_>) -> BlockStats {
        let mut stats = BlockStats::default();
        let mut visit = |c: &mut CipheredData| {
            c.decrypted = None;
            if let Some(plaintext) = stats.record(decrypt(&c.block)) {
                // Plaintext offsets are relative to the plaintext itself.
                match Data::decode_exact(&plaintext, 0) {
                    Ok(d) => c.decrypted = Some(Box::new(d)),
                    Err(_) => stats.plaintext_undecodable += 1,
                }
            }
        };
        for d in self.data_mut() {
            d.for_each_ciphered(&mut visit);
        }
        stats
    }
}

impl Serialize for DlmsApdu {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind().name())?;
        m.serialize_entry("invoke_id", &self.invoke_id)?;
        m.serialize_entry("flags", &format!("{:02X}", self.flags))?;
        if !self.date_time.is_empty() {
            m.serialize_entry("date_time", &self.date_time)?;
        }
        match &self.body {
            DlmsBody::AccessRequest(req) => {
                m.serialize_entry("specs", &req.specs)?;
                m.serialize_entry("data", &req.data)?;
            }
            DlmsBody::AccessResponse(resp) => {
                if let Some(specs) = &resp.request_specs {
                    m.serialize_entry("request_specs", specs)?;
                }
                m.serialize_entry("data", &resp.data)?;
                m.serialize_entry("results", &resp.results)?;
            }
            DlmsBody::DataNotification(n) => {
                if let Some(code) = n.alert_code() {
                    m.serialize_entry("alert_code", &format!("0x{code:04X}"))?;
                }
                m.serialize_entry("body", &n.body)?;
            }
        }
        m.end()
    }
}
