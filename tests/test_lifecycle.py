"""Retraining with a release gate, consultant feedback as labels, promotion and byte-identical rollback."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobmatch import config, lifecycle
from tests.conftest_db import TEST_SALT
from tests.ranking_helpers import SMALL_TRAIN_CONFIG, trained_small

LENIENT = config.ReleaseGate(min_ndcg_at_10=0.0, min_gain_ci_low=-1.0, max_ndcg_drop=1.0, min_exposure_ratio=0.0,
                             max_proxy_auc=1.0, require_invariance=False, fairness_sample=0)


# ---------------------------------------------------------------------------
# the gate on its own


def good_metrics(ndcg: float = 0.62, ci_low: float = 0.03) -> dict:
    return {"model": {"ndcg@10": ndcg}, "ndcg@10_gain_ci95": [ci_low, ci_low + 0.05], "best_baseline": "overlap"}


def good_fairness(ratio: float = 0.95, auc: float = 0.7, invariance: bool = True) -> dict:
    return {"exposure_ratio_min": ratio, "proxy_auc": {"gender": auc, "age_band": auc - 0.1},
            "invariance_max_top10_change": 0.0 if invariance else 0.4, "invariance_passed": invariance}


def summary_as_report(summary: dict) -> dict:
    """A fairness report with the figures of ``good_fairness`` (what fairness_summary reads)."""
    return {"model_version": "x", "exposure_ratio_min": summary["exposure_ratio_min"],
            "proxy_check": {"attributes": {a: {"auc": v} for a, v in summary["proxy_auc"].items()}},
            "invariance": {"max_top10_change": summary["invariance_max_top10_change"],
                           "passed": summary["invariance_passed"], "threshold": 0.2},
            "population": {"ranked_citizens": 10}}


def gate(**changes) -> config.ReleaseGate:
    from dataclasses import replace

    return replace(config.ReleaseGate(), **changes)


def test_the_gate_passes_a_good_candidate():
    fairness = lifecycle.fairness_summary(summary_as_report(good_fairness()))
    decision = lifecycle.gate_checks(good_metrics(), 0.61, fairness, gate())
    assert decision.passed and decision.failed == []
    assert [c.name for c in decision.checks] == ["min_ndcg@10", "gain_over_best_baseline_ci_low",
                                                  "max_ndcg@10_drop_vs_current", "min_exposure_ratio",
                                                  "max_proxy_auc", "invariance"]


@pytest.mark.parametrize("metrics, current, fairness, failed, number", [
    (good_metrics(ndcg=0.40), None, good_fairness(), "min_ndcg@10", "0.4"),
    (good_metrics(ci_low=-0.01), None, good_fairness(), "gain_over_best_baseline_ci_low", "-0.01"),
    (good_metrics(ndcg=0.55), 0.60, good_fairness(), "max_ndcg@10_drop_vs_current", "0.05"),
    (good_metrics(), None, good_fairness(ratio=0.7), "min_exposure_ratio", "0.7"),
    (good_metrics(), None, good_fairness(auc=0.95), "max_proxy_auc", "0.95"),
    (good_metrics(), None, good_fairness(invariance=False), "invariance", "0.4"),
])
def test_each_threshold_can_fail_and_says_so_with_its_number(metrics, current, fairness, failed, number):
    summary = lifecycle.fairness_summary(summary_as_report(fairness))
    decision = lifecycle.gate_checks(metrics, current, summary, gate())
    assert not decision.passed
    assert [c.name for c in decision.failed] == [failed]
    assert number in decision.failed[0].message


def test_a_small_drop_against_the_current_model_is_allowed_a_larger_one_not():
    summary = lifecycle.fairness_summary(summary_as_report(good_fairness()))
    assert lifecycle.gate_checks(good_metrics(ndcg=0.60), 0.615, summary, gate(max_ndcg_drop=0.02)).passed
    assert not lifecycle.gate_checks(good_metrics(ndcg=0.60), 0.63, summary, gate(max_ndcg_drop=0.02)).passed


def test_without_fairness_figures_the_gate_fails_closed():
    decision = lifecycle.gate_checks(good_metrics(), None, None, gate(), fairness_problem="fairness not available")
    assert not decision.passed
    assert {c.name for c in decision.failed} == {"min_exposure_ratio", "max_proxy_auc", "invariance"}
    assert all("fairness not available" in c.message for c in decision.failed)


def test_gate_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JOBMATCH_GATE_MIN_NDCG10", "0.7")
    monkeypatch.setenv("JOBMATCH_GATE_REQUIRE_INVARIANCE", "no")
    g = config.release_gate()
    assert g.min_ndcg_at_10 == 0.7 and g.require_invariance is False
    monkeypatch.setenv("JOBMATCH_GATE_REQUIRE_INVARIANCE", "maybe")
    with pytest.raises(ValueError, match="JOBMATCH_GATE_REQUIRE_INVARIANCE"):
        config.release_gate()


# ---------------------------------------------------------------------------
# consultant feedback as labels


def pairs_frame() -> pd.DataFrame:
    return pd.DataFrame({"citizen_id": ["C1", "C1", "C2"], "posting_id": ["P1", "P2", "P1"],
                         "grade": np.array([2, 0, 0], dtype=np.int8),
                         "shown_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-02-01"])})


def feedback_frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["citizen_id", "posting_id", "action", "ts"]).assign(
        ts=lambda d: pd.to_datetime(d["ts"]))


def test_not_relevant_sets_the_label_to_zero_and_a_pin_boosts_it():
    fb = feedback_frame([("C1", "P1", "not_relevant", "2026-01-10"), ("C1", "P2", "pin", "2026-01-10")])
    out, counts = lifecycle.apply_feedback(pairs_frame(), fb)
    grades = dict(zip(zip(out["citizen_id"], out["posting_id"]), out["grade"]))
    assert grades[("C1", "P1")] == 0  # applied and interviewed, but the consultant ruled it out
    assert grades[("C1", "P2")] == lifecycle.PIN_GRADE
    assert grades[("C2", "P1")] == 0  # untouched
    assert counts == {"set_to_zero": 1, "boosted": 1, "added": 0, "ignored": 0}
    assert out["grade"].dtype == np.int8


def test_the_latest_action_counts_and_unknown_pairs_are_added_when_they_happened():
    fb = feedback_frame([("C2", "P1", "pin", "2026-02-02"), ("C2", "P1", "unpin", "2026-02-03"),
                         ("C2", "P9", "not_relevant", "2026-03-01"), ("C1", "P1", "pin", "2026-01-07")])
    out, counts = lifecycle.apply_feedback(pairs_frame(), fb)
    grades = dict(zip(zip(out["citizen_id"], out["posting_id"]), out["grade"]))
    assert grades[("C2", "P1")] == 0  # pinned, then unpinned
    assert grades[("C1", "P1")] == 2  # a pin never lowers a label
    added = out[(out["citizen_id"] == "C2") & (out["posting_id"] == "P9")]
    assert len(added) == 1 and added["grade"].iloc[0] == 0
    assert added["shown_at"].iloc[0] == pd.Timestamp("2026-03-01")
    assert counts["added"] == 1 and counts["ignored"] == 2


@pytest.fixture
def database(tmp_path, monkeypatch):
    from jobmatch import db

    url = f"sqlite:///{tmp_path / 'jobmatch.sqlite'}"
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", TEST_SALT)
    db.init_db(url)
    yield url
    db.dispose_engines()


def test_feedback_is_read_from_the_database_by_pseudonym(database):
    from jobmatch import db
    from jobmatch.audit import AuditLog

    log = AuditLog(db.session_factory(database))
    frame, info = lifecycle.read_feedback(["C00001", "C00002"], database)
    assert frame.empty and info["source"] == "empty"
    for action, posting in (("pin", "P1"), ("not_relevant", "P2"), ("hide", "P3")):
        log.record_action(consultant_id="k1", citizen_id="C00001", session_id="s", action=action, posting_id=posting)
    log.record_action(consultant_id="k1", citizen_id="C99999", session_id="s", action="pin", posting_id="P4")
    frame, info = lifecycle.read_feedback(["C00001", "C00002"], database)
    assert info["source"] == "database" and info["actions"] == 3 and info["unmatched_citizens"] == 1
    assert sorted(zip(frame["citizen_id"], frame["posting_id"], frame["action"])) == [
        ("C00001", "P1", "pin"), ("C00001", "P2", "not_relevant")]  # hide is not a label


def test_no_database_means_no_feedback_not_an_error(tmp_path):
    frame, info = lifecycle.read_feedback(["C1"], f"sqlite:///{tmp_path / 'absent.sqlite'}")
    assert frame.empty and info["source"] == "no_database"
    assert not (tmp_path / "absent.sqlite").exists()


# ---------------------------------------------------------------------------
# retraining on the small world


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture
def registry_copy(trained, tmp_path, monkeypatch) -> Path:
    """The trained small model copied into a fresh registry folder; env points data, world and models there."""
    for key, value in trained["env"].items():
        monkeypatch.setenv(key, value)
    folder = tmp_path / "models"
    shutil.copytree(trained["root"] / "models", folder, ignore=shutil.ignore_patterns("versions", "promotions.jsonl"))
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(folder))
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")  # no database
    return folder


def small_config():
    from jobmatch.ranker import TrainConfig

    return TrainConfig.from_dict(SMALL_TRAIN_CONFIG)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("model.txt", "metadata.json", "MODEL_CARD.md")}


def stub_fairness(*_args) -> dict:
    return summary_as_report(good_fairness())


def test_retraining_refuses_a_candidate_that_fails_its_gate(trained, registry_copy, monkeypatch):
    monkeypatch.setenv("JOBMATCH_GATE_MIN_NDCG10", "0.999")  # impossibly high, fixed before training
    monkeypatch.setenv("JOBMATCH_GATE_MIN_GAIN_CI_LOW", "-1")  # the other model checks lenient: only one fails
    monkeypatch.setenv("JOBMATCH_GATE_MAX_NDCG_DROP", "1")
    before = snapshot(registry_copy)
    result = lifecycle.retrain(trained["world"], registry_copy, train_config=small_config(),
                               fairness_fn=stub_fairness, n_boot=200)
    assert not result.promoted
    assert [c.name for c in result.decision.failed] == ["min_ndcg@10"]
    assert "< 0.999" in result.reasons()[0]
    assert snapshot(registry_copy) == before  # the current model stays, byte for byte
    assert result.default_version == result.current_version == trained["model"].version
    history = lifecycle.read_promotions(registry_copy)
    assert history[-1]["event"] == "refused" and history[-1]["candidate_version"] == result.candidate_version
    assert history[-1]["audit"]["recorded"] is False  # no database here, and it says so
    # the candidate was judged on a later period than it was trained on
    assert result.split["valid_from"] < result.split["test_from"]
    doc = result.to_dict()
    assert doc["decision"] == "refused" and doc["metrics"]["current_model_ndcg@10_same_period"] is not None


def test_retraining_promotes_a_passing_candidate_and_rollback_restores_the_old_files(trained, registry_copy,
                                                                                     tmp_path, monkeypatch):
    from jobmatch import db, fairness, registry
    from jobmatch.audit import AuditLog

    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", TEST_SALT)
    db.init_db(url)
    try:
        before = snapshot(registry_copy)
        old_version = trained["model"].version
        # consultant feedback in the database: one applied pair ruled out, one unseen posting pinned
        from jobmatch import world

        log_ = world.load_interactions(trained["world"])
        applied = log_[log_["event"] == "applied"].iloc[0]
        seen = set(log_.loc[log_["citizen_id"] == applied["citizen_id"], "posting_id"])
        unseen = next(p for p in world.load_postings(trained["world"])["posting_id"] if p not in seen)
        audit_log = AuditLog(db.session_factory(url))
        audit_log.record_action(consultant_id="k1", citizen_id=applied["citizen_id"], session_id="s",
                                action="not_relevant", posting_id=applied["posting_id"])
        audit_log.record_action(consultant_id="k1", citizen_id=applied["citizen_id"], session_id="s",
                                action="pin", posting_id=unseen)

        def real_fairness(world_folder, models_folder, _gate, progress):
            return fairness.fairness_report(world_folder, models_folder, n_boot=100, invariance_citizens=2,
                                            personas=False, gbm=False, progress=progress)

        result = lifecycle.retrain(trained["world"], registry_copy, train_config=small_config(), gate=LENIENT,
                                   fairness_fn=real_fairness, n_boot=200)
        assert result.promoted, result.reasons()
        assert result.feedback["source"] == "database" and result.feedback["matched"] == 2
        assert result.feedback["set_to_zero"] == 1 and result.feedback["added"] == 1
        assert result.fairness["model_version"] == result.candidate_version  # the report judged this very model
        assert registry.load_model(registry_copy).version == result.candidate_version == result.default_version
        assert (registry_copy / "versions" / old_version / "model.txt").read_bytes() == before["model.txt"]
        assert result.audit["recorded"] is True

        listed = lifecycle.list_versions(registry_copy)
        assert listed["current"] == result.candidate_version
        assert [v["version"] for v in listed["versions"]] == [old_version]
        assert lifecycle.previous_version(registry_copy) == old_version

        back = lifecycle.rollback(models_folder=registry_copy, reason="test")
        assert back["to_version"] == old_version and back["from_version"] == result.candidate_version
        assert snapshot(registry_copy) == before  # byte-identical to the version before the promotion
        assert registry.load_model(registry_copy).version == old_version

        events = [e["event"] for e in lifecycle.read_promotions(registry_copy)]
        assert events[-2:] == ["promotion", "rollback"]
        log = AuditLog(db.session_factory(url))
        assert log.verify().ok
        kinds = [r["kind"] for r in log.iter_records()]
        assert kinds == ["action", "action", lifecycle.AUDIT_PROMOTION, lifecycle.AUDIT_ROLLBACK]
        # forward again to the promoted version by name
        again = lifecycle.rollback(result.candidate_version, registry_copy)
        assert again["to_version"] == result.candidate_version
        with pytest.raises(lifecycle.LifecycleError, match="already the default"):
            lifecycle.rollback(result.candidate_version, registry_copy)
    finally:
        db.dispose_engines()


def test_when_fairness_cannot_be_imported_the_candidate_is_refused(trained, registry_copy, monkeypatch):
    import jobmatch

    # as if jobmatch/fairness.py were missing: `from jobmatch import fairness` raises ImportError
    monkeypatch.setitem(sys.modules, "jobmatch.fairness", None)
    monkeypatch.delattr(jobmatch, "fairness", raising=False)
    before = snapshot(registry_copy)
    result = lifecycle.retrain(trained["world"], registry_copy, train_config=small_config(), gate=LENIENT, n_boot=200)
    assert not result.promoted
    assert {c.name for c in result.decision.failed} == {"min_exposure_ratio", "max_proxy_auc"}
    assert all("fairness not available" in r for r in result.reasons())
    assert snapshot(registry_copy) == before


def test_retraining_on_the_same_log_reproduces_the_model_and_promotes_nothing(trained, registry_copy):
    before = snapshot(registry_copy)
    result = lifecycle.retrain(trained["world"], registry_copy, train_config=small_config(), gate=LENIENT,
                               fairness_fn=stub_fairness, n_boot=200, use_feedback=False)
    assert result.decision.passed and result.identical and not result.promoted
    assert result.to_dict()["decision"] == "unchanged"
    assert snapshot(registry_copy) == before and not (registry_copy / "versions").exists()
    assert lifecycle.read_promotions(registry_copy)[-1]["event"] == "unchanged"


def test_cli_model_versions_and_rollback_without_an_earlier_version(registry_copy, capsys):
    from jobmatch.cli import main

    assert main(["model", "versions", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["versions"] == [] and info["current"]
    code = main(["model", "rollback"])
    err = capsys.readouterr().err
    assert code == 2 and "no earlier model version" in err and "Traceback" not in err
    code = main(["model", "rollback", "--to", "19990101-000000-deadbeef"])
    err = capsys.readouterr().err
    assert code == 2 and "19990101-000000-deadbeef" in err and len(err.strip().splitlines()) == 1
