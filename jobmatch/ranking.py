"""The serving pipeline: rank current postings for one citizen's profile.

    profile + SearchSettings
      → encode the profile (competence vector, occupations, TF-IDF of the CV text)
      → retrieve candidates (reach + plausibility, :mod:`jobmatch.retrieval`)
      → pair features for all candidates (:mod:`jobmatch.features`)
      → LightGBM scores → top N

:meth:`RankingEngine.rank` returns a :class:`RankResult` (what the CLI and the
app show); :meth:`RankingEngine.rank_with_features` also returns the feature
matrix of the ranked postings, for the explanations (SHAP) and what-if views.

**Stop switch.** ``use_model=False`` ranks by the transparent rule score of
:func:`jobmatch.features.overlap_scores` (share of the posting's named
requirements found in the CV, nearer first on ties) — no learned model
involved. The engine also falls back to it, with a notice, when no
compatible model is installed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from jobmatch import config
from jobmatch.features import FEATURE_NAMES, Query, compute_features, encode_profile, overlap_scores
from jobmatch.index import PostingIndex
from jobmatch.ranker import JobRanker
from jobmatch.retrieval import Candidates, RetrievalConfig, SearchSettings, retrieve

#: notice codes a RankResult can carry
NOTICE_NO_MODEL = "no_model_rule_ranking"
NOTICE_RULE = "rule_ranking"
NOTICE_NO_CANDIDATES = "no_postings_in_range"


@dataclass
class RankResult:
    """Ranked postings plus timings (milliseconds) and how the ranking was made."""

    results: list[dict]
    timing_ms: dict[str, float]
    candidates: int = 0
    in_range: int = 0
    method: str = "model"  # "model" | "rule"
    model_version: str | None = None
    notices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"results": self.results, "timing_ms": self.timing_ms, "candidates": self.candidates,
                "in_range": self.in_range, "method": self.method, "model_version": self.model_version,
                "notices": list(self.notices)}


@dataclass
class RankedFeatures:
    """A ranking with the inputs behind it (for explanations and what-if)."""

    result: RankResult
    rows: np.ndarray  # index rows of result postings, in ranked order
    features: np.ndarray  # float32 (len(rows) × len(FEATURE_NAMES)), same order
    query: Query
    candidate_rows: np.ndarray  # every candidate scored
    candidate_scores: np.ndarray
    candidate_features: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES


@dataclass
class Scored:
    """Internal: candidates with features and scores, before the top N is cut."""

    candidates: Candidates
    X: np.ndarray
    scores: np.ndarray
    timing_ms: dict[str, float]
    method: str


class RankingEngine:
    """An index plus (optionally) a model, ready to rank; build once, share between requests."""

    def __init__(self, index: PostingIndex, model: JobRanker | None = None, metadata: dict | None = None,
                 retrieval_config: RetrievalConfig | None = None, predict_threads: int | None = None) -> None:
        self.index = index
        self.model = model
        self.metadata = metadata or {}
        self.retrieval_config = retrieval_config or RetrievalConfig()
        self.predict_threads = predict_threads

    @classmethod
    def load(cls, world_folder: Path | None = None, models_folder: Path | None = None, *,
             require_model: bool = False, progress: bool = False,
             predict_threads: int | None = None) -> "RankingEngine":
        """Engine over the configured world's index and the registry's default model.

        ``predict_threads`` fixes LightGBM's threads per prediction (batch
        workers set 1 to avoid oversubscription); None uses LightGBM's default.
        """
        from jobmatch import index as index_mod
        from jobmatch import registry

        index = index_mod.load_or_build(world_folder, progress=progress)
        try:
            loaded = registry.load_model(models_folder)
            return cls(index, loaded.ranker, loaded.metadata, predict_threads=predict_threads)
        except (registry.ModelMissingError, registry.ModelCompatibilityError):
            if require_model:
                raise
            return cls(index, None, None, predict_threads=predict_threads)

    @property
    def model_version(self) -> str | None:
        return self.metadata.get("version") if self.model is not None else None

    # -- the pipeline --------------------------------------------------------------
    def score(self, query: Query, settings: SearchSettings, *, use_model: bool = True) -> Scored:
        """Retrieve, compute features and score every candidate of one query."""
        settings = settings.checked()
        t0 = time.perf_counter()
        cands = retrieve(self.index, query, settings, self.retrieval_config)
        t1 = time.perf_counter()
        X = compute_features(self.index, query, cands.rows, travel_minutes=cands.travel_minutes,
                             max_minutes=settings.max_minutes, hours=settings.hours, as_of_day=settings.as_of_day(),
                             word_cosine=cands.word_cosine)
        t2 = time.perf_counter()
        # the deployment's stop switch (JOBMATCH_STOP_MODEL=1) overrides any caller: rule ranking only
        if use_model and not config.model_stopped() and self.model is not None and len(cands):
            scores = self.model.predict(X, num_threads=self.predict_threads)
            method = "model"
        else:
            scores = overlap_scores(self.index, query.has, cands.rows)
            method = "rule"
        t3 = time.perf_counter()
        timing = {"retrieval": (t1 - t0) * 1000, "features": (t2 - t1) * 1000, "predict": (t3 - t2) * 1000}
        return Scored(cands, X, np.asarray(scores, dtype=np.float64), timing, method)

    def _ranked(self, profile: Any, settings: SearchSettings, top: int, use_model: bool
                ) -> tuple[RankResult, np.ndarray, Scored, Query]:
        started = time.perf_counter()
        use_model = use_model and not config.model_stopped()
        query = encode_profile(profile, self.index)
        encode_ms = (time.perf_counter() - started) * 1000
        scored = self.score(query, settings, use_model=use_model)
        cands = scored.candidates
        order = np.lexsort((cands.travel_minutes, -scored.scores))[: max(0, int(top))]
        rows = cands.rows[order]
        titles, employers = self.index.column_values("title"), self.index.column_values("employer")
        results = []
        for pos, row in zip(order, rows):
            results.append({
                "posting_id": str(self.index.posting_ids[row]),
                "title": str(titles[row]),
                "employer": str(employers[row]),
                "postcode": int(self.index.postcode[row]),
                "travel_minutes": int(round(float(cands.travel_minutes[pos]))),
                "score": round(float(scored.scores[pos]), 4),
                "reasons": [],
            })
        notices = []
        if scored.method == "rule":
            notices.append(NOTICE_NO_MODEL if (use_model and self.model is None) else NOTICE_RULE)
        if cands.in_range == 0:
            notices.append(NOTICE_NO_CANDIDATES)
        timing = {"retrieval": scored.timing_ms["retrieval"] + encode_ms, "features": scored.timing_ms["features"],
                  "predict": scored.timing_ms["predict"]}
        timing["total"] = (time.perf_counter() - started) * 1000
        timing = {k: round(v, 2) for k, v in timing.items()}
        result = RankResult(results=results, timing_ms=timing, candidates=len(cands), in_range=cands.in_range,
                            method=scored.method, model_version=self.model_version if scored.method == "model" else None,
                            notices=notices)
        return result, order, scored, query

    def rank(self, profile: Any, settings: SearchSettings, top: int = 10, *, use_model: bool = True) -> RankResult:
        """The top ``top`` postings for ``profile`` (``use_model=False``: the rule ranking)."""
        return self._ranked(profile, settings, top, use_model)[0]

    def rank_with_features(self, profile: Any, settings: SearchSettings, top: int = 10, *,
                           use_model: bool = True) -> RankedFeatures:
        """Like :meth:`rank`, plus the feature rows of the ranked postings and of all candidates."""
        result, order, scored, query = self._ranked(profile, settings, top, use_model)
        return RankedFeatures(result=result, rows=scored.candidates.rows[order], features=scored.X[order],
                              query=query, candidate_rows=scored.candidates.rows, candidate_scores=scored.scores,
                              candidate_features=scored.X)


@lru_cache(maxsize=1)
def default_engine() -> RankingEngine:
    """The engine over the configured world and model, built once per process."""
    return RankingEngine.load()


def rank(profile: Any, settings: SearchSettings, top: int = 10, *, use_model: bool = True,
         engine: RankingEngine | None = None) -> RankResult:
    """Rank with the default engine (or ``engine``); see :meth:`RankingEngine.rank`. Results carry their reasons."""
    # --- explanations hook (issue 5): each result gets its reasons, see jobmatch.reasons.rank_with_reasons ---
    from jobmatch.reasons import rank_with_reasons

    return rank_with_reasons(engine or default_engine(), profile, settings, top, use_model=use_model)


def rank_with_features(profile: Any, settings: SearchSettings, top: int = 10, *, use_model: bool = True,
                       engine: RankingEngine | None = None) -> RankedFeatures:
    """Rank and return the features behind it; see :meth:`RankingEngine.rank_with_features`."""
    return (engine or default_engine()).rank_with_features(profile, settings, top, use_model=use_model)
