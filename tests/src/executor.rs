//! The real `executor` binary, for the suites that run it (`offline`'s CLI tests, `moto`).
//!
//! `CARGO_BIN_EXE_executor` exists only for the executor package's own tests, so
//! [`binary`] asks cargo for it, once per test process: `cargo build --workspace --bin
//! executor --examples`, into the target folder of the running test binary. `--examples`
//! selects nothing (the workspace has no examples) but makes cargo resolve features with
//! dev-dependencies as `cargo test --workspace` does, so the build reuses every dependency
//! `cargo test --workspace` compiled and compiles at most the `executor` crate itself. Cargo's
//! own freshness check means a changed source is never run stale.
//!
//! Run one suite by hand with `cargo test --workspace --test offline` (or `--test moto`): with
//! `-p tests` instead, cargo resolves features for the tests crate alone and the dependencies
//! the binary needs are compiled a second time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Names another executor binary to run instead of building one, e.g. a build of an older
/// commit, to check that a new test fails on the code it is meant to catch.
pub const OVERRIDE_VAR: &str = "TESTS_EXECUTOR_BINARY";

/// The executor binary, built (or found fresh) on first use, or the one [`OVERRIDE_VAR`]
/// names. Panics with cargo's errors if it does not build.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = || match std::env::var_os(OVERRIDE_VAR) {
        Some(path) => Ok(PathBuf::from(path)),
        None => build(),
    };
    match BINARY.get_or_init(found) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// A command running the executor binary.
pub fn command() -> Command {
    Command::new(binary())
}

/// Runs `cargo build` for the binary and returns the path cargo reports for it.
fn build() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.args(["build", "--workspace", "--bin", "executor", "--examples"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(crate::moto::workspace_dir())
        .stdin(Stdio::null());
    // Cargo gives a test process its package's variables (`CARGO_PKG_NAME`, `OUT_DIR`, …).
    // Build scripts such as ring's rerun when those change, so a build that inherited them
    // would rebuild the AWS SDK's dependencies, and the next `cargo test` would rebuild them
    // back.
    for (name, _) in std::env::vars_os() {
        if is_package_variable(&name.to_string_lossy()) {
            cmd.env_remove(name);
        }
    }
    let (profile, target_dir) = layout()?;
    match profile.as_str() {
        "debug" => {}
        "release" => {
            cmd.arg("--release");
        }
        other => {
            cmd.args(["--profile", other]);
        }
    }
    if let Some(dir) = target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!("building the executor: {shown}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    let log = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{shown} failed ({}):\n{log}", out.status));
    }
    eprint!("{log}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|m| {
            m["reason"] == "compiler-artifact"
                && m["target"]["name"] == "executor"
                && m["target"]["kind"][0] == "bin"
                && m["profile"]["test"] == false
        })
        .and_then(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("{shown} reported no executor binary:\n{log}"))
}

/// Whether cargo sets `name` for the package it runs or builds, rather than reading it.
fn is_package_variable(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CFG_",
        "CARGO_FEATURE_",
    ];
    const NAMES: &[&str] = &[
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "OUT_DIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}

/// The running test binary's profile (`debug`, `release`, …) and, when its folder is laid out
/// as `<target>/<profile>/deps/`, the target folder to build into.
fn layout() -> Result<(String, Option<PathBuf>), String> {
    let exe = std::env::current_exe().map_err(|e| format!("the test binary's path: {e}"))?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} is not in <target>/<profile>/deps", exe.display()))?;
    let profile = profile_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "debug".to_owned());
    // Cargo marks its target folder's root with CACHEDIR.TAG; under `--target <triple>` the
    // profile folder's parent is the triple's folder instead, and cargo finds the root itself.
    let target_dir = profile_dir
        .parent()
        .filter(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf);
    Ok((profile, target_dir))
}
