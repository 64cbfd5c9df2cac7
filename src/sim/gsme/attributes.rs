//! Attribute tables of the clusters a GSME / GPF serves (zigbee-gbz.md §10, ZSE 1.4 ids), with
//! the values of a freshly commissioned meter. Attributes live here as typed ZCL values so a
//! Read Attributes Response is encoded straight from state.

use std::collections::BTreeMap;

use crate::codec::bytes::Bytes;
use crate::codec::gbz::{DataType, UtcTime, Value};
use crate::codec::ids::EntityId;

use super::GasDevice;

pub const BASIC: u16 = 0x0000;
pub const PRICE: u16 = 0x0700;
pub const METERING: u16 = 0x0702;
pub const MESSAGING: u16 = 0x0703;
pub const PREPAYMENT: u16 = 0x0705;
pub const CALENDAR: u16 = 0x0707;
pub const DEVICE_MANAGEMENT: u16 = 0x0708;
pub const EVENTS: u16 = 0x0709;

/// ZCL data type codes used by the tables.
pub mod ty {
    pub const BITMAP8: u8 = 0x18;
    pub const BITMAP16: u8 = 0x19;
    pub const UINT8: u8 = 0x20;
    pub const UINT16: u8 = 0x21;
    pub const UINT24: u8 = 0x22;
    pub const UINT32: u8 = 0x23;
    pub const UINT48: u8 = 0x25;
    pub const INT32: u8 = 0x2B;
    pub const ENUM8: u8 = 0x30;
    pub const OCTET_STRING: u8 = 0x41;
    pub const CHAR_STRING: u8 = 0x42;
    pub const UTC_TIME: u8 = 0xE2;
}

/// A typed attribute value, as it goes on the wire after the data-type byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub data_type: DataType,
    pub value: Value,
}

/// Builds the codec value for a data type from an integer; strings use [`Attribute::bytes`].
pub fn value_for(data_type: u8, v: i64) -> Value {
    let width = |base: u8| data_type - base + 1;
    match data_type {
        0x18..=0x1F => Value::Bitmap {
            width: width(0x18),
            value: v as u64,
        },
        0x20..=0x27 => Value::Uint {
            width: width(0x20),
            value: v as u64,
        },
        0x28..=0x2F => Value::Int {
            width: width(0x28),
            value: v,
        },
        0x31 => Value::Enum {
            width: 2,
            value: v as u64,
        },
        ty::UTC_TIME => Value::Utc(UtcTime(v as u32)),
        // Enum8 and anything else numeric the tables do not use.
        _ => Value::Enum {
            width: 1,
            value: v as u64,
        },
    }
}

impl Attribute {
    pub fn int(data_type: u8, v: i64) -> Self {
        Attribute {
            data_type: DataType(data_type),
            value: value_for(data_type, v),
        }
    }

    pub fn bytes(data_type: u8, b: &[u8]) -> Self {
        let bytes = Bytes::from(b);
        let value = if data_type == ty::CHAR_STRING {
            Value::CharString(bytes)
        } else {
            Value::OctetString(bytes)
        };
        Attribute {
            data_type: DataType(data_type),
            value,
        }
    }

    pub fn as_i64(&self) -> i64 {
        match self.value {
            Value::Int { value, .. } => value,
            ref v => v.as_u64().map_or(0, |u| u as i64),
        }
    }
}

/// Every attribute the device supports, keyed by (cluster, attribute id). An id absent here
/// is unsupported (status 0x86 in a Read Attributes Response).
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    table: BTreeMap<(u16, u16), Attribute>,
}

impl Attributes {
    pub fn get(&self, cluster: u16, id: u16) -> Option<&Attribute> {
        self.table.get(&(cluster, id))
    }

    pub fn has_cluster(&self, cluster: u16) -> bool {
        self.table
            .range((cluster, 0)..=(cluster, u16::MAX))
            .next()
            .is_some()
    }

    fn define(&mut self, cluster: u16, id: u16, attr: Attribute) {
        self.table.insert((cluster, id), attr);
    }

    /// Sets a numeric attribute, keeping its declared type. Writing an id the table does not
    /// declare is a programming error in the model, so it is ignored rather than invented.
    pub fn set(&mut self, cluster: u16, id: u16, v: i64) {
        if let Some(a) = self.table.get_mut(&(cluster, id)) {
            a.value = value_for(a.data_type.0, v);
        }
    }

    pub fn set_bytes(&mut self, cluster: u16, id: u16, b: &[u8]) {
        if let Some(a) = self.table.get_mut(&(cluster, id)) {
            *a = Attribute::bytes(a.data_type.0, b);
        }
    }

    pub fn int(&self, cluster: u16, id: u16) -> i64 {
        self.get(cluster, id).map_or(0, Attribute::as_i64)
    }

    /// The attributes of a freshly commissioned meter: configuration defaults, zero registers,
    /// credit-mode prepayment settings, no tariff prices.
    pub fn commissioned(device: EntityId, kind: GasDevice) -> Self {
        let mut a = Attributes::default();
        use ty::*;
        let n = Attribute::int;

        // Basic: identity. The model identifier ends with the device EUI, as the corpus shows.
        a.define(BASIC, 0x0000, n(UINT8, 0x01)); // ZCLVersion
        a.define(BASIC, 0x0003, n(UINT8, 0x01)); // HWVersion
        a.define(
            BASIC,
            0x0004,
            Attribute::bytes(CHAR_STRING, b"gbcs-harness reference"),
        );
        let mut model = match kind {
            GasDevice::Gsme => b"GSME    ".to_vec(),
            GasDevice::Gpf => b"GPF     ".to_vec(),
        };
        model.extend_from_slice(device.as_bytes());
        a.define(BASIC, 0x0005, Attribute::bytes(CHAR_STRING, &model));
        a.define(BASIC, 0x0007, n(ENUM8, 0x03)); // PowerSource: battery

        // Metering: registers in m³ with 3 decimals (divisor 1000).
        a.define(METERING, 0x0000, n(UINT48, 0)); // CurrentSummationDelivered
        a.define(METERING, 0x0014, n(ENUM8, 2)); // SupplyStatus: on
        for tier in 0..4u16 {
            a.define(METERING, 0x0100 + 2 * tier, n(UINT48, 0)); // CurrentTierNSummationDelivered
        }
        a.define(METERING, 0x0205, n(UINT16, 3650)); // RemainingBatteryLifeInDays
        a.define(
            METERING,
            0x0206,
            Attribute::bytes(OCTET_STRING, &[0x01, 0x00, 0x00, 0x00]),
        ); // CurrentMeterID: firmware version
        a.define(METERING, 0x0300, n(ENUM8, 0x01)); // UnitOfMeasure: m³
        a.define(METERING, 0x0301, n(UINT24, 1)); // Multiplier
        a.define(METERING, 0x0302, n(UINT24, 1000)); // Divisor
        a.define(METERING, 0x0307, Attribute::bytes(OCTET_STRING, b"")); // SiteID (MPRN)
        a.define(METERING, 0x0311, Attribute::bytes(OCTET_STRING, b"")); // CustomerIDNumber
        a.define(METERING, 0x0607, n(ENUM8, 0)); // SupplyTamperState
        a.define(METERING, 0x0608, n(ENUM8, 0)); // SupplyDepletionState
        a.define(METERING, 0x0609, n(ENUM8, 0)); // SupplyUncontrolledFlowState
        a.define(METERING, 0x060A, n(ENUM8, 0)); // LoadLimitSupplyState
        for block in 0..4u16 {
            a.define(METERING, 0x0700 + block, n(UINT48, 0)); // CurrentNoTierBlockNSummation
        }
        a.define(METERING, 0x0A00, n(UINT32, 0)); // BillToDateDelivered
        a.define(METERING, 0x0B10, n(UINT16, 0)); // UncontrolledFlowThreshold
        a.define(METERING, 0x0B11, n(ENUM8, 0x01)); // its unit
        a.define(METERING, 0x0B12, n(UINT16, 1)); // its multiplier
        a.define(METERING, 0x0B13, n(UINT16, 1)); // its divisor
        a.define(METERING, 0x0B14, n(UINT8, 0)); // FlowStabilisationPeriod
        a.define(METERING, 0x0B15, n(UINT16, 0)); // FlowMeasurementPeriod

        // Price: filled from the active tariff; zero until one is published.
        for block in 0..3u16 {
            a.define(PRICE, 0x0100 + block, n(UINT48, 0)); // BlockNThreshold
        }
        a.define(PRICE, 0x0202, n(UINT24, 1)); // ThresholdMultiplier
        a.define(PRICE, 0x0203, n(UINT24, 1)); // ThresholdDivisor
        a.define(PRICE, 0x0301, n(UINT32, 0)); // StandingCharge
        a.define(PRICE, 0x0302, n(UINT32, 0)); // ConversionFactor
        a.define(PRICE, 0x0303, n(BITMAP8, 0)); // ConversionFactorTrailingDigit
        a.define(PRICE, 0x0304, n(UINT32, 0)); // CalorificValue
        a.define(PRICE, 0x0305, n(ENUM8, 0x01)); // CalorificValueUnit: MJ/m³
        a.define(PRICE, 0x0306, n(BITMAP8, 0)); // CalorificValueTrailingDigit
        for block in 0..4u16 {
            a.define(PRICE, 0x0400 + block, n(UINT32, 0)); // NoTierBlockNPrice
        }
        for tier in 1..=4u16 {
            a.define(PRICE, 0x0400 + 0x10 * tier, n(UINT32, 0)); // TierNBlock1Price
        }
        a.define(PRICE, 0x0615, n(ENUM8, 0)); // UnitOfMeasure
        a.define(PRICE, 0x0616, n(UINT16, 826)); // Currency: GBP
        a.define(PRICE, 0x0617, n(BITMAP8, 0x50)); // PriceTrailingDigit: 10⁻⁵

        // Prepayment: a credit-mode meter (payment control configuration from GCS02).
        a.define(PREPAYMENT, 0x0000, n(BITMAP16, 0x0C94)); // PaymentControlConfiguration
        a.define(PREPAYMENT, 0x0001, n(INT32, 0)); // CreditRemaining
        a.define(PREPAYMENT, 0x0002, n(INT32, 0)); // EmergencyCreditRemaining
        a.define(PREPAYMENT, 0x0003, n(BITMAP8, 0)); // CreditStatus
        a.define(PREPAYMENT, 0x0005, n(INT32, 0)); // AccumulatedDebt
        a.define(PREPAYMENT, 0x0006, n(INT32, 0)); // OverallDebtCap
        a.define(PREPAYMENT, 0x0010, n(UINT32, 0)); // EmergencyCreditLimit
        a.define(PREPAYMENT, 0x0011, n(UINT32, 0)); // EmergencyCreditThreshold
        a.define(PREPAYMENT, 0x0020, n(UINT32, 0)); // TotalCreditAdded
        a.define(PREPAYMENT, 0x0021, n(UINT32, 0)); // MaxCreditLimit
        a.define(PREPAYMENT, 0x0022, n(UINT32, 0)); // MaxCreditPerTopUp
        a.define(PREPAYMENT, 0x0031, n(UINT32, 0)); // LowCreditWarningLevel
        a.define(PREPAYMENT, 0x0040, n(INT32, 0)); // CutOffValue
        for debt in 1..=3u16 {
            let base = 0x0200 + 0x10 * debt;
            a.define(PREPAYMENT, base, Attribute::bytes(OCTET_STRING, b"")); // DebtLabelN
            a.define(PREPAYMENT, base + 1, n(UINT32, 0)); // DebtAmountN
            a.define(PREPAYMENT, base + 2, n(ENUM8, 0)); // DebtRecoveryMethodN
            a.define(PREPAYMENT, base + 3, n(UTC_TIME, 0)); // DebtRecoveryStartTimeN
            a.define(PREPAYMENT, base + 4, n(UINT16, 0)); // DebtRecoveryCollectionTimeN
            a.define(PREPAYMENT, base + 6, n(ENUM8, 0)); // DebtRecoveryFrequencyN
            a.define(PREPAYMENT, base + 7, n(UINT32, 0)); // DebtRecoveryAmountN
            a.define(PREPAYMENT, base + 9, n(UINT16, 0)); // DebtRecoveryTopUpPercentageN
        }
        a
    }
}

/// Metering attributes that carry consumption: a Read Attributes Response containing one is
/// encrypted for the data recipient (zigbee-gbz.md §6, GCS13a/b/c).
pub fn is_consumption_register(cluster: u16, id: u16) -> bool {
    cluster == METERING
        && (id == 0x0000 || (0x0100..=0x01FF).contains(&id) || (0x0700..=0x07FF).contains(&id))
}
