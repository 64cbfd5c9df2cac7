//! The default profile needs nothing outside the project: a command built and protected by
//! the harness side of the generated PKI is accepted by the simulated ESME, and its response
//! verifies. No corpus is read.

use gbcs_harness::codec::dlms::Data;
use gbcs_harness::codec::Payload;
use gbcs_harness::crypto::protect;
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;

mod common;
use common::read_supply_status;
use gbcs_harness::sim::Rejection;

#[test]
fn the_default_esme_answers_a_command_from_the_default_supplier() {
    let profile = DefaultProfile::generate().unwrap();
    let mut sim = profile.simulator();
    let command = protect::wrap_with_mac(
        profile.keys(),
        Some(profile.acb()),
        read_supply_status(5000),
    )
    .unwrap()
    .encode();
    let exchange = sim.handle(&command);
    assert_eq!(exchange.rejection, None);
    let response = exchange.response.unwrap();
    let inspection = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(&response)
        .unwrap();
    assert_eq!(inspection.checks.mac, Verdict::Valid);
    assert!(!inspection.is_failure());
    assert_eq!(inspection.use_case.unwrap().use_case, "ECS45");
    let Ok(Payload::Dlms(apdu)) = &inspection.message.payload else {
        panic!("a DLMS response");
    };
    let results = apdu.results().expect("an access-response");
    assert_eq!(results.len(), 1);
    assert!(results[0].is_success(), "{results:?}");
    assert!(
        matches!(apdu.data().unwrap()[0], Data::Enum(_)),
        "supply status is an enum"
    );

    // An older counter from the same supplier is a replay.
    let old = protect::wrap_with_mac(
        profile.keys(),
        Some(profile.acb()),
        read_supply_status(4999),
    )
    .unwrap()
    .encode();
    assert!(matches!(
        sim.handle(&old).rejection,
        Some(Rejection::Replay { .. })
    ));
}
