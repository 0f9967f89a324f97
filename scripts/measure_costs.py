"""Measure what jobmatch costs in machine terms: memory of the app process, CPU per ranking request.

    .venv/bin/python scripts/measure_costs.py [--sessions 5] [--repeats 5] [--app] [--skip-server]

Two measurements, each in fresh processes so nothing is shared with this one:

1. **Ranking CPU** (a child Python process): load the ranking engine over the
   configured world and model, parse the 14 demo CVs, then time
   ``RankingEngine.rank`` per request - CPU seconds (user+system, from
   ``time.process_time``) and wall time - for the learned model and for the
   rule ranking (stop switch). Also the CPU to read one CV.
2. **Memory of the Streamlit server**: start ``streamlit run`` on a free port
   with a probe page that does what a consultant's session does on the
   suggestions page (load the demo world's figures and the ranking engine
   through ``jobmatch.cached``, read a demo CV, rank, keep the result in the
   session), open sessions with a minimal WebSocket client, and read the
   server's resident memory (RSS, via psutil) idle, after the first session
   and after ``--sessions`` sessions.

The figures go into docs/operations.md ("Costs"); rerun this on the target
machine, since CPU speed and the size of the postings table change them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

RANK_PROBE = r"""
import json, statistics, sys, time, os
import psutil
proc = psutil.Process()
out = {"rss_mb_start": proc.memory_info().rss / 2**20}
from jobmatch import personas
from jobmatch.cvparse import parse_file
from jobmatch.ranking import RankingEngine
from jobmatch.retrieval import SearchSettings
t0, c0 = time.perf_counter(), time.process_time()
engine = RankingEngine.load()
out["engine_load_s"] = time.perf_counter() - t0
out["engine_load_cpu_s"] = time.process_time() - c0
out["rss_mb_engine"] = proc.memory_info().rss / 2**20
items = personas.list_personas()
profiles, parse_cpu = [], []
for p in items:
    data = Path(p.path).read_bytes() if hasattr(p, "path") else None
    c = time.process_time()
    profiles.append((parse_file(data, Path(p.path).name), int(p.postcode)))
    parse_cpu.append(time.process_time() - c)
out["cv_parse_cpu_ms_median"] = 1000 * statistics.median(parse_cpu[1:] or parse_cpu)
out["personas"] = len(profiles)
repeats = int(sys.argv[1])
for use_model in (True, False):
    cpu, wall, method = [], [], None
    for prof, pc in profiles:
        settings = SearchSettings(home_postcode=pc, mode="public", max_minutes=45)
        engine.rank(prof, settings, 10, use_model=use_model)  # warm-up per profile
        for _ in range(repeats):
            c, w = time.process_time(), time.perf_counter()
            res = engine.rank(prof, settings, 10, use_model=use_model)
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
            method = res.method
    key = "model" if use_model else "rule"
    cpu.sort(); wall.sort()
    out[key] = {"method": method, "requests": len(cpu),
                "cpu_ms_median": 1000 * statistics.median(cpu), "cpu_ms_p95": 1000 * cpu[int(0.95 * (len(cpu) - 1))],
                "wall_ms_median": 1000 * statistics.median(wall),
                "wall_ms_p95": 1000 * wall[int(0.95 * (len(wall) - 1))]}
try:  # ranking plus the SHAP explanation the suggestions page shows for the top 10
    from jobmatch import explain
    cpu = []
    if engine.model is None:
        raise RuntimeError("no model, no SHAP")
    for prof, pc in profiles:
        settings = SearchSettings(home_postcode=pc, mode="public", max_minutes=45)
        explain.explain_ranking(engine.rank_with_features(prof, settings, 10), engine)  # warm-up
        for _ in range(repeats):
            c = time.process_time()
            explain.explain_ranking(engine.rank_with_features(prof, settings, 10), engine)
            cpu.append(time.process_time() - c)
    cpu.sort()
    out["model_with_shap"] = {"requests": len(cpu), "cpu_ms_median": 1000 * statistics.median(cpu),
                              "cpu_ms_p95": 1000 * cpu[int(0.95 * (len(cpu) - 1))]}
except Exception as exc:
    out["model_with_shap"] = {"error": f"{type(exc).__name__}: {str(exc)[:120]}"}
out["rss_mb_end"] = proc.memory_info().rss / 2**20
out["model_version"] = getattr(engine, "model_version", None)
print(json.dumps(out))
""".replace("from jobmatch import personas", "from pathlib import Path\nfrom jobmatch import personas")

PAGE_PROBE = textwrap.dedent("""
    import streamlit as st
    from pathlib import Path
    from jobmatch import cached, personas
    from jobmatch.cvparse import parse_file
    from jobmatch.retrieval import SearchSettings

    stats = cached.world_stats()
    engine = cached.engine()
    items = personas.list_personas()
    n = st.session_state.setdefault("n", len(st.session_state) % len(items))
    p = items[n]
    profile = parse_file(Path(p.path).read_bytes(), Path(p.path).name)
    st.session_state["profile"] = profile
    st.session_state["result"] = engine.rank(profile, SearchSettings(home_postcode=int(p.postcode)), 10)
    st.write(stats["postings"], len(st.session_state["result"].results))
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_ranking(repeats: int) -> dict:
    result = subprocess.run([PYTHON, "-c", RANK_PROBE, str(repeats)], cwd=REPO, capture_output=True, text=True,
                            timeout=3600)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


async def open_session(port: int, page_name: str = "") -> float:
    """Connect like a browser tab, run the page once, keep the connection; return seconds to finish."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws = await websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None)
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = page_name
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout=600)
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        if fwd.WhichOneof("type") == "script_finished":
            SESSIONS.append(ws)
            return time.perf_counter() - started


SESSIONS: list = []


def measure_server(sessions: int, script: Path) -> dict:
    import psutil

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([PYTHON, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    out: dict = {"script": str(script.relative_to(REPO)) if script.is_relative_to(REPO) else script.name}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        ps = psutil.Process(proc.pid)
        time.sleep(1)
        out["rss_mb_idle"] = ps.memory_info().rss / 2**20
        cpu0 = ps.cpu_times()
        loop = asyncio.new_event_loop()
        out["first_session_s"] = loop.run_until_complete(open_session(port))
        out["rss_mb_one_session"] = ps.memory_info().rss / 2**20
        cpu1 = ps.cpu_times()
        out["first_session_cpu_s"] = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
        times = [loop.run_until_complete(open_session(port)) for _ in range(sessions - 1)]
        cpu2 = ps.cpu_times()
        out["sessions"] = sessions
        out["later_session_s_median"] = sorted(times)[len(times) // 2] if times else None
        out["later_session_cpu_s_mean"] = (((cpu2.user + cpu2.system) - (cpu1.user + cpu1.system)) / len(times)
                                           if times else None)
        out["rss_mb_n_sessions"] = ps.memory_info().rss / 2**20
        out["rss_mb_per_extra_session"] = ((out["rss_mb_n_sessions"] - out["rss_mb_one_session"]) / (sessions - 1)
                                           if sessions > 1 else None)
        for ws in SESSIONS:
            loop.run_until_complete(ws.close())
        loop.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=5, help="browser sessions to open (default 5)")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per demo CV (default 5)")
    parser.add_argument("--skip-server", action="store_true", help="only measure ranking CPU")
    parser.add_argument("--app", action="store_true",
                        help="also measure the real app.py's start page (world figures only, no ranking)")
    args = parser.parse_args()
    import platform

    import psutil

    sys.path.insert(0, str(REPO))
    from jobmatch import config

    result = {"machine": {"cpu": platform.processor() or platform.machine(), "cores": psutil.cpu_count(),
                          "python": platform.python_version(),
                          "world": str(config.world_dir()), "models": str(config.models_dir()),
                          "load_average": [round(x, 1) for x in os.getloadavg()]}}
    result["ranking"] = measure_ranking(args.repeats)
    if not args.skip_server:
        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / "probe_page.py"
            probe.write_text(PAGE_PROBE, encoding="utf-8")
            result["server"] = measure_server(max(args.sessions, 1), probe)
        if args.app:
            result["server_app_start_page"] = measure_server(2, REPO / "app.py")
    rounded = json.loads(json.dumps(result), parse_float=lambda v: round(float(v), 1))
    print(json.dumps(rounded, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
