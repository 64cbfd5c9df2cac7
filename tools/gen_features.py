#!/usr/bin/env python3
"""Writes features/ from the project's golden vectors (vectors/<UseCase>/<variant>.json) and
the SMETS1 minimum services: one feature per RTDS use-case folder, one per SMETS1 service, and
the access-control outline. Run from the repository root after `gbcs-harness vectors record`;
review the diff. Needs ../shared/catalogue for use-case titles (a development-time input)."""

import json
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.environ.get("GBCS_CATALOGUE_DIR", os.path.join(ROOT, "..", "shared", "catalogue"))

DEVICE_PHRASE = {
    "esme": "ESME", "load-controlled-esme": "load-controlled ESME", "gsme": "GSME",
    "comms-hub": "comms hub", "gpf": "GPF", "ppmid": "PPMID", "hcalcs": "HCALCS",
}
GROUP = {
    "esme": "electricity", "load-controlled-esme": "electricity", "gsme": "gas", "gpf": "gas",
    "comms-hub": "comms-hub", "ppmid": "comms-hub", "hcalcs": "comms-hub",
}
PARTY_PHRASE = {
    "import-supplier": "import supplier", "gas-supplier": "gas supplier",
    "network-operator": "network operator", "access-control-broker": "access control broker",
    "recovery": "recovery party", "transitional-cos": "transitional CoS party",
    "wan-provider": "WAN provider", "load-controller": "load controller",
}
# SMETS1 eligible users -> the remote party that originates at the device (features/README.md).
USER_PARTY = {
    "Import Supplier": "import supplier", "Gas Supplier": "gas supplier",
    "Electricity Distributor": "network operator", "Gas Transporter": "network operator",
    "Export Supplier": "access control broker", "Registered Supplier Agent": "access control broker",
    "Other User": "access control broker",
}
DEVICE_ROLES = {"import supplier": "supplier", "gas supplier": "supplier",
                "network operator": "network operator",
                "access control broker": "access control broker"}


def load_vectors():
    out = defaultdict(list)
    vdir = os.path.join(ROOT, "vectors")
    for uc in sorted(os.listdir(vdir)):
        d = os.path.join(vdir, uc)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".json"):
                with open(os.path.join(d, f)) as fh:
                    out[uc].append(json.load(fh))
    return out


def titles():
    with open(os.path.join(CATALOGUE, "gbcs-use-cases.json")) as fh:
        rows = json.load(fh)
    return {r["use_case"]: r["name"] for r in rows}


def variant_words(variant, uc):
    rest = variant[len(uc):].strip("_")
    parts = rest.split("_")
    if parts and re.match(r"^(\d+(\.\d+)*|NA)$", parts[0]):
        parts = parts[1:]
    return " ".join(p.lower() for p in parts) or "nominal"


def needs(variant):
    tags = []
    if "_ERROR" in variant or "NOT_FOUND" in variant:
        tags.append("@needs-device-state-errors")
    if "_TWIN_" in variant:
        tags.append("@needs-twin-element")
    return tags


def scenario_for(v, uc):
    sender = PARTY_PHRASE.get(v["sender"], v["sender"])
    device = DEVICE_PHRASE.get(v["device"], v["device"])
    lines = []
    extra = needs(v["variant"])
    if extra:
        lines.append("  " + " ".join(extra))
    lines.append(f"  Scenario: {uc} {variant_words(v['variant'], uc)} ({v['variant']})")
    lines.append(f"    When the {sender} sends {uc} to the {device} using vector \"{v['variant']}\"")
    if v.get("response"):
        lines.append("    Then a response arrives within the WAN target")
        lines.append("    And the response is a valid response to that command")
        lines.append("    And the response matches the golden vector")
        for a in v.get("alerts", []):
            lines.append(f"    And an alert {a['message_code']} arrives")
    else:
        lines.append("    Then the device rejects the command")
    return lines


def alert_code(rtds, folder, stem):
    """The message code in a recorded alert's grouping header, via the harness's decoder."""
    import subprocess
    path = os.path.join(rtds, "RTDS-4.5.0", folder, stem + "_GBCS.HEX")
    out = subprocess.run([os.path.join(ROOT, "target", "debug", "gbcs-harness"), "decode",
                          "--format", "json", path], capture_output=True, text=True)
    doc = json.loads(out.stdout.splitlines()[0])
    header = doc["frame"]["general_signing"]["header"]
    return header["other_information"]["message_code"], header["originator"]


# RTDS device ids by their last byte (the RTDS profile's devices).
RTDS_DEVICE = {"A0": "esme", "A1": "gsme", "A2": "comms-hub", "A3": "gpf", "A4": "ppmid",
               "A5": "hcalcs", "A6": "load-controlled-esme"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def main():
    vectors = load_vectors()
    names = titles()
    rtds = os.environ.get("GBCS_RTDS_DIR", os.path.join(ROOT, "..", "shared", "rtds"))
    folders = sorted(os.listdir(os.path.join(rtds, "RTDS-4.5.0")))
    written = 0
    for folder in folders:
        sr, uc = folder.split("_", 1)
        vs = [v for v in vectors.get(uc, []) if (v.get("service_request") or "NA") == sr]
        device = vs[0]["device"] if vs else ("gsme" if uc.startswith("PCS") else "esme")
        title = names.get(uc, uc)
        tags = [f"@{uc}"] + ([f"@SR{sr}"] if sr != "NA" else []) + [f"@{device}"]
        lines = [" ".join(tags), f"Feature: {uc} {title}",
                 f"  RTDS folder {folder}: every variant it records, addressed to the target's "
                 f"{DEVICE_PHRASE.get(device, device)} and sent by the remote party that sent it there.", ""]
        folder_files = sorted(os.listdir(os.path.join(rtds, "RTDS-4.5.0", folder)))
        alerts = [f[: -len("_GBCS.HEX")] for f in folder_files if "_ALERT" in f]
        if not vs and alerts:
            # Alert-only folder: the device is the alerts' originator.
            _, originator = alert_code(rtds, folder, alerts[0])
            device = RTDS_DEVICE.get(originator[-2:].upper(), device)
            tags = [f"@{uc}"] + ([f"@SR{sr}"] if sr != "NA" else []) + [f"@{device}"]
            lines[0] = " ".join(tags)
            lines[2] = (f"  RTDS folder {folder}: alerts the {DEVICE_PHRASE.get(device, device)} "
                        "raises on events of its own; no command causes them.")
        if not vs and any("_COMMAND_" in f for f in folder_files):
            # A HAN device originates it (PCS01): the harness can only replay it.
            lines += ["  @needs-han-originated-commands",
                      f"  Scenario: {uc} as recorded",
                      f"    When the recorded command \"{uc}_{sr}_SUCCESS\" is sent",
                      "    Then the response is a valid response to that command", ""]
        elif not vs:
            # An alert the device raises on an event of its own: no command causes it.
            for stem in alerts:
                code, _ = alert_code(rtds, folder, stem)
                words = variant_words(stem, uc)
                lines += ["  @needs-device-events",
                          f"  Scenario: {uc} raised by the device ({words})",
                          f"    Then an alert {code} arrives within 60 seconds", "",
                          "  @needs-recordings",
                          f"  Scenario: {uc} as recorded ({stem})",
                          f"    When the recorded alert \"{stem}\" arrives",
                          f"    Then an alert {code} arrives", ""]
        for v in vs:
            lines += scenario_for(v, uc) + [""]
        group = GROUP.get(device, "electricity")
        name = uc if sum(1 for f in folders if f.split("_", 1)[1] == uc) == 1 else f"{uc}_{sr}"
        write(os.path.join(ROOT, "features", group, f"{name}.feature"), "\n".join(lines).rstrip() + "\n")
        written += 1

    with open(os.path.join(CATALOGUE, "smets1-minimum-services.json")) as fh:
        services = json.load(fh)["minimum_services"]
    outline_rows = []
    for s in services:
        sr = s["service_request"]
        cands = [v for vs in vectors.values() for v in vs
                 if v.get("service_request") == sr and "_ERROR" not in v["variant"]
                 and "NOT_FOUND" not in v["variant"] and "_TWIN_" not in v["variant"]
                 and v.get("response")]
        # Prefer an immediate, single-element variant on a meter.
        cands.sort(key=lambda v: (v["device"] not in ("esme", "gsme"),
                                  "CANCELLATION" in v["variant"] or "FUTURE_DATED" in v["variant"],
                                  v["use_case"], v["variant"]))
        slug = re.sub(r"[^a-z0-9]+", "-", s["name"].lower()).strip("-")
        eligible = sorted({USER_PARTY[u] for u in s["eligible_users"]})
        lines = [f"@smets1 @SR{sr}", f"Feature: SMETS1 minimum service {sr} {s['name']}",
                 f"  Eligible users: {', '.join(s['eligible_users'])}.", ""]
        if not cands:
            lines += ["  @needs-device-state-errors",
                      f"  Scenario: {sr} {s['name']} has no recorded success variant",
                      f"    Given the target has an ESME", ""]
        for v in cands[:1]:
            device = DEVICE_PHRASE[v["device"]]
            uc = v["use_case"]
            sender = PARTY_PHRASE.get(v["sender"], v["sender"])
            lines += [f"  @{uc} @{v['device']}",
                      f"  Scenario: {sr} {s['name']} by an eligible user ({uc})",
                      f"    When the {sender} sends {uc} to the {device} using vector \"{v['variant']}\"",
                      "    Then a response arrives within the WAN target",
                      "    And the response is a valid response to that command",
                      "    And the response matches the golden vector", ""]
            allowed = {DEVICE_ROLES[p] for p in eligible} | {DEVICE_ROLES[sender]}
            for party in ["import supplier", "network operator", "access control broker"]:
                if DEVICE_ROLES[party] not in allowed:
                    outline_rows.append((sr, s["name"], uc, party, device, v["variant"], v["device"]))
        write(os.path.join(ROOT, "features", "smets1", f"SR{sr}-{slug}.feature"), "\n".join(lines).rstrip() + "\n")
        written += 1

    lines = ["@security @access-control",
             "Feature: Access control: each SMETS1 minimum service refused to the roles not entitled to it",
             "  A device sees the role of the remote party that originates or signs a command. For every",
             "  SMETS1 minimum service, the roles none of its eligible users act in must be refused.", "",
             "  Scenario Outline: SR<sr> <use_case> sent by the <party> is refused",
             "    When the <party> sends <use_case> to the <device> using vector \"<variant>\"",
             "    Then the device rejects the command", "",
             ]
    by_service = defaultdict(list)
    for row in outline_rows:
        by_service[(row[0], row[1], row[2], row[6])].append(row)
    for (sr, name, uc, dev), rows in by_service.items():
        lines += [f"    @SR{sr} @{uc} @{dev}",
                  f"    Examples: SR{sr} {name}",
                  "      | sr | use_case | party | device | variant |"]
        for sr_, _, uc_, party, device, variant, _ in rows:
            lines.append(f"      | {sr_} | {uc_} | {party} | {device} | {variant} |")
        lines.append("")
    write(os.path.join(ROOT, "features", "security", "access-control.feature"), "\n".join(lines).rstrip() + "\n")
    # Replay: every COMMAND/RESPONSE pair of the corpus, judged offline (profiles/rtds.toml).
    rows = []
    for folder in folders:
        d = os.path.join(rtds, "RTDS-4.5.0", folder)
        for f in sorted(os.listdir(d)):
            if "_COMMAND_GBCS.HEX" not in f or "PRECOMMAND" in f:
                continue
            if not os.path.exists(os.path.join(d, f.replace("_COMMAND_", "_RESPONSE_"))):
                continue
            name = f[: -len("_COMMAND_GBCS.HEX")]
            # PCS01 is HAN-only: its MAC needs a device-to-device key no store holds.
            if name.startswith("PCS01"):
                continue
            rows.append((folder, name))
    lines = ["@replay @needs-recordings",
             "Feature: Recorded exchanges judged offline",
             "  Every COMMAND/RESPONSE pair of the RTDS corpus (except PCS01, whose HAN-only MAC no",
             "  key store can check): the recorded command is sent as it is to a replay: target, and",
             "  the recorded response must be a valid response to it. Run with the RTDS profile:",
             "    gbcs-harness run features/replay --profile profiles/rtds.toml", "",
             "  Scenario Outline: <name> (<folder>)",
             "    When the recorded command \"<name>\" is sent",
             "    Then the response is a valid response to that command", "",
             ]
    by_folder = defaultdict(list)
    for folder, name in rows:
        by_folder[folder].append(name)
    for folder, names_ in by_folder.items():
        sr, uc = folder.split("_", 1)
        tags = [f"@{uc}"] + ([f"@SR{sr}"] if sr != "NA" else [])
        lines += ["    " + " ".join(tags), f"    Examples: {folder}", "      | folder | name |"]
        lines += [f"      | {folder} | {n} |" for n in names_]
        lines.append("")
    write(os.path.join(ROOT, "features", "replay", "rtds-corpus.feature"), "\n".join(lines).rstrip() + "\n")
    print(f"{len(rows)} replay rows", file=sys.stderr)
    print(f"{written} features, {len(outline_rows)} access-control rows", file=sys.stderr)


if __name__ == "__main__":
    main()
