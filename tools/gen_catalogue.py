#!/usr/bin/env python3
"""Regenerates src/codec/catalogue/table.rs from ../shared/catalogue.

The shared catalogue is reference material; the product carries its own copy of the facts it
needs as Rust data. Run from the repository root:  python3 tools/gen_catalogue.py
Corrections applied here (each one checked against the RTDS corpus, see the GBCS primer):
  * alert rows whose use-case id was split from their title ("Futured" / "Dated ...") get the
    RTDS folder-style id and the full title;
  * message codes used by RTDS but absent from message-codes.json are added (catalogued=false),
    with titles and message types from gbcs-use-cases.json where it has them;
  * the payload family comes from the corpus scan (content first byte), else from the prefix.

It also writes the DUIS tables (src/duis/services_table.rs, src/duis/codes_table.rs) from
../shared/duis (or $GBCS_DUIS_DIR): see generate_duis below.
  python3 tools/gen_catalogue.py              every table
  python3 tools/gen_catalogue.py --only duis  the DUIS tables only
  python3 tools/gen_catalogue.py --only gbcs  the GBCS catalogue tables only
Every file written is passed through rustfmt, as committed, so a rerun leaves them byte-identical.
"""
import argparse, json, os, re, subprocess, sys

SHARED = os.environ.get("GBCS_SHARED_DIR", "../shared")
DUIS = os.environ.get("GBCS_DUIS_DIR", os.path.join(SHARED, "duis"))
WRITTEN = []


def rustfmt(paths):
    """Formats the generated files as the committed ones are (rustfmt --edition 2021)."""
    if paths:
        subprocess.run(["rustfmt", "--edition", "2021", *paths], check=True)


# --- DUIS: service-request catalogue, response codes, DCC alert codes ------------------------
# Sources, all in ../shared/duis:
#   * request-matrix.json: name, reference, variant, critical, on demand, future-dated response
#     pattern, DCC scheduled, non-device, eligible user roles (one row per variant, 129);
#   * schema/duis-5.4.xsd: the enumeration of ServiceReferenceVariant with a "CV = ..." comment
#     per variant, the sr:Request body choice, the ResponseCode and DCCAlertCode enumerations;
#   * templates/*.XML: the body element each variant's request uses.
# Correction: a variant's reference is the schema's ServiceReference it extends where the
# matrix's does not fit (6.20.1 and 6.20.2 say "6.2").
# Allowed command variants (ServiceRequest::command_variants), the rule:
#   non-device -> 8; critical -> 4 (transform) and 5, 6, 7 (the signed pre-command);
#   any other (non-critical, device) -> 1, 2, 3.
# The XSD's "CV = ..." comment narrows the rule where it names a subset of it (8.1.1 Commission
# Device: 4, 5; 8.5 Service Opt Out: 1). Where the comment contradicts the matrix's critical
# flag (7.12, 7.13 critical but "CV = 1, 2, 3"; 7.14, 7.15 non-critical but "CV = 4, 5, 6, 7")
# the matrix wins: the RTDS templates agree with it (7.12/7.13 sent as CV 4, 7.14/7.15 as CV 1).
# Body element names (ServiceRequest::body) come from the templates (every variant has at least
# one); each is checked to be an element of the XSD's sr:Request body choice. SignedPreCommand,
# the body of CV 5/6/7, is not listed: it belongs to no one variant.
ROLES = {
    "IS": "ImportSupplier",
    "ES": "ExportSupplier",
    "GS": "GasSupplier",
    "RSA": "RegisteredSupplierAgent",
    "ED": "ElectricityDistributor",
    "GT": "GasTransporter",
    "OU": "OtherUser",
}
FUTURE_DATED = {"No": "No", "DSP": "Dsp", "Device": "Device", "DSP & Device": "DspAndDevice"}
CV_NAMES = {
    1: "NonCriticalWan", 2: "NonCriticalLocal", 3: "NonCriticalBoth", 4: "Transform",
    5: "SignedPreCommandWan", 6: "SignedPreCommandLocal", 7: "SignedPreCommandBoth",
    8: "NonDevice", 9: "DccInternal",
}


def _yes(value, what):
    if value not in ("Yes", "No"):
        sys.exit(f"request-matrix.json: {what} is {value!r}, not Yes/No")
    return value == "Yes"


def _enumeration(xsd, opening):
    """The values of the first xs:enumeration list after `opening` in the schema text."""
    start = xsd.index(opening)
    end = xsd.index("</xs:simpleType>", start)
    return re.findall(r'<xs:enumeration value="([^"]+)"/>', xsd[start:end])


def generate_duis():
    matrix = json.load(open(os.path.join(DUIS, "request-matrix.json")))
    xsd = open(os.path.join(DUIS, "schema/duis-5.4.xsd"), encoding="utf-8").read()

    start = xsd.index('<xs:simpleType name="ServiceReferenceVariant">')
    srv_block = xsd[start:xsd.index("</xs:simpleType>", start)]
    xsd_cvs = {v: [int(c) for c in cvs.split(",")] for v, cvs in re.findall(
        r'<xs:enumeration value="([^"]+)"/>\s*<!--\s*CV\s*=\s*([0-9, ]+?)\s*-->', srv_block)}
    xsd_variants = re.findall(r'<xs:enumeration value="([^"]+)"/>', srv_block)

    start = xsd.index('<xs:complexType name="Request">')
    request_type = xsd[start:xsd.index('<xs:attribute name="schemaVersion"', start)]
    body_choice = set(re.findall(r'<xs:element\s+name="([A-Za-z0-9]+)"',
                                 request_type[request_type.index('name="Body"'):]))

    bodies = {}
    tdir = os.path.join(DUIS, "templates")
    for name in sorted(os.listdir(tdir)):
        text = open(os.path.join(tdir, name), encoding="utf-8").read()
        srv = re.search(r"<sr:ServiceReferenceVariant>\s*([^<\s]+)\s*</", text)
        body = re.search(r"<sr:Body>\s*<sr:([A-Za-z0-9]+)", text)
        if not srv or not body:
            sys.exit(f"template {name}: no ServiceReferenceVariant or body element")
        if body.group(1) not in body_choice:
            sys.exit(f"template {name}: body {body.group(1)} is not in the XSD's Request body choice")
        bodies.setdefault(srv.group(1), set()).add(body.group(1))

    xsd_references = _enumeration(xsd, '<xs:simpleType name="ServiceReference">')
    rows = []
    for r in matrix:
        variant = r["Service Reference Variant"]
        # Correction: the matrix gives 6.20.1 and 6.20.2 the reference "6.2" (a number that lost
        # its trailing zero); the reference is the schema's one the variant extends.
        reference = r["Service Reference"]
        if not (variant == reference or variant.startswith(reference + ".")):
            owners = [x for x in xsd_references if variant == x or variant.startswith(x + ".")]
            if len(owners) != 1:
                sys.exit(f"variant {variant}: reference {reference!r} does not fit and the schema gives {owners}")
            reference = owners[0]
        if reference not in xsd_references:
            sys.exit(f"variant {variant}: reference {reference} is not in the schema's ServiceReference enumeration")
        if variant not in xsd_variants:
            sys.exit(f"variant {variant} is not in the XSD's ServiceReferenceVariant enumeration")
        critical = _yes(r["Critical"], f"{variant} Critical")
        non_device = _yes(r["Non-Device Request"], f"{variant} Non-Device Request")
        rule = [8] if non_device else [4, 5, 6, 7] if critical else [1, 2, 3]
        comment = xsd_cvs.get(variant, rule)
        cvs = comment if set(comment) < set(rule) else rule
        if variant not in bodies:
            sys.exit(f"variant {variant} has no template to take its body element from")
        roles = ", ".join("UserRole::" + ROLES[x] for x in r["Eligible User Roles"])
        cv_list = ", ".join("CommandVariant::" + CV_NAMES[c] for c in cvs)
        body = ", ".join(json.dumps(b) for b in sorted(bodies[variant]))
        rows.append(
            f"    ServiceRequest {{ name: {json.dumps(r['Service Request Name'], ensure_ascii=False)}, "
            f"reference: {json.dumps(reference)}, variant: {json.dumps(variant)}, "
            f"critical: {str(critical).lower()}, on_demand: {str(_yes(r['On Demand'], variant)).lower()}, "
            f"future_dated: FutureDatedPattern::{FUTURE_DATED[r['Future Dated Response Pattern']]}, "
            f"dcc_scheduled: {str(_yes(r['DCC Scheduled'], variant)).lower()}, "
            f"non_device: {str(non_device).lower()}, eligible_roles: &[{roles}], "
            f"command_variants: &[{cv_list}], body: &[{body}] }},")
    missing = set(xsd_variants) - {r["Service Reference Variant"] for r in matrix}
    if missing:
        sys.exit(f"XSD variants missing from the matrix: {sorted(missing)}")
    out = ["// @generated by tools/gen_catalogue.py from the shared DUIS request matrix, schema and templates; edit the script, not this file.",
           "", "use super::{CommandVariant, FutureDatedPattern, ServiceRequest, UserRole};", "",
           "pub(super) static SERVICES: &[ServiceRequest] = &["]
    out += rows
    out.append("];")
    path = "src/duis/services_table.rs"
    open(path, "w").write("\n".join(out) + "\n")
    WRITTEN.append(path)
    print(len(rows), "DUIS service request variants")

    codes = _enumeration(xsd, '<xs:simpleType name="ResponseCode">')
    alerts = _enumeration(xsd, '<xs:element name="DCCAlertCode">')
    if len(set(codes)) != len(codes) or len(set(alerts)) != len(alerts):
        sys.exit("duplicate response or DCC alert code in the XSD")
    out = ["// @generated by tools/gen_catalogue.py from the DUIS schema (response codes, DCC alert codes, binary elements); edit the script, not this file.",
           "", "use super::ResponseCode;", "",
           "/// Every response code of the DUIS 5.4 schema, in its order.",
           "pub(super) static RESPONSE_CODES: &[ResponseCode] = &[" + ", ".join(f"ResponseCode::{c}" for c in codes) + "];",
           "", "#[allow(missing_docs)]", "impl ResponseCode {"]
    for c in codes:
        out.append(f"    pub const {c}: ResponseCode = ResponseCode({json.dumps(c)});")
    out += ["}", "", "/// Every DCC alert code of the DUIS 5.4 schema (`DCCAlertMessage/DCCAlertCode`), in its order.",
            "pub static DCC_ALERT_CODES: &[&str] = &[" + ", ".join(json.dumps(a) for a in alerts) + "];"]
    # Elements whose every declaration in the schema has a base64Binary (or hexBinary) type,
    # directly or through a simple type restricting it: validate decodes them wherever they are.
    simple_base = {"sr:" + n: b for n, b in re.findall(
        r'<xs:simpleType name="([^"]+)">\s*<xs:restriction base="([^"]+)"', xsd)}

    def builtin(t):
        for _ in range(16):
            if t not in simple_base:
                break
            t = simple_base[t]
        return t
    declared = {}
    for attrs in re.findall(r"<xs:element\b([^>]*)>", xsd):
        name, typ = re.search(r'name="([^"]+)"', attrs), re.search(r'type="([^"]+)"', attrs)
        if name:
            declared.setdefault(name.group(1), set()).add(builtin(typ.group(1)) if typ else None)
    binary = {kind: sorted(n for n, t in declared.items() if t == {kind})
              for kind in ("xs:base64Binary", "xs:hexBinary")}
    out += ["", "/// Elements the schema always types xs:base64Binary (or a restriction of it).",
            "pub static BASE64_ELEMENTS: &[&str] = &[" + ", ".join(json.dumps(n) for n in binary["xs:base64Binary"]) + "];",
            "", "/// Elements the schema always types xs:hexBinary (or a restriction of it).",
            "pub static HEX_ELEMENTS: &[&str] = &[" + ", ".join(json.dumps(n) for n in binary["xs:hexBinary"]) + "];"]
    path = "src/duis/codes_table.rs"
    open(path, "w").write("\n".join(out) + "\n")
    WRITTEN.append(path)
    print(len(codes), "DUIS response codes,", len(alerts), "DCC alert codes")


parser = argparse.ArgumentParser(description="Regenerates the catalogue tables from ../shared.")
parser.add_argument("--only", choices=["gbcs", "duis"], help="write only these tables")
ONLY = parser.parse_args().only
if ONLY == "duis":
    generate_duis()
    rustfmt(WRITTEN)
    sys.exit(0)

codes = json.load(open(os.path.join(SHARED, "catalogue/message-codes.json")))
use_cases = {u["use_case"]: u for u in json.load(open(os.path.join(SHARED, "catalogue/gbcs-use-cases.json")))}

FIXED = {
    0x00CA: ("FDFAA", "Future Dated Firmware Activation Alert", "SME.A.C"),
    0x00CB: ("FDUSCA", "Future Dated Update Security Credentials Alert", "SME.A.C"),
    0x00CC: ("FDEA-DLMS", "Future Dated Execution Of Instruction Alert (DLMS COSEM)", "SME.A.C"),
    0x00CD: ("FDEA-ZigBee", "Future Dated Execution Of Instruction Alert (GBZ)", "SME.A.C"),
    0x00CE: ("FDRA-DLMS", "Firmware Distribution Receipt Alert (ESME)", "SME.A.C"),
    0x00CF: ("FDRA-ZigBee", "Firmware Distribution Receipt Alert (GSME)", "SME.A.C"),
    0x00D5: ("FDRPMA", "Failure to Deliver Remote Party Message to ESME Alert", None),
    0x00F0: ("MIIWA-DLMS", "Meter Integrity Issue Warning Alert - ESME", "SME.A.NC"),
    0x00F2: ("MIIWA-ZigBee", "Meter Integrity Issue Warning Alert - GSME", "SME.A.NC"),
    0x1000: ("GCA", "Generic Critical Alert", "SME.A.C"),
    0x1001: ("GNCA", "Generic Non Critical Alert", "SME.A.NC"),
}
# Codes RTDS uses that message-codes.json lacks: code -> (use case, title if the use-case
# catalogue has none).
MISSING = {
    0x0004: ("CCS04", "Remove Device from CHF Device Log and Unjoin (CCS05/CCS04)", "SME.C.NC", "8.9"),
    0x011A: ("ECS46d", None, None, None),
    0x011B: ("CS02f", None, None, None),
    0x011C: ("ECS61d", None, None, None),
    0x011D: ("ECS61e", None, None, None),
    0x011E: ("ECS47a", None, None, None),
    0x011F: ("ECS47e", None, None, None),
    0x0120: ("ECS100", None, "SME.A.C", None),
    0x0121: ("ECS101", None, None, None),
    0x0122: ("ECS102", None, None, None),
    0x0123: ("ECS200", None, None, None),
    0x0124: ("CS02g", "Future Dated Update Load Controller Security Credentials Alert", "SME.A.C", None),
    0x0125: ("CS02g", "Update Load Controller Security Credentials (loadControllerByLoadController)", "See GBCS", None),
    0x0126: ("CS02g", "Update Load Controller Security Credentials (loadControllerBySupplier)", "See GBCS", "6.15.1"),
    0x012A: ("GCS60a", "Read GSME Prepayment Data (Billing Data Log)", "SME.C.NC", "4.18"),
    0x012B: ("CS09", None, None, None),
}

def expand(spec):
    out = set()
    for part in spec.replace("\n", " ").split(","):
        part = part.strip().rstrip("*").replace("(A)", "").replace("\\", "").strip()
        part = part.replace("*", "")
        if not part:
            continue
        if "–" in part:
            a, b = part.split("–")
            out.update(range(int(a, 16), int(b, 16) + 1))
        else:
            out.add(int(part, 16))
    return out

DLMS = expand("0002, 0004, 0007, 0018, 0019–001B, 001D–0020, 0022–0030, 0033, 0035–0039, 003C, 003E–0040, 0043, 0044, 0047, 0048, 004B–004F, 0051–0055, 0058–005A, 005E–0060, 0061, 0062, 0067, 0068, 0069, 0092, 0094, 00A2, 00AE, 00B0, 00B3, 00B7, 00BA, 00BC–00BE, 00C6, 00C7, 00C9, 00CC, 00CE, 00D2–00D4, 00D7, 00D9, 00DB, 00DE, 00EA–00EF, 00F0, 00FA, 00FD, 00FE, 010A–010F, 0112–0115, 011A, 011C–011F, 0120–0123")
GBZ = expand("0015, 006B–0074, 0076–0079, 007B, 007D, 007E, 0080, 0082–0088, 008D, 0096, 009B, 009E–00A1, 00A3, 00AD, 00B4–00B6, 00B8, 00BF, 00C0, 00C2–00C5, 00CD, 00CF, 00D8, 00DA, 00F1, 00F2, 00FC, 012A, 1000")
ASN1 = expand("0008, 000A–0010, 0012, 0013, 008C, 00AB, 00AF, 00B2, 00CA, 00CB, 0102–0106, 0108, 011B, 0124, 0125, 0126, 0128, 0129, 012B")

def family(code, uc):
    if code == 0x1001:
        return "Mixed"
    if code in DLMS: return "Dlms"
    if code in GBZ: return "Gbz"
    if code in ASN1: return "Asn1"
    if re.match(r"^(GCS59|GCS62|GCS28|CS02|CS03|CS04|CS06|CS07|CS08|CS09|CCS08)", uc): return "Asn1"
    if re.match(r"^(ECS|CCS|DBCH|CS01a|CS14)", uc): return "Dlms"
    if re.match(r"^(GCS|PCS|PECS|HECS|CS10|CS11|CS01b)", uc): return "Gbz"
    return "Unknown"

def msg_type(t):
    if t is None: return "MessageType::Unspecified"
    m = {"SME.C.C": "CriticalCommand", "SME.C.NC": "NonCriticalCommand", "SME.A.C": "CriticalAlert", "SME.A.NC": "NonCriticalAlert"}
    if t in m: return f"MessageType::{m[t]}"
    if t.startswith("SME.C.NC but"): return "MessageType::NonCriticalCommandWithUtrn"
    if t == "SME.C.PPMID-GSME": return "MessageType::HanOnly"
    if t == "ZSE specified": return "MessageType::ZseSpecified"
    return "MessageType::SeeGbcs"

def origin(o):
    return {"Remote Party": "Origin::RemoteParty", "HAN Only Message": "Origin::HanOnly"}.get(o, "Origin::Unspecified")

rows = []
for c in codes:
    code = int(c["message_code"], 16)
    uc, title, mt, sr, org = c["use_case"], c["title"], c["message_type"], c["service_reference"], c["remote_party_or_han"]
    if code in FIXED:
        uc, title, mt = FIXED[code]
        org = "Remote Party"
    if mt is None and uc in use_cases:
        mt = use_cases[uc]["message_type"]
        sr = sr or use_cases[uc]["service_reference"]
        org = org or use_cases[uc]["remote_party_or_han"]
    rows.append((code, uc, title, mt, sr, org, True))
for code, (uc, title, mt, sr) in MISSING.items():
    u = use_cases.get(uc, {})
    t = title or re.sub(r"^\S+\s+", "", u.get("title", uc))
    rows.append((code, uc, t, mt or u.get("message_type"), sr or u.get("service_reference"), u.get("remote_party_or_han", "Remote Party"), False))
rows.sort()

def s(x):
    return "None" if x in (None, "N/A", "See GBCS") else "Some(" + json.dumps(x) + ")"

out = ["// @generated by tools/gen_catalogue.py from the shared GBCS catalogue; edit the script, not this file.",
       "", "use super::{MessageType, Origin, PayloadFamily, UseCaseEntry};", "",
       "pub(super) static ENTRIES: &[UseCaseEntry] = &["]
for code, uc, title, mt, sr, org, cat in rows:
    out.append(f"    UseCaseEntry {{ code: 0x{code:04X}, use_case: {json.dumps(uc)}, title: {json.dumps(title)}, "
               f"service_request: {s(sr)}, message_type: {msg_type(mt)}, origin: {origin(org)}, "
               f"family: PayloadFamily::{family(code, uc)}, catalogued: {'true' if cat else 'false'} }},")
out.append("];")
open("src/codec/catalogue/table.rs", "w").write("\n".join(out) + "\n")
WRITTEN.append("src/codec/catalogue/table.rs")
print(len(rows), "entries")

# --- SMETS1 minimum services with their eligible user roles -------------------------------
smets1 = json.load(open(os.path.join(SHARED, "catalogue/smets1-minimum-services.json")))
USERS = {
    "Import Supplier": "ImportSupplier",
    "Gas Supplier": "GasSupplier",
    "Export Supplier": "ExportSupplier",
    "Electricity Distributor": "ElectricityDistributor",
    "Gas Transporter": "GasTransporter",
    "Registered Supplier Agent": "RegisteredSupplierAgent",
    "Other User": "OtherUser",
}
out = ["// @generated by tools/gen_catalogue.py from the shared SMETS1 minimum services; edit the script, not this file.",
       "", "use super::{EligibleUser, MinimumService};", "",
       "pub(super) static SMETS1_MINIMUM_SERVICES: &[MinimumService] = &["]
for s in smets1["minimum_services"]:
    users = ", ".join("EligibleUser::" + USERS[u] for u in s["eligible_users"])
    out.append(f"    MinimumService {{ service_request: {json.dumps(s['service_request'])}, name: {json.dumps(s['name'])}, eligible_users: &[{users}] }},")
out.append("];")
open("src/codec/catalogue/smets1.rs", "w").write("\n".join(out) + "\n")
WRITTEN.append("src/codec/catalogue/smets1.rs")
print(len(smets1["minimum_services"]), "SMETS1 minimum services")

# --- Named message codes and their properties ----------------------------------------------
# Each code gets a constant named for its use case (`MessageCode::ECS17B`); where several codes
# share a use-case id (the CS02b / CS02g modes), the mode in the title's parentheses (or
# "future dated alert") is appended: `MessageCode::CS02B_SUPPLIER_BY_SUPPLIER`.
# Properties:
#   * signature-only: authenticated by the originator's signature alone, without the ACB's
#     MAC (GBCS 4.3.3: CS02a, CS02f, and CS02b anyExceptAbnormalRootByRecovery);
#   * reads the firmware version: ECS52 (ESME / comms hub), GCS38 (GSME), CS08 (PPMID/HCALCS).
SIGNATURE_ONLY = {"CS02a", "CS02f"}
SIGNATURE_ONLY_TITLES = {"anyExceptAbnormalRootByRecovery"}
FIRMWARE_VERSION_READS = {"ECS52", "GCS38", "CS08"}

def snake(camel):
    camel = camel.replace("CoS", "Cos")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).upper()

shared_ids = {}
for code, uc, *_ in rows:
    shared_ids.setdefault(uc.upper(), []).append(code)
names, sig_only, fw_reads, updates = {}, [], [], []
for code, uc, title, mt, sr, org, cat in rows:
    base = re.sub(r"[^A-Za-z0-9]", "_", uc).upper()
    name = base
    if len(shared_ids[uc.upper()]) > 1:
        m = re.search(r"\(([A-Za-z]+)\)\s*$", title)
        if m:
            name = f"{base}_{snake(m.group(1))}"
        elif title.startswith("Future Dated"):
            name = f"{base}_FUTURE_DATED_ALERT"
        else:
            sys.exit(f"no distinct name for 0x{code:04X} {uc} {title!r}")
    if name in names.values():
        sys.exit(f"duplicate constant name {name}")
    names[code] = name
    m = re.search(r"\(([A-Za-z]+)\)\s*$", title)
    if uc in SIGNATURE_ONLY or (uc == "CS02b" and m and m.group(1) in SIGNATURE_ONLY_TITLES):
        sig_only.append(name)
    if uc in FIRMWARE_VERSION_READS:
        fw_reads.append(name)
    if re.match(r"^Update (Load Controller )?Security Credentials \(", title):
        updates.append(name)

out = ["// @generated by tools/gen_catalogue.py from the shared GBCS catalogue; edit the script, not this file.",
       "", "//! Every catalogued message code as a constant named for its use case, and the lists of",
       "//! codes sharing a property.", "",
       "use crate::codec::ids::MessageCode;", "",
       "#[allow(missing_docs)]", "impl MessageCode {"]
for code, uc, title, mt, sr, org, cat in rows:
    out.append(f"    /// {uc}: {title}.")
    out.append(f"    pub const {names[code]}: MessageCode = MessageCode(0x{code:04X});")
out.append("}")
out.append("")
out.append("/// Commands authenticated by their originator's signature alone, without the ACB's MAC.")
out.append("pub(super) static SIGNATURE_ONLY: &[MessageCode] = &[" + ", ".join(f"MessageCode::{n}" for n in sig_only) + "];")
out.append("")
out.append("/// Commands whose response carries the device's firmware version.")
out.append("pub(super) static FIRMWARE_VERSION_READS: &[MessageCode] = &[" + ", ".join(f"MessageCode::{n}" for n in fw_reads) + "];")
out.append("")
out.append("/// The Update Security Credentials commands: CS02b in each mode, CS02g (load controller).")
out.append("pub(super) static UPDATE_SECURITY_CREDENTIALS: &[MessageCode] = &[" + ", ".join(f"MessageCode::{n}" for n in updates) + "];")
open("src/codec/catalogue/codes.rs", "w").write("\n".join(out) + "\n")
WRITTEN.append("src/codec/catalogue/codes.rs")
print(len(names), "named message codes")

if ONLY is None:
    generate_duis()
rustfmt(WRITTEN)
