#!/usr/bin/env bash
# One-time (and idempotent) set-up of a jobmatch checkout on a Debian-like machine:
#   1. creates the virtual environment .venv at the repository root,
#   2. installs the pinned requirements (requirements-dev.txt with --dev),
#   3. builds the demo world into data/ and the default model into models/ when missing.
# Re-running it only does what is missing, so scripts/run.sh and scripts/test.sh call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
req=requirements.txt
[ "${1:-}" = "--dev" ] && req=requirements-dev.txt

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "jobmatch needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  if ! "$PYTHON" -m venv .venv; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing python3-venv with apt (Debian ships venv separately)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
      "$PYTHON" -m venv .venv
    else
      echo "Could not create a virtual environment. On Debian/Ubuntu run: sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi

stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-${req%.txt}"
if [ ! -f "$stamp" ]; then
  echo "==> installing $req (pinned versions)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$req"
  touch "$stamp"
fi

echo "==> demo world"
.venv/bin/python -m jobmatch data build
if .venv/bin/python -m jobmatch model --help >/dev/null 2>&1; then
  echo "==> default model"
  .venv/bin/python -m jobmatch model ensure
fi
