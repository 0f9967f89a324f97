"""Evaluation against the baselines on hand-made queries, and the evaluate command on the small world."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jobmatch.evaluate import BASELINES, baseline_scores, evaluate_scores, per_query_metrics
from jobmatch.features import FEATURE_INDEX, FEATURE_NAMES
from jobmatch.ranker import RankingData
from tests.ranking_helpers import trained_small


def data_from(queries: list[list[tuple[int, float, float, float]]]) -> RankingData:
    """Queries of (grade, word cosine, overlap, travel minutes) rows."""
    rows = [r for q in queries for r in q]
    X = np.zeros((len(rows), len(FEATURE_NAMES)), dtype=np.float32)
    X[:, FEATURE_INDEX["text_word_cosine"]] = [r[1] for r in rows]
    X[:, FEATURE_INDEX["travel_minutes"]] = [r[3] for r in rows]
    n = len(queries)
    return RankingData(X=X, y=np.array([r[0] for r in rows], dtype=np.int8),
                       group=np.array([len(q) for q in queries]), query_citizen=np.array([f"C{i}" for i in range(n)],
                                                                                        dtype=object),
                       query_split=np.array(["test"] * n, dtype=object),
                       posting_ids=np.array([f"P{i}" for i in range(len(rows))], dtype=object),
                       overlap=np.array([r[2] for r in rows]))


QUERIES = [
    [(0, 0.9, 0.1, 5.0), (2, 0.1, 0.9, 30.0), (0, 0.5, 0.2, 10.0)],
    [(1, 0.2, 0.8, 40.0), (0, 0.8, 0.1, 2.0)],
    [(0, 0.3, 0.3, 3.0), (0, 0.2, 0.2, 4.0)],  # nothing relevant: left out of the means
]


def test_baseline_scores_read_the_right_columns():
    data = data_from(QUERIES)
    s = baseline_scores(data)
    assert list(s) == list(BASELINES)
    assert np.allclose(s["tfidf"][:3], [0.9, 0.1, 0.5])
    assert np.allclose(s["overlap"][:3], [0.1, 0.9, 0.2])
    assert np.allclose(s["distance"][:3], [-5.0, -30.0, -10.0])  # nearest first


def test_per_query_metrics_by_hand():
    data = data_from(QUERIES)
    pq = per_query_metrics(data.overlap, data)
    assert pq["ndcg@10"][0] == 1.0 and pq["ndcg@10"][1] == 1.0
    assert np.isnan(pq["ndcg@10"][2])
    tf = per_query_metrics(baseline_scores(data)["tfidf"], data)
    # query 0 by tfidf: grades [0, 0, 2] → DCG = 3/log2(4) = 1.5, ideal 3 → 0.5
    assert tf["ndcg@10"][0] == pytest.approx(0.5)
    assert tf["mrr"][0] == pytest.approx(1 / 3) and tf["mrr"][1] == pytest.approx(0.5)


def test_an_oracle_beats_every_baseline_and_a_constant_does_not():
    rng = np.random.default_rng(0)
    queries = [[(int(g), float(rng.random()), float(rng.random()), float(rng.uniform(1, 60)))
                for g in rng.choice([0, 0, 0, 0, 1, 2, 3], size=12)] for _ in range(80)]
    data = data_from(queries)
    oracle = evaluate_scores(data.y.astype(float), data, n_boot=500)
    assert oracle["model"]["ndcg@10"] > max(b["ndcg@10"] for b in oracle["baselines"].values())
    assert oracle["ndcg@10_gain_ci95"][0] > 0 and oracle["beats_every_baseline"]
    assert set(oracle) >= {"model", "baselines", "ndcg@10_gain_ci95", "best_baseline", "queries"}
    assert set(oracle["model"]) == {"ndcg@5", "ndcg@10", "map@10", "recall@10", "recall@50", "mrr"}
    constant = evaluate_scores(np.zeros(len(data.y)), data, n_boot=500)
    low, high = constant["ndcg@10_gain_ci95"]
    assert low < 0.05 and not constant["beats_every_baseline"]
    best = constant["best_baseline"]
    assert constant["baselines"][best]["ndcg@10"] == max(b["ndcg@10"] for b in constant["baselines"].values())


def test_evaluate_command_on_the_small_world(small_world, tmp_path_factory, monkeypatch, capsys):
    from jobmatch.cli import main

    env = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    for k, v in env["env"].items():
        monkeypatch.setenv(k, v)
    assert main(["evaluate", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["baselines"]) == {"tfidf", "overlap", "distance"}
    assert len(out["ndcg@10_gain_ci95"]) == 2 and out["ndcg@10_gain_ci95"][0] <= out["ndcg@10_gain_ci95"][1]
    # the same numbers as at training time: evaluation is reproducible
    assert out["model"] == env["model"].metadata["metrics"]["model"]
    assert out["model_version"] == env["model"].version
