//! Cluster-specific command layouts (zigbee-gbz.md §9), as data interpreted by one decoder.
//!
//! A layout is a list of [`Item`]s; decoding yields [`Fields`] whose values carry their own
//! wire form, so encoding walks the values and never needs the layout. Field names are the
//! primer's, in snake_case.

use crate::codec::error::DecodeResult;
use crate::codec::reader::Reader;

use super::types::{Fields, Ty, Value};

/// How many times a counted list repeats, read from a field decoded earlier in the same record.
#[derive(Debug, Clone, Copy)]
pub enum Count {
    Field(&'static str),
    /// Low nibble of a field (PublishBlockThresholds: tier in the high nibble).
    LowNibble(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub enum Item {
    /// One named field.
    F(&'static str, Ty),
    /// Records repeated to the end of the payload.
    ToEnd(&'static str, &'static [Item]),
    /// Values of one type repeated to the end of the payload.
    ListToEnd(&'static str, Ty),
    /// Values of one type repeated a counted number of times.
    ListCount(&'static str, Count, Ty),
    /// Layout chosen by an earlier field's value; with no matching case and no default, the
    /// rest of the payload is kept raw under `raw_name`.
    Switch {
        on: &'static str,
        cases: &'static [(u64, &'static [Item])],
        default: Option<&'static [Item]>,
        raw_name: &'static str,
    },
    /// Trailing items present only when bytes remain (ZSE optional fields).
    Optional(&'static [Item]),
    /// A shared run of items (a header common to several commands).
    Include(&'static [Item]),
}

use Item::F;
use Ty::*;

/// One cluster-specific command: cluster, direction, id, name and layout.
#[derive(Debug)]
pub struct CommandSpec {
    pub cluster: u16,
    pub server_to_client: bool,
    pub id: u8,
    pub name: &'static str,
    pub layout: &'static [Item],
    /// Layout taken from ZSE knowledge, never seen in the corpus.
    pub unverified: bool,
}

pub fn lookup(cluster: u16, server_to_client: bool, id: u8) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.cluster == cluster && c.server_to_client == server_to_client && c.id == id)
}

/// Decodes `layout` from all of `r`, failing unless it is consumed exactly.
pub fn decode_layout(r: &mut Reader<'_>, layout: &[Item]) -> DecodeResult<Fields> {
    let mut out = Fields::default();
    decode_items(r, layout, &mut out)?;
    r.expect_end("cluster command fields")?;
    Ok(out)
}

fn count_of(r: &Reader<'_>, out: &Fields, count: Count) -> DecodeResult<u64> {
    let (name, mask) = match count {
        Count::Field(n) => (n, u64::MAX),
        Count::LowNibble(n) => (n, 0x0F),
    };
    out.get(name)
        .and_then(Value::as_u64)
        .map(|v| v & mask)
        .ok_or_else(|| r.invalid("layout count", "count field missing"))
}

fn decode_items(r: &mut Reader<'_>, items: &[Item], out: &mut Fields) -> DecodeResult<()> {
    for item in items {
        match *item {
            Item::F(name, ty) => {
                let v = Value::decode(r, ty, name)?;
                out.push(name, v);
            }
            Item::ToEnd(name, record) => {
                let mut recs = Vec::new();
                while !r.is_empty() {
                    let before = r.remaining();
                    let mut rec = Fields::default();
                    decode_items(r, record, &mut rec)?;
                    if r.remaining() == before {
                        return Err(r.invalid(name, "record consumed no bytes"));
                    }
                    recs.push(rec);
                }
                out.push(name, Value::Records(recs));
            }
            Item::ListToEnd(name, ty) => {
                let mut vals = Vec::new();
                while !r.is_empty() {
                    vals.push(Value::decode(r, ty, name)?);
                }
                out.push(name, Value::List(vals));
            }
            Item::ListCount(name, count, ty) => {
                let n = count_of(r, out, count)?;
                let mut vals = Vec::new();
                // Each value consumes at least one byte, so a bogus count fails on the
                // bytes actually present instead of allocating for it.
                for _ in 0..n {
                    vals.push(Value::decode(r, ty, name)?);
                }
                out.push(name, Value::List(vals));
            }
            Item::Switch {
                on,
                cases,
                default,
                raw_name,
            } => {
                let sel = count_of(r, out, Count::Field(on))?;
                let chosen = cases
                    .iter()
                    .find(|(v, _)| *v == sel)
                    .map(|(_, l)| *l)
                    .or(default);
                match chosen {
                    Some(layout) => decode_items(r, layout, out)?,
                    None => out.push(raw_name, Value::Raw(r.rest().into())),
                }
            }
            Item::Include(layout) => decode_items(r, layout, out)?,
            Item::Optional(layout) => {
                if !r.is_empty() {
                    decode_items(r, layout, out)?;
                }
            }
        }
    }
    Ok(())
}

const fn c2s(cluster: u16, id: u8, name: &'static str, layout: &'static [Item]) -> CommandSpec {
    CommandSpec {
        cluster,
        server_to_client: false,
        id,
        name,
        layout,
        unverified: false,
    }
}

const fn s2c(cluster: u16, id: u8, name: &'static str, layout: &'static [Item]) -> CommandSpec {
    CommandSpec {
        cluster,
        server_to_client: true,
        id,
        name,
        layout,
        unverified: false,
    }
}

const fn unverified(spec: CommandSpec) -> CommandSpec {
    CommandSpec {
        unverified: true,
        ..spec
    }
}

const PRICE: u16 = 0x0700;
const METERING: u16 = 0x0702;
const MESSAGING: u16 = 0x0703;
const PREPAYMENT: u16 = 0x0705;
const CALENDAR: u16 = 0x0707;
const DEVICE_MANAGEMENT: u16 = 0x0708;
const EVENTS: u16 = 0x0709;

const PRICE_MATRIX_HEADER: &[Item] = &[
    F("provider_id", U32),
    F("issuer_event_id", U32),
    F("start_time", Utc),
    F("issuer_tariff_id", U32),
    F("command_index", U8),
    F("total_number_of_commands", U8),
    F("sub_payload_control", B8),
];

const GET_SNAPSHOT: &[Item] = &[
    F("earliest_start_time", Utc),
    F("latest_end_time", Utc),
    F("snapshot_offset", U8),
    F("snapshot_cause", B32),
];

const SNAPSHOT_HEADER: &[Item] = &[
    F("snapshot_id", U32),
    F("snapshot_time", Utc),
    F("total_snapshots_found", U8),
    F("command_index", U8),
    F("total_number_of_commands", U8),
    F("snapshot_cause", B32),
    F("snapshot_payload_type", E8),
];

const SNAPSHOT_TYPE_6: &[Item] = &[
    F("current_summation_delivered", U48),
    F("number_of_tiers_in_use", U8),
    Item::ListCount(
        "tier_summation",
        Count::Field("number_of_tiers_in_use"),
        U48,
    ),
    F("tiers_and_block_thresholds_in_use", B8),
    Item::ListToEnd("tier_block_summation", U48),
];

const PREPAY_SNAPSHOT_TYPE_0: &[Item] = &[
    F("accumulated_debt", I32),
    F("type1_debt_remaining", U32),
    F("type2_debt_remaining", U32),
    F("type3_debt_remaining", U32),
    F("emergency_credit_remaining", I32),
    F("credit_remaining", I32),
];

const fn with_snapshot_payload(cases: &'static [(u64, &'static [Item])]) -> Item {
    Item::Switch {
        on: "snapshot_payload_type",
        cases,
        default: None,
        raw_name: "snapshot_payload",
    }
}

/// Every cluster-specific command this decoder types: all of §12 plus the unverified
/// PublishConversionFactor / PublishCalorificValue.
pub static COMMANDS: &[CommandSpec] = &[
    // Price 0x0700
    c2s(PRICE, 0x00, "GetCurrentPrice", &[F("command_options", B8)]),
    c2s(
        PRICE,
        0x0B,
        "GetBillingPeriod",
        &[
            F("earliest_start_time", Utc),
            F("min_issuer_event_id", U32),
            F("number_of_commands", U8),
            F("tariff_type", B8),
        ],
    ),
    s2c(
        PRICE,
        0x00,
        "PublishPrice",
        &[
            F("provider_id", U32),
            F("rate_label", Ostr),
            F("issuer_event_id", U32),
            F("current_time", Utc),
            F("unit_of_measure", E8),
            F("currency", U16),
            F("price_trailing_digit_and_price_tier", B8),
            F("number_of_price_tiers_and_register_tier", B8),
            F("start_time", Utc),
            F("duration_in_minutes", U16),
            F("price", U32),
        ],
    ),
    s2c(
        PRICE,
        0x01,
        "PublishBlockPeriod",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("block_period_start_time", Utc),
            F("block_period_duration", U24),
            F("block_period_control", B8),
            F("block_period_duration_type", B8),
            F("tariff_type", B8),
            F("tariff_resolution_period", E8),
        ],
    ),
    unverified(s2c(
        PRICE,
        0x02,
        "PublishConversionFactor",
        &[
            F("issuer_event_id", U32),
            F("start_time", Utc),
            F("conversion_factor", U32),
            F("conversion_factor_trailing_digit", B8),
        ],
    )),
    unverified(s2c(
        PRICE,
        0x03,
        "PublishCalorificValue",
        &[
            F("issuer_event_id", U32),
            F("start_time", Utc),
            F("calorific_value", U32),
            F("calorific_value_unit", E8),
            F("calorific_value_trailing_digit", B8),
        ],
    )),
    s2c(
        PRICE,
        0x04,
        "PublishTariffInformation",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_tariff_id", U32),
            F("start_time", Utc),
            F("tariff_type_charging_scheme", B8),
            F("tariff_label", Ostr),
            F("number_of_price_tiers_in_use", U8),
            F("number_of_block_thresholds_in_use", U8),
            F("unit_of_measure", E8),
            F("currency", U16),
            F("price_trailing_digit", B8),
            F("standing_charge", U32),
            F("tier_block_mode", U8),
            F("block_threshold_multiplier", U24),
            F("block_threshold_divisor", U24),
        ],
    ),
    s2c(
        PRICE,
        0x05,
        "PublishPriceMatrix",
        &[
            Item::Include(PRICE_MATRIX_HEADER),
            Item::ToEnd("entries", &[F("tier_block_id", U8), F("price", U32)]),
        ],
    ),
    s2c(
        PRICE,
        0x06,
        "PublishBlockThresholds",
        &[
            Item::Include(PRICE_MATRIX_HEADER),
            Item::ToEnd(
                "entries",
                &[
                    F("tier_and_number_of_thresholds", B8),
                    Item::ListCount(
                        "block_thresholds",
                        Count::LowNibble("tier_and_number_of_thresholds"),
                        U48,
                    ),
                ],
            ),
        ],
    ),
    s2c(
        PRICE,
        0x09,
        "PublishBillingPeriod",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("billing_period_start_time", Utc),
            F("billing_period_duration", U24),
            F("billing_period_duration_type", B8),
            F("tariff_type", B8),
        ],
    ),
    // Metering 0x0702
    c2s(METERING, 0x06, "GetSnapshot", GET_SNAPSHOT),
    c2s(
        METERING,
        0x07,
        "StartSampling",
        &[
            F("issuer_event_id", U32),
            F("start_sampling_time", Utc),
            F("sample_type", E8),
            F("sample_request_interval", U16),
            F("max_number_of_samples", U16),
        ],
    ),
    c2s(
        METERING,
        0x08,
        "GetSampledData",
        &[
            F("sample_id", U16),
            F("earliest_sample_time", Utc),
            F("sample_type", E8),
            F("number_of_samples", U16),
        ],
    ),
    c2s(
        METERING,
        0x0B,
        "ChangeSupply",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("request_date_time", Utc),
            F("implementation_date_time", Utc),
            F("proposed_supply_status", E8),
            F("supply_control_bits", B8),
        ],
    ),
    c2s(
        METERING,
        0x0D,
        "SetSupplyStatus",
        &[
            F("issuer_event_id", U32),
            F("supply_tamper_state", E8),
            F("supply_depletion_state", E8),
            F("supply_uncontrolled_flow_state", E8),
            F("load_limit_supply_state", E8),
        ],
    ),
    c2s(
        METERING,
        0x0E,
        "SetUncontrolledFlowThreshold",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("uncontrolled_flow_threshold", U16),
            F("unit_of_measure", E8),
            F("multiplier", U16),
            F("divisor", U16),
            F("stabilisation_period", U8),
            F("measurement_period", U16),
        ],
    ),
    s2c(
        METERING,
        0x06,
        "PublishSnapshot",
        &[
            Item::Include(SNAPSHOT_HEADER),
            with_snapshot_payload(&[(6, SNAPSHOT_TYPE_6)]),
        ],
    ),
    s2c(
        METERING,
        0x07,
        "GetSampledDataResponse",
        &[
            F("sample_id", U16),
            F("sample_start_time", Utc),
            F("sample_type", E8),
            F("sample_request_interval", U16),
            F("number_of_samples", U16),
            Item::ListToEnd("samples", U24),
        ],
    ),
    s2c(
        METERING,
        0x0C,
        "SupplyStatusResponse",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("implementation_date_time", Utc),
            F("supply_status", E8),
        ],
    ),
    s2c(
        METERING,
        0x0D,
        "StartSamplingResponse",
        &[F("sample_id", U16)],
    ),
    // Messaging 0x0703
    s2c(
        MESSAGING,
        0x00,
        "DisplayMessage",
        &[
            F("message_id", U32),
            F("message_control", B8),
            F("start_time", Utc),
            F("duration_in_minutes", U16),
            F("message", Ostr),
            Item::Optional(&[F("extended_message_control", B8)]),
        ],
    ),
    // Prepayment 0x0705
    c2s(
        PREPAYMENT,
        0x00,
        "SelectAvailableEmergencyCredit",
        &[
            F("command_issue_date_time", Utc),
            F("originating_device", E8),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x02,
        "ChangeDebt",
        &[
            F("issuer_event_id", U32),
            F("debt_label", Ostr),
            F("debt_amount", I32),
            F("debt_recovery_method", E8),
            F("debt_amount_type", E8),
            F("debt_recovery_start_time", Utc),
            F("debt_recovery_collection_time", U16),
            F("debt_recovery_frequency", E8),
            F("debt_recovery_amount", I32),
            F("debt_recovery_balance_percentage", U16),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x03,
        "EmergencyCreditSetup",
        &[
            F("issuer_event_id", U32),
            F("start_time", Utc),
            F("emergency_credit_limit", U32),
            F("emergency_credit_threshold", U32),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x04,
        "ConsumerTopUp",
        &[F("originating_device", E8), F("top_up_code", Ostr)],
    ),
    c2s(
        PREPAYMENT,
        0x05,
        "CreditAdjustment",
        &[
            F("issuer_event_id", U32),
            F("start_time", Utc),
            F("credit_adjustment_type", E8),
            F("credit_adjustment_value", I32),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x06,
        "ChangePaymentMode",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("implementation_date_time", Utc),
            F("proposed_payment_control_configuration", B16),
            F("cut_off_value", I32),
        ],
    ),
    c2s(PREPAYMENT, 0x07, "GetPrepaySnapshot", GET_SNAPSHOT),
    c2s(
        PREPAYMENT,
        0x08,
        "GetTopUpLog",
        &[F("latest_end_time", Utc), F("number_of_records", U8)],
    ),
    c2s(
        PREPAYMENT,
        0x09,
        "SetLowCreditWarningLevel",
        &[F("low_credit_warning_level", U32)],
    ),
    c2s(
        PREPAYMENT,
        0x0A,
        "GetDebtRepaymentLog",
        &[
            F("latest_end_time", Utc),
            F("number_of_debts", U8),
            F("debt_type", E8),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x0B,
        "SetMaximumCreditLimit",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("implementation_date_time", Utc),
            F("maximum_credit_level", U32),
            F("maximum_credit_per_top_up", U32),
        ],
    ),
    c2s(
        PREPAYMENT,
        0x0C,
        "SetOverallDebtCap",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("implementation_date_time", Utc),
            F("overall_debt_cap", I32),
        ],
    ),
    s2c(
        PREPAYMENT,
        0x01,
        "PublishPrepaySnapshot",
        &[
            Item::Include(SNAPSHOT_HEADER),
            with_snapshot_payload(&[(0, PREPAY_SNAPSHOT_TYPE_0)]),
        ],
    ),
    s2c(
        PREPAYMENT,
        0x02,
        "ChangePaymentModeResponse",
        &[
            F("friendly_credit", B8),
            F("friendly_credit_calendar_id", U32),
            F("emergency_credit_limit", U32),
            F("emergency_credit_threshold", U32),
        ],
    ),
    s2c(
        PREPAYMENT,
        0x03,
        "ConsumerTopUpResponse",
        &[
            F("result_type", E8),
            F("top_up_value", I32),
            F("source_of_top_up", E8),
            F("credit_remaining", I32),
        ],
    ),
    s2c(
        PREPAYMENT,
        0x05,
        "PublishTopUpLog",
        &[
            F("command_index", U8),
            F("total_number_of_commands", U8),
            Item::ToEnd(
                "top_ups",
                &[
                    F("top_up_code", Ostr),
                    F("top_up_amount", I32),
                    F("top_up_time", Utc),
                ],
            ),
        ],
    ),
    s2c(
        PREPAYMENT,
        0x06,
        "PublishDebtLog",
        &[
            F("command_index", U8),
            F("total_number_of_commands", U8),
            Item::ToEnd(
                "debt_collections",
                &[
                    F("collection_time", Utc),
                    F("amount_collected", U32),
                    F("debt_type", E8),
                    F("outstanding_debt", U32),
                ],
            ),
        ],
    ),
    // Calendar 0x0707
    c2s(
        CALENDAR,
        0x01,
        "GetDayProfiles",
        &[
            F("provider_id", U32),
            F("issuer_calendar_id", U32),
            F("start_day_id", U8),
            F("number_of_days", U8),
        ],
    ),
    c2s(
        CALENDAR,
        0x02,
        "GetWeekProfiles",
        &[
            F("provider_id", U32),
            F("issuer_calendar_id", U32),
            F("start_week_id", U8),
            F("number_of_weeks", U8),
        ],
    ),
    c2s(
        CALENDAR,
        0x03,
        "GetSeasons",
        &[F("provider_id", U32), F("issuer_calendar_id", U32)],
    ),
    c2s(
        CALENDAR,
        0x04,
        "GetSpecialDays",
        &[
            F("start_time", Utc),
            F("number_of_events", U8),
            F("calendar_type", E8),
            F("provider_id", U32),
            F("issuer_calendar_id", U32),
        ],
    ),
    s2c(
        CALENDAR,
        0x00,
        "PublishCalendar",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_calendar_id", U32),
            F("start_time", Utc),
            F("calendar_type", E8),
            F("calendar_time_reference", U8),
            F("calendar_name", Ostr),
            F("number_of_seasons", U8),
            F("number_of_week_profiles", U8),
            F("number_of_day_profiles", U8),
        ],
    ),
    s2c(
        CALENDAR,
        0x01,
        "PublishDayProfile",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_calendar_id", U32),
            F("day_id", U8),
            F("total_number_of_schedule_entries", U8),
            F("command_index", U8),
            F("total_number_of_commands", U8),
            F("calendar_type", E8),
            // The second byte of an entry is a price tier, except in friendly-credit
            // calendars (type 3) where it switches friendly credit on or off.
            Item::Switch {
                on: "calendar_type",
                cases: &[(
                    3,
                    &[Item::ToEnd(
                        "schedule_entries",
                        &[F("start_time", Min), F("friendly_credit_enable", U8)],
                    )],
                )],
                default: Some(&[Item::ToEnd(
                    "schedule_entries",
                    &[F("start_time", Min), F("price_tier", U8)],
                )]),
                raw_name: "",
            },
        ],
    ),
    s2c(
        CALENDAR,
        0x02,
        "PublishWeekProfile",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_calendar_id", U32),
            F("week_id", U8),
            F("day_id_ref_monday", U8),
            F("day_id_ref_tuesday", U8),
            F("day_id_ref_wednesday", U8),
            F("day_id_ref_thursday", U8),
            F("day_id_ref_friday", U8),
            F("day_id_ref_saturday", U8),
            F("day_id_ref_sunday", U8),
        ],
    ),
    s2c(
        CALENDAR,
        0x03,
        "PublishSeasons",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_calendar_id", U32),
            F("command_index", U8),
            F("total_number_of_commands", U8),
            Item::ToEnd(
                "seasons",
                &[F("season_start_date", Date), F("week_id_ref", U8)],
            ),
        ],
    ),
    s2c(
        CALENDAR,
        0x04,
        "PublishSpecialDays",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("issuer_calendar_id", U32),
            F("start_time", Utc),
            F("calendar_type", E8),
            F("total_number_of_special_days", U8),
            F("command_index", U8),
            F("total_number_of_commands", U8),
            Item::ToEnd(
                "special_days",
                &[F("special_day_date", Date), F("day_id_ref", U8)],
            ),
        ],
    ),
    // Device Management 0x0708
    s2c(
        DEVICE_MANAGEMENT,
        0x00,
        "PublishChangeOfTenancy",
        &[
            F("provider_id", U32),
            F("issuer_event_id", U32),
            F("tariff_type", B8),
            F("implementation_date_time", Utc),
            F("proposed_tenancy_change_control", B32),
        ],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x01,
        "PublishChangeOfSupplier",
        &[
            F("current_provider_id", U32),
            F("issuer_event_id", U32),
            F("tariff_type", B8),
            F("proposed_provider_id", U32),
            F("provider_change_implementation_time", Utc),
            F("provider_change_control", B32),
            F("proposed_provider_name", Ostr),
            F("proposed_provider_contact_details", Ostr),
        ],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x02,
        "RequestNewPasswordResponse",
        &[
            F("issuer_event_id", U32),
            F("implementation_date_time", Utc),
            F("duration_in_minutes", U16),
            F("password_type", E8),
            F("password", Ostr),
        ],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x03,
        "UpdateSiteID",
        &[
            F("issuer_event_id", U32),
            F("site_id_time", Utc),
            F("provider_id", U32),
            F("site_id", Ostr),
        ],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x04,
        "SetEventConfiguration",
        &[
            F("issuer_event_id", U32),
            F("start_date_time", Utc),
            F("event_configuration", B8),
            F("configuration_control", E8),
            // Only the explicit event-id list form (control 0) is in the corpus.
            Item::Switch {
                on: "configuration_control",
                cases: &[(
                    0,
                    &[
                        F("number_of_events", U8),
                        Item::ListCount("event_ids", Count::Field("number_of_events"), U16),
                    ],
                )],
                default: None,
                raw_name: "event_configuration_payload",
            },
        ],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x05,
        "GetEventConfiguration",
        &[F("event_id", U16)],
    ),
    s2c(
        DEVICE_MANAGEMENT,
        0x06,
        "UpdateCIN",
        &[
            F("issuer_event_id", U32),
            F("implementation_time", Utc),
            F("provider_id", U32),
            F("customer_id_number", Ostr),
        ],
    ),
    c2s(
        DEVICE_MANAGEMENT,
        0x04,
        "ReportEventConfiguration",
        &[
            F("command_index", U8),
            F("total_number_of_commands", U8),
            Item::ToEnd(
                "events",
                &[F("event_id", U16), F("event_configuration", B8)],
            ),
        ],
    ),
    // Events 0x0709
    c2s(
        EVENTS,
        0x00,
        "GetEventLog",
        &[
            F("event_control_log_id", B8),
            F("event_id", U16),
            F("start_time", Utc),
            F("end_time", Utc),
            F("number_of_events", U8),
            F("event_offset", U16),
        ],
    ),
    c2s(EVENTS, 0x01, "ClearEventLogRequest", &[F("log_id", E8)]),
    s2c(
        EVENTS,
        0x01,
        "PublishEventLog",
        &[
            F("total_number_of_events", U16),
            F("command_index", U8),
            F("total_number_of_commands", U8),
            F("log_payload_control", B8),
            Item::ToEnd(
                "events",
                &[
                    F("log_id", E8),
                    F("event_id", U16),
                    F("event_time", Utc),
                    F("event_data", Ostr),
                ],
            ),
        ],
    ),
    s2c(
        EVENTS,
        0x02,
        "ClearEventLogResponse",
        &[F("cleared_events_logs", B8)],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_table_has_no_duplicates() {
        for (i, a) in COMMANDS.iter().enumerate() {
            for b in &COMMANDS[i + 1..] {
                assert!(
                    !(a.cluster == b.cluster
                        && a.server_to_client == b.server_to_client
                        && a.id == b.id),
                    "duplicate {}",
                    a.name
                );
            }
        }
    }

    #[test]
    fn block_thresholds_use_the_low_nibble_as_count() {
        let spec = lookup(0x0700, true, 0x06).unwrap();
        let mut bytes = vec![0u8; 19];
        bytes.push(0x12); // tier 1, 2 thresholds
        bytes.extend_from_slice(&[1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]);
        let fields = decode_layout(&mut Reader::new(&bytes), spec.layout).unwrap();
        let Some(Value::Records(recs)) = fields.get("entries") else {
            panic!("no entries");
        };
        assert_eq!(recs.len(), 1);
        let mut out = Vec::new();
        fields.encode(&mut out);
        assert_eq!(out, bytes);
    }
}
