//! The suites that need moto (`bash tests/setup-moto.sh` installs it into
//! `target/moto-venv`): the moto harness itself, and the real executor binary applying plans
//! to moto through the recording, fault-injecting proxy. Nothing here contacts AWS.
//! Run one suite with `cargo test --workspace --test moto <module>::`.

mod brownfield;
mod cloudformation;
mod convergence;
mod endpoints_flow_logs;
mod executor;
mod harness;
mod least_privilege;
mod lock;
mod network_acls;
mod output;
mod region;
mod vpc_defaults;
