"""Ranking metrics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jobmatch import metrics as m


def test_dcg_hand_computed():
    # gains 2^rel-1 = 7,3,7,0,1,3; discounts log2(2..7)
    expected = 7 / 1 + 3 / math.log2(3) + 7 / 2 + 0 + 1 / math.log2(6) + 3 / math.log2(7)
    assert m.dcg_at_k([3, 2, 3, 0, 1, 2], 6) == pytest.approx(expected)
    assert m.dcg_at_k([3, 2, 3, 0, 1, 2], 6) == pytest.approx(13.848265, abs=1e-5)
    assert m.dcg_at_k([3, 2, 3], 1) == pytest.approx(7.0)


def test_ndcg_hand_computed():
    assert m.ndcg_at_k([0, 1], 2) == pytest.approx(1 / math.log2(3))
    assert m.ndcg_at_k([1, 0], 2) == pytest.approx(1.0)
    # ideal of [0, 3, 1] is [3, 1, 0]: (7/log2(3) + 1/2) / (7 + 1/log2(3))
    assert m.ndcg_at_k([0, 3, 1], 3) == pytest.approx((7 / math.log2(3) + 0.5) / (7 + 1 / math.log2(3)))
    # the cut-off applies to both the list and the ideal list
    assert m.ndcg_at_k([0, 0, 1], 2) == pytest.approx(0.0)


def test_average_precision_hand_computed():
    assert m.average_precision_at_k([1, 0, 1, 0], 4) == pytest.approx((1 + 2 / 3) / 2)
    assert m.average_precision_at_k([0, 0, 1], 2) == 0.0
    # normalised by min(k, n_relevant)
    assert m.average_precision_at_k([1, 1, 1, 1], 2) == pytest.approx(1.0)
    # grade 0 ("only shown") is not relevant
    assert m.average_precision_at_k([0, 2], 2) == pytest.approx(0.5)


def test_recall_and_reciprocal_rank():
    assert m.recall_at_k([0, 1, 0, 1], 2) == pytest.approx(0.5)
    assert m.recall_at_k([0, 1, 0, 1], 50) == pytest.approx(1.0)
    assert m.reciprocal_rank([0, 0, 2]) == pytest.approx(1 / 3)
    assert m.reciprocal_rank([3]) == 1.0


def test_undefined_without_relevant_items():
    for fn in m.STANDARD_METRICS.values():
        assert math.isnan(fn([0, 0, 0]))
    assert m.mean_over_queries([float("nan"), 1.0, 0.0]) == pytest.approx(0.5)


def test_ties_are_broken_at_random_not_by_input_order():
    relevance = np.array([1] + [0] * 99)
    firsts = [m.ranked_relevance(np.zeros(100), relevance, np.random.default_rng(s))[0] for s in range(50)]
    assert 0 < sum(firsts) < 10  # the relevant item is rarely first under a constant score
    assert m.ranked_relevance(np.array([0.1, 0.9]), np.array([0, 1]))[0] == 1


def test_bootstrap_interval_contains_the_mean():
    values = np.random.default_rng(1).normal(0.3, 0.1, size=500)
    low, high = m.bootstrap_mean_ci(values, n_boot=500)
    assert low < values.mean() < high
    assert high - low < 0.05
