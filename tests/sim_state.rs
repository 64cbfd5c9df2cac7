//! `sim://` device states: `Transport::prepare` puts a simulated device into the failing state
//! of a recorded `_ERROR_` / `NOT_FOUND` variant for its next command only, and says why when
//! a variant's state cannot be modelled; `?esme=twin` selects a twin-element ESME.

mod common;

use gbcs_harness::codec::decode_frame;
use gbcs_harness::crypto::pki::defaults;
use gbcs_harness::inspect::Inspector;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::{open, DeviceState, OpenOptions, TransportError};

use common::transport::{limits, rt};

fn state(variant: &str) -> DeviceState {
    DeviceState {
        use_case: variant.split('_').next().unwrap().to_string(),
        variant: variant.to_string(),
        device: defaults::ESME,
    }
}

/// The results of the access-response in a response frame, by name.
fn results(profile: &DefaultProfile, frame: &[u8]) -> Vec<String> {
    let i = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(frame)
        .unwrap();
    let v = serde_json::to_value(i.message.payload.unwrap()).unwrap();
    v["body"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_prepared_failure_applies_to_the_next_command_only() {
    let profile = DefaultProfile::generate().unwrap();
    let mut t = open("sim://", &OpenOptions::default()).unwrap();
    let l = limits(2000);
    rt().block_on(async {
        // ECS45's recorded failure: the disconnector's state cannot be read.
        t.prepare(&state("ECS45_7.4_ERROR"), &l).await.unwrap();
        let r = t
            .exchange(&common::command(&profile, 10), &l)
            .await
            .unwrap();
        assert_eq!(results(&profile, &r.responses[0].frame), ["hardware_fault"]);
        // One-shot: the next read is healthy again.
        let r = t
            .exchange(&common::command(&profile, 11), &l)
            .await
            .unwrap();
        assert_eq!(results(&profile, &r.responses[0].frame), ["success"]);
    });
}

#[test]
fn unmodelled_states_are_a_clear_error() {
    let mut t = open("sim://", &OpenOptions::default()).unwrap();
    let l = limits(2000);
    rt().block_on(async {
        for (variant, says) in [("GCS20r_6.2.10_ERROR_UNKNOWN", "no failure state")] {
            let e = t.prepare(&state(variant), &l).await.unwrap_err();
            assert!(matches!(e, TransportError::StateControl { .. }), "{e}");
            let text = e.to_string();
            assert!(text.contains(variant) && text.contains(says), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        // A twin-element variant makes the meter a twin-element one.
        t.prepare(&state("ECS17b_4.1.1_TWIN_SUCCESS"), &l)
            .await
            .unwrap();
        // A variant whose command carries the error needs no state: prepared, nothing to do.
        t.prepare(&state("CS03B_8.7.2_ERROR"), &l).await.unwrap();
        let mut elsewhere = state("ECS45_7.4_ERROR");
        elsewhere.device = "00db9999999999a0".parse().unwrap();
        let e = t.prepare(&elsewhere, &l).await.unwrap_err();
        assert!(e.to_string().contains("not simulated"), "{e}");
    });
}

#[test]
fn esme_twin_is_a_url_parameter() {
    let o = OpenOptions::default();
    assert_eq!(
        open("sim://?esme=twin", &o).unwrap().describe(),
        "sim://?esme=twin"
    );
    assert!(open("sim://?esme=single&fault=late-response", &o).is_ok());
    for url in ["sim://?esme=triple", "sim://?esme=twin&esme=single"] {
        let e = open(url, &o).err().expect(url).to_string();
        assert!(e.contains("bad transport URL"), "{e}");
    }
    let faults = gbcs_harness::transport::faults_in_url("sim://?esme=twin").unwrap();
    assert_eq!(faults, gbcs_harness::sim::faults::FaultSet::none());
    // Both configurations answer the ESME (the twin's per-element data is tested in sim::esme).
    let profile = DefaultProfile::generate().unwrap();
    let mut t = open("sim://?esme=twin", &o).unwrap();
    let l = limits(2000);
    rt().block_on(async {
        let r = t.exchange(&common::command(&profile, 5), &l).await.unwrap();
        assert!(decode_frame(&r.responses[0].frame).is_ok());
    });
}
