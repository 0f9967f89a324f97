"""Monitoring: PSI by hand, drift found on a deliberately shifted period, no alarm on random halves."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from jobmatch import config, monitor
from tests.ranking_helpers import trained_small

SETTINGS = config.MonitorSettings()


# ---------------------------------------------------------------------------
# psi and its bins, checked by hand


def test_psi_by_hand():
    # shares (0.5, 0.5) → (0.25, 0.75): −0.25·ln(0.5) + 0.25·ln(1.5) = 0.173287 + 0.101366 = 0.274653
    assert monitor.psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.274653, abs=1e-6)
    # counts are normalised first, and PSI is symmetric
    assert monitor.psi([50, 50], [25, 75]) == pytest.approx(0.274653, abs=1e-6)
    assert monitor.psi([25, 75], [50, 50]) == pytest.approx(0.274653, abs=1e-6)
    assert monitor.psi([3, 1, 6], [3, 1, 6]) == 0.0


def test_psi_empty_bins_get_epsilon():
    # expected (1, 0) → (1, 1e-4) after the floor; actual (0.5, 0.5):
    # (0.5 − 1)·ln(0.5) + (0.5 − 0.0001)·ln(0.5 / 0.0001) = 0.346574 + 0.4999·8.517193 = 4.604319
    assert monitor.psi([1, 0], [0.5, 0.5]) == pytest.approx(4.604319, abs=1e-5)
    assert math.isfinite(monitor.psi([0, 10], [10, 0]))


@pytest.mark.parametrize("expected, actual", [([1, 2], [1, 2, 3]), ([], []), ([-1, 2], [1, 2]), ([0, 0], [1, 1])])
def test_psi_refuses_what_it_cannot_compare(expected, actual):
    with pytest.raises(ValueError):
        monitor.psi(expected, actual)


def test_noise_floor_is_the_chance_level_of_psi():
    assert monitor.noise_floor(11, 750, 750) == pytest.approx(10 * 2 / 750)
    # and it is what two samples of one distribution actually give, on average
    rng = np.random.default_rng(0)
    shares = np.array([0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05])
    values = [monitor.psi(rng.multinomial(500, shares), rng.multinomial(500, shares)) for _ in range(400)]
    assert np.mean(values) == pytest.approx(monitor.noise_floor(7, 500, 500), rel=0.15)


def test_numeric_bins_are_reference_deciles():
    ref = np.arange(1, 101, dtype=float)
    edges = monitor.numeric_bins(ref)
    assert edges.size == 9
    assert monitor.numeric_counts(ref, edges).tolist() == [10.0] * 10
    # values beyond the reference land in the open outer bins
    assert monitor.numeric_counts(np.array([-5.0, 500.0]), edges)[[0, -1]].tolist() == [1.0, 1.0]
    # ties merge edges instead of making empty bins
    # (deciles of fifty 1s and fifty 2s: 1 four times, 1.5 at the median, 2 four times)
    assert monitor.numeric_bins(np.array([1.0] * 50 + [2.0] * 50)).tolist() == [1.0, 1.5, 2.0]


def test_rare_and_new_categories_are_pooled_as_other():
    ref = pd.Series(["a"] * 60 + ["b"] * 39 + ["rare"])
    bins = monitor.category_bins(ref)
    assert bins == ["a", "b"]
    counts = monitor.category_counts(pd.Series(["a", "b", "new", "rare"]), bins)
    assert counts.tolist() == [1.0, 1.0, 2.0]


def test_too_small_samples_are_reported_not_judged():
    small = monitor.categorical_drift("x", pd.Series(list("aabbc") * 4), pd.Series(list("abccc") * 4), SETTINGS)
    assert small.level == "too_few" and not small.judged and small.psi > SETTINGS.psi_alert
    assert monitor.drift_breaches([small], SETTINGS) == []


def test_periods_parse_and_refuse_bad_input():
    p = monitor.parse_period("2026-10-01:2026-11-01")
    assert (str(p.start.date()), str(p.end.date())) == ("2026-10-01", "2026-11-01")
    for bad in ("2026-10-01", "2026-11-01:2026-10-01", "oktober:november", "2026-13-01:2026-14-01"):
        with pytest.raises(monitor.MonitorError):
            monitor.parse_period(bad)


def test_default_periods_end_with_the_last_day_shown():
    log = pd.DataFrame({"timestamp": pd.to_datetime(["2026-06-03", "2026-10-31", "2026-12-01"]),
                        "event": ["shown", "shown", "hired"]})
    ref, cur = monitor.default_periods(log)
    assert str(cur) == "2026-10-01:2026-11-01" and str(ref) == "2026-07-01:2026-10-01"


def test_parts_never_straddle_a_period_boundary():
    ref, cur = monitor.parse_period("2026-07-15:2026-09-10"), monitor.parse_period("2026-09-10:2026-10-20")
    parts = monitor.buckets([ref, cur])
    assert parts[0][0].start == ref.start and parts[-1][0].end == cur.end
    assert all(a[0].end == b[0].start for a, b in zip(parts, parts[1:]))
    for period in (ref, cur):
        inside = [p for p, _ in parts if p.start >= period.start and p.end <= period.end]
        assert inside[0].start == period.start and inside[-1].end == period.end
    assert [m for _, m in parts] == ["2026-07", "2026-08", "2026-09", "2026-09", "2026-10"]


# ---------------------------------------------------------------------------
# drift on the small world's postings: shifted → alert; random halves → no alert


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture(scope="module")
def material(trained) -> dict:
    from jobmatch import world
    from jobmatch.ranker import citizen_profiles

    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        citizens = world.load_citizens(trained["world"])
        profiles = citizen_profiles(citizens, data_version=world.data_version(trained["world"]))
    return {"postings": world.load_postings(trained["world"]), "citizens": citizens, "profiles": profiles,
            "index": trained["index"], "groups": monitor.competence_group_of()}


def period(material: dict, postings: pd.DataFrame, citizens: pd.DataFrame | None = None,
           scores: np.ndarray | None = None) -> monitor.PeriodData:
    citizens = material["citizens"] if citizens is None else citizens
    return monitor.period_frame(citizens, postings, material["profiles"], material["index"], material["groups"],
                                scores=scores)


def shifted_copy(postings: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Another industry mix (two thirds of the postings moved into the two rarest industries) and workplaces
    moved to one postcode area (Roskilde, 4000)."""
    rng = np.random.default_rng(seed)
    out = postings.copy()
    rare = out["industry"].value_counts().index[-2:].tolist()
    move = rng.random(len(out)) < 2 / 3
    out.loc[move, "industry"] = rng.choice(rare, size=int(move.sum()))
    out.loc[rng.random(len(out)) < 0.6, "postcode"] = 4000
    return out


def levels(results: list[monitor.DriftResult]) -> dict[str, str]:
    return {r.metric: r.level for r in results}


def test_a_deliberately_shifted_period_is_an_alert(material):
    postings = material["postings"]
    results = monitor.input_drift(period(material, postings), period(material, shifted_copy(postings)), SETTINGS)
    by = {r.metric: r for r in results}
    assert by["postings.industry"].psi > SETTINGS.psi_alert and by["postings.industry"].level == "alert"
    assert by["postings.postcode_area"].psi > SETTINGS.psi_alert and by["postings.postcode_area"].level == "alert"
    # what was not shifted stays quiet (same postings, same requirements)
    assert by["postings.competence_groups"].psi < 1e-9
    breaches = monitor.drift_breaches(results, SETTINGS)
    alerts = {b["metric"]: b for b in breaches if b["level"] == "alert"}
    assert {"psi.postings.industry", "psi.postings.postcode_area"} <= set(alerts)
    b = alerts["psi.postings.industry"]
    assert b["threshold"] == SETTINGS.psi_alert and b["value"] > SETTINGS.psi_alert
    assert "brancher" in b["message_da"] and "PSI" in b["message_da"]
    assert set(b) == {"metric", "value", "threshold", "level", "message_da"}


def test_a_shifted_score_distribution_is_an_alert_too():
    rng = np.random.default_rng(3)
    ref, cur = rng.normal(0, 1, 4000), rng.normal(0.8, 1, 4000)
    result = monitor.numeric_drift("scores", ref, cur, SETTINGS)
    assert result.level == "alert" and result.psi > SETTINGS.psi_alert


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_random_halves_of_one_period_raise_no_alert(material, seed):
    rng = np.random.default_rng(seed)
    postings, citizens = material["postings"], material["citizens"]
    p_half = rng.random(len(postings)) < 0.5
    c_half = rng.random(len(citizens)) < 0.5
    scores = rng.normal(0, 1, 3000)
    s_half = rng.random(scores.size) < 0.5
    a = period(material, postings[p_half], citizens[c_half], scores[s_half])
    b = period(material, postings[~p_half], citizens[~c_half], scores[~s_half])
    results = monitor.input_drift(a, b, SETTINGS)
    assert not [r for r in results if r.level == "alert"]
    assert monitor.drift_breaches(results, SETTINGS) == []
    judged = [r for r in results if r.judged]
    assert {r.metric for r in judged} >= {"postings.industry", "postings.competence_groups", "scores"}
    assert all(r.psi < SETTINGS.psi_warn for r in judged)


# ---------------------------------------------------------------------------
# per-group metrics and the whole report on the small world


def test_group_metrics_join_the_audit_table_after_scoring():
    per_part = pd.DataFrame({"part": 0, "month": ["2026-09"] * 4 + ["2026-10"] * 2,
                             "citizen_id": ["a", "b", "c", "d", "a", "b"],
                             "ndcg@10": [1.0, 0.5, np.nan, 0.2, 0.8, 0.4], "scores": [np.zeros(1)] * 6})
    audit = pd.DataFrame({"citizen_id": ["a", "b", "c", "d"], "gender": ["f", "m", "f", "m"],
                          "age_band": ["18-29"] * 4, "origin": ["x"] * 4})
    table = monitor.group_metrics(per_part, audit)
    sept = table[(table["month"] == "2026-09") & (table["attribute"] == "gender")].set_index("group")
    assert sept.loc["f", "ndcg@10"] == 1.0 and sept.loc["f", "citizens"] == 1  # c has no NDCG: not counted
    assert sept.loc["m", "ndcg@10"] == pytest.approx(0.35) and sept.loc["m", "citizens"] == 2
    breaches = monitor.group_breaches(table, config.MonitorSettings(min_group_queries=1))
    assert any(b["metric"] == "group_ndcg_ratio.gender.2026-09" and b["level"] == "warn" for b in breaches)


@pytest.fixture(scope="module")
def report(trained) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        mp.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{trained['root'] / 'no-monitor-db.sqlite'}")
        return monitor.monitor_report(trained["world"], trained["root"] / "models")


def test_the_report_on_the_small_world(report, trained):
    assert report["model_version"] == trained["model"].version
    assert [d["metric"] for d in report["drift"]] == list(monitor.METRICS)
    assert report["reference"]["end"] == report["current"]["start"]
    assert report["current"]["pairs"] > 0 and report["reference"]["pairs"] > 0
    rows = pd.DataFrame(report["group_metrics"]["rows"])
    assert set(rows["attribute"]) == {"gender", "age_band", "origin"}
    assert rows["ndcg@10"].between(0, 1).all()
    assert set(report["group_metrics"]["in_training_data"]) == set(rows["month"])
    assert report["overrides"]["available"] is False
    assert report["status"] in ("ok", "warn", "alert")
    for b in report["breaches"]:
        assert set(b) == {"metric", "value", "threshold", "level", "message_da"}
    json.dumps(report)  # plain JSON


def test_override_rates_count_actions_per_ranking(trained, tmp_path, monkeypatch):
    from jobmatch import db
    from jobmatch.audit import AuditLog
    from tests.conftest_db import TEST_SALT

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", TEST_SALT)
    db.init_db(url)
    try:
        log = AuditLog(db.session_factory(url))
        for _ in range(2):
            log.record_ranking(consultant_id="k", citizen_id="C1", session_id="s", model_version="m",
                               data_version="d", settings={"home_postcode": 2400},
                               suggestions=[{"posting_id": "P1", "score": 1.0, "reasons": []}])
        for action in ("hide", "pin", "feedback"):
            log.record_action(consultant_id="k", citizen_id="C1", session_id="s", action=action,
                              posting_id="P1", useful=True if action == "feedback" else None)
        now = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
        today = monitor.Period(now, now + pd.Timedelta(days=1))
        rates = monitor.override_rates({"current": today, "reference": monitor.parse_period("2020-01-01:2020-02-01")})
        assert rates["available"] is True
        assert rates["current"]["rankings"] == 2 and rates["current"]["overrides"] == 2  # feedback is not one
        assert rates["current"]["override_rate"] == 1.0
        assert rates["reference"]["rankings"] == 0 and rates["reference"]["override_rate"] is None
        assert monitor.override_breaches(rates, SETTINGS)[0]["metric"] == "override_rate.current"
    finally:
        db.dispose_engines()


def test_cli_monitor_json_and_bad_periods(trained, monkeypatch, capsys):
    from jobmatch.cli import main

    for key, value in trained["env"].items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{trained['root'] / 'no-monitor-db.sqlite'}")
    code = main(["monitor", "--reference", "2026-07-01:2026-09-01", "--current", "2026-09-01:2026-11-01", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and (code == 1) == (out["status"] == "alert")
    assert out["reference"]["start"] == "2026-07-01" and out["current"]["end"] == "2026-11-01"
    code = main(["monitor", "--current", "2026-11-01:2026-10-01", "--json"])
    err = capsys.readouterr().err
    assert code == 2 and "ends before it starts" in err and "Traceback" not in err


def test_monitor_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JOBMATCH_PSI_WARN", "0.05")
    monkeypatch.setenv("JOBMATCH_PSI_ALERT", "0.5")
    s = config.monitor_settings()
    assert (s.psi_warn, s.psi_alert) == (0.05, 0.5)
    monkeypatch.setenv("JOBMATCH_PSI_ALERT", "0.01")
    with pytest.raises(ValueError, match="PSI"):
        config.monitor_settings()
