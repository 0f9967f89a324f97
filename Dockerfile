# jobmatch dashboard as a container image.
#
#   docker build -t jobmatch .
#   docker run -p 8501:8501 -v jobmatch-data:/var/lib/jobmatch jobmatch
#
# Everything the app installs comes from requirements.txt (pinned). The image
# holds code and the bundled resources only: the data world, the database,
# the pseudonym salt and the posting-index cache live in the volume
# /var/lib/jobmatch. On the first start the entrypoint builds the demo world
# there (about a minute; set JOBMATCH_BUILD_DEMO=0 for an installation that
# imports real postings instead) and migrates the database. Secrets
# (.streamlit/secrets.toml with the [auth] login section) are mounted at run
# time, never built into the image. See docs/operations.md.
FROM python:3.11-slim

# libgomp1: OpenMP runtime LightGBM needs; tini: a proper PID 1 (signals, zombies)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 tini \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    JOBMATCH_DATA_DIR=/var/lib/jobmatch \
    JOBMATCH_WORLD_DIR=/var/lib/jobmatch/world \
    JOBMATCH_BUILD_DEMO=1 \
    JOBMATCH_PORT=8501

WORKDIR /app
COPY requirements.txt .
RUN python -m pip install -r requirements.txt

# a dedicated, unprivileged user owns the data volume; the code stays root-owned (read-only for the app)
RUN groupadd --system --gid 10001 jobmatch \
 && useradd --system --uid 10001 --gid jobmatch --home-dir /var/lib/jobmatch --shell /usr/sbin/nologin jobmatch \
 && mkdir -p /var/lib/jobmatch && chown jobmatch:jobmatch /var/lib/jobmatch

COPY . .
RUN python -m compileall -q jobmatch ui pages app.py \
 && chmod 0755 deploy/docker-entrypoint.sh

USER jobmatch
VOLUME ["/var/lib/jobmatch"]
EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once the server runs; the first start may build the demo world first
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('JOBMATCH_PORT', '8501'), timeout=4)"]

ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/docker-entrypoint.sh"]
