"""The Overvågning page headless (Streamlit AppTest): periods, the report's figures and its breaches."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from jobmatch.config import REPO_ROOT
from tests.ranking_helpers import trained_small
from ui import state

PAGE = str(REPO_ROOT / "pages" / "10_Overvaagning.py")


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture
def env(trained, monkeypatch, tmp_path):
    for key, value in trained["env"].items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JOBMATCH_AUTH_MODE", "demo")
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    return trained


def run(lang: str = "da") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state[state.LANG_KEY] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def compute(at: AppTest) -> AppTest:
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_waits_for_the_button_then_shows_the_report(env):
    at = run()
    assert at.title[0].value == "Overvågning: passer modellen stadig til virkeligheden?"
    assert any("Beregn" in i.value for i in at.info)
    assert len(at.date_input) == 2
    at = compute(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Modelversion"] == env["model"].version
    assert metrics["Samlet status"] in ("I orden", "Bør undersøges", "Markant skift")
    drift = at.dataframe[0].value
    assert list(drift.columns)[:3] == ["Hvad", "PSI", "Niveau"]
    assert "Jobopslagenes brancher" in set(drift["Hvad"]) and len(drift) == 7
    assert len(at.get("arrow_line_chart")) == 1 or len(at.get("vega_lite_chart")) == 1
    assert any("db upgrade" in i.value for i in at.info)  # no database: overrides cannot be counted


def test_breaches_are_shown_plainly(env, monkeypatch):
    # a strict bar for groups (any gap between groups in a month is a breach): real warnings from the small world
    monkeypatch.setenv("JOBMATCH_MONITOR_MIN_GROUP_NDCG_RATIO", "0.999")
    monkeypatch.setenv("JOBMATCH_MONITOR_MIN_GROUP_QUERIES", "1")
    at = compute(run())
    shown = [w.value for w in at.warning if "NDCG@10" in w.value or "PSI" in w.value]  # (not the demo banner)
    groups = [text for text in shown if "NDCG@10" in text]
    assert groups and all("gruppen" in text and "0,999" in text for text in groups)
    assert {m.label: m.value for m in at.metric}["Samlet status"] == "Bør undersøges"
    assert int({m.label: m.value for m in at.metric}["Overskridelser"]) == len(shown)


def test_an_alert_is_shown_as_an_error_with_its_danish_message(env, monkeypatch):
    from jobmatch import monitor

    real = monitor.monitor_report

    def with_an_alert(*args, **kwargs):
        report = real(*args, **kwargs)
        report["breaches"] = [monitor.breach("psi.postings.industry", 0.41, 0.25, "alert",
                                             "Jobopslagenes brancher har flyttet sig markant (PSI 0,41 ≥ 0,25).")]
        report["status"] = "alert"
        return report

    monkeypatch.setattr(monitor, "monitor_report", with_an_alert)
    monkeypatch.setenv("JOBMATCH_PSI_ALERT", "0.26")  # another cache key than the other tests
    at = compute(run())
    assert [e.value for e in at.error] == ["Jobopslagenes brancher har flyttet sig markant (PSI 0,41 ≥ 0,25)."]
    assert {m.label: m.value for m in at.metric}["Samlet status"] == "Markant skift"


def test_the_page_in_english(env):
    at = compute(run("en"))
    assert at.title[0].value == "Monitoring: does the model still fit the world?"
    assert "What" in at.dataframe[0].value.columns


def test_the_page_explains_a_missing_world(env, monkeypatch, tmp_path):
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(tmp_path / "nothing"))
    at = run()
    assert any("data build" in w.value for w in at.warning)
