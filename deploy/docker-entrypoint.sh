#!/bin/sh
# Container start: make the installation ready, report its state, then run the dashboard.
#   1. migrate the database (SQLite file in the volume, or PostgreSQL by JOBMATCH_DATABASE_URL);
#      concurrent starts are safe (the migration takes a lock)
#   2. build the demo world into the volume when there is none and JOBMATCH_BUILD_DEMO=1
#   3. print `jobmatch doctor` (does not stop the start; read it in `docker logs`)
#   4. exec Streamlit on 0.0.0.0:$JOBMATCH_PORT (put a TLS reverse proxy in front, see deploy/nginx.conf)
set -eu
cd /app
python -m jobmatch db upgrade
if [ ! -f "${JOBMATCH_WORLD_DIR}/manifest.json" ]; then
  if [ "${JOBMATCH_BUILD_DEMO:-1}" = "1" ]; then
    echo "jobmatch: no data world in ${JOBMATCH_WORLD_DIR}; building the demo world (about a minute) ..."
    python -m jobmatch data build --quiet
  else
    echo "jobmatch: no data world in ${JOBMATCH_WORLD_DIR}; import postings: python -m jobmatch import postings FILE" >&2
  fi
fi
python -m jobmatch doctor || true
exec python -m streamlit run app.py \
  --server.port "${JOBMATCH_PORT:-8501}" --server.address 0.0.0.0 \
  --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false
