#!/usr/bin/env bash
# Set up what is missing (with the test tools), then run the whole test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k geo
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  # pytest's 5 means "no tests were collected": that is a broken suite, not a pass
  echo "pytest collected no tests - treating that as a failure" >&2
  exit 1
fi
exit "$status"
