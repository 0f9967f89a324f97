"""Speed benchmark of the ranking pipeline (``python -m jobmatch bench --json``).

For each index size (default 10k, 50k and 200k postings) the benchmark

1. makes an index of that many *open* postings by copying the demo world's
   open postings with new ids (:meth:`PostingIndex.replicate` copies the
   precomputed vectors; nothing is re-extracted);
2. ranks a fixed sample of demo citizens' profiles with their own settings
   (home postcode, transport mode, maximum minutes, hours), a few times each,
   and reports the median and 95th percentile of the whole ranking time and
   the mean time of its parts (retrieval, features, LightGBM predict);
3. times LightGBM's ``predict`` alone on exactly the same candidate features
   (``ratio_to_predict`` = whole ranking / predict alone, median over
   queries);
4. times a straightforward per-posting Python implementation of the same
   pipeline (:func:`naive_rank`: a loop over postings with Python sets and
   dicts, then the same model) on a sample of the postings and scales it to
   the index size (``naive_scaled_from`` says from how many) —
   ``naive_ratio`` = naive time / our time;
5. reads the process's resident memory (``rss_mb``) after each size.

Targets on the 2-core reference machine: p50 ≤ 150 ms at 50k postings,
whole pipeline ≤ 3 × predict alone, cost growing no faster than linearly,
RSS ≤ 1.5 GB at 50k. Timings are measurements, never test assertions.
"""

from __future__ import annotations

import gc
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jobmatch import geo
from jobmatch.features import FEATURE_INDEX, FEATURE_NAMES, YEARS_CAP, Query, encode_profile
from jobmatch.index import LICENCE_IMPLIES, PostingIndex  # noqa: F401  (LICENCE_IMPLIES documents the rule)
from jobmatch.retrieval import RetrievalConfig, SearchSettings

DEFAULT_SIZES = (10_000, 50_000, 200_000)


def rss_mb() -> float:
    """Current resident set size of this process in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---------------------------------------------------------------------------
# the naive implementation: one Python loop over postings, sets and dicts


@dataclass
class NaivePosting:
    """One posting as plain Python objects (what a straightforward implementation would keep)."""

    row: int
    is_open: bool
    lat: float
    lon: float
    essential: set[str]
    optional: set[str]
    word: dict[int, float]
    char: dict[int, float]
    title: dict[int, float]
    isco: int
    occupation: str
    part_time: bool
    weekly_hours: float
    posted_day: int
    deadline_day: int
    edu_required: int
    edu_typical: int
    text_lang: str | None


def naive_postings(index: PostingIndex, rows: np.ndarray) -> list[NaivePosting]:
    """Plain-Python copies of some postings (built outside the timed part, like our index)."""
    ids = index.competence_ids
    out = []
    for r in rows:
        r = int(r)
        e = index.essential.indices[index.essential.indptr[r]:index.essential.indptr[r + 1]]
        o = index.optional.indices[index.optional.indptr[r]:index.optional.indptr[r + 1]]
        w0, w1 = index.word.indptr[r], index.word.indptr[r + 1]
        c0, c1 = index.char.indptr[r], index.char.indptr[r + 1]
        t0, t1 = index.title.indptr[r], index.title.indptr[r + 1]
        lang_col = int(index.text_lang_col[r])
        out.append(NaivePosting(
            row=r, is_open=bool(index.is_open[r]), lat=float(index.lat[r]), lon=float(index.lon[r]),
            essential={ids[j] for j in e}, optional={ids[j] for j in o},
            word=dict(zip(index.word.indices[w0:w1].tolist(), index.word.data[w0:w1].tolist())),
            char=dict(zip(index.char.indices[c0:c1].tolist(), index.char.data[c0:c1].tolist())),
            title=dict(zip(index.title.indices[t0:t1].tolist(), index.title.data[t0:t1].tolist())),
            isco=int(index.isco[r]), occupation=index.occupation_vocab[index.occupation_code[r]]
            if index.occupation_code[r] >= 0 else "",
            part_time=bool(index.part_time[r]), weekly_hours=float(index.weekly_hours[r]),
            posted_day=int(index.posted_day[r]), deadline_day=int(index.deadline_day[r]),
            edu_required=int(index.edu_required[r]), edu_typical=int(index.edu_typical[r]),
            text_lang=ids[lang_col] if lang_col >= 0 else None))
    return out


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
    return 2 * geo.EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def _minutes(km: float, mode: str) -> float:
    model = geo.MODE_MODELS[mode]
    network = math.hypot(km, geo.INTRA_POSTCODE_KM) * model.circuity
    minutes, lower = model.overhead_min, 0.0
    for upper, speed in model.bands:
        minutes += min(max(network - lower, 0.0), upper - lower) * 60.0 / speed
        lower = upper
    return minutes


def naive_features(p: NaivePosting, q: dict[str, Any], minutes: float, settings: SearchSettings,
                   day: int) -> list[float]:
    """The features of one pair with Python sets and dicts (same definitions as the vectorised code)."""
    nan = float("nan")
    f = [nan] * len(FEATURE_NAMES)
    has, idf, kind = q["has"], q["idf"], q["kind"]

    def cov(req: set[str], k: str) -> tuple[float, float, int, int]:
        items = [c for c in req if kind[c] == k]
        num = sum(idf[c] for c in items if c in has)
        den = sum(idf[c] for c in items)
        return num, den, sum(1 for c in items if c in has), len(items)

    en, ed, em, et = cov(p.essential, "prof")
    on, od, _, _ = cov(p.optional, "prof")
    pn, pd_, pm, _ = cov(p.essential, "pers")
    qn, qd, _, _ = cov(p.optional, "pers")
    f[FEATURE_INDEX["ess_prof_coverage"]] = en / ed if ed > 0 else nan
    f[FEATURE_INDEX["opt_prof_coverage"]] = on / od if od > 0 else nan
    f[FEATURE_INDEX["ess_prof_matched"]] = em
    f[FEATURE_INDEX["ess_prof_missing"]] = et - em
    f[FEATURE_INDEX["ess_prof_total"]] = et
    f[FEATURE_INDEX["ess_pers_coverage"]] = pn / pd_ if pd_ > 0 else nan
    f[FEATURE_INDEX["opt_pers_coverage"]] = qn / qd if qd > 0 else nan
    f[FEATURE_INDEX["ess_pers_matched"]] = pm
    if q["prof_total"] > 0:
        f[FEATURE_INDEX["cv_prof_used"]] = (en + on) / q["prof_total"]
    lic = [c for c in p.essential if c in q["licences"]]
    cert = [c for c in p.essential if c in q["certificates"]]
    f[FEATURE_INDEX["licences_missing"]] = sum(1 for c in lic if c not in has)
    f[FEATURE_INDEX["certificates_missing"]] = sum(1 for c in cert if c not in has)
    if lic or cert:
        f[FEATURE_INDEX["credentials_met"]] = sum(1 for c in lic + cert if c in has) / len(lic + cert)
    langs = {c for c in p.essential if kind[c] == "lang"}
    if p.text_lang:
        langs.add(p.text_lang)
    missing = sum(1 for c in langs if c not in has)
    f[FEATURE_INDEX["lang_missing"]] = missing
    if langs:
        f[FEATURE_INDEX["lang_fit"]] = (len(langs) - missing) / len(langs)
    f[FEATURE_INDEX["text_word_cosine"]] = sum(w * q["word"].get(t, 0.0) for t, w in p.word.items())
    f[FEATURE_INDEX["text_char_cosine"]] = sum(w * q["char"].get(t, 0.0) for t, w in p.char.items())
    f[FEATURE_INDEX["same_occupation"]] = 1.0 if p.occupation in q["occupations"] else 0.0
    best, years = 0, {4: 0.0, 3: 0.0, 2: 0.0}
    for code, yrs in q["held"]:
        digits = 0
        if p.isco >= 1000:
            for d in (1, 2, 3, 4):
                if p.isco // 10 ** (4 - d) == code // 10 ** (4 - d):
                    digits = d
        best = max(best, digits)
        for d in (4, 3, 2):
            if digits >= d:
                years[d] += yrs
    f[FEATURE_INDEX["isco_match_digits"]] = best
    f[FEATURE_INDEX["years_same_unit"]] = min(years[4], YEARS_CAP)
    f[FEATURE_INDEX["years_same_minor"]] = min(years[3], YEARS_CAP)
    f[FEATURE_INDEX["years_same_submajor"]] = min(years[2], YEARS_CAP)
    required = p.edu_required if p.edu_required >= 0 else p.edu_typical
    f[FEATURE_INDEX["edu_stated"]] = 1.0 if p.edu_required >= 0 else 0.0
    if q["edu"] >= 0 and required >= 0:
        f[FEATURE_INDEX["edu_gap"]] = max(0, required - q["edu"])
        f[FEATURE_INDEX["edu_surplus"]] = max(0, q["edu"] - required)
    f[FEATURE_INDEX["travel_minutes"]] = minutes
    f[FEATURE_INDEX["travel_share"]] = minutes / max(settings.max_minutes, 1.0)
    if settings.hours in ("full", "part"):
        f[FEATURE_INDEX["hours_fit"]] = 1.0 if p.part_time == (settings.hours == "part") else 0.0
    f[FEATURE_INDEX["weekly_hours"]] = p.weekly_hours
    f[FEATURE_INDEX["days_since_posted"]] = day - p.posted_day
    f[FEATURE_INDEX["days_to_deadline"]] = p.deadline_day - day
    return f


def naive_query(index: PostingIndex, query: Query) -> dict[str, Any]:
    """The query as Python sets and dicts."""
    ids = index.competence_ids
    kind = {c: ("lang" if index.is_language[j] else "pers" if index.is_personal[j] else "prof")
            for j, c in enumerate(ids)}
    has = {ids[j] for j in np.flatnonzero(query.has)}
    idf = dict(zip(ids, index.idf.tolist()))
    return {
        "has": has, "idf": idf, "kind": kind,
        "prof_total": sum(idf[c] for c in has if kind[c] == "prof"),
        "licences": {c for j, c in enumerate(ids) if index.is_licence[j]},
        "certificates": {c for j, c in enumerate(ids) if index.is_credential[j] and not index.is_licence[j]},
        "word": dict(zip(query.word.indices.tolist(), query.word.data.tolist())),
        "char": dict(zip(query.char.indices.tolist(), query.char.data.tolist())),
        "occupations": {index.occupation_vocab[c] for c in query.occupation_codes},
        "held": list(zip(query.isco.tolist(), query.years.tolist())), "edu": query.edu_level,
    }


def naive_rank(postings: list[NaivePosting], q: dict[str, Any], settings: SearchSettings, model: Any,
               cfg: RetrievalConfig, top: int = 10) -> list[int]:
    """Rank with a per-posting Python loop: reach, plausibility, pre-score cap, features, then the model."""
    home_lat, home_lon = (float(v[0]) for v in geo.postcode_coords(np.array([settings.home_postcode])))
    day = settings.as_of_day()
    isco2 = {code // 100 for code, _ in q["held"]}
    isco4 = {code for code, _ in q["held"]}
    kept = []
    for p in postings:
        if not p.is_open or p.deadline_day < day or p.posted_day > day:
            continue
        minutes = _minutes(_haversine_km(home_lat, home_lon, p.lat, p.lon), settings.mode)
        if minutes > settings.max_minutes:
            continue
        req = p.essential | p.optional
        overlap = sum(q["idf"][c] for c in req if c in q["has"] and q["kind"][c] == "prof")
        total = sum(q["idf"][c] for c in req if q["kind"][c] == "prof")
        isco_hit = (p.isco // 100 in isco2) + (p.isco in isco4)
        title = sum(w * q["word"].get(t, 0.0) for t, w in p.title.items())
        if overlap > 0 or isco_hit or title >= cfg.min_title_cosine:
            pre = (cfg.prescore_coverage * (overlap / total if total else 0.0) + cfg.prescore_isco * isco_hit
                   + cfg.prescore_title * title - 1e-4 * minutes)
            kept.append((pre, p, minutes))
    kept.sort(key=lambda item: -item[0])
    kept = kept[: cfg.max_candidates]
    if not kept:
        return []
    X = np.array([naive_features(p, q, minutes, settings, day) for _, p, minutes in kept], dtype=np.float32)
    scores = model.predict(X)
    order = sorted(range(len(kept)), key=lambda i: (-scores[i], kept[i][2]))
    return [kept[i][1].row for i in order[:top]]


# ---------------------------------------------------------------------------
# the benchmark


def _probes(world_folder: Path | None, n: int, seed: int) -> list[tuple[Any, SearchSettings]]:
    """A fixed sample of demo citizens: (profile, their own search settings)."""
    from jobmatch import config, world
    from jobmatch.ranker import citizen_profiles

    citizens = world.load_citizens(world_folder)
    rng = np.random.default_rng(seed)
    sample = citizens.iloc[np.sort(rng.choice(len(citizens), size=min(n, len(citizens)), replace=False))]
    profiles = citizen_profiles(sample, data_version=None)
    out = []
    ref = config.settings().reference_date
    for row in sample.itertuples(index=False):
        hours = getattr(row, "hours_wanted", "any")
        out.append((profiles[str(row.citizen_id)], SearchSettings(
            home_postcode=int(row.home_postcode), mode=str(row.transport_mode),
            max_minutes=float(getattr(row, "max_minutes", 45) or 45), hours=hours if hours in ("full", "part") else None,
            as_of=ref)))
    return out


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q))


def bench_size(base: PostingIndex, n: int, model: Any, probes: list[tuple[Any, SearchSettings]], *,
               repeats: int = 3, naive_sample: int = 5000, seed: int = 0) -> dict:
    """One benchmark run at ``n`` postings (see the module docstring)."""
    from jobmatch.ranking import RankingEngine

    index = base.replicate(n)
    engine = RankingEngine(index, model)
    for profile, settings in probes[:2]:  # warm-up: caches on the index, lightgbm threads
        engine.rank(profile, settings)
    totals, parts, ratios, cands, in_range = [], {"retrieval": [], "features": [], "predict": []}, [], [], []
    queries = []
    for profile, settings in probes:
        query = encode_profile(profile, index)
        queries.append(query)
        per_query = []
        for _ in range(repeats):
            result = engine.rank(profile, settings)
            per_query.append(result.timing_ms["total"])
            totals.append(result.timing_ms["total"])
            for k in parts:
                parts[k].append(result.timing_ms[k])
        scored = engine.score(query, settings)
        cands.append(len(scored.candidates))
        in_range.append(scored.candidates.in_range)
        predict_alone = []
        for _ in range(repeats):
            t = time.perf_counter()
            if len(scored.candidates):
                model.predict(scored.X)
            predict_alone.append((time.perf_counter() - t) * 1000)
        if np.median(predict_alone) > 0:
            ratios.append(float(np.median(per_query) / np.median(predict_alone)))
    # the naive loop over a sample of postings, scaled to n
    sample = min(n, naive_sample)
    rows = np.arange(sample)
    naive = naive_postings(index, rows)
    cfg = engine.retrieval_config
    naive_ms = []
    for (profile, settings), query in zip(probes, queries):
        q = naive_query(index, query)
        t = time.perf_counter()
        naive_rank(naive, q, settings.checked(), model, cfg)
        naive_ms.append((time.perf_counter() - t) * 1000 * (n / sample))
    del naive
    out = {
        "postings": int(n),
        "p50_ms": round(_percentile(totals, 50), 2),
        "p95_ms": round(_percentile(totals, 95), 2),
        "retrieval_ms": round(float(np.mean(parts["retrieval"])), 2),
        "features_ms": round(float(np.mean(parts["features"])), 2),
        "predict_ms": round(float(np.mean(parts["predict"])), 2),
        "ratio_to_predict": round(float(np.median(ratios)), 2) if ratios else None,
        "naive_ratio": round(float(np.median(naive_ms) / np.median(totals)), 1),
        "naive_ms": round(float(np.median(naive_ms)), 1),
        "naive_scaled_from": int(sample),
        "candidates_mean": round(float(np.mean(cands)), 1),
        "in_range_mean": round(float(np.mean(in_range)), 1),
        "queries": len(probes),
        "repeats": repeats,
    }
    del engine, index
    gc.collect()
    out["rss_mb"] = rss_mb()
    return out


def run_bench(sizes: tuple[int, ...] = DEFAULT_SIZES, *, queries: int = 20, repeats: int = 3,
              naive_sample: int = 5000, world_folder: Path | None = None, models_folder: Path | None = None,
              seed: int = 0, progress: Any = None) -> dict:
    """The benchmark object printed by ``python -m jobmatch bench --json``."""
    from jobmatch import index as index_mod
    from jobmatch import registry

    say = progress.stage if progress is not None else (lambda _msg: None)
    load_before = _load_average()
    model = registry.load_model(models_folder).ranker
    say("loading the posting index ...")
    full = index_mod.load_or_build(world_folder, progress=progress is not None and progress.enabled)
    base = full.subset(np.flatnonzero(full.is_open))
    del full
    gc.collect()
    say(f"profiles of {queries} demo citizens ...")
    probes = _probes(world_folder, queries, seed)
    runs = []
    for n in sorted(sizes):
        say(f"{n:,} postings ...")
        runs.append(bench_size(base, n, model, probes, repeats=repeats, naive_sample=naive_sample, seed=seed))
    out: dict[str, Any] = {"runs": runs}
    at_50k = [r for r in runs if r["postings"] == 50_000]
    out["rss_mb"] = at_50k[0]["rss_mb"] if at_50k else max(r["rss_mb"] for r in runs)
    out["peak_rss_mb"] = _peak_rss_mb()
    if len(runs) >= 2:
        a, b = runs[0], runs[-1]
        out["scaling_exponent"] = round(math.log(b["p50_ms"] / a["p50_ms"]) / math.log(b["postings"] / a["postings"]), 2)
    out["open_postings_copied"] = int(len(base))
    out["cpus"] = os.cpu_count()
    # other processes on the machine slow every figure down; the load average says how busy it was
    out["load_average"] = {"before": load_before, "after": _load_average()}
    out["notes"] = [
        "indexes are copies of the demo world's open postings with new ids",
        "naive times are measured on naive_scaled_from postings and scaled linearly to the index size",
        "rss_mb is the process's resident memory after the 50k run (peak_rss_mb: the whole benchmark)",
    ]
    return out


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
