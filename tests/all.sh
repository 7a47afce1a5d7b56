#!/usr/bin/env bash
# Every test of the workspace, from a fresh machine: formatting, lints (natively and for
# wasm32), planner-core built for the browser, then unit, doc, property, snapshot and CLI tests.
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

step "moto (the AWS emulator the executor's tests apply plans to)"
bash tests/setup-moto.sh

step "format"
cargo fmt --all -- --check
step "lint (native, all targets)"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "lint planner-core for wasm32 (no I/O, no clock, no randomness)"
cargo clippy --locked -p planner-core --target wasm32-unknown-unknown -- -D warnings
step "build planner-core for wasm32"
cargo build --locked -p planner-core --target wasm32-unknown-unknown
step "docs of planner-core (broken links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked -p planner-core --no-deps
step "tests"
cargo test --locked --workspace --no-fail-fast
