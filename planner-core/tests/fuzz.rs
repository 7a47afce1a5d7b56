//! A short, seeded run of the fuzzing harness (`benches/fuzz`), so every test run feeds a few
//! thousand mutated designs, plans and preset parameters through the whole pipeline and fails
//! on a panic, a nondeterministic result or a plan that does not read back.

#[path = "../benches/fuzz/harness/mod.rs"]
mod harness;

#[test]
fn a_short_seeded_fuzz_run_finds_nothing() {
    harness::quiet_panics();
    let mut fuzzer = harness::Fuzzer::new(20261130);
    let mut crashes = Vec::new();
    while fuzzer.stats.execs < 2_000 {
        if let Some(crash) = fuzzer.step() {
            crashes.push(format!(
                "{}\nminimal: {}\nas generated: {}",
                crash.signature,
                crash.minimal.to_file(),
                crash.input.to_file()
            ));
        }
    }
    let _ = std::panic::take_hook();
    assert!(
        fuzzer.stats.parsed > 200,
        "too few inputs parse: {:?}",
        fuzzer.stats
    );
    assert!(
        crashes.is_empty(),
        "{} crashes:\n{}",
        crashes.len(),
        crashes.join("\n\n")
    );
}

/// Every design, preset plan and bad input under `tests/fixtures/` is a seed: a fixture added
/// without being listed in `harness/seeds.rs` would never be fuzzed.
#[test]
// A test may list the fixture folder; the core itself never reads a file.
#[allow(clippy::disallowed_methods)]
fn every_fixture_is_a_seed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut on_disk = Vec::new();
    for dir in ["designs", "presets", "bad"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".json") {
                on_disk.push(format!("{dir}/{name}"));
            }
        }
    }
    on_disk.sort();
    let mut seeds: Vec<String> = harness::seeds::FIXTURES
        .iter()
        .map(|(p, _)| (*p).to_owned())
        .collect();
    seeds.sort();
    assert_eq!(seeds, on_disk);
}
