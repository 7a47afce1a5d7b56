#!/usr/bin/env bash
# Every test of the workspace, from a fresh machine: formatting, lints (natively and for
# wasm32), planner-core built for the browser, the editor's component tests in headless
# Chromium and its release bundle, then unit, doc, property, snapshot, CLI and browser tests.
# rust-toolchain.toml makes rustup fetch the pinned toolchain, clippy, rustfmt and the
# wasm32-unknown-unknown target on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "tests/all.sh: cargo not found; install rustup first" >&2
  exit 1
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

step() { printf '\n== %s\n' "$*"; }

step "moto (the AWS emulator the executor's tests apply plans to), cfn-lint and python-hcl2 (the export validators)"
bash tests/setup-moto.sh
step "browser tools (trunk, wasm-bindgen, wasm-opt, chromium and chromedriver)"
bash tests/setup-web.sh
# Where setup-web.sh installs them, for every step below (the browser tests included).
export PATH="$PWD/target/web-tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

step "format"
cargo fmt --all -- --check
step "lint (native, all targets)"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "lint planner-core for wasm32 (no I/O, no clock, no randomness)"
cargo clippy --locked -p planner-core --target wasm32-unknown-unknown -- -D warnings
step "lint planner-web for wasm32 (all targets)"
cargo clippy --locked -p planner-web --all-targets --target wasm32-unknown-unknown -- -D warnings
step "build planner-core for wasm32"
cargo build --locked -p planner-core --target wasm32-unknown-unknown
step "docs of planner-core (broken links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked -p planner-core --no-deps
step "planner-web component tests (wasm, headless Chromium)"
# wasm-bindgen-test-runner drives Chromium through chromedriver; it adds headless, no-sandbox
# and disable-dev-shm-usage itself, webdriver.json the rest. Its timeout is for the whole run.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/planner-web/tests/webdriver.json" \
  WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --locked -p planner-web --target wasm32-unknown-unknown --tests --no-fail-fast
step "the editor's release bundle (trunk build --release: wasm-bindgen, wasm-opt)"
trunk build --release --locked --dist target/web-dist
step "tests"
# The browser tests use the bundle just built instead of building it again.
PLANNER_WEB_DIST=target/web-dist cargo test --locked --workspace --no-fail-fast
