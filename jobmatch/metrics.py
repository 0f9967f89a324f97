"""Ranking metrics as plain, documented functions.

Each function scores ONE ranked list (one citizen's query): ``relevance`` holds
the graded relevance of the items in the order the system ranked them (best
first), e.g. ``[3, 0, 1]`` = the top item led to a hire, the second was only
shown, the third got an application. Grades follow
:data:`jobmatch.world.EVENT_GRADES` (hired 3 > interview 2 > applied 1 > shown 0).
An item counts as *relevant* when its grade is at least ``min_grade`` (1:
the citizen at least applied).

Conventions (as in recommenders-team/recommenders and trec_eval):

* DCG uses the exponential gain ``2**rel - 1`` and a ``log2(rank + 1)``
  discount; NDCG@k divides by the DCG of the ideal ordering of the same list.
* A query with no relevant item has no defined NDCG/MAP/recall/MRR; the
  functions return ``nan`` and :func:`mean_over_queries` skips such queries.
* Recall@k is over the relevant items *in the candidate list* (we can only
  rank what we were given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np


def _as_array(relevance: Sequence[float]) -> np.ndarray:
    return np.asarray(relevance, dtype=float)


def dcg_at_k(relevance: Sequence[float], k: int) -> float:
    """Discounted cumulative gain of the first ``k`` items: sum (2^rel - 1) / log2(i + 2)."""
    rel = _as_array(relevance)[:k]
    if rel.size == 0:
        return 0.0
    discounts = np.log2(np.arange(2, rel.size + 2))
    return float(np.sum((2.0 ** rel - 1.0) / discounts))


def ndcg_at_k(relevance: Sequence[float], k: int) -> float:
    """DCG@k divided by the DCG@k of the ideal (descending) ordering; nan when nothing is relevant."""
    rel = _as_array(relevance)
    ideal = dcg_at_k(np.sort(rel)[::-1], k)
    if ideal == 0.0:
        return float("nan")
    return dcg_at_k(rel, k) / ideal


def average_precision_at_k(relevance: Sequence[float], k: int, min_grade: int = 1) -> float:
    """MAP@k for one query: mean of precision@i at each relevant rank i ≤ k,
    divided by min(k, number of relevant items); nan when nothing is relevant."""
    hits = _as_array(relevance) >= min_grade
    n_rel = int(hits.sum())
    if n_rel == 0:
        return float("nan")
    top = hits[:k]
    if not top.any():
        return 0.0
    ranks = np.flatnonzero(top) + 1
    precisions = np.cumsum(top)[ranks - 1] / ranks
    return float(precisions.sum() / min(k, n_rel))


def recall_at_k(relevance: Sequence[float], k: int, min_grade: int = 1) -> float:
    """Share of the relevant items that appear in the top ``k``; nan when nothing is relevant."""
    hits = _as_array(relevance) >= min_grade
    n_rel = int(hits.sum())
    if n_rel == 0:
        return float("nan")
    return float(hits[:k].sum() / n_rel)


def reciprocal_rank(relevance: Sequence[float], min_grade: int = 1) -> float:
    """1 / rank of the first relevant item; nan when nothing is relevant."""
    hits = np.flatnonzero(_as_array(relevance) >= min_grade)
    if hits.size == 0:
        return float("nan")
    return 1.0 / float(hits[0] + 1)


def mean_over_queries(values: Iterable[float]) -> float:
    """Mean over queries, skipping queries where the metric is undefined (nan)."""
    arr = np.asarray(list(values), dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(arr.mean()) if arr.size else float("nan")


#: the metrics reported by ``python -m jobmatch evaluate`` (name → function of one ranked list)
STANDARD_METRICS: dict[str, Callable[[Sequence[float]], float]] = {
    "ndcg@5": lambda r: ndcg_at_k(r, 5),
    "ndcg@10": lambda r: ndcg_at_k(r, 10),
    "map@10": lambda r: average_precision_at_k(r, 10),
    "recall@10": lambda r: recall_at_k(r, 10),
    "recall@50": lambda r: recall_at_k(r, 50),
    "mrr": reciprocal_rank,
}


def ranked_relevance(scores: np.ndarray, relevance: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Order ``relevance`` by descending ``scores``. Ties are broken at random (seeded) so a
    constant scorer does not get credit for the order the data happened to arrive in."""
    scores = np.asarray(scores, dtype=float)
    rng = rng or np.random.default_rng(0)
    tiebreak = rng.random(scores.size)
    order = np.lexsort((tiebreak, -scores))
    return np.asarray(relevance)[order]


def bootstrap_mean_ci(values: Sequence[float], n_boot: int = 2000, alpha: float = 0.05,
                      seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-query values (resampling queries)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(n_boot, arr.size))
    means = arr[idx].mean(axis=1)
    return (float(np.quantile(means, alpha / 2)), float(np.quantile(means, 1 - alpha / 2)))
