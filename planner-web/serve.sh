#!/usr/bin/env bash
# Builds the browser editor (planner-web) and serves it on this machine:
#
#   bash planner-web/serve.sh            # http://127.0.0.1:8080/
#   PORT=9000 bash planner-web/serve.sh  # another port
#
# Needs only rustup: tests/setup-web.sh installs trunk, wasm-bindgen, wasm-opt (and the browser
# the tests use) on first run, which takes a while; later runs start at once. trunk rebuilds
# and reloads the page when planner-web, planner-core or index.html change. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
ADDRESS=127.0.0.1

if ! command -v cargo >/dev/null; then
  echo "serve: cargo not found; install rustup first (https://rustup.rs)" >&2
  exit 1
fi
case "$PORT" in
  '' | *[!0-9]*)
    echo "serve: PORT must be a number, not '$PORT'" >&2
    exit 1
    ;;
esac
if (exec 3<>"/dev/tcp/$ADDRESS/$PORT") 2>/dev/null; then
  echo "serve: something already listens on $ADDRESS:$PORT; choose another: PORT=8081 bash $0" >&2
  exit 1
fi

bash tests/setup-web.sh
PATH="$PWD/target/web-tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

URL="http://$ADDRESS:$PORT/"
cat <<EOF

==> The VPC planner editor will be at  $URL
    Open it once trunk prints "server listening": a release build (wasm-opt included) takes
    a few minutes, the first one longer. Ctrl-C stops the server.

EOF
TRUNK_SKIP_VERSION_CHECK=true exec trunk serve --release \
  --address "$ADDRESS" --port "$PORT" --disable-address-lookup \
  --watch index.html --watch Trunk.toml --watch planner-web --watch planner-core
