#!/usr/bin/env bash
# Static security scan of terraform/ with checkov, in its own virtualenv (checkov pins versions of
# python-hcl2 and other libraries that conflict with the project's environment).
#   scripts/checkov.sh --install   create/refresh .venv-checkov only (make test calls this)
#   scripts/checkov.sh [args...]   scan terraform/ (extra args go to checkov, e.g. -o json)
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION="3.3.30"
VENV="${CHECKOV_VENV:-.venv-checkov}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.installed-checkov-$CHECKOV_VERSION"

if [[ ! -f "$STAMP" ]]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  touch "$STAMP"
fi

if [[ "${1:-}" == "--install" ]]; then
  exit 0
fi

# BC_SKIP_MAPPING: no attempt to download guideline links (the scan itself is offline).
export BC_SKIP_MAPPING=TRUE
exec "$VENV/bin/checkov" --directory terraform --framework terraform --compact --quiet "$@"
