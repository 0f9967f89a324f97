"""Batch scoring on Dask: the top K current postings for every citizen of chosen municipalities.

``python -m jobmatch batch --municipality 101 --top 20 --workers 2 --out top.parquet``
ranks every citizen whose home municipality is one of the chosen ones
against the open postings in their commuting range and writes one row per
(citizen, suggestion): ``citizen_id, rank, posting_id, score,
travel_minutes, model_version, data_version, method``.

How the work is split
---------------------
Each citizen's ranking is independent of every other citizen's, and all of a
citizen's candidates are retrieved, scored and cut to the top K inside one
call of :meth:`jobmatch.ranking.RankingEngine.rank` — exactly the code the
dashboard and ``python -m jobmatch rank`` use. So the job is partitioned by
citizen: the selected citizen ids are cut into chunks of ``chunk_size``, and
``client.map(rank_chunk, chunks)`` sends one task per chunk. A task ranks its
citizens end to end and returns a small DataFrame (K rows per citizen). No
citizen's candidates ever span two tasks, so the top K needs no shuffle; the
driver only concatenates the small results and writes Parquet.

What travels, and what does not
    A task carries a :class:`BatchSpec` (absolute paths, versions, K, the
    as-of date) and a list of citizen ids — a few kilobytes. The heavy,
    read-only state (the posting index, ~50k postings of sparse matrices; the
    LightGBM model; the citizens table; the parsed CV profiles) is loaded
    **once per worker process** from disk by :func:`worker_state` and kept in
    a module-level cache keyed by the spec's paths and versions, so it is
    never pickled per task. CV text therefore never crosses the network:
    workers read it from the same world folder the driver uses (on a real
    cluster: a shared, access-controlled file system), and results hold only
    ids and numbers.

Threads
    One LightGBM thread per worker, set deliberately: a worker runs one task
    at a time (``threads_per_worker=1``) and predicts with ``num_threads=1``
    (:attr:`RankingEngine.predict_threads`). OpenMP, MKL, OpenBLAS (and
    NumExpr / Accelerate) are limited to one thread through the workers'
    environment before they start (Dask's ``distributed.nanny.pre-spawn-environ``,
    :data:`SINGLE_THREAD_ENV`) and, for workers of an existing cluster we did
    not start, once more at run time with ``threadpoolctl`` when the worker
    state is built. N workers on N cores therefore use N cores, not N × cores.
    The LocalCluster also drops Dask's ``MALLOC_TRIM_THRESHOLD_`` setting,
    which cost ~40 % CPU per citizen here (see :func:`make_cluster`).

Profiles
    The same profile function training uses
    (:func:`jobmatch.ranker.profile_from_cv_text`, through the ranker's
    profile cache :func:`jobmatch.ranker.citizen_profiles`). The driver makes
    sure the cache exists for the world's data version before tasks start;
    workers only read it.

See docs/scale.md for the measured throughput and the national estimate.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import config

#: environment every worker process gets before it starts (one thread per numeric library)
SINGLE_THREAD_ENV: dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}

#: citizens per task: large enough that task overhead (~ms) is small against ranking (~50 ms per citizen),
#: small enough that 2–16 workers are kept busy to the end of a municipality
DEFAULT_CHUNK_SIZE = 25

#: the output table's columns, in order
OUTPUT_COLUMNS = ("citizen_id", "rank", "posting_id", "score", "travel_minutes", "model_version", "data_version",
                  "method")

MAX_TOP = 500


class BatchError(ValueError):
    """A batch run that cannot start (unknown municipality, no citizens, bad options, no model)."""


# ---------------------------------------------------------------------------
# what a task needs to know


@dataclass(frozen=True)
class BatchSpec:
    """Everything a worker needs besides the citizen ids: where the data is and which versions to use.

    Paths are absolute so that workers of a remote cluster (sharing the file
    system) find the same files. ``model_sha256`` pins the model file: a
    worker that finds another model (promoted mid-run) refuses to rank.
    """

    world_folder: str
    models_folder: str
    index_root: str
    profile_cache_dir: str
    data_version: str
    top: int
    use_model: bool = True
    model_version: str | None = None
    model_sha256: str | None = None
    as_of: str | None = None
    default_max_minutes: float = 45.0

    def key(self) -> tuple:
        """The worker-state cache key: what the loaded state depends on."""
        return (self.world_folder, self.models_folder, self.index_root, self.profile_cache_dir, self.data_version,
                self.use_model, self.model_sha256)


def make_spec(top: int, *, world_folder: Path | None = None, models_folder: Path | None = None,
              use_model: bool = True, as_of: str | None = None) -> BatchSpec:
    """A spec for the configured (or given) world and model registry; checks that a model is there."""
    from jobmatch import registry, world
    from jobmatch.ranker import load_train_config

    if not 1 <= int(top) <= MAX_TOP:
        raise BatchError(f"--top must be between 1 and {MAX_TOP}, got {top}")
    world_path = world.world_path(world_folder).resolve()
    data_version = world.data_version(world_path)
    models_path = registry.registry_dir(models_folder).resolve()
    model_version = sha = None
    default_max = load_train_config().default_max_minutes
    if use_model:
        loaded = registry.load_model(models_path)  # ModelMissingError / ModelCompatibilityError → caller
        model_version = loaded.version
        sha = registry.file_sha256(models_path / registry.MODEL_FILE)
        default_max = float(loaded.metadata.get("train_config", {}).get("default_max_minutes", default_max))
    # the day is fixed here, not on the workers (whose environment may differ)
    as_of = str(as_of) if as_of is not None else config.settings().reference_date
    try:
        np.datetime64(as_of[:10], "D")
    except ValueError:
        raise BatchError(f"--as-of must be an ISO date (YYYY-MM-DD), got {as_of!r}") from None
    return BatchSpec(world_folder=str(world_path), models_folder=str(models_path),
                     index_root=str((config.data_dir() / "index").resolve()),
                     profile_cache_dir=str((config.data_dir() / "cache").resolve()), data_version=data_version,
                     top=int(top), use_model=use_model, model_version=model_version, model_sha256=sha, as_of=as_of,
                     default_max_minutes=default_max)


# ---------------------------------------------------------------------------
# selecting citizens and their search settings


def select_citizens(municipalities: Sequence[int], world_folder: Path | None = None) -> pd.DataFrame:
    """Citizens whose home ``municipality_code`` is one of ``municipalities`` (sorted by citizen_id)."""
    from jobmatch import world

    codes = sorted({int(m) for m in municipalities})
    if not codes:
        raise BatchError("name at least one municipality (--municipality CODE)")
    citizens = world.load_citizens(world_folder)
    chosen = citizens[citizens["municipality_code"].isin(codes)]
    missing = sorted(set(codes) - set(chosen["municipality_code"].astype(int)))
    if missing:
        from jobmatch import geo

        known = set(geo.load_municipalities()["code"].astype(int))
        unknown = [m for m in missing if m not in known]
        if unknown:
            raise BatchError(f"unknown municipality code(s) {unknown}; see: python -m jobmatch municipalities")
        if len(missing) == len(codes):
            raise BatchError(f"no citizens live in municipality {', '.join(map(str, missing))} in this data world")
    return chosen.assign(citizen_id=chosen["citizen_id"].astype(str)).sort_values("citizen_id",
                                                                                  kind="stable").reset_index(drop=True)


def citizen_settings(row: Any, *, default_max_minutes: float = 45.0, as_of: str | None = None) -> Any:
    """A citizen's own search settings: home postcode, transport mode, maximum minutes, hours wish.

    The same settings the fairness report's standard ranking uses, and the
    training features use (hours is a feature, not a filter). No focus.
    """
    from jobmatch.retrieval import SearchSettings

    max_minutes = getattr(row, "max_minutes", None)
    max_minutes = float(max_minutes) if max_minutes is not None and pd.notna(max_minutes) else default_max_minutes
    hours = str(getattr(row, "hours_wanted", "any"))
    return SearchSettings(home_postcode=int(row.home_postcode), mode=str(row.transport_mode), max_minutes=max_minutes,
                          hours=hours if hours in ("full", "part") else None, as_of=as_of)


def chunked(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` cut into consecutive chunks of at most ``size`` (order kept)."""
    size = max(1, int(size))
    return [list(ids[i:i + size]) for i in range(0, len(ids), size)]


# ---------------------------------------------------------------------------
# ranking citizens (the per-task core; also usable in one process)


def empty_result() -> pd.DataFrame:
    return pd.DataFrame({"citizen_id": pd.Series(dtype=str), "rank": pd.Series(dtype=np.int32),
                         "posting_id": pd.Series(dtype=str), "score": pd.Series(dtype=np.float64),
                         "travel_minutes": pd.Series(dtype=np.int32), "model_version": pd.Series(dtype=str),
                         "data_version": pd.Series(dtype=str), "method": pd.Series(dtype=str)})


def rank_citizens(engine: Any, citizens: pd.DataFrame, profile_of: Callable[[str], Any], *, top: int,
                  data_version: str, use_model: bool = True, as_of: str | None = None,
                  default_max_minutes: float = 45.0) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rank each citizen with ``engine.rank`` (the single-process code) and stack the top ``top`` rows.

    Returns (rows, counts): counts has ``citizens``, ``ranked``, ``without_results`` and
    ``skipped`` (settings the engine refuses, e.g. an unknown postcode — counted, not fatal).
    """
    from jobmatch.retrieval import SearchSettingsError

    cols: dict[str, list] = {c: [] for c in OUTPUT_COLUMNS}
    counts = {"citizens": 0, "ranked": 0, "without_results": 0, "skipped": 0}
    for row in citizens.itertuples(index=False):
        counts["citizens"] += 1
        cid = str(row.citizen_id)
        try:
            settings = citizen_settings(row, default_max_minutes=default_max_minutes, as_of=as_of).checked()
            result = engine.rank(profile_of(cid), settings, top=top, use_model=use_model)
        except SearchSettingsError:
            counts["skipped"] += 1
            continue
        counts["ranked"] += 1
        if not result.results:
            counts["without_results"] += 1
        for position, item in enumerate(result.results, start=1):
            cols["citizen_id"].append(cid)
            cols["rank"].append(position)
            cols["posting_id"].append(item["posting_id"])
            cols["score"].append(float(item["score"]))
            cols["travel_minutes"].append(int(item["travel_minutes"]))
            cols["model_version"].append(result.model_version)
            cols["data_version"].append(data_version)
            cols["method"].append(result.method)
    if not cols["citizen_id"]:
        return empty_result(), counts
    frame = pd.DataFrame(cols)
    frame["rank"] = frame["rank"].astype(np.int32)
    frame["travel_minutes"] = frame["travel_minutes"].astype(np.int32)
    frame["score"] = frame["score"].astype(np.float64)
    return frame, counts


# ---------------------------------------------------------------------------
# the worker side


@dataclass
class WorkerState:
    """What one worker process keeps between tasks (loaded once per :meth:`BatchSpec.key`)."""

    engine: Any
    citizens: pd.DataFrame  # indexed by citizen_id
    profiles: dict[str, Any]
    load_seconds: float
    pid: int


_STATE: dict[tuple, WorkerState] = {}


def _limit_threads() -> None:
    """One thread for BLAS/OpenMP pools already loaded in this process (workers we did not start)."""
    for name, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(name, value)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
    except Exception:  # threadpoolctl missing or a pool it cannot control: the env vars still apply
        pass


def worker_state(spec: BatchSpec) -> WorkerState:
    """The worker's index, model, citizens and profiles — from the module cache, or loaded from disk once."""
    key = spec.key()
    state = _STATE.get(key)
    if state is not None:
        return state
    from jobmatch import index as index_mod
    from jobmatch import registry, world
    from jobmatch.ranker import citizen_profiles
    from jobmatch.ranking import RankingEngine

    _limit_threads()
    started = time.perf_counter()
    if world.data_version(Path(spec.world_folder)) != spec.data_version:
        raise BatchError(f"the data world in {spec.world_folder} changed during the batch run")
    index = index_mod.load_or_build(Path(spec.world_folder), cache_root=Path(spec.index_root), workers=1)
    model = metadata = None
    if spec.use_model:
        folder = Path(spec.models_folder)
        if registry.file_sha256(folder / registry.MODEL_FILE) != spec.model_sha256:
            raise BatchError("the default model changed during the batch run (promotion or rollback); run again")
        loaded = registry.load_model(folder)
        model, metadata = loaded.ranker, loaded.metadata
    engine = RankingEngine(index, model, metadata, predict_threads=1)
    citizens = world.load_citizens(Path(spec.world_folder))
    citizens = citizens.assign(citizen_id=citizens["citizen_id"].astype(str))
    # every citizen of the world: the profile cache then covers them (the driver made sure it exists) and is only read
    profiles = citizen_profiles(citizens, data_version=spec.data_version, cache_dir=Path(spec.profile_cache_dir),
                                workers=1)
    _STATE.clear()  # one state per worker: an older spec's index is released
    state = WorkerState(engine=engine, citizens=citizens.set_index("citizen_id", drop=False), profiles=profiles,
                        load_seconds=round(time.perf_counter() - started, 2), pid=os.getpid())
    _STATE[key] = state
    return state


def warm_worker(spec: BatchSpec) -> dict[str, Any]:
    """Load the worker state now (called on every worker before the tasks); returns what was set up."""
    state = worker_state(spec)
    from jobmatch.bench import rss_mb

    threads = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    return {"pid": state.pid, "load_seconds": state.load_seconds, "rss_mb": rss_mb(), "postings": len(state.engine.index),
            "model_version": state.engine.model_version, "predict_threads": state.engine.predict_threads,
            "env": threads}


def rank_chunk(spec: BatchSpec, citizen_ids: Sequence[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """One task: rank these citizens end to end on this worker.

    Returns a small DataFrame of their top K rows (:data:`OUTPUT_COLUMNS`)
    and the chunk's counts (citizens, ranked, without results, skipped, unknown ids).
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    state = worker_state(spec)
    ids = [str(c) for c in citizen_ids]
    known = [c for c in ids if c in state.citizens.index]
    citizens = state.citizens.loc[known]
    frame, counts = rank_citizens(state.engine, citizens, lambda cid: state.profiles[cid], top=spec.top,
                                  data_version=spec.data_version, use_model=spec.use_model, as_of=spec.as_of,
                                  default_max_minutes=spec.default_max_minutes)
    counts["unknown"] = len(ids) - len(known)
    counts["busy_ms"] = int(round((time.perf_counter() - started) * 1000))
    counts["cpu_ms"] = int(round((time.process_time() - cpu_started) * 1000))
    return frame, counts


# ---------------------------------------------------------------------------
# the cluster


def make_cluster(workers: int) -> Any:
    """A LocalCluster of ``workers`` processes with one thread each and single-threaded numeric libraries."""
    import logging

    import dask
    from distributed import LocalCluster

    if not 1 <= int(workers) <= 256:
        raise BatchError(f"--workers must be between 1 and 256, got {workers}")
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    environ.update(SINGLE_THREAD_ENV)
    # Dask sets MALLOC_TRIM_THRESHOLD_=65536 so idle workers hand memory back to the OS. It also switches off
    # glibc's adaptive mmap threshold, so every array over 128 KiB (a query touches several of ~50k postings)
    # is mmap'ed and page-faulted afresh: measured +40 % CPU per citizen (20 vs 14 ms). Our workers hold a fixed
    # state and return small frames, so they keep glibc's default.
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=None,
                            silence_logs=logging.ERROR)


def connect(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    """(client, cluster): a new LocalCluster, or a client of the existing scheduler at ``scheduler`` (cluster None)."""
    from distributed import Client

    if scheduler:
        try:
            return Client(scheduler, timeout="15s"), None
        except (OSError, TimeoutError) as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = make_cluster(workers or 1)
    return Client(cluster), cluster


# ---------------------------------------------------------------------------
# the whole run (driver side)


def ensure_inputs(spec: BatchSpec, progress: Any = None) -> None:
    """Build the posting index and the profile cache once on the driver, so workers only read them."""
    from jobmatch import index as index_mod
    from jobmatch import world
    from jobmatch.ranker import citizen_profiles

    folder = index_mod.index_folder(spec.data_version, Path(spec.index_root))
    if not (folder / "info.json").exists():
        if progress is not None:
            progress.stage("building the posting index once (workers will load it) ...")
        index_mod.load_or_build(Path(spec.world_folder), cache_root=Path(spec.index_root),
                                progress=bool(progress is not None and progress.enabled))
    citizens = world.load_citizens(Path(spec.world_folder))
    citizens = citizens.assign(citizen_id=citizens["citizen_id"].astype(str))
    if progress is not None:
        progress.stage("CV profiles (the ranker's cache) ...")
    citizen_profiles(citizens, data_version=spec.data_version, cache_dir=Path(spec.profile_cache_dir),
                     progress=progress)


def run_batch(municipalities: Sequence[int], *, top: int = 10, workers: int | None = 2, scheduler: str | None = None,
              out: Path | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE, use_model: bool = True,
              as_of: str | None = None, world_folder: Path | None = None, models_folder: Path | None = None,
              client: Any = None, progress: Any = None, limit: int | None = None) -> tuple[pd.DataFrame, dict]:
    """Rank every citizen of ``municipalities`` on Dask; write ``out`` (Parquet) when given.

    ``client``: use this Dask client (tests); else a LocalCluster of
    ``workers`` is started (and closed), or ``scheduler`` is connected to.
    ``limit``: only the first N citizens (by id) — for quick trials.
    Returns (rows, report); the report has citizens, seconds (ranking phase),
    citizens_per_second, workers, and the setup times.
    """
    from jobmatch.ranker import Progress

    progress = progress or Progress(False)
    if chunk_size < 1:
        raise BatchError("--chunk-size must be at least 1")
    if out is not None and Path(out).suffix.lower() not in (".parquet", ".pq"):
        raise BatchError(f"--out must be a .parquet file, got {Path(out).name}")
    started = time.perf_counter()
    spec = make_spec(top, world_folder=world_folder, models_folder=models_folder, use_model=use_model, as_of=as_of)
    chosen = select_citizens(municipalities, Path(spec.world_folder))
    if limit is not None:
        chosen = chosen.head(max(0, int(limit)))
    ids = chosen["citizen_id"].tolist()
    if not ids:
        raise BatchError("no citizens to rank")
    ensure_inputs(spec, progress)
    prepared_s = time.perf_counter() - started

    own_client = client is None
    cluster = None
    t = time.perf_counter()
    if own_client:
        progress.stage(f"starting {'the scheduler connection' if scheduler else f'{workers} Dask workers'} ...")
        client, cluster = connect(scheduler, workers)
    try:
        n_workers = len(client.scheduler_info(n_workers=-1)["workers"])
        if n_workers == 0:
            try:
                client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                raise BatchError("the Dask cluster has no workers (none joined within 60 s)") from None
            n_workers = len(client.scheduler_info(n_workers=-1)["workers"])
        cluster_s = time.perf_counter() - t
        t = time.perf_counter()
        progress.stage(f"loading the index and model on {n_workers} worker(s) ...")
        warm = client.run(warm_worker, spec)
        warm_s = time.perf_counter() - t

        chunks = chunked(ids, chunk_size)
        progress.stage(f"ranking {len(ids):,} citizens in {len(chunks)} tasks ...")
        t = time.perf_counter()
        frames, counts = _gather(client, spec, chunks, progress, len(ids))
        rank_s = time.perf_counter() - t
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()

    rows = pd.concat(frames, ignore_index=True) if frames else empty_result()
    rows = rows.sort_values(["citizen_id", "rank"], kind="stable").reset_index(drop=True)
    rows = rows[list(OUTPUT_COLUMNS)]
    if out is not None:
        write_parquet(rows, Path(out))
    report = {
        "citizens": len(ids),
        "ranked": counts["ranked"],
        "without_results": counts["without_results"],
        "skipped": counts["skipped"] + counts["unknown"],
        "rows": int(len(rows)),
        "top": spec.top,
        "municipalities": sorted({int(m) for m in municipalities}),
        "workers": n_workers,
        "threads_per_worker": 1,
        "chunk_size": int(chunk_size),
        "tasks": len(chunks),
        "seconds": round(rank_s, 2),
        "citizens_per_second": round(len(ids) / rank_s, 2) if rank_s > 0 else None,
        "setup_seconds": {"inputs": round(prepared_s, 2), "cluster": round(cluster_s, 2),
                          "worker_state": round(warm_s, 2)},
        "total_seconds": round(time.perf_counter() - started, 2),
        # time the workers spent inside tasks ÷ (workers × wall time): 1.0 = no worker ever idle
        "worker_busy_seconds": round(counts["busy_ms"] / 1000, 2),
        "parallel_efficiency": round(counts["busy_ms"] / 1000 / (n_workers * rank_s), 3) if rank_s > 0 else None,
        "ms_per_citizen_in_worker": round(counts["busy_ms"] / max(1, len(ids)), 1),
        # CPU time the workers' processes spent per citizen: what a citizen costs when a core is free for it
        "cpu_ms_per_citizen": round(counts["cpu_ms"] / max(1, len(ids)), 1),
        # the machine's load while measuring (other processes share the cores): read throughput with it
        "load_average_1min": _load_average(),
        "worker_state": sorted(({"address": a, **w} for a, w in warm.items()), key=lambda w: w["address"]),
        "model_version": spec.model_version,
        "data_version": spec.data_version,
        "method": "model" if use_model else "rule",
        "as_of": spec.as_of,
        "scheduler": scheduler or "LocalCluster",
        "out": str(out) if out is not None else None,
        "cpu_count": os.cpu_count(),
    }
    return rows, report


def _gather(client: Any, spec: BatchSpec, chunks: list[list[str]], progress: Any,
            total: int) -> tuple[list[pd.DataFrame], dict[str, int]]:
    """Submit one task per chunk and collect results as they finish (progress on stderr)."""
    from distributed import as_completed

    futures = client.map(rank_chunk, [spec] * len(chunks), chunks, pure=False)
    frames: list[pd.DataFrame] = []
    counts = {"ranked": 0, "without_results": 0, "skipped": 0, "unknown": 0, "busy_ms": 0, "cpu_ms": 0}
    done = 0
    try:
        for future in as_completed(futures):
            frame, c = future.result()
            for k in counts:
                counts[k] += int(c.get(k, 0))
            done += int(c.get("citizens", 0)) + int(c.get("unknown", 0))
            frames.append(frame)
            progress.step("citizens", done, total)
    except BaseException:
        client.cancel(futures)
        raise
    return frames, counts


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):
        return None


def write_parquet(rows: pd.DataFrame, path: Path) -> Path:
    """Write the result table atomically (a temp file next to it, then rename)."""
    path = Path(path)
    if path.suffix.lower() not in (".parquet", ".pq"):
        raise BatchError(f"--out must be a .parquet file, got {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        rows.to_parquet(tmp, index=False)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


__all__ = ["BatchError", "BatchSpec", "DEFAULT_CHUNK_SIZE", "OUTPUT_COLUMNS", "SINGLE_THREAD_ENV", "chunked",
           "citizen_settings", "connect", "make_cluster", "make_spec", "rank_chunk", "rank_citizens", "run_batch",
           "select_citizens", "warm_worker", "worker_state", "write_parquet"]
