"""The learned ranker: LightGBM LambdaRank trained from an interactions log.

Training data
-------------
The interactions log has one row per event, in this schema (the demo world's
``interactions`` table; a municipality's own export in CSV or Parquet works
the same way)::

    citizen_id  str        who
    posting_id  str        which posting (must be in the postings table)
    event       str        'shown' | 'applied' | 'interview' | 'hired'
    timestamp   datetime   when

Each (citizen, posting) pair gets the graded relevance of its furthest event
(:data:`jobmatch.world.EVENT_GRADES`: hired 3 > interview 2 > applied 1 >
shown 0) and the time it was first shown (or, if never logged as shown, its
first event).

The split is by time, never at random: pairs first shown before
``valid_from`` train, those from ``valid_from`` to ``test_from`` validate
(early stopping only), and the rest are the test period that
:mod:`jobmatch.evaluate` reports on and nothing is tuned on. The cut dates
come from the training config (``models/train_config.json``); when a config
gives none (a municipality's own log) they are the 70 % and 85 % quantiles
of the shown times and are written to the model's metadata.

A query is **one citizen in one period** (citizen × split): the postings a
citizen was shown in the test period are ranked against each other, which is
the consultant's situation — one citizen, many postings. Features are
computed as of the day each posting was shown.

Citizens' profiles come from their CV text through the same CV parser the
app uses (:func:`jobmatch.cvparse.build_profile`) and are cached under
``config.data_dir()/cache/`` (never in the repository).

The estimator
-------------
:class:`JobRanker` follows scikit-learn conventions: ``__init__`` only
stores parameters, ``fit`` returns ``self``, learned attributes end in
``_``. It is deterministic for a given seed (``deterministic=True``, a
fixed number of threads, row-wise histograms).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from jobmatch import config, geo
from jobmatch.features import FEATURE_INDEX, FEATURE_NAMES, compute_features, encode_profile, overlap_scores
from jobmatch.index import EPOCH, PostingIndex
from jobmatch.world import EVENT_GRADES

INTERACTION_COLUMNS = ("citizen_id", "posting_id", "event", "timestamp")
SPLITS = ("train", "valid", "test")

#: where the default training config lives (committed next to the default model)
TRAIN_CONFIG_NAME = "train_config.json"


class TrainingDataError(ValueError):
    """The interactions log (or the data around it) cannot be used for training."""


# ---------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class SplitConfig:
    """How pairs are split by time. Dates are ISO dates; None → quantiles of the shown times."""

    valid_from: str | None = None
    test_from: str | None = None
    train_share: float = 0.70
    valid_share: float = 0.15


@dataclass(frozen=True)
class ModelParams:
    """LightGBM parameters (kept small so the model file stays well below 2 MB)."""

    n_estimators: int = 500
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int = 40
    subsample: float = 0.8
    subsample_freq: int = 1
    colsample_bytree: float = 0.8
    reg_lambda: float = 1.0
    max_bin: int = 127
    random_state: int = 2026
    n_jobs: int = 2
    early_stopping_rounds: int = 50
    eval_at: tuple[int, ...] = (10,)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides what a training run does (saved into the model's metadata)."""

    params: ModelParams = field(default_factory=ModelParams)
    split: SplitConfig = field(default_factory=SplitConfig)
    #: query = one citizen in one split period
    query: str = "citizen_split"
    #: max travel minutes assumed when the citizens table has none
    default_max_minutes: float = 45.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["params"]["eval_at"] = list(self.params.eval_at)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "TrainConfig":
        params = dict(data.get("params", {}))
        if "eval_at" in params:
            params["eval_at"] = tuple(params["eval_at"])
        unknown = set(params) - set(ModelParams.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown model parameters in training config: {sorted(unknown)}")
        return cls(params=ModelParams(**params), split=SplitConfig(**data.get("split", {})),
                   query=data.get("query", "citizen_split"),
                   default_max_minutes=float(data.get("default_max_minutes", 45.0)))


def load_train_config(path: Path | None = None) -> TrainConfig:
    """The training config from ``path`` or ``models/train_config.json``; defaults when absent."""
    path = Path(path) if path else config.models_dir() / TRAIN_CONFIG_NAME
    if not path.exists():
        return TrainConfig()
    try:
        return TrainConfig.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"Training config {path} is not valid: {exc}") from exc


# ---------------------------------------------------------------------------
# the estimator


class JobRanker(BaseEstimator):
    """A scikit-learn style wrapper around ``lightgbm.LGBMRanker(objective='lambdarank')``."""

    def __init__(self, n_estimators: int = 500, learning_rate: float = 0.05, num_leaves: int = 15,
                 min_child_samples: int = 40, subsample: float = 0.8, subsample_freq: int = 1,
                 colsample_bytree: float = 0.8, reg_lambda: float = 1.0, max_bin: int = 127,
                 random_state: int = 2026, n_jobs: int = 2, early_stopping_rounds: int = 50,
                 eval_at: tuple[int, ...] = (10,)) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.subsample_freq = subsample_freq
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.max_bin = max_bin
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.early_stopping_rounds = early_stopping_rounds
        self.eval_at = eval_at

    @classmethod
    def from_params(cls, params: ModelParams) -> "JobRanker":
        return cls(**asdict(params))

    def _lgbm(self):
        import lightgbm

        return lightgbm.LGBMRanker(
            objective="lambdarank", n_estimators=self.n_estimators, learning_rate=self.learning_rate,
            num_leaves=self.num_leaves, min_child_samples=self.min_child_samples, subsample=self.subsample,
            subsample_freq=self.subsample_freq, colsample_bytree=self.colsample_bytree, reg_lambda=self.reg_lambda,
            max_bin=self.max_bin, random_state=self.random_state, n_jobs=self.n_jobs, deterministic=True,
            force_row_wise=True, verbose=-1,
        )

    def fit(self, X: np.ndarray, y: np.ndarray, group: np.ndarray, *, eval_set: tuple[np.ndarray, np.ndarray] | None = None,
            eval_group: np.ndarray | None = None, feature_names: tuple[str, ...] = FEATURE_NAMES,
            callbacks: list | None = None) -> "JobRanker":
        """Fit on rows grouped by query (``group`` = rows per query, in order); early stopping on ``eval_set``."""
        import lightgbm

        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y, dtype=np.int32)
        group = np.asarray(group, dtype=np.int64)
        if X.shape[0] != y.shape[0] or int(group.sum()) != X.shape[0]:
            raise ValueError("X, y and group do not describe the same rows")
        if X.shape[1] != len(feature_names):
            raise ValueError(f"X has {X.shape[1]} columns but {len(feature_names)} feature names were given")
        model = self._lgbm()
        cbs = list(callbacks or [])
        kwargs: dict[str, Any] = {}
        if eval_set is not None:
            kwargs.update(eval_X=(np.asarray(eval_set[0], np.float32),), eval_y=(np.asarray(eval_set[1], np.int32),),
                          eval_group=[np.asarray(eval_group, np.int64)], eval_at=list(self.eval_at))
            if self.early_stopping_rounds:
                cbs.append(lightgbm.early_stopping(self.early_stopping_rounds, verbose=False))
        model.fit(X, y, group=group, feature_name=list(feature_names), callbacks=cbs, **kwargs)
        self.booster_ = model.booster_
        self.best_iteration_ = int(model.best_iteration_ or model.booster_.current_iteration())
        self.evals_result_ = dict(model.evals_result_ or {})
        self.feature_names_ = tuple(feature_names)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: np.ndarray, *, num_threads: int | None = None) -> np.ndarray:
        """Ranking scores (higher = better) for rows of features."""
        if not hasattr(self, "booster_"):
            raise RuntimeError("JobRanker is not fitted")
        kwargs = {"num_threads": num_threads} if num_threads else {}
        return self.booster_.predict(np.asarray(X, dtype=np.float32), num_iteration=self.best_iteration_, **kwargs)

    def feature_importance(self, kind: str = "gain") -> dict[str, float]:
        values = self.booster_.feature_importance(importance_type=kind, iteration=self.best_iteration_)
        return {name: float(v) for name, v in zip(self.feature_names_, values)}

    # -- the model file -------------------------------------------------------------
    def save_model(self, path: Path) -> None:
        """LightGBM's text format with the best iteration only."""
        self.booster_.save_model(str(path), num_iteration=self.best_iteration_)

    @classmethod
    def from_model_file(cls, path: Path, params: dict | None = None) -> "JobRanker":
        import lightgbm

        est = cls(**(params or {}))
        est.booster_ = lightgbm.Booster(model_file=str(path))
        est.best_iteration_ = int(est.booster_.current_iteration())
        est.feature_names_ = tuple(est.booster_.feature_name())
        est.n_features_in_ = len(est.feature_names_)
        est.evals_result_ = {}
        return est


# ---------------------------------------------------------------------------
# progress on stderr


class Progress:
    """A one-line progress display on stderr (updated in place on a terminal)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def stage(self, text: str) -> None:
        if self.enabled:
            print(f"  {text}", file=sys.stderr, flush=True)

    def step(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if done < total and now - self._last < (0.2 if self.tty else 5.0):
            return
        self._last = now
        pct = 100.0 * done / max(total, 1)
        line = f"  {label}: {done:,}/{total:,} ({pct:4.0f} %)"
        if self.tty:
            print("\r" + line, end="\n" if done >= total else "", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# interactions → labelled pairs → split


def read_interactions(path: Path) -> pd.DataFrame:
    """Read an interactions log (CSV or Parquet) and check its schema."""
    path = Path(path)
    if not path.exists():
        raise TrainingDataError(f"No interactions file at {path}")
    try:
        df = pd.read_parquet(path) if path.suffix.lower() in (".parquet", ".pq") else pd.read_csv(path, dtype=str)
    except Exception as exc:
        raise TrainingDataError(f"Cannot read {path.name}: {type(exc).__name__}") from exc
    return check_interactions(df)


def check_interactions(df: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise the log: the four columns, known events, parseable timestamps."""
    missing = [c for c in INTERACTION_COLUMNS if c not in df.columns]
    if missing:
        raise TrainingDataError(f"The interactions log lacks the columns {missing}; "
                                f"expected {', '.join(INTERACTION_COLUMNS)}")
    out = df[list(INTERACTION_COLUMNS)].copy()
    out["citizen_id"] = out["citizen_id"].astype(str)
    out["posting_id"] = out["posting_id"].astype(str)
    out["event"] = out["event"].astype(str).str.strip().str.lower()
    bad = sorted(set(out["event"]) - set(EVENT_GRADES))
    if bad:
        raise TrainingDataError(f"Unknown events in the interactions log: {bad[:5]}; expected {list(EVENT_GRADES)}")
    out["timestamp"] = _parse_timestamps(out["timestamp"])
    if out["timestamp"].isna().any():
        raise TrainingDataError(f"{int(out['timestamp'].isna().sum())} timestamps could not be read")
    if out.empty:
        raise TrainingDataError("The interactions log is empty")
    return out


def _parse_timestamps(values: pd.Series) -> pd.Series:
    """ISO 8601 timestamps (date only or date and time, any mix); unreadable ones become NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
    if parsed.isna().any():
        retry = pd.to_datetime(values[parsed.isna()], errors="coerce", format="mixed")
        parsed = parsed.fillna(retry) if retry.notna().any() else parsed
    return parsed


def label_pairs(interactions: pd.DataFrame) -> pd.DataFrame:
    """One row per (citizen, posting): ``grade`` (max over events) and ``shown_at``."""
    df = check_interactions(interactions)
    df["grade"] = df["event"].map(EVENT_GRADES).astype(np.int8)
    df["shown_ts"] = df["timestamp"].where(df["event"] == "shown")
    pairs = df.groupby(["citizen_id", "posting_id"], sort=True).agg(
        grade=("grade", "max"), shown_at=("shown_ts", "min"), first_at=("timestamp", "min")).reset_index()
    pairs["shown_at"] = pairs["shown_at"].fillna(pairs["first_at"])
    return pairs.drop(columns="first_at")


def split_dates(pairs: pd.DataFrame, cfg: SplitConfig) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The (valid_from, test_from) cut dates: from the config, else the shares' quantiles (to the day)."""
    shown = pd.to_datetime(pairs["shown_at"])
    if cfg.valid_from and cfg.test_from:
        valid_from, test_from = pd.Timestamp(cfg.valid_from), pd.Timestamp(cfg.test_from)
    else:
        valid_from = shown.quantile(cfg.train_share).normalize()
        test_from = shown.quantile(cfg.train_share + cfg.valid_share).normalize()
    if not valid_from < test_from:
        raise TrainingDataError(f"valid_from ({valid_from.date()}) must be before test_from ({test_from.date()})")
    return valid_from, test_from


def assign_splits(pairs: pd.DataFrame, valid_from: pd.Timestamp, test_from: pd.Timestamp) -> pd.Series:
    shown = pd.to_datetime(pairs["shown_at"])
    split = np.where(shown < valid_from, "train", np.where(shown < test_from, "valid", "test"))
    return pd.Series(split, index=pairs.index, name="split")


# ---------------------------------------------------------------------------
# citizens' profiles (parsed once, cached)


def _profile_code_hash() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("cvparse.py", "competences.py", "textnorm.py", "pii.py", "profile.py", "classify.py"):
        if (here / name).exists():
            h.update((here / name).read_bytes())
    tax = config.taxonomy_dir()
    for path in sorted(tax.glob("*.csv")) if tax.exists() else []:
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def profile_from_cv_text(text: str, lang: str | None = None) -> Any:
    """A profile from raw CV text the way an upload is profiled: personal data redacted first.

    Mirrors :func:`jobmatch.cvparse.parse_file` for text that is already
    extracted (the demo world's ``cv_text``), so training sees exactly what
    the app sees.
    """
    from jobmatch import pii, textnorm
    from jobmatch.cvparse import build_profile

    lang = lang if lang in textnorm.LANGS else textnorm.detect_language(text)
    redaction = pii.redact(text, lang)
    if len(redaction.text) != len(text):
        return build_profile(redaction.text, lang)
    hidden = [(start, end) for start, end, _category in redaction.spans]
    return build_profile(text, lang, evidence_text=redaction.text, hidden=hidden)


def _parse_chunk(items: list[tuple[str, str, str]]) -> list[tuple[str, Any]]:
    out = []
    for cid, text, lang in items:
        try:
            out.append((cid, profile_from_cv_text(text, lang)))
        except Exception:  # a CV the parser cannot read gets an empty profile, not a crash
            from jobmatch.profile import Profile

            out.append((cid, Profile(lang=lang)))
    return out


def citizen_profiles(citizens: pd.DataFrame, *, data_version: str | None = None, cache_dir: Path | None = None,
                     workers: int | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """citizen_id → Profile parsed from ``cv_text`` (cached per data version and parser version).

    The cache holds parsed profiles, including the parser's redacted text
    (needed for the text features), under the data folder next to the world
    it was made from; it is never written into the repository.
    """
    progress = progress or Progress(False)
    cache_file = None
    if data_version:
        folder = Path(cache_dir or config.data_dir() / "cache")
        cache_file = folder / f"profiles-{data_version}-{_profile_code_hash()}.pkl"
        if cache_file.exists():
            try:
                with open(cache_file, "rb") as fh:  # our own cache
                    cached = pickle.load(fh)
                if set(citizens["citizen_id"].astype(str)) <= set(cached):
                    return cached
            except Exception:
                pass
    items = [(str(c), str(t or ""), str(lg or "da")) for c, t, lg in
             zip(citizens["citizen_id"], citizens["cv_text"], citizens.get("cv_lang", ["da"] * len(citizens)))]
    workers = workers or min(2, os.cpu_count() or 1)
    chunk = 50
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    profiles: dict[str, Any] = {}
    if workers <= 1 or len(items) < 200:
        for i, part in enumerate(chunks):
            profiles.update(_parse_chunk(part))
            progress.step("CV profiles", len(profiles), len(items))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_parse_chunk, chunks):
                profiles.update(part)
                progress.step("CV profiles", len(profiles), len(items))
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "wb") as fh:
                pickle.dump(profiles, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache_file)
            # keep the three newest profile caches
            for old in sorted(cache_file.parent.glob("profiles-*.pkl"), key=lambda p: p.stat().st_mtime)[:-3]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    return profiles


# ---------------------------------------------------------------------------
# features for every labelled pair


@dataclass
class RankingData:
    """Feature rows grouped by query (contiguous), with labels and what the baselines need."""

    X: np.ndarray  # float32 (rows × features)
    y: np.ndarray  # int8 graded relevance
    group: np.ndarray  # rows per query, in order
    query_citizen: np.ndarray  # citizen id per query
    query_split: np.ndarray  # split per query
    posting_ids: np.ndarray  # per row
    overlap: np.ndarray  # rule score per row (the 'overlap' baseline)

    @property
    def query_of_row(self) -> np.ndarray:
        return np.repeat(np.arange(self.group.size), self.group)

    def part(self, split: str) -> "RankingData":
        q = self.query_split == split
        rows = np.isin(self.query_of_row, np.flatnonzero(q))
        return RankingData(self.X[rows], self.y[rows], self.group[q], self.query_citizen[q], self.query_split[q],
                           self.posting_ids[rows], self.overlap[rows])

    def query_slices(self) -> list[slice]:
        ends = np.cumsum(self.group)
        return [slice(int(e - g), int(e)) for g, e in zip(self.group, ends)]


def build_ranking_data(index: PostingIndex, pairs: pd.DataFrame, citizens: pd.DataFrame, profiles: dict[str, Any],
                       *, default_max_minutes: float = 45.0, progress: Progress | None = None) -> RankingData:
    """Features for every labelled pair; ``pairs`` needs citizen_id, posting_id, grade, shown_at, split.

    Pairs whose posting is not in the index or whose citizen has no profile
    are dropped (their count is reported through ``progress``).
    """
    progress = progress or Progress(False)
    pairs = pairs.copy()
    pairs["row"] = index.rows_of(pairs["posting_id"].to_numpy())
    known_citizens = set(citizens["citizen_id"].astype(str)) & set(profiles)
    ok = (pairs["row"] >= 0) & pairs["citizen_id"].isin(known_citizens)
    if (~ok).any():
        progress.stage(f"{int((~ok).sum()):,} pairs dropped (posting or citizen unknown)")
    pairs = pairs[ok]
    if pairs.empty:
        raise TrainingDataError("No usable pairs: the log's postings/citizens are not in the data world")
    split_order = {s: i for i, s in enumerate(SPLITS)}
    pairs = pairs.assign(_s=pairs["split"].map(split_order)).sort_values(["citizen_id", "_s", "posting_id"],
                                                                         kind="stable")
    cit = citizens.assign(citizen_id=citizens["citizen_id"].astype(str)).set_index("citizen_id")
    has_max = "max_minutes" in cit.columns
    n = len(pairs)
    X = np.empty((n, len(FEATURE_NAMES)), dtype=np.float32)
    overlap = np.empty(n, dtype=np.float64)
    groups, q_cit, q_split = [], [], []
    shown_day = ((pd.to_datetime(pairs["shown_at"]).to_numpy().astype("datetime64[D]") - EPOCH)
                 .astype(np.int64))
    rows_all = pairs["row"].to_numpy(np.int64)
    split_all = pairs["split"].to_numpy()
    cit_all = pairs["citizen_id"].to_numpy()
    bounds = np.flatnonzero(np.r_[True, cit_all[1:] != cit_all[:-1], True])
    total = bounds.size - 1
    for qi in range(total):
        a, b = int(bounds[qi]), int(bounds[qi + 1])
        cid = cit_all[a]
        c = cit.loc[cid]
        query = encode_profile(profiles[cid], index)
        rows = rows_all[a:b]
        minutes = geo.commute_minutes(int(c["home_postcode"]), index.postcode[rows], str(c["transport_mode"]))
        hours = str(c.get("hours_wanted", "any"))
        max_minutes = float(c["max_minutes"]) if has_max and pd.notna(c["max_minutes"]) else default_max_minutes
        X[a:b] = compute_features(index, query, rows, travel_minutes=minutes, max_minutes=max_minutes,
                                  hours=hours if hours in ("full", "part") else None, as_of_day=shown_day[a:b])
        overlap[a:b] = overlap_scores(index, query.has, rows)
        # queries: one per split within this citizen's block
        splits = split_all[a:b]
        cuts = np.flatnonzero(np.r_[True, splits[1:] != splits[:-1], True])
        for s0, s1 in zip(cuts[:-1], cuts[1:]):
            groups.append(int(s1 - s0))
            q_cit.append(cid)
            q_split.append(splits[s0])
        progress.step("features", qi + 1, total)
    return RankingData(X=X, y=pairs["grade"].to_numpy(np.int8), group=np.asarray(groups, dtype=np.int64),
                       query_citizen=np.asarray(q_cit, dtype=object), query_split=np.asarray(q_split, dtype=object),
                       posting_ids=pairs["posting_id"].to_numpy(dtype=object), overlap=overlap)


# ---------------------------------------------------------------------------
# a whole training run


@dataclass
class PreparedData:
    """What a training or evaluation run works from."""

    index: PostingIndex
    data: RankingData
    valid_from: pd.Timestamp
    test_from: pd.Timestamp
    data_version: str
    counts: dict
    seconds: dict


def prepare(world_folder: Path | None = None, *, interactions: pd.DataFrame | None = None,
            train_config: TrainConfig | None = None, index: PostingIndex | None = None,
            progress: Progress | None = None, cache_root: Path | None = None,
            only_splits: tuple[str, ...] | None = None,
            relabel: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> PreparedData:
    """Index, profiles, labelled pairs, split and features — everything before fitting.

    ``only_splits`` limits the features to some periods (evaluation needs only
    the test period); the split dates are always computed from all pairs.
    ``relabel`` may change the labelled pairs before the split (retraining
    applies consultant feedback there, see :mod:`jobmatch.lifecycle`).
    """
    from jobmatch import index as index_mod
    from jobmatch import world

    progress = progress or Progress(False)
    cfg = train_config or load_train_config()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    progress.stage("posting index ...")
    index = index or index_mod.load_or_build(world_folder, progress=progress.enabled,
                                             cache_root=(Path(cache_root) / "index") if cache_root else None)
    seconds["index"] = round(time.perf_counter() - t, 1)
    version = world.data_version(world_folder)
    log = interactions if interactions is not None else world.load_interactions(world_folder)
    pairs = label_pairs(log)
    if relabel is not None:
        pairs = relabel(pairs)
    valid_from, test_from = split_dates(pairs, cfg.split)
    pairs["split"] = assign_splits(pairs, valid_from, test_from)
    if only_splits:
        pairs = pairs[pairs["split"].isin(only_splits)]
    citizens = world.load_citizens(world_folder)
    citizens = citizens[citizens["citizen_id"].astype(str).isin(set(pairs["citizen_id"]))]
    t = time.perf_counter()
    progress.stage(f"CV profiles of {len(citizens):,} citizens ...")
    profiles = citizen_profiles(citizens, data_version=version, progress=progress,
                                cache_dir=(Path(cache_root) / "cache") if cache_root else None)
    seconds["profiles"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    progress.stage(f"features of {len(pairs):,} pairs ...")
    data = build_ranking_data(index, pairs, citizens, profiles, default_max_minutes=cfg.default_max_minutes,
                              progress=progress)
    seconds["features"] = round(time.perf_counter() - t, 1)
    counts = {}
    for s in SPLITS:
        part = data.query_split == s
        rows = np.isin(data.query_of_row, np.flatnonzero(part))
        counts[s] = {"queries": int(part.sum()), "pairs": int(rows.sum()),
                     "relevant_pairs": int((data.y[rows] >= 1).sum())}
    return PreparedData(index=index, data=data, valid_from=valid_from, test_from=test_from, data_version=version,
                        counts=counts, seconds=seconds)


@dataclass
class TrainResult:
    model: JobRanker
    prepared: PreparedData
    config: TrainConfig
    seconds: float


def fit_model(prepared: PreparedData, cfg: TrainConfig, progress: Progress | None = None) -> JobRanker:
    """Fit on the training period with early stopping on the validation period."""
    import lightgbm

    progress = progress or Progress(False)
    train, valid = prepared.data.part("train"), prepared.data.part("valid")
    if train.group.size == 0 or valid.group.size == 0:
        raise TrainingDataError("The training or validation period is empty; check the split dates")
    model = JobRanker.from_params(cfg.params)

    def report(env: Any) -> None:
        progress.step("boosting rounds", env.iteration + 1, env.end_iteration)

    return model.fit(train.X, train.y, train.group, eval_set=(valid.X, valid.y), eval_group=valid.group,
                     callbacks=[report, lightgbm.record_evaluation({})])


def train(world_folder: Path | None = None, *, interactions: pd.DataFrame | None = None,
          train_config: TrainConfig | None = None, progress: Progress | None = None,
          index: PostingIndex | None = None) -> TrainResult:
    """Prepare the data and fit the ranker (evaluation and saving are separate steps)."""
    progress = progress or Progress(False)
    cfg = train_config or load_train_config()
    started = time.perf_counter()
    prepared = prepare(world_folder, interactions=interactions, train_config=cfg, index=index, progress=progress)
    progress.stage(f"split: train < {prepared.valid_from.date()} <= valid < {prepared.test_from.date()} <= test; "
                   + ", ".join(f"{s} {c['queries']:,} queries" for s, c in prepared.counts.items()))
    t = time.perf_counter()
    model = fit_model(prepared, cfg, progress)
    prepared.seconds["fit"] = round(time.perf_counter() - t, 1)
    progress.stage(f"best iteration {model.best_iteration_}")
    return TrainResult(model=model, prepared=prepared, config=cfg, seconds=round(time.perf_counter() - started, 1))


def with_split_dates(cfg: TrainConfig, valid_from: pd.Timestamp, test_from: pd.Timestamp) -> TrainConfig:
    """The config with the cut dates actually used written in (for the metadata)."""
    return replace(cfg, split=replace(cfg.split, valid_from=str(pd.Timestamp(valid_from).date()),
                                      test_from=str(pd.Timestamp(test_from).date())))


__all__ = [
    "FEATURE_INDEX", "JobRanker", "ModelParams", "PreparedData", "Progress", "RankingData", "SplitConfig",
    "TrainConfig", "TrainResult", "TrainingDataError", "assign_splits", "build_ranking_data", "citizen_profiles",
    "check_interactions", "fit_model", "label_pairs", "load_train_config", "prepare", "read_interactions",
    "split_dates", "train", "with_split_dates",
]
