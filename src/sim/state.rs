//! Device states a tester puts a simulated device into before a command, so that its next
//! response is the failure outcome GBCS defines for that use case (the RTDS `_ERROR_` and
//! `NOT_FOUND` variants). A state is one-shot: it applies to the next command the device
//! receives, then the device is healthy again.
//!
//! What the recorded failures show, by wire family (all 179 recorded failure responses):
//! - DLMS (ESME, comms hub): the item touching a failed component answers `hardware_fault`
//!   (data-access-result or action-result 1) with null data; earlier items were carried out,
//!   later ones are not (`other_reason`, break-on-error, dlms.md §5).
//! - GBZ (GSME, GPF): the failed command answers a Default Response `HARDWARE_FAILURE`,
//!   later components `FAILURE` (abort rule, zigbee-gbz.md §5); a failed attribute answers
//!   its Read Attributes record `HARDWARE_FAILURE`; a log or profile the device holds no
//!   entries of answers `NOT_FOUND` (not a failure: later components still run).
//! - ASN.1 (security credentials, joins, firmware): a response code of the use case's own
//!   (`no_image_held`, `not_in_device_log`, `read_failure`, ...). These depend on the device's
//!   credential and join state, not on a failed component; they are not modelled as a
//!   failure state and `state_for_variant` says so.
//!
//! Which component fails in a variant is the test's premise (RTDS scripts say what they
//! disable); the response is then the model's own.

use crate::codec::dlms::ObisCode;

/// A failing state of one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceFailure {
    /// The hardware behind a DLMS object has failed: the first item of the next command that
    /// addresses it answers `hardware_fault`.
    /// `id` is the attribute (get, set) or method (action) whose hardware fails.
    DlmsHardwareFault {
        class_id: u16,
        obis: ObisCode,
        id: i8,
    },
    /// Command component `component` (0-based) of the next GBZ payload fails on the device's
    /// hardware.
    ZclCommandFault { component: usize },
    /// Attribute `attribute` of `cluster` cannot be read (its sensor or store has failed).
    ZclAttributeFault { cluster: u16, attribute: u16 },
    /// The device holds no entries of the logs, profiles and snapshots the next command asks
    /// for: each Get command answers `NOT_FOUND`.
    ZclNoRecords,
    /// The device holds no firmware image: CS06 answers `no_image_held` (its future-dated
    /// form is accepted and its alert reports the failure).
    NoFirmwareImage,
    /// The firmware version cannot be read: CS08 answers `failure`.
    FirmwareVersionUnreadable,
    /// The device log cannot be read: CS07 answers `read_failure`.
    DeviceLogUnreadable,
    /// The device log holds no entries: CS04B answers `not_in_device_log`.
    DeviceLogEmpty,
    /// The device log already holds the device a join is for, under another device type:
    /// CS03 answers `incompatible with existing entry`.
    ConflictingLogEntry,
    /// The device's key and certificate store has failed: CS02c answers `request production
    /// failed`, CS02e `retrieval failure`, and a CS02b/g replacement fails every cell (its
    /// future-dated alert reports the failure).
    CredentialStoreFailure,
}

impl DeviceFailure {
    /// The state as one line, for reports.
    pub fn describe(&self) -> String {
        match self {
            DeviceFailure::DlmsHardwareFault { class_id, obis, id } => {
                format!("hardware fault on class {class_id} object {obis} attribute/method {id}")
            }
            DeviceFailure::ZclCommandFault { component } => {
                format!("hardware fault on command component {component}")
            }
            DeviceFailure::ZclAttributeFault { cluster, attribute } => {
                format!("attribute 0x{attribute:04X} of cluster 0x{cluster:04X} unreadable")
            }
            DeviceFailure::ZclNoRecords => "no log, profile or snapshot entries held".into(),
            DeviceFailure::NoFirmwareImage => "no firmware image held".into(),
            DeviceFailure::FirmwareVersionUnreadable => "firmware version unreadable".into(),
            DeviceFailure::DeviceLogUnreadable => "device log unreadable".into(),
            DeviceFailure::DeviceLogEmpty => "device log empty".into(),
            DeviceFailure::ConflictingLogEntry => "device log entry of another type".into(),
            DeviceFailure::CredentialStoreFailure => "key and certificate store failed".into(),
        }
    }
}

const fn o(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> ObisCode {
    ObisCode::new(a, b, c, d, e, f)
}

/// The failed DLMS object of each recorded `_ERROR_` variant of the ESME and comms hub:
/// the component the test disables (a tariff register, the disconnector, a log, ...).
const DLMS_FAULTS: &[(&str, u16, ObisCode, i8)] = &[
    (
        "ECS01a_1.1.1_IMMEDIATE_ERROR",
        113,
        o(0, 0, 19, 20, 0, 255),
        7,
    ),
    (
        "ECS01c_1.1.2_IMMEDIATE_ERROR",
        113,
        o(0, 0, 19, 20, 5, 255),
        7,
    ),
    (
        "ECS01b_1.2.1_IMMEDIATE_ERROR",
        113,
        o(0, 0, 19, 20, 4, 255),
        7,
    ),
    (
        "ECS01d_1.2.2_IMMEDIATE_ERROR",
        113,
        o(0, 0, 19, 20, 5, 255),
        6,
    ),
    ("ECS04b_1.5_ERROR", 112, o(0, 0, 19, 10, 1, 255), 2),
    (
        "ECS02_1.6_IMMEDIATE_SINGLE_ERROR",
        111,
        o(0, 1, 19, 0, 0, 255),
        11,
    ),
    (
        "ECS03_1.6_IMMEDIATE_SINGLE_ERROR",
        9000,
        o(0, 0, 94, 44, 128, 22),
        6,
    ),
    ("ECS05_1.7_ERROR", 9, o(0, 0, 10, 0, 100, 255), 1),
    ("ECS52_11.2_ERROR", 1, o(0, 0, 0, 2, 1, 255), 2),
    (
        "ECS08_2.1_IMMEDIATE_ERROR",
        9000,
        o(0, 0, 94, 44, 128, 3),
        6,
    ),
    (
        "ECS08a_2.1_IMMEDIATE_ERROR",
        9000,
        o(0, 0, 94, 44, 128, 3),
        6,
    ),
    ("CS01a_2.2_ERROR", 115, o(0, 0, 19, 40, 0, 255), 1),
    ("ECS07_2.3_ERROR", 113, o(0, 0, 19, 20, 1, 255), 4),
    ("ECS09_2.5_ERROR", 112, o(0, 0, 19, 10, 1, 255), 3),
    ("ECS12_3.2_ERROR", 1, o(0, 0, 94, 44, 3, 2), 2),
    ("ECS15a_3.3_ERROR", 7, o(0, 0, 99, 98, 0, 255), 1),
    ("ECS16_3.4_ERROR", 9000, o(0, 0, 96, 13, 0, 255), 2),
    ("ECS14_3.5_ERROR", 1, o(0, 0, 94, 44, 3, 1), 2),
    ("ECS17b_4.1.1_ERROR", 30, o(0, 0, 43, 2, 8, 255), 1),
    ("ECS17d_4.1.2_ERROR", 30, o(0, 0, 43, 2, 9, 255), 1),
    ("ECS17e_4.1.3_ERROR", 30, o(0, 0, 43, 2, 10, 255), 1),
    ("ECS23_4.10_ERROR", 7, o(1, 0, 32, 24, 0, 255), 2),
    ("ECS23b_4.10_ERROR", 7, o(1, 0, 72, 24, 0, 255), 2),
    ("ECS24b_4.11.2_ERROR", 20, o(0, 0, 13, 0, 1, 255), 4),
    ("ECS18b_4.12.1_ERROR", 4, o(1, 0, 1, 6, 1, 255), 5),
    ("ECS18a_4.12.2_ERROR", 4, o(1, 0, 2, 6, 0, 255), 3),
    ("ECS17c_4.16_ERROR", 1, o(0, 0, 94, 44, 34, 20), 2),
    ("ECS66_4.17_ERROR", 30, o(0, 0, 43, 2, 4, 255), 1),
    ("ECS82_4.18_ERROR", 112, o(0, 0, 19, 10, 0, 255), 2),
    ("ECS17a_4.2_ERROR", 3, o(1, 0, 4, 8, 0, 255), 2),
    ("ECS19_4.3_ERROR", 30, o(0, 0, 43, 2, 1, 255), 1),
    ("ECS20b_4.4.2_ERROR", 30, o(0, 0, 43, 2, 3, 255), 1),
    ("ECS20c_4.4.3_ERROR", 30, o(0, 0, 43, 2, 2, 255), 1),
    ("ECS20a_4.4.4_ERROR", 7, o(0, 0, 98, 1, 4, 255), 2),
    ("ECS20d_4.4.5_ERROR", 7, o(0, 0, 98, 1, 5, 255), 2),
    ("ECS21a_4.6.1_ERROR", 30, o(0, 0, 43, 2, 5, 255), 1),
    ("ECS21c_4.6.2_ERROR", 7, o(0, 0, 98, 1, 10, 255), 2),
    ("ECS22b_4.8.1_ERROR", 30, o(0, 0, 43, 2, 7, 255), 1),
    ("ECS22c_4.8.2_ERROR", 7, o(0, 0, 99, 1, 2, 255), 2),
    ("ECS22a_4.8.3_ERROR", 7, o(0, 0, 99, 1, 1, 255), 2),
    ("ECS70_6.11_ERROR", 8, o(0, 0, 1, 0, 0, 255), 2),
    ("ECS34_6.12_ERROR", 21, o(0, 0, 16, 0, 0, 255), 2),
    ("ECS35a_6.13_ERROR", 7, o(0, 0, 99, 98, 0, 255), 2),
    ("ECS35d_6.13_ERROR", 7, o(0, 0, 99, 98, 1, 255), 2),
    ("ECS35f_6.13_ERROR", 7, o(0, 17, 99, 98, 2, 255), 2),
    ("ECS35g_6.13_ERROR", 7, o(0, 17, 99, 98, 2, 255), 2),
    (
        "ECS46a_6.14.1_ALL_OPTIONALS_ERROR",
        1,
        o(0, 0, 94, 44, 0, 14),
        2,
    ),
    (
        "ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_ERROR",
        9000,
        o(0, 0, 94, 44, 128, 26),
        6,
    ),
    (
        "ECS46d_6.14.3_IMMEDIATE_ALCS_ERROR",
        11,
        o(0, 1, 11, 0, 3, 255),
        2,
    ),
    (
        "ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_ERROR",
        10,
        o(0, 1, 12, 0, 2, 255),
        2,
    ),
    (
        "ECS57_6.18.2_ALL_OPTIONALS_ERROR",
        4,
        o(1, 0, 1, 6, 1, 255),
        1,
    ),
    ("ECS25r1_6.2.10_ERROR", 1, o(0, 30, 97, 98, 17, 255), 2),
    ("ECS25r2_6.2.10_ERROR", 1, o(0, 33, 97, 98, 15, 255), 2),
    ("ECS26b_6.2.1_ERROR", 1, o(1, 0, 32, 35, 0, 4), 2),
    ("ECS26k_6.2.1_ERROR", 1, o(1, 0, 72, 31, 0, 4), 2),
    ("ECS26d_6.2.3_ERROR", 22, o(0, 0, 15, 0, 0, 255), 4),
    ("ECS26l_6.2.3_ERROR", 22, o(0, 0, 15, 0, 0, 255), 4),
    ("ECS26e_6.2.4_ERROR", 1, o(0, 0, 96, 1, 6, 255), 2),
    ("ECS26i_6.2.4_ERROR", 1, o(0, 0, 96, 1, 4, 255), 2),
    ("ECS26n_6.2.4_ERROR", 1, o(0, 0, 96, 1, 4, 255), 2),
    ("ECS26f_6.2.5_ERROR", 21, o(0, 0, 16, 0, 0, 255), 2),
    ("ECS40_6.2.7_SINGLE_ERROR", 1, o(0, 0, 94, 44, 34, 11), 2),
    ("ECS26j_6.2.9_ERROR", 111, o(0, 0, 19, 0, 0, 255), 2),
    ("ECS39a_6.20.1_SINGLE_ERROR", 1, o(0, 0, 94, 44, 34, 11), 2),
    ("ECS39b_6.20.2_ERROR", 1, o(1, 0, 0, 0, 2, 255), 2),
    ("ECS25a1_6.22_ERROR", 1, o(0, 30, 97, 98, 12, 255), 2),
    ("ECS25a2_6.22_ERROR", 1, o(0, 30, 97, 98, 13, 255), 2),
    ("ECS25a3_6.22_ERROR", 1, o(0, 30, 97, 98, 14, 255), 2),
    ("ECS25b_6.22_ERROR", 1, o(0, 33, 97, 98, 11, 255), 2),
    ("ECS25b3_6.22_ERROR", 1, o(0, 33, 97, 98, 14, 255), 2),
    ("ECS81_6.25_ERROR", 1, o(0, 0, 94, 44, 0, 4), 2),
    ("ECS48_6.26_ERROR", 22, o(0, 0, 15, 1, 0, 255), 4),
    ("ECS29e_6.27_ERROR", 3, o(1, 0, 32, 32, 0, 4), 1),
    ("ECS29f_6.27_ERROR", 3, o(1, 0, 72, 32, 0, 4), 1),
    ("DBCH04_6.28_ERROR", 1, o(0, 0, 94, 44, 10, 0), 2),
    ("DBCH05_6.29_ERROR", 1, o(0, 0, 94, 44, 10, 1), 2),
    ("DBCH03_6.30_ERROR", 1, o(0, 0, 94, 44, 10, 0), 2),
    ("DBCH01_6.31_ERROR", 1, o(0, 0, 94, 44, 10, 2), 2),
    ("DBCH02_6.32_ERROR", 7, o(0, 0, 94, 44, 10, 3), 2),
    (
        "ECS28a_6.4.1_IMMEDIATE_ERROR",
        9000,
        o(0, 0, 94, 44, 128, 6),
        6,
    ),
    ("ECS28b_6.4.2_ERROR", 3, o(0, 0, 94, 44, 42, 255), 1),
    ("ECS29b_6.5_ERROR", 3, o(1, 0, 72, 32, 0, 4), 1),
    ("ECS29d_6.5_ERROR", 71, o(0, 0, 17, 0, 3, 255), 6),
    ("ECS30a_6.8_ERROR", 22, o(0, 0, 15, 0, 0, 255), 4),
    ("ECS62Remove_7.10_ERROR", 1, o(0, 0, 94, 44, 6, 4), 2),
    ("ECS61c_7.11_ERROR", 1, o(0, 0, 94, 44, 6, 4), 2),
    ("ECS38_7.12_ERROR", 1, o(0, 0, 94, 44, 0, 1), 2),
    (
        "ECS47a_7.13_ALCS_DEACTIVATE_ERROR",
        1,
        o(0, 0, 94, 44, 117, 1),
        2,
    ),
    ("ECS47a_7.13_APC_INPUT_ERROR", 1, o(0, 0, 94, 44, 119, 2), 2),
    ("ECS61d_7.14_ERROR", 1, o(0, 0, 94, 44, 0, 13), 2),
    ("ECS61e_7.15_ERROR", 1, o(0, 0, 94, 44, 0, 25), 2),
    ("ECS47e_7.16_APC_INPUT_ERROR", 1, o(0, 0, 94, 44, 119, 4), 2),
    ("ECS42_7.1_ERROR", 9, o(0, 0, 10, 0, 106, 255), 1),
    ("ECS44_7.3_ERROR", 9, o(0, 0, 10, 0, 106, 255), 1),
    ("ECS45_7.4_ERROR", 70, o(0, 0, 96, 3, 10, 255), 3),
    ("ECS47Activate_7.5_ERROR", 1, o(0, 0, 94, 44, 117, 1), 2),
    ("ECS47Deactivate_7.6_ERROR", 1, o(0, 0, 94, 44, 119, 2), 2),
    ("ECS47Reset_7.8_ERROR", 9, o(0, 0, 10, 0, 103, 255), 1),
    ("ECS62Add_7.9_ERROR", 1, o(0, 0, 94, 44, 6, 4), 2),
    ("ECS70Commission_8.1.1_ERROR", 8, o(0, 0, 1, 0, 0, 255), 2),
    ("CCS02_8.11_ERROR", 104, o(0, 0, 30, 3, 0, 255), 2),
    ("CCS05CCS04_8.9_ERROR", 104, o(0, 0, 30, 3, 0, 255), 4),
    ("CCS06_8.9_ERROR", 104, o(0, 0, 30, 3, 0, 255), 4),
    ("CCS07_8.9_ERROR", 104, o(0, 0, 30, 3, 0, 255), 4),
    ("ECS50_9.1_ERROR", 1, o(0, 3, 96, 13, 1, 255), 2),
];

/// The failed command component of each GBZ `_ERROR_` variant that fails a command.
const ZCL_COMMAND_FAULTS: &[(&str, usize)] = &[
    ("GCS01a_1.1.1_FUTURE_DATED_BLOCK_ERROR", 6),
    ("GCS01b_1.2.1_FUTURE_DATED_BLOCK_ERROR", 0),
    ("GCS40a_1.5_ERROR", 0),
    ("GCS40b_1.5_ERROR", 0),
    ("GCS40c_1.5_ERROR", 0),
    ("GCS40d_1.5_ERROR", 0),
    ("GCS02_1.6_IMMEDIATE_ERROR", 0),
    ("GCS03_1.6_IMMEDIATE_ERROR", 0),
    ("GCS05_2.1_FUTURE_DATED_ERROR", 10),
    ("GCS04_2.3_ERROR", 1),
    ("GCS06_2.5_ERROR", 0),
    ("GCS07_3.1_ERROR", 0),
    ("GCS44_3.4_ERROR", 0),
    ("GCS11_3.5_ERROR", 0),
    ("GCS18_4.10_ERROR", 0),
    ("GCS21f_4.11.1_ERROR", 4),
    ("GCS21b_4.13_ERROR", 4),
    ("GCS16b_4.14_KRP_ERROR", 1),
    ("GCS15b_4.4.2_ERROR", 13),
    ("GCS15c_4.4.3_ERROR", 13),
    ("GCS15d_4.4.4_ERROR", 0),
    ("GCS15e_4.4.5_ERROR", 0),
    ("GCS16a_4.6.1_ERROR", 29),
    ("GCS17_4.8.1_ERROR", 0),
    ("CS10b_6.13_ERROR", 0),
    ("GCS20r_6.2.10_ERROR", 0),
    ("GCS21k_6.2.3_ERROR", 0),
    ("GCS41_6.20.1_ERROR", 0),
    ("GCS20_6.22_ERROR", 1),
    ("GCS24_6.7_ERROR", 1),
    ("GCS24a_6.7_ERROR", 1),
    ("GCS25_6.8_ERROR", 1),
    ("GCS25a_6.8_ERROR", 1),
    ("GCS39_7.3_ERROR", 0),
    ("GCS36_9.1_ERROR", 0),
];

/// The unreadable attribute (cluster, attribute id) of each GBZ `_ERROR_` variant that
/// fails a read.
const ZCL_ATTRIBUTE_FAULTS: &[(&str, u16, u16)] = &[
    ("GCS38_11.2_ERROR", 0x0702, 0x0206),
    ("GCS13a_4.1.1_ERROR", 0x0702, 0x0302),
    ("GCS13c_4.1.2_ERROR", 0x0702, 0x0301),
    ("GCS13b_4.1.4_ERROR", 0x0702, 0x0301),
    ("GCS60_4.18_ERROR", 0x0702, 0x0A00),
    ("GCS60a_4.18_ERROR", 0x0702, 0x0A00),
    ("GCS21e_6.2.4_ERROR", 0x0000, 0x0004),
    ("GCS21a_6.2.8_ERROR", 0x0702, 0x0B14),
    ("GCS21j_6.2.9_ERROR", 0x0705, 0x0000),
    ("GCS33_7.4_ERROR", 0x0702, 0x0014),
];

/// Failure variants whose recorded outcome is a healthy device's answer to the command's own
/// error (a join with a method the device types do not allow, a certificate with the wrong
/// key usage, a replacement the device must refuse, sampling parameters out of range): they
/// need no device state.
const COMMAND_ERRORS: &[&str] = &[
    "CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_ERROR",
    "CS02bSupplierBySupplier_6.15.1_IMMEDIATE_ERROR",
    "CS02d_6.15.2_ERROR",
    "CS02aSignature_NA_ERROR",
    "CS02aMAC_6.24.1_ERROR",
    "CS02fMAC_6.24.1_ERROR",
    "CS02fSignature_NA_ERROR",
    "CS03B_8.7.2_ERROR",
    "CS03CNonCritical_8.7.2_ERROR",
    "CS11_3.3_ERROR",
    "GCS31_14.1_ERROR",
];

/// The state a recorded failure variant (`ECS17b_4.1.1_ERROR`, `GCS18_4.10_NOT_FOUND`; a
/// trailing `_COMMAND_GBCS.HEX` is ignored) needs: `Some` state, `None` when the command
/// itself carries the error (a healthy device answers it with the recorded failure), or why
/// the simulator cannot be put in it.
pub fn state_for_variant(variant: &str) -> Result<Option<DeviceFailure>, String> {
    let name = variant
        .trim_end_matches("_GBCS.HEX")
        .trim_end_matches("_COMMAND");
    if COMMAND_ERRORS.contains(&name) {
        return Ok(None);
    }
    failure_for_variant(name).map(Some)
}

fn failure_for_variant(variant: &str) -> Result<DeviceFailure, String> {
    let variant = variant
        .trim_end_matches("_GBCS.HEX")
        .trim_end_matches("_COMMAND");
    if let Some((_, class_id, obis, id)) = DLMS_FAULTS.iter().find(|(v, ..)| *v == variant) {
        return Ok(DeviceFailure::DlmsHardwareFault {
            class_id: *class_id,
            obis: *obis,
            id: *id,
        });
    }
    if let Some((_, component)) = ZCL_COMMAND_FAULTS.iter().find(|(v, _)| *v == variant) {
        return Ok(DeviceFailure::ZclCommandFault {
            component: *component,
        });
    }
    if let Some((_, cluster, attribute)) = ZCL_ATTRIBUTE_FAULTS.iter().find(|(v, ..)| *v == variant)
    {
        return Ok(DeviceFailure::ZclAttributeFault {
            cluster: *cluster,
            attribute: *attribute,
        });
    }
    /// ASN.1 variants whose recorded response code follows from a device state.
    const ASN1_STATES: &[(&str, DeviceFailure)] = &[
        ("CS06_11.3_IMMEDIATE_ERROR", DeviceFailure::NoFirmwareImage),
        (
            "CS06_11.3_FUTURE_DATED_ERROR",
            DeviceFailure::NoFirmwareImage,
        ),
        ("CS08_11.2_ERROR", DeviceFailure::FirmwareVersionUnreadable),
        ("CS07_8.9_ERROR", DeviceFailure::DeviceLogUnreadable),
        ("CS04B_8.8.2_ERROR", DeviceFailure::DeviceLogEmpty),
        ("CS03A1_8.7.1_ERROR", DeviceFailure::ConflictingLogEntry),
        ("CS02c_6.17_ERROR", DeviceFailure::CredentialStoreFailure),
        ("CS02e_6.24.2_ERROR", DeviceFailure::CredentialStoreFailure),
        (
            "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR",
            DeviceFailure::CredentialStoreFailure,
        ),
        (
            "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_ERROR",
            DeviceFailure::CredentialStoreFailure,
        ),
    ];
    if let Some((_, f)) = ASN1_STATES.iter().find(|(v, _)| *v == variant) {
        return Ok(f.clone());
    }
    // Every GBZ NOT_FOUND variant reads a log, profile or snapshot the device holds none of.
    if (variant.starts_with('G') || variant.starts_with("CS10b")) && variant.ends_with("NOT_FOUND")
    {
        return Ok(DeviceFailure::ZclNoRecords);
    }
    Err(not_modelled(variant))
}

/// Why a variant's state is not modelled.
fn not_modelled(variant: &str) -> String {
    let family = variant.split('_').next().unwrap_or(variant);
    if family.starts_with("CS0") || family.starts_with("CS1") {
        // ASN.1 use cases (CS02*, CS03*, CS04*, CS06, CS07, CS08) and the GBZ ones that
        // report their own outcome (CS11, GCS31).
        format!(
            "{variant}: the recorded outcome is a response code of the use case's own \
             (credential, join or firmware state), not a failed component; the simulator \
             has no state that produces it"
        )
    } else if variant.contains("_ERROR") || variant.contains("NOT_FOUND") {
        format!("{variant}: no failure state is modelled for this variant")
    } else {
        format!("{variant}: not a failure variant (no _ERROR_ or NOT_FOUND in its name)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_map_to_states_by_family() {
        assert_eq!(
            state_for_variant("ECS17b_4.1.1_ERROR_COMMAND_GBCS.HEX"),
            Ok(Some(DeviceFailure::DlmsHardwareFault {
                class_id: 30,
                obis: o(0, 0, 43, 2, 8, 255),
                id: 1
            }))
        );
        assert_eq!(
            state_for_variant("GCS18_4.10_NOT_FOUND"),
            Ok(Some(DeviceFailure::ZclNoRecords))
        );
        assert_eq!(
            state_for_variant("GCS33_7.4_ERROR"),
            Ok(Some(DeviceFailure::ZclAttributeFault {
                cluster: 0x0702,
                attribute: 0x0014
            }))
        );
        assert_eq!(
            state_for_variant("CS06_11.3_IMMEDIATE_ERROR"),
            Ok(Some(DeviceFailure::NoFirmwareImage))
        );
        assert_eq!(state_for_variant("CS03B_8.7.2_ERROR"), Ok(None));
        let e = state_for_variant("CS09_1.1_ERROR").unwrap_err();
        assert!(
            e.contains("CS09_1.1_ERROR") && e.contains("response code"),
            "{e}"
        );
        let e = state_for_variant("ECS17b_4.1.1_SINGLE_SUCCESS").unwrap_err();
        assert!(e.contains("not a failure variant"), "{e}");
    }
}
