"""Benchmark: how fast the dashboard re-renders after each interaction (target: p95 ≤ 1 s on the demo world).

Drives the real app (``app.py`` and its pages) headless with Streamlit's
AppTest and times each interaction a consultant makes, many times over:

``persona_select``           choose a demo persona and load its CV (citizen page)
``suggestions_new_ranking``  open Jobforslag right after a new CV: rank, explain, draw
``suggestions_action``       hide a job (the ranking is reused), then undo it
``map``                      open Kort: build and send the deck
``travel_time_change``       move the travel-time slider (citizen page)
``suggestions_after_change`` open Jobforslag after the change: a new ranking

A run is the script's wall time from the interaction to the finished page
(AppTest runs the script in-process and parses its output, so this is a
little *more* than a server spends, and excludes the browser's drawing).
Caches are warmed first (index, model, explainer, persona profiles): the
first visit after a server start is reported separately as ``cold_start_ms``.

    .venv/bin/python scripts/bench_dashboard.py            # demo world in data/world
    .venv/bin/python scripts/bench_dashboard.py --runs 20 --json

Use ``JOBMATCH_WORLD_DIR`` / ``JOBMATCH_MODELS_DIR`` for another world or model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

#: two personas, alternated so every persona load is real work
PERSONAS = ("lagermedarbejder", "kontorassistent")
TARGET_P95_MS = 1000.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _check(at: Any, where: str) -> None:
    if at.exception:
        raise RuntimeError(f"{where}: the page raised an exception")
    if at.error:
        raise RuntimeError(f"{where}: the page shows an error")


def run(runs: int = 20, timeout: float = 600.0) -> dict[str, Any]:
    """Time every interaction ``runs`` times; returns p50/p95/max per interaction (milliseconds)."""
    os.environ.setdefault("JOBMATCH_AUTH_MODE", "demo")
    from streamlit.testing.v1 import AppTest

    from jobmatch import config, registry, world
    from ui import state

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)

    def visit(page: str) -> None:
        at.switch_page(page).run()
        _check(at, page)

    def load(persona: str) -> None:
        at.selectbox(key="jm.persona_choice").set_value(persona).run()
        at.button(key="jm.persona_load").click().run()
        _check(at, "persona")

    cold: dict[str, float] = {}
    cold["start_page"] = _timed(lambda: at.run())
    visit("pages/citizen.py")
    cold["persona_select"] = _timed(lambda: load(PERSONAS[0]))
    cold["suggestions"] = _timed(lambda: visit("pages/suggestions.py"))
    cold["map"] = _timed(lambda: visit("pages/map.py"))
    visit("pages/citizen.py")
    load(PERSONAS[1])  # warms the second persona's cached profile
    visit("pages/suggestions.py")

    times: dict[str, list[float]] = {name: [] for name in (
        "persona_select", "suggestions_new_ranking", "suggestions_action", "map", "travel_time_change",
        "suggestions_after_change")}
    minutes = (30, 45)
    for i in range(runs):
        visit("pages/citizen.py")
        times["persona_select"].append(_timed(lambda: load(PERSONAS[i % 2])))
        times["suggestions_new_ranking"].append(_timed(lambda: visit("pages/suggestions.py")))
        hide = next(b for b in at.button if b.key and b.key.startswith("act.hide."))
        posting = hide.key.removeprefix("act.hide.")
        times["suggestions_action"].append(_timed(lambda: hide.click().run()))
        times["suggestions_action"].append(_timed(lambda: at.button(key=f"act.undo.{posting}").click().run()))
        times["map"].append(_timed(lambda: visit("pages/map.py")))
        visit("pages/citizen.py")
        value = minutes[i % 2]
        times["travel_time_change"].append(_timed(lambda: at.slider(key="w.max_minutes").set_value(value).run()))
        times["suggestions_after_change"].append(_timed(lambda: visit("pages/suggestions.py")))

    ranking = at.session_state[state.MEMO_KEY]["ranking"][1].result
    summary = {
        name: {"n": len(v), "p50_ms": round(statistics.median(v), 1), "p95_ms": round(_percentile(v, 0.95), 1),
               "max_ms": round(max(v), 1)}
        for name, v in times.items()
    }
    worst = max(s["p95_ms"] for s in summary.values())
    info = world.manifest()
    return {
        "world": str(config.world_dir()),
        "open_postings": int((world.load_postings()["status"] == "open").sum()),
        "data_version": info.get("data_version"),
        "model": registry.model_info().get("version") if registry.is_compatible() else None,
        "method": ranking.method,
        "runs": runs,
        "cold_start_ms": {k: round(v, 1) for k, v in cold.items()},
        "interactions": summary,
        "worst_p95_ms": worst,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": worst <= TARGET_P95_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="repetitions per interaction (default: 20)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 1000:
        parser.error("--runs must be between 1 and 1000")
    result = run(args.runs)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(f"world: {result['world']} ({result['open_postings']:,} open postings), ranking: {result['method']}, "
              f"model: {result['model']}")
        print("cold start (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in result["cold_start_ms"].items()))
        for name, s in result["interactions"].items():
            print(f"{name:<26} p50 {s['p50_ms']:>7.1f} ms   p95 {s['p95_ms']:>7.1f} ms   max {s['max_ms']:>7.1f} ms"
                  f"   (n={s['n']})")
        print(f"worst p95: {result['worst_p95_ms']:.0f} ms — target {TARGET_P95_MS:.0f} ms: "
              f"{'met' if result['meets_target'] else 'NOT met'}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
