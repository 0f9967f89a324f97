"""SHAP explanations: consistency with LightGBM and with brute-force Shapley values, groups, charts, global view."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from jobmatch import explain
from jobmatch.cli import main
from jobmatch.features import FEATURE_NAMES, FEATURES, GROUPS
from jobmatch.ranker import JobRanker



@pytest.fixture(scope="module")
def rankings(small_model):
    """The demo personas' rankings on the small world (candidates and top 20)."""
    engine = small_model["engine"]
    return [(q, engine.rank_with_features(q.profile, q.settings, top=20)) for q in explain.demo_queries()]


# ---------------------------------------------------------------------------
# consistency


def test_shap_values_agree_with_lightgbm_pred_contrib(small_model, rankings):
    model = small_model["model"].ranker
    X = np.vstack([ranked.candidate_features for _q, ranked in rankings])
    assert X.shape[0] > 500  # many candidate rows, with missing values among them
    assert np.isnan(X).any()
    report = explain.check_consistency(model, X)
    assert report.ok, report.to_dict()
    values, expected = explain.shap_values(model, X)
    contrib = model.booster_.predict(X, pred_contrib=True)
    assert np.allclose(values, contrib[:, :-1], atol=1e-9)
    assert np.allclose(expected + values.sum(axis=1), model.predict(X), atol=1e-9)
    # and with the scores the ranking reported (rounded to 4 decimals there)
    for _q, ranked in rankings:
        exp = explain.explain_ranking(ranked, small_model["engine"])
        assert np.allclose(exp.scores, [r["score"] for r in ranked.result.results], atol=1e-4)


def _synthetic_ranker(n_estimators: int = 6, seed: int = 3) -> tuple[JobRanker, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 4)).astype(np.float32)
    y = np.clip(np.round(X[:, 0] + 0.5 * X[:, 1] * X[:, 2] + rng.normal(0, 0.3, 400)), 0, 3).astype(int)
    group = np.full(20, 20)
    ranker = JobRanker(n_estimators=n_estimators, num_leaves=5, min_child_samples=5, early_stopping_rounds=0,
                       n_jobs=1, learning_rate=0.3)
    ranker.fit(X, y, group, feature_names=("a", "b", "c", "d"))
    return ranker, X


def _path_dependent_value(node: dict, x: np.ndarray, subset: set[int]) -> float:
    """E[f(x) | x_S] of one tree with the tree's own data weights (TreeSHAP's "tree path dependent" definition)."""
    if "leaf_value" in node:
        return float(node["leaf_value"])
    left, right = node["left_child"], node["right_child"]
    j = node["split_feature"]
    if j in subset:
        return _path_dependent_value(left if float(x[j]) <= node["threshold"] else right, x, subset)
    weight = [child.get("internal_count", child.get("leaf_count")) for child in (left, right)]
    return (weight[0] * _path_dependent_value(left, x, subset)
            + weight[1] * _path_dependent_value(right, x, subset)) / (weight[0] + weight[1])


def _brute_force_shapley(trees: list[dict], x: np.ndarray, m: int) -> tuple[np.ndarray, float]:
    def v(subset: set[int]) -> float:
        return sum(_path_dependent_value(t["tree_structure"], x, subset) for t in trees)

    phi = np.zeros(m)
    for i in range(m):
        others = [j for j in range(m) if j != i]
        for size in range(m):
            weight = math.factorial(size) * math.factorial(m - size - 1) / math.factorial(m)
            for subset in itertools.combinations(others, size):
                phi[i] += weight * (v(set(subset) | {i}) - v(set(subset)))
    return phi, v(set())


def test_shap_values_equal_brute_force_shapley_values_on_a_tiny_model():
    """An independent check: Shapley values by enumerating all feature subsets, not via LightGBM or shap."""
    ranker, X = _synthetic_ranker()
    trees = ranker.booster_.dump_model()["tree_info"]
    values, expected = explain.shap_values(ranker, X[:12])
    for k in range(12):
        phi, base = _brute_force_shapley(trees, X[k], 4)
        assert np.allclose(values[k], phi, atol=1e-9)
        assert abs(expected - base) < 1e-9


def test_explainer_uses_the_best_iteration_only():
    """A ranker predicting with fewer trees than its booster holds is explained with those trees."""
    ranker, X = _synthetic_ranker(n_estimators=10)
    ranker.best_iteration_ = 4
    report = explain.check_consistency(ranker, X)
    assert report.ok, report.to_dict()
    values, expected = explain.shap_values(ranker, X)
    assert np.allclose(expected + values.sum(axis=1), ranker.predict(X), atol=1e-9)
    full = ranker.booster_.predict(X)  # all ten trees: a different model
    assert not np.allclose(expected + values.sum(axis=1), full, atol=1e-6)


def test_explainer_is_cached_per_model(small_model):
    model = small_model["model"].ranker
    assert explain.tree_explainer(model) is explain.tree_explainer(model)


def test_a_ranker_without_booster_is_a_clear_error():
    with pytest.raises(explain.ExplanationError):
        explain.shap_values(JobRanker(), np.zeros((1, len(FEATURE_NAMES))))


def test_feature_rows_of_another_width_are_refused(small_model):
    with pytest.raises(explain.ExplanationError, match="columns"):
        explain.shap_values(small_model["model"].ranker, np.zeros((2, 5)))


# ---------------------------------------------------------------------------
# groups and the consultant's chart


def test_every_feature_has_a_named_group_in_both_languages():
    groups = explain.feature_groups()
    assert len(groups) == len(FEATURE_NAMES) and set(groups) <= set(GROUPS)
    assert set(groups) == set(GROUPS)  # no group without features
    for key in GROUPS:
        assert explain.group_label(key, "da") and explain.group_label(key, "en")
    m = explain.group_matrix()
    assert m.shape == (len(FEATURES), len(GROUPS)) and np.all(m.sum(axis=1) == 1)


def test_group_contributions_sum_to_the_total(small_model, rankings):
    for _q, ranked in rankings[:5]:
        exp = explain.explain_ranking(ranked, small_model["engine"])
        gv = exp.group_values()
        assert np.allclose(gv.sum(axis=1), exp.values.sum(axis=1), atol=1e-12)
        # each group is exactly the sum of its own features
        groups = np.array(explain.feature_groups())
        for g_i, g in enumerate(explain.GROUP_KEYS):
            assert np.allclose(gv[:, g_i], exp.values[:, groups == g].sum(axis=1))


def test_explanation_chart_is_a_waterfall_from_the_average_to_the_score(small_model, rankings):
    _q, ranked = rankings[0]
    exp = explain.explain_ranking(ranked, small_model["engine"])
    frame = explain.explanation_chart(exp, 0)
    assert list(frame.columns) == ["group", "label_da", "label_en", "contribution", "direction", "start", "end"]
    assert len(frame) == len(GROUPS)
    sizes = np.abs(frame["contribution"].to_numpy())
    assert np.all(np.diff(sizes) <= 1e-15)  # largest first
    assert frame["start"].iloc[0] == pytest.approx(exp.expected_value)
    assert frame["end"].iloc[-1] == pytest.approx(ranked.result.results[0]["score"], abs=1e-4)
    assert np.allclose(frame["start"].to_numpy()[1:], frame["end"].to_numpy()[:-1])
    signs = np.sign(frame["contribution"].to_numpy())
    assert [{1.0: "+", -1.0: "-", 0.0: "0"}[s] for s in signs] == list(frame["direction"])
    assert frame.attrs["posting_id"] == ranked.result.results[0]["posting_id"]
    by_id = explain.explanation_chart(exp, ranked.result.results[0]["posting_id"])
    assert by_id.equals(frame)
    for kind in ("bars", "waterfall"):
        spec = explain.chart_spec(frame, "en", kind=kind)
        assert spec["mark"]["type"] == "bar" and spec["encoding"]["y"]["field"] == "label_en"
        json.dumps(spec)  # plain data only
    assert "x2" in explain.chart_spec(frame, kind="waterfall")["encoding"]
    with pytest.raises(ValueError):
        explain.chart_spec(frame, kind="pie")


def test_explanations_are_deterministic(small_model, rankings):
    q, ranked = rankings[1]
    first = explain.explain_ranking(ranked, small_model["engine"]).values
    again = small_model["engine"].rank_with_features(q.profile, q.settings, top=20)
    explain._EXPLAINERS.clear()  # a fresh explainer gives the same numbers
    second = explain.explain_ranking(again, small_model["engine"]).values
    assert np.array_equal(first, second)


def test_rule_rankings_have_no_shap_values(small_model, rankings):
    q, _ranked = rankings[0]
    rule = small_model["engine"].rank_with_features(q.profile, q.settings, top=5, use_model=False)
    with pytest.raises(explain.ExplanationError, match="rule"):
        explain.explain_ranking(rule, small_model["engine"])


# ---------------------------------------------------------------------------
# the global view


def test_global_importance_over_the_demo_rankings(small_model):
    imp = explain.global_importance(small_model["engine"], top=30)
    assert imp.rankings == len(explain.demo_queries()) and imp.rows > 100
    assert list(imp.groups["group"]) and set(imp.groups["group"]) == set(GROUPS)
    assert set(imp.features["feature"]) == set(FEATURE_NAMES)
    assert imp.groups["share"].sum() == pytest.approx(1.0) and imp.features["share"].sum() == pytest.approx(1.0)
    assert np.all(np.diff(imp.groups["mean_abs"].to_numpy()) <= 0)
    # |sum| ≤ sum of |.|: a group's mean |SHAP| never exceeds the sum of its features' mean |SHAP|
    per_group = imp.features.groupby("group")["mean_abs"].sum()
    for rec in imp.groups.itertuples():
        assert rec.mean_abs <= per_group[rec.group] + 1e-12
    doc = imp.to_dict()
    assert json.loads(json.dumps(doc))["model_version"] == small_model["model"].version


def test_explain_global_command(use_small_model, capsys):
    assert main(["explain", "global", "--top", "10", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["groups"]) == len(GROUPS) and len(doc["features"]) == len(FEATURE_NAMES)
    assert {"label_da", "label_en", "mean_abs", "share"} <= set(doc["groups"][0])


# ---------------------------------------------------------------------------
# one posting from the command line


def test_explain_command_for_one_posting(use_small_model, rankings, capsys):
    from jobmatch import personas

    q, ranked = rankings[0]
    persona = personas.get_persona(q.persona_id)
    posting = ranked.result.results[1]["posting_id"]
    args = ["explain", str(persona.path), "--postcode", str(q.settings.home_postcode), "--mode",
            q.settings.mode, "--max-minutes", str(q.settings.max_minutes), "--posting", posting, "--json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["posting_id"] == posting and doc["rank"] == 2 and doc["method"] == "model"
    total = doc["expected_value"] + sum(g["contribution"] for g in doc["groups"])
    assert total == pytest.approx(doc["score"], abs=1e-5)
    assert doc["score"] == pytest.approx(ranked.result.results[1]["score"], abs=1e-4)
    assert 2 <= len(doc["reasons"]) <= 4 and len(doc["reason_details"]) == len(doc["reasons"])
    assert len(doc["features"]) == 10


def test_explain_command_for_a_posting_out_of_range(use_small_model, small_model, rankings, capsys):
    from jobmatch import personas

    q, ranked = rankings[0]
    index = small_model["index"]
    candidates = set(map(str, index.posting_ids[ranked.candidate_rows]))
    outside = [str(p) for p in index.posting_ids if str(p) not in candidates]
    persona = personas.get_persona(q.persona_id)
    assert main(["explain", str(persona.path), "--postcode", str(q.settings.home_postcode), "--posting", outside[0],
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rank"] is None and any(n.startswith("posting_") for n in doc["notices"])
    assert len(doc["reasons"]) >= 2


@pytest.mark.parametrize("extra, message", [
    (["--posting", "NO-SUCH-POSTING"], "unknown posting"),
    ([], "--posting"),
])
def test_explain_command_bad_input_is_one_line(use_small_model, capsys, extra, message):
    from jobmatch import personas

    persona = personas.list_personas()[0]
    assert main(["explain", str(persona.path), "--postcode", "2400", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


# ---------------------------------------------------------------------------
# the dashboard's hook


def test_add_reasons_fills_the_ranking_in_place(small_model, rankings):
    q, _ranked = rankings[2]
    ranked = small_model["engine"].rank_with_features(q.profile, q.settings, top=5)
    explain.add_reasons(ranked, q.profile, engine=small_model["engine"], lang="en", settings=q.settings)
    for r in ranked.result.results:
        assert 2 <= len(r["reasons"]) <= 4
        assert [d["text_en"] for d in r["reason_details"]] == r["reasons"]
