//! Response-time targets of the DCC WAN traffic model (maximum end-to-end response time per
//! service), and which service a use case falls under.

use serde::Serialize;

use super::{MessageType, UseCaseEntry};

/// A traffic-model service and its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResponseTarget {
    pub service: &'static str,
    pub max_response_s: u32,
}

const METER_READING: ResponseTarget = ResponseTarget {
    service: "Meter reading",
    max_response_s: 60,
};
const TARIFF_SETTING: ResponseTarget = ResponseTarget {
    service: "Tariff setting",
    max_response_s: 60,
};
const PPM_TOP_UP: ResponseTarget = ResponseTarget {
    service: "PPM balance top-up",
    max_response_s: 8,
};
const METER_ALERTS: ResponseTarget = ResponseTarget {
    service: "Meter alerts",
    max_response_s: 8,
};
const MESSAGE_TO_IHD: ResponseTarget = ResponseTarget {
    service: "Message to IHD",
    max_response_s: 8,
};
const FIRMWARE: ResponseTarget = ResponseTarget {
    service: "Firmware upgrade",
    max_response_s: 60,
};
const LOAD_MANAGEMENT: ResponseTarget = ResponseTarget {
    service: "Appliance load management",
    max_response_s: 8,
};
const DIAGNOSTICS: ResponseTarget = ResponseTarget {
    service: "Diagnostics",
    max_response_s: 8,
};

/// The traffic-model target for a use case: by its service request group (SEC service
/// request numbering: 1 tariffs, 2 prepayment, 4 readings, 7 supply and load control,
/// 11 firmware) and message type; anything unclassified gets the 60 s meter-reading target.
pub fn response_target(entry: &UseCaseEntry) -> ResponseTarget {
    if matches!(
        entry.message_type,
        MessageType::CriticalAlert | MessageType::NonCriticalAlert
    ) {
        return METER_ALERTS;
    }
    if entry.message_type == MessageType::NonCriticalCommandWithUtrn || entry.use_case == "PCS01" {
        return PPM_TOP_UP;
    }
    if entry.use_case == "GCS07" {
        return MESSAGE_TO_IHD;
    }
    let group = entry
        .service_request
        .and_then(|sr| sr.split('.').next())
        .and_then(|g| g.parse::<u32>().ok());
    match group {
        Some(1) => TARIFF_SETTING,
        Some(2) => PPM_TOP_UP,
        Some(7) if entry.use_case.starts_with("ECS47") || entry.use_case.starts_with("ECS46") => {
            LOAD_MANAGEMENT
        }
        Some(11) => FIRMWARE,
        Some(14) => DIAGNOSTICS,
        _ => METER_READING,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::catalogue::lookup;
    use crate::codec::ids::MessageCode;

    #[test]
    fn targets_by_service() {
        let t = |code| response_target(lookup(MessageCode(code)).unwrap());
        assert_eq!(t(0x0027).max_response_s, 60, "ECS17b register read");
        assert_eq!(t(0x0007), PPM_TOP_UP, "CS01a top-up");
        assert_eq!(t(0x00F0), METER_ALERTS, "meter integrity alert");
        assert_eq!(t(0x0019), TARIFF_SETTING, "ECS01a tariff");
    }
}
