use gbcs_harness::corpus::messages_dir;
use gbcs_harness::inspect::Inspector;
use gbcs_harness::sim::esme::MeterVariant;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::vectors::record::corpus_commands;
#[test]
fn scan() {
    let dir = messages_dir().unwrap();
    let profile = DefaultProfile::generate().unwrap();
    let ins = Inspector::new(profile.keys(), None);
    let (commands, _) = corpus_commands(&dir, profile.keys());
    for twin in [false, true] {
        for c in &commands {
            if c.file.contains("ERROR") || c.file.contains("NOT_FOUND") {
                continue;
            }
            let mut sim = if twin {
                profile.simulator_with(MeterVariant::TwinElement)
            } else {
                profile.simulator()
            };
            let frame = c.build(&profile, 0x0100_0000_0001).unwrap();
            let Some(r) = sim.handle(&frame).response else {
                continue;
            };
            let v =
                serde_json::to_string(&ins.inspect(&r).unwrap().message.payload.unwrap()).unwrap();
            for bad in [
                "object_undefined",
                "object_unavailable",
                "type_unmatched",
                "read_write_denied",
                "UNSUPPORTED",
                "\"status\":\"FAILURE",
                "MALFORMED",
                "other_reason",
            ] {
                if v.contains(bad) {
                    println!("twin={twin} {} {bad}", c.file);
                }
            }
        }
    }
}
