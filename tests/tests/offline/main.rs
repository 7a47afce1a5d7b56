//! The suites that need nothing but the workspace: planner-core's plans, presets and analyses
//! against fixtures and the vendor guides, the committed schemas, the real `executor` binary
//! on fixture files, and the architecture invariant. One test binary, one module per suite;
//! run one suite with `cargo test --workspace --test offline <module>::` (see `tests::executor`
//! for why `--workspace`).

mod architecture;
mod cli;
mod executor_policy;
mod executor_policy_split;
mod export_cloudformation;
mod lint;
mod plans;
mod preset_determined;
mod preset_informatica;
mod preset_tinystacks;
mod preset_titus;
mod presets;
mod prices;
mod reach;
mod schema;
mod terraform;
mod unreachable;
