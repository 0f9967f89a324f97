"""The fairness report: hand-checked pieces, and the whole report on the small world with the small model."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from jobmatch import config, fairness
from jobmatch.features import FEATURE_NAMES, PROTECTED_TERMS
from tests.ranking_helpers import trained_small

# ---------------------------------------------------------------------------
# exposure, by hand

#: 1/log2(r+1) for r = 1..10, summed
FULL_TOP10 = 1 + 1 / math.log2(3) + 0.5 + 1 / math.log2(5) + 1 / math.log2(6) + 1 / math.log2(7) + 1 / 3 \
    + 1 / math.log2(9) + 1 / math.log2(10) + 1 / math.log2(11)


def test_position_weights_are_the_ndcg_discount():
    w = fairness.position_weights(4)
    assert w == pytest.approx([1.0, 1 / math.log2(3), 0.5, 1 / math.log2(5)])
    assert fairness.position_weights(10).sum() == pytest.approx(FULL_TOP10)
    with pytest.raises(ValueError):
        fairness.position_weights(0)


def test_exposure_on_a_toy_example():
    lists = np.array([
        [1] * 10,                      # a full top 10
        [1, 1, 1] + [0] * 7,           # three suggestions
        [0] * 10,                      # nothing in reach
        [1, np.nan, 1] + [np.nan] * 7,  # holes count as empty positions
    ], dtype=float)
    got = fairness.exposure(lists)
    assert got[0] == pytest.approx(1.0)
    assert got[1] == pytest.approx((1 + 1 / math.log2(3) + 0.5) / FULL_TOP10)  # 0.4690
    assert got[1] == pytest.approx(0.4690, abs=1e-4)
    assert got[2] == 0.0
    assert got[3] == pytest.approx(1.5 / FULL_TOP10)
    # fit-weighted: a perfect fit at the top and half a fit second
    assert fairness.exposure(np.array([[1.0, 0.5]]))[0] == pytest.approx((1 + 0.5 / math.log2(3)) / FULL_TOP10)


def test_exposure_ratio_is_lowest_over_highest():
    r = fairness.exposure_ratio({"a": 0.5, "b": 1.0, "c": 0.8})
    assert r == {"ratio": 0.5, "lowest": "a", "highest": "b"}
    assert fairness.exposure_ratio({"a": 1.0, "b": 1.0}) == {"ratio": 1.0, "lowest": None, "highest": None}
    assert math.isnan(fairness.exposure_ratio({"a": 0.5})["ratio"])
    assert math.isnan(fairness.exposure_ratio({"a": 0.5, "b": float("nan")})["ratio"])


# ---------------------------------------------------------------------------
# gender-dominated occupations and atypical suggestions


def _audit(genders: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"citizen_id": list(genders), "gender": list(genders.values()),
                         "age_band": "30-39", "origin": "danish"})


def test_occupation_gender_shares_and_dominance():
    genders = {f"C{i}": ("female" if i < 8 else "male") for i in range(10)}
    holders = pd.DataFrame(
        [(f"C{i}", "nurse") for i in range(10)]            # 8 of 10 women → female-dominated
        + [(f"C{i}", "carpenter") for i in range(6, 10)]   # 2 women, 2 men, but only 4 holders
        + [(f"C{i}", "driver") for i in (0, 8, 9)] * 2,    # duplicates count once
        columns=["citizen_id", "occupation_id"])
    shares = fairness.occupation_gender_shares(holders, _audit(genders), min_holders=3).set_index("occupation_id")
    assert shares.loc["nurse", "holders"] == 10
    assert shares.loc["nurse", "female_share"] == pytest.approx(0.8)
    assert shares.loc["nurse", "dominated_by"] == "female"
    assert shares.loc["carpenter", "dominated_by"] is None  # 50/50
    assert shares.loc["driver", "holders"] == 3  # 1 woman, 2 men → 67 % men: not above 70 %
    assert shares.loc["driver", "dominated_by"] is None
    strict = fairness.occupation_gender_shares(holders, _audit(genders), min_holders=11).set_index("occupation_id")
    assert strict["dominated_by"].isna().all()


def test_atypical_share_counts_the_other_genders_occupations():
    dominated = {"nurse": "female", "carpenter": "male", "cook": None}
    got = fairness.atypical_share([["nurse", "carpenter", "cook", "unknown"], ["nurse", "nurse"], [], ["nurse"]],
                                  ["male", "female", "female", "other"], dominated)
    assert got[0] == pytest.approx(0.25)  # one of four is female-dominated
    assert got[1] == 0.0
    assert math.isnan(got[2])  # no suggestions
    assert math.isnan(got[3])  # not female/male


# ---------------------------------------------------------------------------
# per-group tables, proxies


def test_group_table_joins_after_ranking_and_intervals_hold_the_mean():
    rng = np.random.default_rng(1)
    per_citizen = pd.DataFrame({"citizen_id": [f"C{i}" for i in range(200)], "score": rng.random(200)})
    audit = pd.DataFrame({"citizen_id": [f"C{i}" for i in range(200)],
                          "gender": ["female", "male"] * 100, "age_band": "30-39",
                          "origin": ["danish"] * 150 + ["western"] * 50})
    per_citizen.loc[audit["gender"] == "male", "score"] += 1.0
    table = fairness.group_table(per_citizen, audit, ["score"], n_boot=300)
    assert set(table) == {"gender", "age_band", "origin"}
    female, male = table["gender"]["female"]["score"], table["gender"]["male"]["score"]
    assert female["n"] == male["n"] == 100
    assert male["value"] - female["value"] == pytest.approx(1.0, abs=0.15)
    for entry in (female, male, table["origin"]["western"]["score"]):
        assert entry["ci95"][0] <= entry["value"] <= entry["ci95"][1]
    r = fairness.ratios(table, "score")["gender"]
    assert r["lowest"] == "female" and r["highest"] == "male" and 0 < r["ratio"] < 1


def test_cross_validated_auc_sees_signal_and_no_signal():
    rng = np.random.default_rng(0)
    y = np.array(["a", "b"] * 150)
    informative = (y == "b").astype(float)[:, None] + rng.normal(0, 0.3, (300, 1))
    noise = rng.normal(size=(300, 3))
    assert fairness.cross_validated_auc(informative, y) > 0.95
    assert fairness.cross_validated_auc(np.hstack([informative, noise]), y, model="gbm") > 0.9
    assert 0.35 < fairness.cross_validated_auc(noise, y) < 0.65
    three = np.array(["a", "b", "c"] * 100)
    assert fairness.cross_validated_auc(rng.normal(size=(300, 2)) + (three == "c")[:, None] * 3, three) > 0.7
    # a constant input carries no information; too few members of a class: undefined
    assert fairness.cross_validated_auc(np.ones((300, 2)), y) == 0.5
    assert math.isnan(fairness.cross_validated_auc(noise[:12], np.array(["a"] * 9 + ["b"] * 3)))


def test_protected_attributes_are_never_model_inputs():
    names = " ".join(FEATURE_NAMES).lower()
    for attr in fairness.PROTECTED_ATTRIBUTES:
        assert attr not in names
    tokens = {t for n in FEATURE_NAMES for t in n.lower().split("_")}
    assert not tokens & set(PROTECTED_TERMS)
    assert not tokens & {"gender", "age", "band", "origin"}


# ---------------------------------------------------------------------------
# the report on the small world


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture(scope="module")
def report(trained) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        return fairness.fairness_report(trained["world"], trained["root"] / "models", n_boot=300,
                                        invariance_citizens=2, personas=False)


def test_report_structure(report, trained):
    from jobmatch import world

    assert set(report["groups"]) == {"gender", "age_band", "origin"}
    assert set(report["groups"]["gender"]) == {"female", "male"}
    for attr, table in report["groups"].items():
        for group, entry in table.items():
            assert entry["citizens"] > 0
            for metric in ("ndcg@10", "exposure", "fit_exposure", "atypical_share", "results"):
                assert set(entry[metric]) == {"value", "ci95", "n"}, (attr, group, metric)
    assert report["model_version"] == trained["model"].version
    assert report["data_version"] == world.data_version(trained["world"])
    assert report["method"] == "model"
    assert report["population"]["ranked_citizens"] == report["population"]["citizens"] == 150
    assert set(report["checks"]) >= {"exposure_ratio_ok", "proxy_flagged", "invariance_ok"}
    assert report["thresholds"]["proxy_auc_flag"] == config.fairness_settings().proxy_auc_flag
    # the report is JSON as the CLI prints it
    parsed = json.loads(fairness.to_json(report))
    assert parsed["exposure_ratio_min"] == report["exposure_ratio_min"]


def test_intervals_contain_the_point_estimates(report):
    checked = 0
    for table in report["groups"].values():
        for entry in table.values():
            for metric, summary in entry.items():
                if isinstance(summary, dict) and summary.get("value") is not None:
                    low, high = summary["ci95"]
                    assert low <= summary["value"] <= high, (metric, summary)
                    checked += 1
    assert checked > 30


def test_exposure_ratio_is_in_the_unit_interval(report):
    assert 0 < report["exposure_ratio_min"] <= 1
    assert 0 < report["fit_exposure_ratio_min"] <= 1
    per_attr = [v["ratio"] for v in report["exposure_ratio"].values()]
    assert report["exposure_ratio_min"] == pytest.approx(min(per_attr))
    # the ratio is recomputable from the group means
    gender = report["groups"]["gender"]
    means = [gender[g]["fit_exposure"]["value"] for g in ("female", "male")]
    assert report["fit_exposure_ratio"]["gender"]["ratio"] == pytest.approx(min(means) / max(means), abs=1e-3)


def test_proxy_aucs_are_probabilities_and_flags_follow_the_threshold(report):
    proxy = report["proxy_check"]
    assert proxy["inputs"] == 2 * len(FEATURE_NAMES)
    for attr, entry in proxy["attributes"].items():
        for key in ("auc_logistic", "auc_gbm", "auc", "auc_cv_competences"):
            if entry[key] is not None:
                assert 0.0 <= entry[key] <= 1.0, (attr, key)
        assert entry["flagged"] == (entry["auc"] is not None and entry["auc"] > proxy["threshold"])
        assert set(entry["auc_by_feature_group"]) <= {"professional", "personal", "credentials", "text", "occupation",
                                                       "education", "language", "travel", "hours", "freshness"}
    assert proxy["flagged"] == [a for a, e in proxy["attributes"].items() if e["flagged"]]


def test_ndcg_per_group_uses_the_evaluations_test_period(report, trained):
    """The per-citizen NDCG@10 averages back to the evaluation's figure on the same test period."""
    from jobmatch.evaluate import evaluate_scores
    from jobmatch.ranker import TrainConfig

    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        cfg = TrainConfig.from_dict(trained["model"].metadata["train_config"])
        prepared = fairness.evaluation_test_period(trained["world"], cfg, trained["index"], None)
    test = prepared.data.part("test")
    assert test.group.size == report["population"]["test_queries"]
    scores = trained["model"].ranker.predict(test.X)
    per_citizen = fairness.ndcg_per_citizen(scores, test)
    expected = evaluate_scores(scores, test, n_boot=100)["model"]["ndcg@10"]
    assert per_citizen["ndcg@10"].mean() == pytest.approx(expected, abs=1e-4)
    # and the model's stored evaluation (made on the full prepare) agrees too
    assert trained["model"].metadata["metrics"]["model"]["ndcg@10"] == pytest.approx(expected, abs=1e-4)
    # group sizes add up to the evaluated queries
    gender = report["groups"]["gender"]
    assert sum(gender[g]["ndcg@10"]["n"] for g in gender) == report["population"]["test_queries_evaluated"]


def test_rankings_are_made_without_the_audit_table(trained, monkeypatch):
    """Standard rankings never read the protected attributes (they are joined afterwards, for reporting)."""
    from jobmatch import world
    from jobmatch.ranker import citizen_profiles

    for key, value in trained["env"].items():
        monkeypatch.setenv(key, value)
    citizens = world.load_citizens(trained["world"]).head(5)
    profiles = citizen_profiles(citizens, data_version=world.data_version(trained["world"]))

    def forbidden(*args, **kwargs):
        raise AssertionError("the audit table was read while ranking")

    real_load_table = world.load_table
    monkeypatch.setattr(world, "load_citizen_audit", forbidden)
    monkeypatch.setattr(world, "load_table", lambda table, *a, **k: forbidden() if table == "citizen_audit"
                        else real_load_table(table, *a, **k))
    standard = fairness.standard_rankings(trained["engine"], citizens, profiles)
    assert len(standard) == 5
    assert "gender" not in standard.columns
    assert all(len(p) == r for p, r in zip(standard["posting_ids"], standard["results"]))


def test_the_rule_ranking_gets_its_own_report(trained, report):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        rule = fairness.fairness_report(trained["world"], trained["root"] / "models", use_model=False, n_boot=100,
                                        sample=40, invariance_citizens=0, personas=False, gbm=False)
    assert rule["method"] == "rule" and rule["model_version"] is None
    assert rule["population"]["ranked_citizens"] == 40
    # the rule ranks the same test candidates differently from the model
    assert rule["groups"]["gender"]["female"]["ndcg@10"]["value"] != report["groups"]["gender"]["female"]["ndcg@10"]["value"]


# ---------------------------------------------------------------------------
# saving, finding, the CLI


def test_save_and_find_reports(tmp_path, report):
    path = fairness.save_report(report, tmp_path / "fairness-new.json")
    assert fairness.load_report(path)["model_version"] == report["model_version"]
    older = dict(report, created_at="2000-01-01T00:00:00+00:00", exposure_ratio_min=0.5)
    fairness.save_report(older, tmp_path / "fairness-old.json")
    fairness.save_report(dict(report, method="rule"), tmp_path / "fairness-rule.json")
    (tmp_path / "fairness-broken.json").write_text("{", encoding="utf-8")
    found, where = fairness.find_report(report["model_version"], folders=[tmp_path])
    assert found["created_at"] == report["created_at"]  # the newest model report wins, the rule one is skipped
    assert fairness.find_report("no-such-version", folders=[tmp_path]) is None
    with pytest.raises(ValueError, match="not a readable fairness report"):
        fairness.load_report(tmp_path / "fairness-broken.json")


def test_cli_fairness_json(report, monkeypatch, tmp_path, capsys):
    from jobmatch import cli

    seen = {}

    def fake_report(**kwargs):
        seen.update(kwargs)
        return report

    monkeypatch.setattr(fairness, "fairness_report", fake_report)
    out = tmp_path / "saved.json"
    assert cli.main(["fairness", "--json", "--sample", "50", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) >= {"groups", "exposure_ratio_min", "proxy_check", "model_version", "data_version"}
    assert set(printed["groups"]) == {"gender", "age_band", "origin"}
    assert seen["sample"] == 50 and seen["use_model"] is True
    assert fairness.load_report(out)["model_version"] == report["model_version"]
    assert cli.main(["fairness", "--sample", "3"]) == 2
    assert "at least 10" in capsys.readouterr().err


def test_cli_fairness_without_a_model_is_one_line(monkeypatch, tmp_path, capsys, small_world):
    from jobmatch import cli

    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(small_world))
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(tmp_path / "no-models"))
    assert cli.main(["fairness", "--json", "--no-save", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobmatch: ") and "Traceback" not in err and "model" in err


def test_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JOBMATCH_PROXY_AUC_FLAG", "0.7")
    monkeypatch.setenv("JOBMATCH_EXPOSURE_RATIO_MIN_OK", "0.9")
    monkeypatch.setenv("JOBMATCH_INVARIANCE_MAX_TOP10_CHANGE", "0.1")
    s = config.fairness_settings()
    assert (s.proxy_auc_flag, s.exposure_ratio_min_ok, s.invariance_max_top10_change) == (0.7, 0.9, 0.1)
    monkeypatch.setenv("JOBMATCH_PROXY_AUC_FLAG", "1.5")
    with pytest.raises(ValueError, match="JOBMATCH_PROXY_AUC_FLAG"):
        config.fairness_settings()
    monkeypatch.setenv("JOBMATCH_PROXY_AUC_FLAG", "high")
    with pytest.raises(ValueError, match="must be a number"):
        config.fairness_settings()
