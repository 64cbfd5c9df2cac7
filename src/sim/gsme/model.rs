//! Command handling: each command component is answered from, and may change, the device
//! state. Layouts and field names are the codec's (zigbee-gbz.md §7, §9).

use crate::codec::gbz::zcl::command_name;
use crate::codec::gbz::{
    AlertBody, AlertCode, AlertHeader, ClusterId, Component, Fields, FrameControl, GbzPayload,
    UtcTime, Value, ZclPayload, PROFILE_ID,
};
use crate::codec::ids::MessageCode;
use crate::codec::payload::Payload;
use crate::codec::utrn::{Utrn, ValueClass};
use crate::sim::context::{AlertRequest, CommandContext};

use super::attributes::{
    is_consumption_register, BASIC, CALENDAR, DEVICE_MANAGEMENT, EVENTS, MESSAGING, METERING,
    PREPAYMENT, PRICE,
};
use super::state::{
    self, when, Calendar, DebtCollection, PendingWrite, Period, SampleSet, Snapshot, Tariff,
    TopUpRecord, When, CALENDAR_FRIENDLY_CREDIT, CALENDAR_TOU,
};
use super::wire::{
    status, Answer, FC_CLUSTER_SPECIFIC, FC_DISABLE_DEFAULT_RESPONSE, FC_SERVER_TO_CLIENT,
    GENERAL_READ_ATTRIBUTES, GENERAL_READ_ATTRIBUTES_RESPONSE, W,
};
use super::{Fault, GasDevice, GasMeter};

const SUPPORTED_CLUSTERS: [u16; 8] = [
    BASIC,
    PRICE,
    METERING,
    MESSAGING,
    PREPAYMENT,
    CALENDAR,
    DEVICE_MANAGEMENT,
    EVENTS,
];

/// Message code of the future-dated execution outcome alert (GBZ form).
const FUTURE_DATED_ALERT: MessageCode = MessageCode::FDEA_ZIGBEE;
const ALERT_FUTURE_DATED_ACTIONED: u16 = 0x8F66;
const FUTURE_DATED_BODY_LEN: u8 = 14;

/// Answers every component in order, applying the abort rule: after the first failing
/// component, each later one gets a Default Response `FF 01` (§5).
pub(super) fn answer_payload(
    m: &mut GasMeter,
    ctx: &CommandContext,
    request: &GbzPayload,
    faults: &[Fault],
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let mut out = Vec::new();
    let mut aborted = false;
    for (i, comp) in request.components.iter().enumerate() {
        let z = comp.zcl();
        if aborted {
            let mut a = Answer::default_response(
                comp.cluster.0,
                z.frame_control.0,
                z.tsn,
                0xFF,
                status::FAILURE,
            );
            a.failure = true;
            out.push(a);
            continue;
        }
        let fault = faults.iter().find(|f| f.component == i);
        let answers = answer_component(m, ctx, comp, fault, alerts);
        aborted = answers.iter().any(|a| a.failure);
        out.extend(answers);
    }
    out
}

/// The decoded fields of a command, read leniently: the codec has already checked the
/// layout, so a missing field can only be absent by layout choice and reads as zero.
struct Args<'a>(&'a Fields);

impl Args<'_> {
    fn u(&self, name: &str) -> u64 {
        self.0.get(name).and_then(Value::as_u64).unwrap_or(0)
    }
    fn u32(&self, name: &str) -> u32 {
        self.u(name) as u32
    }
    fn u16(&self, name: &str) -> u16 {
        self.u(name) as u16
    }
    fn u8(&self, name: &str) -> u8 {
        self.u(name) as u8
    }
    fn i(&self, name: &str) -> i64 {
        match self.0.get(name) {
            Some(Value::Int { value, .. }) => *value,
            Some(v) => v.as_u64().map_or(0, |u| u as i64),
            None => 0,
        }
    }
    fn bytes(&self, name: &str) -> Vec<u8> {
        match self.0.get(name) {
            Some(Value::OctetString(b) | Value::CharString(b)) => b.as_slice().to_vec(),
            _ => Vec::new(),
        }
    }
    fn records(&self, name: &str) -> &[Fields] {
        match self.0.get(name) {
            Some(Value::Records(r)) => r,
            _ => &[],
        }
    }
    fn list(&self, name: &str) -> &[Value] {
        match self.0.get(name) {
            Some(Value::List(l)) => l,
            _ => &[],
        }
    }
}

fn date_of(v: Option<&Value>) -> [u8; 4] {
    match v {
        Some(Value::Date(d)) => *d,
        _ => [0xFF; 4],
    }
}

/// The command being answered: where replies go and how to build them.
struct Cmd<'a> {
    cluster: u16,
    fc: u8,
    tsn: u8,
    id: u8,
    from_date_time: Option<u32>,
    args: Args<'a>,
}

impl Cmd<'_> {
    fn dr(&self, st: u8) -> Vec<Answer> {
        vec![Answer::default_response(
            self.cluster,
            self.fc,
            self.tsn,
            self.id,
            st,
        )]
    }
    fn ok(&self) -> Vec<Answer> {
        self.dr(status::SUCCESS)
    }
    fn reply(&self, command_id: u8, payload: W, encrypt: bool) -> Answer {
        Answer::server(self.cluster, self.tsn, command_id, payload.0, encrypt)
    }

    /// The 0x00CD alert announcing that this component was actioned at `due` (§3, §14).
    fn future_dated_alert(&self, ctx: &CommandContext, due: u32) -> AlertRequest {
        let fc = FrameControl(self.fc);
        let command = command_name(self.cluster, fc, self.id)
            .or_else(|| command_name(self.cluster, FrameControl(self.fc ^ 0x08), self.id));
        let payload = GbzPayload {
            profile_id: PROFILE_ID,
            // The GBZ alert header says 1 although no component follows (§3).
            component_count: 1,
            alert: Some(AlertHeader {
                alert_code: AlertCode(ALERT_FUTURE_DATED_ACTIONED),
                timestamp: UtcTime(due),
                body: AlertBody::FutureDatedOutcome {
                    length: FUTURE_DATED_BODY_LEN,
                    original_message_code: ctx.message_code.0,
                    original_originator_counter: ctx.counter,
                    cluster: ClusterId(self.cluster),
                    frame_control: fc,
                    command_id: self.id,
                    command,
                },
            }),
            components: Vec::new(),
        };
        AlertRequest {
            message_code: FUTURE_DATED_ALERT,
            payload: Payload::Gbz(payload),
            due: Some(due),
        }
    }
}

fn answer_component(
    m: &mut GasMeter,
    ctx: &CommandContext,
    comp: &Component,
    fault: Option<&Fault>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let z = comp.zcl();
    let fc = z.frame_control;
    let empty = Fields::default();
    let fields = match comp.payload() {
        Some(ZclPayload::Command { fields }) => fields,
        _ => &empty,
    };
    let cmd = Cmd {
        cluster: comp.cluster.0,
        fc: fc.0,
        tsn: z.tsn,
        id: z.command_id,
        from_date_time: comp.from_date_time.map(|t| t.0),
        args: Args(fields),
    };
    let read = fc.is_general() && z.command_id == GENERAL_READ_ATTRIBUTES;
    if let Some(f) = fault {
        if !(read && f.attribute.is_some()) {
            return cmd.dr(status::HARDWARE_FAILURE);
        }
    }
    // A device holding no entries of a log, profile or snapshot answers its Get NOT_FOUND.
    if m.no_records
        && fc.is_cluster_specific()
        && z.command.is_some_and(|name| name.starts_with("Get"))
    {
        return cmd.dr(status::NOT_FOUND);
    }
    if fc.manufacturer_specific() {
        return cmd.dr(if fc.is_general() {
            status::UNSUP_GENERAL_COMMAND
        } else {
            status::UNSUP_CLUSTER_COMMAND
        });
    }
    if !SUPPORTED_CLUSTERS.contains(&cmd.cluster) {
        return cmd.dr(status::UNSUPPORTED_CLUSTER);
    }
    match comp.payload() {
        // Commands to a device are never encrypted: one that is cannot be read.
        None => cmd.dr(status::MALFORMED_COMMAND),
        Some(ZclPayload::ReadAttributes { attributes }) if read => {
            let ids: Vec<u16> = attributes.iter().map(|a| a.id).collect();
            vec![read_attributes(
                m,
                &cmd,
                &ids,
                fault.and_then(|f| f.attribute),
            )]
        }
        Some(ZclPayload::Raw {
            reason: Some(_), ..
        }) => cmd.dr(status::MALFORMED_COMMAND),
        Some(ZclPayload::Command { .. }) if fc.is_cluster_specific() => {
            cluster_command(m, ctx, &cmd, fc.server_to_client(), alerts)
        }
        Some(_) if fc.is_general() => cmd.dr(status::UNSUP_GENERAL_COMMAND),
        Some(_) => cmd.dr(status::UNSUP_CLUSTER_COMMAND),
    }
}

fn read_attributes(m: &GasMeter, cmd: &Cmd<'_>, ids: &[u16], fault: Option<u16>) -> Answer {
    let mut w = W::default();
    let mut encrypt = false;
    let mut failure = false;
    for &id in ids {
        w.u16(id);
        if fault == Some(id) {
            w.u8(status::HARDWARE_FAILURE);
            failure = true;
            continue;
        }
        match m.attributes.get(cmd.cluster, id) {
            Some(a) => {
                w.u8(status::SUCCESS).u8(a.data_type.0);
                a.value.encode(&mut w.0);
                encrypt |= is_consumption_register(cmd.cluster, id);
            }
            None => {
                w.u8(status::UNSUPPORTED_ATTRIBUTE);
            }
        }
    }
    let direction = (cmd.fc & FC_SERVER_TO_CLIENT) ^ FC_SERVER_TO_CLIENT;
    Answer {
        cluster: cmd.cluster,
        frame_control: direction
            | if encrypt {
                FC_DISABLE_DEFAULT_RESPONSE
            } else {
                0
            },
        tsn: cmd.tsn,
        command_id: GENERAL_READ_ATTRIBUTES_RESPONSE,
        payload: w.0,
        encrypt,
        failure,
    }
}

fn cluster_command(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    s2c: bool,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let gsme_only = m.kind == GasDevice::Gpf
        && matches!(
            (cmd.cluster, s2c, cmd.id),
            (METERING, false, 0x0B | 0x0D | 0x0E) | (PREPAYMENT, false, 0x04)
        );
    if gsme_only {
        // The GPF has no valve and no consumer interface.
        return cmd.dr(status::UNSUP_CLUSTER_COMMAND);
    }
    match (cmd.cluster, s2c, cmd.id) {
        (PRICE, true, 0x04) => publish_tariff_information(m, ctx, cmd, alerts),
        (PRICE, true, 0x05 | 0x06) => publish_price_matrix(m, ctx, cmd, alerts),
        (PRICE, true, 0x09) => publish_period(&mut m.billing_periods, cmd, "billing"),
        (PRICE, true, 0x01) => publish_period(&mut m.block_periods, cmd, "block"),
        (PRICE, true, 0x02) => publish_conversion_factor(m, ctx, cmd),
        (PRICE, true, 0x03) => publish_calorific_value(m, ctx, cmd),
        (PRICE, false, 0x00) => get_current_price(m, cmd),
        (PRICE, false, 0x0B) => get_billing_period(m, cmd),
        (METERING, false, 0x06) => get_snapshot(m, cmd, false),
        (PREPAYMENT, false, 0x07) => get_snapshot(m, cmd, true),
        (METERING, false, 0x07) => start_sampling(m, cmd),
        (METERING, false, 0x08) => get_sampled_data(m, cmd),
        (METERING, false, 0x0B) => change_supply(m, cmd),
        (METERING, false, 0x0D) => set_supply_status(m, cmd),
        (METERING, false, 0x0E) => set_uncontrolled_flow_threshold(m, cmd),
        (PREPAYMENT, false, 0x00) => select_emergency_credit(m, cmd),
        (PREPAYMENT, false, 0x02) => change_debt(m, cmd),
        (PREPAYMENT, false, 0x03) => emergency_credit_setup(m, ctx, cmd, alerts),
        (PREPAYMENT, false, 0x04) => consumer_top_up(m, cmd),
        (PREPAYMENT, false, 0x05) => credit_adjustment(m, ctx, cmd),
        (PREPAYMENT, false, 0x06) => change_payment_mode(m, ctx, cmd, alerts),
        (PREPAYMENT, false, 0x08) => get_top_up_log(m, cmd),
        (PREPAYMENT, false, 0x09) => set_low_credit_warning_level(m, ctx, cmd, alerts),
        (PREPAYMENT, false, 0x0A) => get_debt_repayment_log(m, cmd),
        (PREPAYMENT, false, 0x0B) => set_maximum_credit_limit(m, ctx, cmd, alerts),
        (PREPAYMENT, false, 0x0C) => set_overall_debt_cap(m, ctx, cmd, alerts),
        (CALENDAR, true, 0x00..=0x04) => publish_calendar_part(m, ctx, cmd, alerts),
        (CALENDAR, false, 0x01..=0x04) => get_calendar_part(m, cmd),
        (DEVICE_MANAGEMENT, true, 0x00) => publish_change_of_tenancy(m, cmd),
        (DEVICE_MANAGEMENT, true, 0x01) => publish_change_of_supplier(m, cmd),
        (DEVICE_MANAGEMENT, true, 0x02) => {
            m.administration.password_type = cmd.args.u8("password_type");
            m.administration.password = cmd.args.bytes("password");
            cmd.ok()
        }
        (DEVICE_MANAGEMENT, true, 0x03) => {
            let site = cmd.args.bytes("site_id");
            m.attributes.set_bytes(METERING, 0x0307, &site);
            cmd.ok()
        }
        (DEVICE_MANAGEMENT, true, 0x06) => {
            let cin = cmd.args.bytes("customer_id_number");
            m.attributes.set_bytes(METERING, 0x0311, &cin);
            cmd.ok()
        }
        (DEVICE_MANAGEMENT, true, 0x04) => set_event_configuration(m, cmd),
        (DEVICE_MANAGEMENT, true, 0x05) => get_event_configuration(m, cmd),
        (MESSAGING, true, 0x00) => display_message(m, cmd),
        (EVENTS, false, 0x00) => get_event_log(m, cmd),
        (EVENTS, false, 0x01) => clear_event_log(m, cmd),
        _ => cmd.dr(status::UNSUP_CLUSTER_COMMAND),
    }
}

// The commands below were arms of `cluster_command`; each is its own function so that
// the dispatch stays a table of (cluster, direction, command) to handler, one handler
// per ZCL command.

/// Price PublishConversionFactor: the conversion factor and its trailing digit, from the
/// command's start time.
fn publish_conversion_factor(m: &mut GasMeter, ctx: &CommandContext, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let writes = vec![
        (PRICE, 0x0302, i64::from(a.u32("conversion_factor"))),
        (
            PRICE,
            0x0303,
            i64::from(a.u8("conversion_factor_trailing_digit")),
        ),
    ];
    schedule(m, ctx, cmd, a.u32("start_time"), writes, None)
}

/// Price PublishCalorificValue: the calorific value, its unit and trailing digit, from the
/// command's start time.
fn publish_calorific_value(m: &mut GasMeter, ctx: &CommandContext, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let writes = vec![
        (PRICE, 0x0304, i64::from(a.u32("calorific_value"))),
        (PRICE, 0x0305, i64::from(a.u8("calorific_value_unit"))),
        (
            PRICE,
            0x0306,
            i64::from(a.u8("calorific_value_trailing_digit")),
        ),
    ];
    schedule(m, ctx, cmd, a.u32("start_time"), writes, None)
}

/// Metering SetUncontrolledFlowThreshold: the six threshold attributes, at once.
fn set_uncontrolled_flow_threshold(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    for (id, v) in [
        (0x0B10, a.u("uncontrolled_flow_threshold")),
        (0x0B11, a.u("unit_of_measure")),
        (0x0B12, a.u("multiplier")),
        (0x0B13, a.u("divisor")),
        (0x0B14, a.u("stabilisation_period")),
        (0x0B15, a.u("measurement_period")),
    ] {
        m.attributes.set(METERING, id, v as i64);
    }
    cmd.ok()
}

/// Prepayment SelectAvailableEmergencyCredit: the first selection makes the emergency
/// credit limit available; a repeat changes nothing.
fn select_emergency_credit(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    if !m.emergency_credit_selected {
        m.emergency_credit_selected = true;
        let limit = m.attributes.int(PREPAYMENT, 0x0010);
        m.attributes.set(PREPAYMENT, 0x0002, limit);
    }
    cmd.ok()
}

/// Prepayment EmergencyCreditSetup: the emergency credit limit and threshold, from the
/// command's start time (a future date raises the alert when actioned).
fn emergency_credit_setup(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let writes = vec![
        (
            PREPAYMENT,
            0x0010,
            i64::from(a.u32("emergency_credit_limit")),
        ),
        (
            PREPAYMENT,
            0x0011,
            i64::from(a.u32("emergency_credit_threshold")),
        ),
    ];
    schedule(m, ctx, cmd, a.u32("start_time"), writes, Some(alerts))
}

/// Prepayment SetLowCreditWarningLevel: the warning level, from the component's From Date
/// Time.
fn set_low_credit_warning_level(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    // The only execution time this command has is the component's From Date Time.
    let t = cmd.from_date_time.unwrap_or(0);
    let level = i64::from(cmd.args.u32("low_credit_warning_level"));
    schedule(
        m,
        ctx,
        cmd,
        t,
        vec![(PREPAYMENT, 0x0031, level)],
        Some(alerts),
    )
}

/// Prepayment SetMaximumCreditLimit: the maximum credit level and the maximum per top-up,
/// from the implementation date-time.
fn set_maximum_credit_limit(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let writes = vec![
        (PREPAYMENT, 0x0021, i64::from(a.u32("maximum_credit_level"))),
        (
            PREPAYMENT,
            0x0022,
            i64::from(a.u32("maximum_credit_per_top_up")),
        ),
    ];
    let t = a.u32("implementation_date_time");
    schedule(m, ctx, cmd, t, writes, Some(alerts))
}

/// Prepayment SetOverallDebtCap: the overall debt cap, from the implementation date-time.
fn set_overall_debt_cap(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let writes = vec![(PREPAYMENT, 0x0006, a.i("overall_debt_cap"))];
    let t = a.u32("implementation_date_time");
    schedule(m, ctx, cmd, t, writes, Some(alerts))
}

/// Device Management PublishChangeOfTenancy: records the change; one due now also takes
/// the change-of-tenancy snapshot.
fn publish_change_of_tenancy(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let t = a.u32("implementation_date_time");
    m.administration.tenancy_change_time = t;
    m.administration.tenancy_change_control = a.u32("proposed_tenancy_change_control");
    if when(t, m.clock) == When::Now {
        take_snapshot(m, state::CAUSE_CHANGE_OF_TENANCY);
    }
    cmd.ok()
}

/// Device Management PublishChangeOfSupplier: records the new provider; one due now also
/// takes the change-of-supplier snapshot.
fn publish_change_of_supplier(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let t = a.u32("provider_change_implementation_time");
    let admin = &mut m.administration;
    admin.provider_id = a.u32("proposed_provider_id");
    admin.provider_name = a.bytes("proposed_provider_name");
    admin.provider_contact = a.bytes("proposed_provider_contact_details");
    admin.supplier_change_time = t;
    if when(t, m.clock) == When::Now {
        take_snapshot(m, state::CAUSE_CHANGE_OF_SUPPLIER);
    }
    cmd.ok()
}

/// Messaging DisplayMessage: the message the consumer interface shows.
fn display_message(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    m.message = Some(state::DisplayedMessage {
        message_id: a.u32("message_id"),
        control: a.u8("message_control"),
        start_time: a.u32("start_time"),
        duration_minutes: a.u16("duration_in_minutes"),
        text: a.bytes("message"),
    });
    cmd.ok()
}

/// Applies attribute writes at execution time `t`: now, later (with a 0x00CD alert when
/// `alerts` is given — the commands GBCS runs future-dated), or cancels the pending writes
/// of the same command (0xFFFFFFFF / 0xFFFFFFFE).
fn schedule(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    t: u32,
    writes: Vec<(u16, u16, i64)>,
    alerts: Option<&mut Vec<AlertRequest>>,
) -> Vec<Answer> {
    match when(t, m.clock) {
        When::Now => {
            for (cluster, id, v) in writes {
                m.attributes.set(cluster, id, v);
            }
        }
        When::Future(due) => {
            m.pending.push(PendingWrite {
                due,
                cluster: cmd.cluster,
                command_id: cmd.id,
                writes,
            });
            if let Some(alerts) = alerts {
                alerts.push(cmd.future_dated_alert(ctx, due));
            }
        }
        When::Cancel => m
            .pending
            .retain(|p| !(p.cluster == cmd.cluster && p.command_id == cmd.id)),
    }
    cmd.ok()
}

/// Effective start of something published for time `t`: immediate publications start at the
/// device clock, so they supersede older ones.
fn start_of(t: u32, clock: u32) -> u32 {
    if when(t, clock) == When::Now {
        clock
    } else {
        t
    }
}

fn publish_tariff_information(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let t = a.u32("start_time");
    let w = when(t, m.clock);
    if w == When::Cancel {
        let clock = m.clock;
        m.tariffs.retain(|x| x.start_time <= clock);
    }
    if let When::Future(due) = w {
        alerts.push(cmd.future_dated_alert(ctx, due));
    }
    m.tariffs.push(Tariff {
        provider_id: a.u32("provider_id"),
        issuer_event_id: a.u32("issuer_event_id"),
        issuer_tariff_id: a.u32("issuer_tariff_id"),
        start_time: start_of(t, m.clock),
        tariff_type: a.u8("tariff_type_charging_scheme"),
        label: a.bytes("tariff_label"),
        tiers_in_use: a.u8("number_of_price_tiers_in_use"),
        thresholds_in_use: a.u8("number_of_block_thresholds_in_use"),
        unit_of_measure: a.u8("unit_of_measure"),
        currency: a.u16("currency"),
        trailing_digit: a.u8("price_trailing_digit"),
        standing_charge: a.u32("standing_charge"),
        tier_block_mode: a.u8("tier_block_mode"),
        threshold_multiplier: a.u32("block_threshold_multiplier"),
        threshold_divisor: a.u32("block_threshold_divisor"),
        cancelled: w == When::Cancel,
        ..Tariff::default()
    });
    cmd.ok()
}

/// PublishPriceMatrix (0x05) and PublishBlockThresholds (0x06) complete the most recent
/// tariff with their issuer tariff id.
fn publish_price_matrix(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let id = a.u32("issuer_tariff_id");
    let Some(tariff) = m
        .tariffs
        .iter_mut()
        .rev()
        .find(|t| t.issuer_tariff_id == id)
    else {
        return cmd.dr(status::NOT_FOUND);
    };
    if cmd.id == 0x05 {
        tariff.price_control = a.u8("sub_payload_control") & 0x01;
        if a.u8("command_index") == 0 {
            tariff.prices.clear();
        }
        for e in a.records("entries") {
            let e = Args(e);
            tariff.prices.insert(e.u8("tier_block_id"), e.u32("price"));
        }
    } else {
        if a.u8("command_index") == 0 {
            tariff.thresholds.clear();
        }
        for e in a.records("entries") {
            tariff.thresholds.extend(
                Args(e)
                    .list("block_thresholds")
                    .iter()
                    .filter_map(Value::as_u64),
            );
        }
    }
    if let When::Future(due) = when(a.u32("start_time"), m.clock) {
        alerts.push(cmd.future_dated_alert(ctx, due));
    }
    cmd.ok()
}

fn publish_period(periods: &mut Vec<Period>, cmd: &Cmd<'_>, kind: &str) -> Vec<Answer> {
    let a = &cmd.args;
    let p = |start, duration, control, duration_type| Period {
        provider_id: a.u32("provider_id"),
        issuer_event_id: a.u32("issuer_event_id"),
        start_time: start,
        duration,
        control,
        duration_type,
        tariff_type: a.u8("tariff_type"),
        resolution: a.u8("tariff_resolution_period"),
    };
    let period = if kind == "billing" {
        p(
            a.u32("billing_period_start_time"),
            a.u32("billing_period_duration"),
            0,
            a.u8("billing_period_duration_type"),
        )
    } else {
        p(
            a.u32("block_period_start_time"),
            a.u32("block_period_duration"),
            a.u8("block_period_control"),
            a.u8("block_period_duration_type"),
        )
    };
    // A period published again for the same start replaces the earlier one.
    periods.retain(|q| q.start_time != period.start_time);
    periods.push(period);
    cmd.ok()
}

fn get_current_price(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let Some(t) = m.active_tariff() else {
        return cmd.dr(status::NOT_FOUND);
    };
    let tier = if t.is_block() { 0 } else { m.current_tier() };
    let price_id = if t.price_control == 0 { 0 } else { tier };
    let price = t.prices.get(&price_id).copied().unwrap_or(0);
    let mut w = W::default();
    w.u32(t.provider_id)
        .ostr(&t.label)
        .u32(t.issuer_event_id)
        .u32(m.clock)
        .u8(t.unit_of_measure)
        .u16(t.currency)
        .u8((t.trailing_digit & 0xF0) | (tier & 0x0F))
        .u8((t.tiers_in_use.min(15) << 4) | (tier & 0x0F))
        // Start "now", for the rest of the day.
        .u32(0)
        .u16(1440)
        .u32(price);
    vec![cmd.reply(0x00, w, false)]
}

fn get_billing_period(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let earliest = a.u32("earliest_start_time");
    let max = match a.u8("number_of_commands") {
        0 => usize::MAX,
        n => usize::from(n),
    };
    let mut periods: Vec<&Period> = m
        .billing_periods
        .iter()
        .filter(|p| p.start_time >= earliest || earliest == 0)
        .collect();
    periods.sort_by_key(|p| std::cmp::Reverse(p.start_time));
    if periods.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    periods
        .into_iter()
        .take(max)
        .map(|p| {
            let mut w = W::default();
            w.u32(p.provider_id)
                .u32(p.issuer_event_id)
                .u32(p.start_time)
                .u24(p.duration)
                .u8(p.duration_type)
                .u8(p.tariff_type);
            let mut ans = cmd.reply(0x09, w, false);
            ans.frame_control &= !FC_DISABLE_DEFAULT_RESPONSE;
            ans
        })
        .collect()
}

pub(super) fn take_snapshot(m: &mut GasMeter, cause: u32) {
    let a = &m.attributes;
    let snapshot = Snapshot {
        time: m.clock,
        cause,
        summation: a.int(METERING, 0x0000) as u64,
        tier_summation: [0, 1, 2, 3].map(|t| a.int(METERING, 0x0100 + 2 * t) as u64),
        block_summation: [0, 1, 2, 3].map(|b| a.int(METERING, 0x0700 + b) as u64),
        accumulated_debt: a.int(PREPAYMENT, 0x0005) as i32,
        debt_remaining: [1u16, 2, 3].map(|d| a.int(PREPAYMENT, 0x0201 + 0x10 * d) as u32),
        emergency_credit_remaining: a.int(PREPAYMENT, 0x0002) as i32,
        credit_remaining: a.int(PREPAYMENT, 0x0001) as i32,
    };
    m.snapshots.push(snapshot);
}

/// GetSnapshot / GetPrepaySnapshot: the `snapshot_offset`-th (oldest first) snapshot in the
/// time window whose cause matches; NOT_FOUND past the last one.
fn get_snapshot(m: &GasMeter, cmd: &Cmd<'_>, prepay: bool) -> Vec<Answer> {
    let a = &cmd.args;
    let (earliest, latest) = (a.u32("earliest_start_time"), a.u32("latest_end_time"));
    let cause = a.u32("snapshot_cause");
    let mut found: Vec<(usize, &Snapshot)> = m
        .snapshots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.time >= earliest && s.time <= latest)
        .filter(|(_, s)| cause == u32::MAX || s.cause & cause != 0)
        .collect();
    found.sort_by_key(|(_, s)| s.time);
    let Some(&(id, s)) = found.get(usize::from(a.u8("snapshot_offset"))) else {
        return cmd.dr(status::NOT_FOUND);
    };
    let mut w = W::default();
    w.u32(id as u32)
        .u32(s.time)
        .u8(found.len().min(255) as u8)
        .u8(0)
        .u8(1)
        .u32(s.cause);
    if prepay {
        w.u8(0)
            .i32(s.accumulated_debt)
            .u32(s.debt_remaining[0])
            .u32(s.debt_remaining[1])
            .u32(s.debt_remaining[2])
            .i32(s.emergency_credit_remaining)
            .i32(s.credit_remaining);
        vec![cmd.reply(0x01, w, true)]
    } else {
        w.u8(6).u48(s.summation).u8(4);
        for v in s.tier_summation {
            w.u48(v);
        }
        // One tier, four blocks in use.
        w.u8(0x14);
        for v in s.block_summation {
            w.u48(v);
        }
        vec![cmd.reply(0x06, w, true)]
    }
}

fn start_sampling(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let interval = u32::from(a.u16("sample_request_interval"));
    let max = u32::from(a.u16("max_number_of_samples"));
    let next = m
        .sample_sets
        .iter()
        .map(|s| s.id)
        .max()
        .map_or(2, |id| id + 1)
        .max(2);
    let id = if interval == 0 || max == 0 || next == u16::MAX {
        // Refused: the ZSE "invalid sample id".
        u16::MAX
    } else {
        let t = a.u32("start_sampling_time");
        m.sample_sets.push(SampleSet {
            id: next,
            sample_type: a.u8("sample_type"),
            start: start_of(t, m.clock),
            interval,
            max_samples: Some(max),
            is_log: false,
            seed: a.u32("issuer_event_id") ^ u32::from(next),
        });
        next
    };
    let mut w = W::default();
    w.u16(id);
    let mut ans = cmd.reply(0x0D, w, false);
    ans.frame_control &= !FC_DISABLE_DEFAULT_RESPONSE;
    vec![ans]
}

/// GetSampledData. A log answers the window [earliest, earliest + n·interval); a sampling
/// session is read from its first sample at or after `earliest` (a requester asking from
/// time 0 wants the whole session).
fn get_sampled_data(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let id = a.u16("sample_id");
    let sample_type = a.u8("sample_type");
    let earliest = a.u32("earliest_sample_time");
    let wanted = u32::from(a.u16("number_of_samples"));
    let Some(set) = m
        .sample_sets
        .iter()
        .find(|s| s.id == id && s.sample_type == sample_type)
    else {
        return cmd.dr(status::NOT_FOUND);
    };
    let taken = set.taken(m.clock);
    let first = if earliest <= set.start {
        0
    } else {
        (earliest - set.start).div_ceil(set.interval)
    };
    let window_end = if set.is_log {
        u64::from(earliest) + u64::from(wanted) * u64::from(set.interval)
    } else {
        u64::MAX
    };
    let indices: Vec<u32> = (first..taken)
        .filter(|k| u64::from(set.start) + u64::from(*k) * u64::from(set.interval) < window_end)
        .take(wanted as usize)
        .collect();
    if indices.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    let mut w = W::default();
    w.u16(set.id)
        .u32(set.start + indices[0] * set.interval)
        .u8(set.sample_type)
        .u16(set.reported_interval())
        .u16(indices.len() as u16);
    for k in indices {
        w.u24(set.value(k));
    }
    vec![cmd.reply(0x07, w, true)]
}

fn change_supply(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let proposed = a.u8("proposed_supply_status");
    if proposed > 2 {
        return cmd.dr(status::INVALID_VALUE);
    }
    let t = a.u32("implementation_date_time");
    match when(t, m.clock) {
        When::Now => m.attributes.set(METERING, 0x0014, i64::from(proposed)),
        When::Future(due) => m.pending.push(PendingWrite {
            due,
            cluster: METERING,
            command_id: cmd.id,
            writes: vec![(METERING, 0x0014, i64::from(proposed))],
        }),
        When::Cancel => m
            .pending
            .retain(|p| !(p.cluster == METERING && p.command_id == cmd.id)),
    }
    let mut w = W::default();
    w.u32(a.u32("provider_id"))
        .u32(a.u32("issuer_event_id"))
        .u32(t)
        .u8(proposed);
    let mut ans = cmd.reply(0x0C, w, false);
    ans.frame_control &= !FC_DISABLE_DEFAULT_RESPONSE;
    vec![ans]
}

fn set_supply_status(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    for (id, name) in [
        (0x0607, "supply_tamper_state"),
        (0x0608, "supply_depletion_state"),
        (0x0609, "supply_uncontrolled_flow_state"),
        (0x060A, "load_limit_supply_state"),
    ] {
        match a.u8(name) {
            // 3 = leave unchanged (ZSE).
            3 => {}
            v @ 0..=2 => m.attributes.set(METERING, id, i64::from(v)),
            _ => return cmd.dr(status::INVALID_VALUE),
        }
    }
    cmd.ok()
}

fn change_debt(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let amount_type = a.u8("debt_amount_type");
    if amount_type > 5 {
        return cmd.dr(status::INVALID_VALUE);
    }
    // Types 0/1, 2/3, 4/5 are debt 1, 2, 3, absolute / incremental.
    let base = 0x0210 + 0x10 * u16::from(amount_type / 2);
    let attrs = &mut m.attributes;
    let amount = a.i("debt_amount");
    let new_amount = if amount_type % 2 == 1 {
        attrs.int(PREPAYMENT, base + 1) + amount
    } else {
        amount
    };
    attrs.set_bytes(PREPAYMENT, base, &a.bytes("debt_label"));
    attrs.set(PREPAYMENT, base + 1, new_amount.max(0));
    attrs.set(PREPAYMENT, base + 2, a.i("debt_recovery_method"));
    attrs.set(PREPAYMENT, base + 3, a.i("debt_recovery_start_time"));
    attrs.set(PREPAYMENT, base + 4, a.i("debt_recovery_collection_time"));
    attrs.set(PREPAYMENT, base + 6, a.i("debt_recovery_frequency"));
    attrs.set(PREPAYMENT, base + 7, a.i("debt_recovery_amount"));
    attrs.set(
        PREPAYMENT,
        base + 9,
        a.i("debt_recovery_balance_percentage"),
    );
    cmd.ok()
}

/// Top-up value in 10⁻⁵ of the currency unit, by UTRN value class (classes 2/3 are taken as
/// pence/pounds, as the synthetic tokens suggest).
fn top_up_amount(utrn: &Utrn) -> i64 {
    let v = i64::from(utrn.value());
    match utrn.value_class() {
        ValueClass::Pence | ValueClass::Class2 => v * 1_000,
        ValueClass::Pounds | ValueClass::Class3 => v * 100_000,
    }
}

fn consumer_top_up(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    const ACCEPTED: u8 = 0x00;
    const INVALID: u8 = 0x01;
    const DUPLICATE: u8 = 0x02;
    const MAX_CREDIT_REACHED: u8 = 0x04;
    const TOO_LARGE: u8 = 0x06;
    let a = &cmd.args;
    let code = a.bytes("top_up_code");
    let credit = m.attributes.int(PREPAYMENT, 0x0001);
    let result = match Utrn::parse(&code) {
        Err(_) => (INVALID, 0),
        Ok(u) if m.used_utrn_counters.contains(&u.counter()) => (DUPLICATE, 0),
        Ok(u) => {
            let amount = top_up_amount(&u);
            let per_top_up = m.attributes.int(PREPAYMENT, 0x0022);
            let max_credit = m.attributes.int(PREPAYMENT, 0x0021);
            if per_top_up > 0 && amount > per_top_up {
                (TOO_LARGE, 0)
            } else if max_credit > 0 && credit + amount > max_credit {
                (MAX_CREDIT_REACHED, 0)
            } else {
                m.used_utrn_counters.insert(u.counter());
                (ACCEPTED, amount)
            }
        }
    };
    let (result_type, amount) = result;
    if result_type == ACCEPTED {
        let added = m.attributes.int(PREPAYMENT, 0x0020) + amount;
        m.attributes.set(PREPAYMENT, 0x0001, credit + amount);
        m.attributes.set(PREPAYMENT, 0x0020, added);
        m.top_ups.push(TopUpRecord {
            code: code.clone(),
            amount: amount as i32,
            time: m.clock,
        });
    }
    let mut w = W::default();
    w.u8(result_type)
        .i32(amount as i32)
        .u8(a.u8("originating_device"))
        .i32(m.attributes.int(PREPAYMENT, 0x0001) as i32);
    let mut ans = cmd.reply(0x03, w, false);
    ans.frame_control &= !FC_DISABLE_DEFAULT_RESPONSE;
    vec![ans]
}

/// CreditAdjustment: type 0 adds to the credit, 1 sets it; 2 sets and 3 adds to the
/// accumulated debt (the model's reading of GCS40c/d, unverified).
fn credit_adjustment(m: &mut GasMeter, _ctx: &CommandContext, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let v = a.i("credit_adjustment_value");
    let (attr, incremental) = match a.u8("credit_adjustment_type") {
        0 => (0x0001, true),
        1 => (0x0001, false),
        2 => (0x0005, false),
        3 => (0x0005, true),
        _ => return cmd.dr(status::INVALID_VALUE),
    };
    let new = if incremental {
        m.attributes.int(PREPAYMENT, attr) + v
    } else {
        v
    };
    let writes = vec![(PREPAYMENT, attr, new)];
    match when(a.u32("start_time"), m.clock) {
        When::Future(due) => m.pending.push(PendingWrite {
            due,
            cluster: PREPAYMENT,
            command_id: cmd.id,
            writes,
        }),
        _ => m.attributes.set(PREPAYMENT, attr, new),
    }
    cmd.ok()
}

fn change_payment_mode(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let t = a.u32("implementation_date_time");
    let writes = vec![
        (
            PREPAYMENT,
            0x0000,
            i64::from(a.u16("proposed_payment_control_configuration")),
        ),
        (PREPAYMENT, 0x0040, a.i("cut_off_value")),
    ];
    if when(t, m.clock) == When::Now {
        take_snapshot(m, state::CAUSE_CHANGE_OF_MODE);
    }
    schedule(m, ctx, cmd, t, writes, Some(alerts));
    let friendly = m.active_calendar(CALENDAR_FRIENDLY_CREDIT);
    let mut w = W::default();
    w.u8(u8::from(friendly.is_some()))
        .u32(friendly.map_or(0, |c| c.issuer_calendar_id))
        .u32(m.attributes.int(PREPAYMENT, 0x0010) as u32)
        .u32(m.attributes.int(PREPAYMENT, 0x0011) as u32);
    vec![cmd.reply(0x02, w, false)]
}

fn get_top_up_log(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let from = cmd.from_date_time.unwrap_or(0);
    let latest = a.u32("latest_end_time");
    let max = match a.u8("number_of_records") {
        0 => usize::MAX,
        n => usize::from(n),
    };
    let mut records: Vec<&TopUpRecord> = m
        .top_ups
        .iter()
        .filter(|r| r.time >= from && r.time <= latest)
        .collect();
    // Most recent first.
    records.sort_by_key(|r| std::cmp::Reverse(r.time));
    records.truncate(max);
    if records.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    let mut w = W::default();
    w.u8(0).u8(1);
    for r in records {
        w.ostr(&r.code).i32(r.amount).u32(r.time);
    }
    vec![cmd.reply(0x05, w, false)]
}

fn get_debt_repayment_log(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let from = cmd.from_date_time.unwrap_or(0);
    let latest = a.u32("latest_end_time");
    let debt_type = a.u8("debt_type");
    let max = match a.u8("number_of_debts") {
        0 => usize::MAX,
        n => usize::from(n),
    };
    let mut records: Vec<&DebtCollection> = m
        .debt_collections
        .iter()
        .filter(|r| r.time >= from && r.time <= latest)
        .filter(|r| debt_type == 0xFF || r.debt_type == debt_type)
        .collect();
    records.sort_by_key(|r| r.time);
    records.truncate(max);
    if records.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    let mut w = W::default();
    w.u8(0).u8(1);
    for r in records {
        w.u32(r.time)
            .u32(r.amount)
            .u8(r.debt_type)
            .u32(r.outstanding);
    }
    vec![cmd.reply(0x06, w, true)]
}

/// The calendar a supplier's Publish* component continues: the most recent one with its
/// issuer calendar id (the PublishCalendar earlier in the same message, normally).
fn calendar_for(m: &mut GasMeter, issuer_calendar_id: u32) -> Option<&mut Calendar> {
    m.calendars
        .iter_mut()
        .rev()
        .find(|c| c.issuer_calendar_id == issuer_calendar_id)
}

fn publish_calendar_part(
    m: &mut GasMeter,
    ctx: &CommandContext,
    cmd: &Cmd<'_>,
    alerts: &mut Vec<AlertRequest>,
) -> Vec<Answer> {
    let a = &cmd.args;
    let calendar_id = a.u32("issuer_calendar_id");
    if cmd.id == 0x00 {
        let t = a.u32("start_time");
        let w = when(t, m.clock);
        let calendar_type = a.u8("calendar_type");
        if w == When::Cancel {
            let clock = m.clock;
            m.calendars
                .retain(|c| c.calendar_type != calendar_type || c.start_time <= clock);
        }
        if let When::Future(due) = w {
            alerts.push(cmd.future_dated_alert(ctx, due));
        }
        m.calendars.push(Calendar {
            provider_id: a.u32("provider_id"),
            issuer_event_id: a.u32("issuer_event_id"),
            issuer_calendar_id: calendar_id,
            start_time: start_of(t, m.clock),
            calendar_type,
            time_reference: a.u8("calendar_time_reference"),
            name: a.bytes("calendar_name"),
            cancelled: w == When::Cancel,
            ..Calendar::default()
        });
        return cmd.ok();
    }
    let clock = m.clock;
    let Some(cal) = calendar_for(m, calendar_id) else {
        return cmd.dr(status::NOT_FOUND);
    };
    match cmd.id {
        0x01 => {
            let entries = a
                .records("schedule_entries")
                .iter()
                .map(|e| {
                    let e = Args(e);
                    let second = if e.0.get("price_tier").is_some() {
                        e.u8("price_tier")
                    } else {
                        e.u8("friendly_credit_enable")
                    };
                    (e.u16("start_time"), second)
                })
                .collect();
            cal.day_profiles.insert(a.u8("day_id"), entries);
        }
        0x02 => {
            let days = [
                "day_id_ref_monday",
                "day_id_ref_tuesday",
                "day_id_ref_wednesday",
                "day_id_ref_thursday",
                "day_id_ref_friday",
                "day_id_ref_saturday",
                "day_id_ref_sunday",
            ]
            .map(|d| a.u8(d));
            cal.week_profiles.insert(a.u8("week_id"), days);
        }
        0x03 => {
            if a.u8("command_index") == 0 {
                cal.seasons.clear();
            }
            cal.seasons.extend(a.records("seasons").iter().map(|s| {
                (
                    date_of(s.get("season_start_date")),
                    Args(s).u8("week_id_ref"),
                )
            }));
        }
        _ => {
            let t = a.u32("start_time");
            if a.u8("command_index") == 0 {
                cal.special_days.clear();
            }
            cal.special_days_start = if when(t, clock) == When::Now { 0 } else { t };
            cal.special_days.extend(
                a.records("special_days")
                    .iter()
                    .map(|s| (date_of(s.get("special_day_date")), Args(s).u8("day_id_ref"))),
            );
            if let When::Future(due) = when(t, clock) {
                alerts.push(cmd.future_dated_alert(ctx, due));
            }
        }
    }
    cmd.ok()
}

/// The calendar a Get* names. 0xFFFFFFFF and 0xFFFFFFFE are not ids but "the current one":
/// RTDS uses the first for the TOU calendar and the second for the friendly-credit one,
/// unless the command carries a calendar type.
fn calendar_named(
    m: &GasMeter,
    issuer_calendar_id: u32,
    calendar_type: Option<u8>,
) -> Option<&Calendar> {
    match issuer_calendar_id {
        0xFFFF_FFFF | 0xFFFF_FFFE => {
            let default = if issuer_calendar_id == 0xFFFF_FFFF {
                CALENDAR_TOU
            } else {
                CALENDAR_FRIENDLY_CREDIT
            };
            m.active_calendar(calendar_type.unwrap_or(default))
        }
        id => {
            let mut candidates: Vec<&Calendar> = m
                .calendars
                .iter()
                .filter(|c| c.issuer_calendar_id == id)
                .collect();
            candidates.sort_by_key(|c| (c.start_time <= m.clock, c.start_time));
            candidates.last().copied()
        }
    }
}

fn calendar_header(w: &mut W, cal: &Calendar) {
    w.u32(cal.provider_id)
        .u32(cal.issuer_event_id)
        .u32(cal.issuer_calendar_id);
}

fn get_calendar_part(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let type_hint = (cmd.id == 0x04).then(|| a.u8("calendar_type"));
    let Some(cal) = calendar_named(m, a.u32("issuer_calendar_id"), type_hint) else {
        return cmd.dr(status::NOT_FOUND);
    };
    let answers: Vec<Answer> = match cmd.id {
        0x01 => {
            let start = a.u8("start_day_id");
            let n = match a.u8("number_of_days") {
                0 => usize::MAX,
                n => usize::from(n),
            };
            cal.day_profiles
                .range(start..)
                .take(n)
                .map(|(&day_id, entries)| {
                    let mut w = W::default();
                    calendar_header(&mut w, cal);
                    w.u8(day_id)
                        .u8(entries.len() as u8)
                        .u8(0)
                        .u8(1)
                        .u8(cal.calendar_type);
                    for &(start, v) in entries {
                        w.u16(start).u8(v);
                    }
                    cmd.reply(0x01, w, false)
                })
                .collect()
        }
        0x02 => {
            let start = a.u8("start_week_id");
            let n = match a.u8("number_of_weeks") {
                0 => usize::MAX,
                n => usize::from(n),
            };
            cal.week_profiles
                .range(start..)
                .take(n)
                .map(|(&week_id, days)| {
                    let mut w = W::default();
                    calendar_header(&mut w, cal);
                    w.u8(week_id).bytes(days);
                    cmd.reply(0x02, w, false)
                })
                .collect()
        }
        0x03 if !cal.seasons.is_empty() => {
            let mut w = W::default();
            calendar_header(&mut w, cal);
            w.u8(0).u8(1);
            for (date, week) in &cal.seasons {
                w.bytes(date).u8(*week);
            }
            vec![cmd.reply(0x03, w, false)]
        }
        0x04 if !cal.special_days.is_empty() => {
            let n = match a.u8("number_of_events") {
                0 => usize::MAX,
                n => usize::from(n),
            };
            let days: Vec<_> = cal.special_days.iter().take(n).collect();
            let mut w = W::default();
            calendar_header(&mut w, cal);
            w.u32(cal.special_days_start)
                .u8(cal.calendar_type)
                .u8(days.len() as u8)
                .u8(0)
                .u8(1);
            for (date, day) in days {
                w.bytes(date).u8(*day);
            }
            vec![cmd.reply(0x04, w, false)]
        }
        _ => Vec::new(),
    };
    if answers.is_empty() {
        cmd.dr(status::NOT_FOUND)
    } else {
        answers
    }
}

fn set_event_configuration(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let config = a.u8("event_configuration");
    match a.u8("configuration_control") {
        0 => {
            for id in a.list("event_ids").iter().filter_map(Value::as_u64) {
                m.event_configuration.insert(id as u16, config);
            }
            cmd.ok()
        }
        _ => cmd.dr(status::INVALID_VALUE),
    }
}

/// GetEventConfiguration: one event, or with low byte 0xFF every event of that group.
fn get_event_configuration(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let wanted = cmd.args.u16("event_id");
    let events: Vec<(u16, u8)> = m
        .event_configuration
        .iter()
        .filter(|(&id, _)| {
            if wanted & 0x00FF == 0x00FF {
                id >> 8 == wanted >> 8
            } else {
                id == wanted
            }
        })
        .map(|(&id, &c)| (id, c))
        .collect();
    if events.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    let mut w = W::default();
    w.u8(0).u8(1);
    for (id, c) in events {
        w.u16(id).u8(c);
    }
    // The GSME is a Device Management client: its report goes client to server.
    vec![Answer {
        cluster: cmd.cluster,
        frame_control: FC_CLUSTER_SPECIFIC,
        tsn: cmd.tsn,
        command_id: 0x04,
        payload: w.0,
        encrypt: false,
        failure: false,
    }]
}

fn get_event_log(m: &GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let a = &cmd.args;
    let log_id = a.u8("event_control_log_id") & 0x0F;
    let event_id = a.u16("event_id");
    let start = a.u32("start_time");
    let end = match a.u32("end_time") {
        0 => m.clock,
        t => t,
    };
    let max = match a.u8("number_of_events") {
        0 => usize::MAX,
        n => usize::from(n),
    };
    let mut events: Vec<&state::EventRecord> = m
        .events
        .iter()
        .filter(|e| log_id == 0 || e.log_id == log_id)
        .filter(|e| event_id == 0 || e.event_id == event_id)
        .filter(|e| e.time >= start && e.time <= end)
        .collect();
    events.sort_by_key(|e| e.time);
    let events: Vec<_> = events
        .into_iter()
        .skip(usize::from(a.u16("event_offset")))
        .take(max)
        .collect();
    if events.is_empty() {
        return cmd.dr(status::NOT_FOUND);
    }
    let mut w = W::default();
    w.u16(events.len() as u16).u8(0).u8(1).u8(0);
    for e in events {
        w.u8(e.log_id).u16(e.event_id).u32(e.time).ostr(&e.data);
    }
    vec![cmd.reply(0x01, w, false)]
}

/// ClearEventLogRequest: log 0 = every clearable log. The security log is never cleared
/// remotely, so asking for it clears nothing.
fn clear_event_log(m: &mut GasMeter, cmd: &Cmd<'_>) -> Vec<Answer> {
    let log_id = cmd.args.u8("log_id");
    let mut cleared = 0u8;
    let clearable = |l: u8| l != state::LOG_SECURITY && l < 8;
    if log_id == 0 {
        let logs: Vec<u8> = m.events.iter().map(|e| e.log_id).collect();
        m.events.retain(|e| !clearable(e.log_id));
        cleared = 0x01
            | logs
                .into_iter()
                .filter(|l| clearable(*l))
                .fold(0, |b, l| b | 1 << l);
    } else if clearable(log_id) {
        m.events.retain(|e| e.log_id != log_id);
        cleared = 1 << log_id;
    }
    let mut w = W::default();
    w.u8(cleared);
    let mut ans = cmd.reply(0x02, w, false);
    ans.frame_control &= !FC_DISABLE_DEFAULT_RESPONSE;
    vec![ans]
}
