#!/usr/bin/env bash
# Set up what is missing, then start the dashboard on http://localhost:${JOBMATCH_PORT:-8501}
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
port=${JOBMATCH_PORT:-8501}
address=${JOBMATCH_ADDRESS:-localhost}
echo "==> jobmatch dashboard: open http://${address}:${port} in your browser (Ctrl+C stops it)"
exec .venv/bin/python -m streamlit run app.py --server.port "$port" --server.address "$address" \
  --server.headless true --browser.gatherUsageStats false
