#!/usr/bin/env bash
# Installs moto's standalone server into <workspace>/target/moto-venv, for the executor's
# tests (tests/src/moto.rs starts target/moto-venv/bin/moto_server), and the validators the
# export tests run: cfn-lint (CloudFormation templates) and python-hcl2 (Terraform files).
# Idempotent: a venv that already has the pinned versions is left alone and the script
# returns at once.
# Needs python3 with the venv module (Debian: apt-get install python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
CFN_LINT_VERSION=1.58.0
PYTHON_HCL2_VERSION=8.1.4
VENV=target/moto-venv
WANTED="$MOTO_VERSION $CFN_LINT_VERSION $PYTHON_HCL2_VERSION"

installed_versions() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
import flask, werkzeug  # moto[server]'s extras, needed by moto_server
import hcl2
print(m.version("moto"), m.version("cfn-lint"), m.version("python-hcl2"))
PY
}

if [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/cfn-lint" ] \
  && [ "$(installed_versions || true)" = "$WANTED" ]; then
  echo "setup-moto: moto $MOTO_VERSION, cfn-lint $CFN_LINT_VERSION, python-hcl2 $PYTHON_HCL2_VERSION already in $VENV"
  exit 0
fi

if ! command -v python3 >/dev/null; then
  echo "setup-moto: python3 not found (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi

echo "setup-moto: installing moto[server]==$MOTO_VERSION cfn-lint==$CFN_LINT_VERSION python-hcl2==$PYTHON_HCL2_VERSION into $VENV"
mkdir -p target
# A venv whose python no longer runs (python3 upgraded or moved) is rebuilt from scratch.
if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'pass' 2>/dev/null; then
  rm -rf "$VENV"
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[server]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION" "python-hcl2==$PYTHON_HCL2_VERSION"

got="$(installed_versions || true)"
if [ "$got" != "$WANTED" ] || [ ! -x "$VENV/bin/moto_server" ] || [ ! -x "$VENV/bin/cfn-lint" ]; then
  echo "setup-moto: install failed (found moto, cfn-lint, python-hcl2: '${got}')" >&2
  exit 1
fi
echo "setup-moto: moto $MOTO_VERSION ready: $VENV/bin/moto_server; cfn-lint $CFN_LINT_VERSION: $VENV/bin/cfn-lint; python-hcl2 $PYTHON_HCL2_VERSION"
