#!/usr/bin/env bash
# Installs moto's standalone server into <workspace>/target/moto-venv, for the executor's
# tests (tests/src/moto.rs starts target/moto-venv/bin/moto_server). Idempotent: a venv that
# already has the pinned version is left alone and the script returns at once.
# Needs python3 with the venv module (Debian: apt-get install python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
VENV=target/moto-venv

installed_version() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
import flask, werkzeug  # moto[server]'s extras, needed by moto_server
print(m.version("moto"))
PY
}

if [ -x "$VENV/bin/moto_server" ] && [ "$(installed_version || true)" = "$MOTO_VERSION" ]; then
  echo "setup-moto: moto $MOTO_VERSION already in $VENV"
  exit 0
fi

if ! command -v python3 >/dev/null; then
  echo "setup-moto: python3 not found (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi

echo "setup-moto: installing moto[server]==$MOTO_VERSION into $VENV"
mkdir -p target
# A venv whose python no longer runs (python3 upgraded or moved) is rebuilt from scratch.
if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'pass' 2>/dev/null; then
  rm -rf "$VENV"
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"

got="$(installed_version || true)"
if [ "$got" != "$MOTO_VERSION" ] || [ ! -x "$VENV/bin/moto_server" ]; then
  echo "setup-moto: install failed (found moto '${got}')" >&2
  exit 1
fi
echo "setup-moto: moto $MOTO_VERSION ready: $VENV/bin/moto_server"
