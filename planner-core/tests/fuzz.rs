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
