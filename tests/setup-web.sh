#!/usr/bin/env bash
# Installs what building, serving and testing the browser editor (planner-web) needs:
#   - the wasm32-unknown-unknown target (rustup),
#   - trunk (cargo install, pinned),
#   - wasm-bindgen-cli at exactly the wasm-bindgen version Cargo.lock pins (trunk and
#     wasm-bindgen-test-runner refuse any other; trunk would try to download one),
#   - wasm-opt from binaryen (npm, into <workspace>/target/web-tools; trunk cannot download it
#     and Debian's binaryen is too old for Trunk.toml's `wasm_opt = "version_132"`),
#   - Chromium and chromedriver (apt-get) for the wasm component tests and the WebDriver tests.
# Idempotent: every tool is checked by version first and the script returns at once when all
# are there. It exports nothing: callers put target/web-tools/node_modules/.bin and
# ${CARGO_HOME:-~/.cargo}/bin on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
WEB_TOOLS=target/web-tools
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
WASM_OPT="$WEB_TOOLS/node_modules/.bin/wasm-opt"
# Only for this script's own checks.
PATH="$CARGO_BIN:$PATH"

say() { echo "setup-web: $*"; }
die() { echo "setup-web: $*" >&2; exit 1; }

# The version Cargo.lock pins for the package named $1.
locked_version() {
  awk -v name="$1" '
    $0 == "[[package]]" { in_pkg = 0 }
    $0 == "name = \"" name "\"" { in_pkg = 1; next }
    in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

WASM_BINDGEN_VERSION="$(locked_version wasm-bindgen)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "Cargo.lock pins no wasm-bindgen"

has_target() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
trunk_ok() { [ "$("$CARGO_BIN/trunk" --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; }
bindgen_ok() {
  [ "$("$CARGO_BIN/wasm-bindgen" --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
    && [ -x "$CARGO_BIN/wasm-bindgen-test-runner" ]
}
wasm_opt_ok() { "$WASM_OPT" --version 2>/dev/null | grep -q "^wasm-opt version $BINARYEN_VERSION\b"; }
chromium_ok() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

report() {
  say "wasm32-unknown-unknown target installed ($(rustc --version))"
  say "trunk $TRUNK_VERSION: $CARGO_BIN/trunk"
  say "wasm-bindgen $WASM_BINDGEN_VERSION: $CARGO_BIN/wasm-bindgen, $CARGO_BIN/wasm-bindgen-test-runner"
  say "wasm-opt $BINARYEN_VERSION: $PWD/$WASM_OPT"
  say "$(/usr/bin/chromium --version 2>/dev/null || echo chromium): /usr/bin/chromium"
  say "$(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2 || echo chromedriver): /usr/bin/chromedriver"
}

if has_target && trunk_ok && bindgen_ok && wasm_opt_ok && chromium_ok; then
  report
  exit 0
fi

command -v cargo >/dev/null || die "cargo not found; install rustup first (https://rustup.rs)"

# apt-get as root, or through sudo; `apt-get update` only when the install fails without it
# (a fresh image has no package lists; a provisioned one needs no network round trip).
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install $*"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null || die "no apt-get: install $* with your package manager"
  say "apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q "$@"; then
    say "apt-get install failed; updating the package lists and retrying"
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q "$@"
  fi
}

if ! has_target; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk_ok; then
  say "installing trunk $TRUNK_VERSION (cargo install, several minutes)"
  cargo install --quiet trunk --version "$TRUNK_VERSION" --locked
  trunk_ok || die "trunk $TRUNK_VERSION did not install ($("$CARGO_BIN/trunk" --version 2>&1 || true))"
fi

if ! bindgen_ok; then
  # Not --locked: the CLI's own lock file pins a crate version that is no longer published.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, a few minutes)"
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  bindgen_ok || die "wasm-bindgen-cli $WASM_BINDGEN_VERSION did not install"
fi

if ! wasm_opt_ok; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing binaryen@$BINARYEN_VERSION into $WEB_TOOLS (npm)"
  mkdir -p "$WEB_TOOLS"
  npm install --prefix "$WEB_TOOLS" --no-audit --no-fund --loglevel=error \
    "binaryen@$BINARYEN_VERSION"
  wasm_opt_ok || die "wasm-opt $BINARYEN_VERSION did not install ($("$WASM_OPT" --version 2>&1 || true))"
fi

if ! chromium_ok; then
  apt_install chromium chromium-driver
  chromium_ok || die "chromium or chromedriver missing after apt-get install"
fi

report
