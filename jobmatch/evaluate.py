"""Honest evaluation: the learned ranker against what a job centre would otherwise use.

Everything is measured on the **test period** only (pairs first shown on or
after the model's ``test_from`` date, see :mod:`jobmatch.ranker`); nothing is
tuned there. Each test query is one citizen's list of postings shown in that
period, and every scorer ranks exactly the same list:

``model``     the LightGBM LambdaRank model
``tfidf``     text search: TF-IDF cosine of the CV's words against the posting's
``overlap``   rule-based automatch: share of the posting's named requirements
              found in the CV (essential 1, optional 0.5; see
              :func:`jobmatch.features.overlap_scores`)
``distance``  nearest first (shortest travel time)

Metrics are the plain functions of :mod:`jobmatch.metrics` (NDCG@5/10,
MAP@10, recall@10/50, MRR; relevant = at least applied), averaged over the
queries that have at least one relevant posting. Ties are broken at random
with a fixed seed, so a scorer that cannot tell postings apart gets no credit
for the order the data arrived in.

``ndcg@10_gain_ci95`` is a percentile bootstrap (2,000 resamples of
citizens) of the mean per-citizen difference between the model's NDCG@10
and the best baseline's; the model is only called better when the whole
interval lies above zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from jobmatch.features import FEATURE_INDEX
from jobmatch.metrics import STANDARD_METRICS, bootstrap_mean_ci, mean_over_queries, ranked_relevance
from jobmatch.ranker import RankingData

BASELINES = ("tfidf", "overlap", "distance")


def baseline_scores(data: RankingData) -> dict[str, np.ndarray]:
    """Per-row scores of the three baselines (higher = ranked first)."""
    return {
        "tfidf": data.X[:, FEATURE_INDEX["text_word_cosine"]].astype(np.float64),
        "overlap": data.overlap.astype(np.float64),
        "distance": -data.X[:, FEATURE_INDEX["travel_minutes"]].astype(np.float64),
    }


def per_query_metrics(scores: np.ndarray, data: RankingData, seed: int = 0) -> dict[str, np.ndarray]:
    """Every standard metric for every query (nan where a query has no relevant posting)."""
    slices = data.query_slices()
    out = {name: np.full(len(slices), np.nan) for name in STANDARD_METRICS}
    scores = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=-np.inf)
    for qi, sl in enumerate(slices):
        rel = data.y[sl].astype(float)
        if not (rel >= 1).any():
            continue
        ranked = ranked_relevance(scores[sl], rel, rng=np.random.default_rng([seed, qi]))
        for name, fn in STANDARD_METRICS.items():
            out[name][qi] = fn(ranked)
    return out


def summarise(per_query: dict[str, np.ndarray]) -> dict[str, float]:
    return {name: round(mean_over_queries(values), 4) for name, values in per_query.items()}


def evaluate_scores(model_scores: np.ndarray, test: RankingData, *, seed: int = 0, n_boot: int = 2000) -> dict:
    """The evaluation object for model scores on the test rows (see the module docstring)."""
    if test.group.size == 0:
        raise ValueError("The test period has no queries")
    model_pq = per_query_metrics(model_scores, test, seed)
    base_pq = {name: per_query_metrics(s, test, seed) for name, s in baseline_scores(test).items()}
    base_summary = {name: summarise(pq) for name, pq in base_pq.items()}
    best = max(BASELINES, key=lambda b: base_summary[b]["ndcg@10"])
    diff = model_pq["ndcg@10"] - base_pq[best]["ndcg@10"]
    low, high = bootstrap_mean_ci(diff, n_boot=n_boot, seed=seed)
    model_summary = summarise(model_pq)
    # the model must beat every baseline, each with an interval above zero
    per_baseline = {}
    for name in BASELINES:
        d = model_pq["ndcg@10"] - base_pq[name]["ndcg@10"]
        lo, hi = bootstrap_mean_ci(d, n_boot=n_boot, seed=seed)
        per_baseline[name] = [round(lo, 4), round(hi, 4)]
    evaluated = int(np.sum(~np.isnan(model_pq["ndcg@10"])))
    return {
        "model": model_summary,
        "baselines": base_summary,
        "ndcg@10_gain_ci95": [round(low, 4), round(high, 4)],
        "best_baseline": best,
        "ndcg@10_gain_ci95_per_baseline": per_baseline,
        "beats_every_baseline": all(v[0] > 0 for v in per_baseline.values()),
        "queries": int(test.group.size),
        "queries_evaluated": evaluated,
        "test_pairs": int(test.y.size),
        "relevant_pairs": int((test.y >= 1).sum()),
    }


def evaluate(world_folder: Path | None = None, models_folder: Path | None = None, *, progress: Any = None,
             n_boot: int = 2000) -> dict:
    """Evaluate the registry's default model on the test period of the configured world."""
    from jobmatch import registry
    from jobmatch.ranker import Progress, TrainConfig, prepare

    progress = progress or Progress(False)
    loaded = registry.load_model(models_folder)
    cfg = TrainConfig.from_dict(loaded.metadata.get("train_config", {}))
    prepared = prepare(world_folder, train_config=cfg, progress=progress, only_splits=("test",))
    test = prepared.data.part("test")
    result = evaluate_scores(loaded.ranker.predict(test.X), test, n_boot=n_boot)
    result["test_period"] = {"from": str(prepared.test_from.date())}
    result["model_version"] = loaded.version
    result["data_version"] = prepared.data_version
    if loaded.metadata.get("data_version") not in (None, prepared.data_version):
        result["notice"] = "the model was trained on another data version than the one evaluated here"
    return result
