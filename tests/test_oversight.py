"""Human oversight: the project team's override figures, from a real audit trail; and the stop switch."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from jobmatch import config, oversight

T0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.timezone.utc)  # a Monday


class Clock:
    """A settable clock for the audit log."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def _suggestions(n: int = 3) -> list[dict]:
    return [{"posting_id": f"P{i}", "score": 1.0 / (i + 1), "reasons": [f"grund {i}"]} for i in range(n)]


@pytest.fixture
def trail(db_factory):
    """Two weeks of use: 5 rankings (one with the stop switch) and 8 actions in 3 sessions."""
    from jobmatch.audit import AuditLog

    clock = Clock()
    log = AuditLog(db_factory, municipality=101, clock=clock)

    def ranking(session: str, page: str = "jobforslag", method: str = "model") -> None:
        log.record_ranking(consultant_id="k1", citizen_id=f"c-{session}", session_id=session, model_version="m1",
                           data_version="d1", settings={"mode": "public"}, suggestions=_suggestions(),
                           method=method, page=page)

    def action(session: str, what: str, page: str = "jobforslag", reason: str | None = None, **kw) -> None:
        log.record_action(consultant_id="k1" if session != "s3" else "k2", citizen_id=f"c-{session}",
                          session_id=session, action=what, posting_id="P1" if what != "feedback" else None,
                          reason=reason, page=page, **kw)

    # week 1 (from Monday 5 October)
    ranking("s1")
    action("s1", "hide", reason="Passer ikke med arbejdstiden.")
    action("s1", "not_relevant", reason="  passer ikke   med arbejdstiden ")
    action("s1", "pin")
    ranking("s2")
    ranking("s2", page="kort")
    action("s2", "feedback", useful=True)
    clock.now = T0 + dt.timedelta(days=8)  # week 2
    ranking("s3", method="rule")
    ranking("s3")
    action("s3", "reorder", rank_before=3, rank_after=1, reason="Borgeren vil helst kontor")
    action("s3", "add_manual", page="jobliste", reason="Fundet på Jobnet")
    action("s3", "hide", page="kort")
    action("s3", "feedback", useful=False, reason="for langt væk")
    return db_factory


def test_reading_the_trail(trail):
    data = oversight.load(trail)
    assert data.available
    assert len(data.rankings) == 5 and len(data.actions) == 8 and len(data.feedback) == 2
    assert list(data.rankings["method"]) == ["model", "model", "model", "rule", "model"]
    assert (data.rankings["suggestions"] == 3).all()
    assert str(data.actions["ts"].dt.tz) == "UTC"
    # pseudonyms only: nobody appears by the id the app knows them by
    assert not data.actions["consultant"].isin(["k1", "k2"]).any()
    later = oversight.load(trail, since=T0 + dt.timedelta(days=7))
    assert len(later.rankings) == 2 and len(later.actions) == 4


def test_summary_by_hand(trail):
    data = oversight.load(trail)
    s = oversight.override_summary(data.actions, data.rankings, data.feedback)
    assert s["rankings_shown"] == 5
    assert s["overrides"] == 6  # hide, not relevant, pin, reorder, add by hand, hide — not the feedback
    assert s["overrides_per_ranking"] == pytest.approx(6 / 5)
    assert s["sessions"] == 3
    assert s["sessions_with_override_share"] == pytest.approx(2 / 3)  # s2 only looked
    assert s["rule_ranking_share"] == pytest.approx(1 / 5)
    assert s["reasons_given_share"] == pytest.approx(4 / 6)
    assert s["feedback"] == 2 and s["useful_share"] == pytest.approx(0.5)
    assert s["consultants"] == 2


def test_by_page_by_reason_and_over_time(trail):
    data = oversight.load(trail)
    by_page = oversight.overrides_by_page(data.actions, data.rankings).set_index("page")
    assert by_page.loc["jobforslag", "rankings"] == 4  # s1, s2, and s3 twice (once with the stop switch)
    assert by_page.loc["jobforslag", "overrides"] == 4  # hide, not relevant, pin, reorder
    assert by_page.loc["jobforslag", "overrides_per_ranking"] == pytest.approx(1.0)
    assert by_page.loc["kort", "rankings"] == 1 and by_page.loc["kort", "hide"] == 1
    assert by_page.loc["jobliste", "rankings"] == 0 and by_page.loc["jobliste", "add_manual"] == 1
    assert math.isnan(by_page.loc["jobliste", "overrides_per_ranking"])  # no ranking shown there
    reasons = oversight.overrides_by_reason(data.actions)
    none = reasons[reasons["reason"] == oversight.NO_REASON]
    assert dict(zip(none["action"], none["count"])) == {"pin": 1, "hide": 1}  # the pin, and the hide on the map
    assert reasons["count"].sum() == 6 and reasons["share"].sum() == pytest.approx(1.0)
    same = reasons[reasons["reason"] == "passer ikke med arbejdstiden"]
    assert set(same["action"]) == {"hide", "not_relevant"} and same["count"].sum() == 2
    weekly = oversight.overrides_over_time(data.actions, data.rankings)
    assert list(weekly["period"]) == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-12")]
    assert list(weekly["rankings"]) == [3, 2] and list(weekly["overrides"]) == [3, 3]
    assert list(weekly["rule_rankings"]) == [0, 1]
    assert weekly["overrides_per_ranking"].tolist() == pytest.approx([1.0, 1.5])
    with pytest.raises(ValueError):
        oversight.overrides_over_time(data.actions, data.rankings, freq="Y")


def test_render_tilsyn_in_danish_and_english(trail):
    da = oversight.render_tilsyn("da", session_factory=trail)
    assert da["available"] and da["message"] is None
    metrics = dict(da["metrics"])
    assert metrics["Viste rangeringer"] == "5"
    assert metrics["Tilsidesættelser pr. rangering"] == "1,20"
    assert metrics["Samtaler med mindst én tilsidesættelse"] == "67 %"
    assert set(da["tables"]) == {"Pr. side", "Pr. handling", "De hyppigste begrundelser", "Over tid (pr. uge)"}
    assert "Side" in da["tables"]["Pr. side"].columns and "Skjul" in da["tables"]["Pr. side"].columns
    en = oversight.render_tilsyn("en", session_factory=trail)
    assert dict(en["metrics"])["Overrides per ranking"] == "1.20"
    assert "By page" in en["tables"]


def test_render_tilsyn_without_a_database(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    out = oversight.render_tilsyn("da")
    assert not out["available"]
    assert "db upgrade" in out["message"]
    assert out["tables"] == {}


def test_an_empty_trail_says_so(db_factory):
    out = oversight.render_tilsyn("da", session_factory=db_factory)
    assert out["available"] and out["message"] == oversight.text("tilsyn.empty")


def test_few_overrides_raise_the_automation_bias_warning():
    n = 40
    rankings = pd.DataFrame({"ts": pd.date_range("2026-10-01", periods=n, freq="h", tz="UTC"), "page": "jobforslag",
                             "method": "model", "model_version": "m", "data_version": "d",
                             "session_id": [f"s{i}" for i in range(n)], "consultant": "x", "suggestions": 10})
    actions = oversight.empty_actions()
    data = oversight.OversightData(actions, rankings, pd.DataFrame(columns=["ts", "useful", "page", "model_version"]))
    out = oversight.render_tilsyn("da", data=data)
    assert out["warning"] == oversight.text("tilsyn.low_rate")
    assert dict(out["metrics"])["Tilsidesættelser"] == "0"


def test_every_text_exists_in_both_languages():
    assert set(oversight.TEXTS["da"]) == set(oversight.TEXTS["en"])
    assert oversight.text("no.such.key") == "no.such.key"
    assert oversight.text("fair.note_invariance", "xx", threshold="20 %").startswith("**Invarianstest")


# ---------------------------------------------------------------------------
# the stop switch


@pytest.mark.parametrize("value, stopped", [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False),
                                            ("", False), ("no", False)])
def test_model_stopped_reads_the_environment(monkeypatch, value, stopped):
    monkeypatch.setenv("JOBMATCH_STOP_MODEL", value)
    assert config.model_stopped() is stopped


def test_model_stopped_is_off_by_default(monkeypatch):
    monkeypatch.delenv("JOBMATCH_STOP_MODEL", raising=False)
    assert config.model_stopped() is False


def test_the_deployment_stop_switch_makes_rank_use_the_rule(small_world, tmp_path_factory, monkeypatch):
    from jobmatch import ranking
    from jobmatch.cvparse import parse_file
    from jobmatch.personas import get_persona
    from jobmatch.retrieval import SearchSettings
    from tests.ranking_helpers import trained_small

    engine = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")["engine"]
    persona = get_persona("lagermedarbejder")
    profile = parse_file(persona.read_bytes(), persona.path.name)
    settings = SearchSettings(home_postcode=persona.postcode, max_minutes=60)
    monkeypatch.delenv("JOBMATCH_STOP_MODEL", raising=False)
    assert ranking.rank(profile, settings, engine=engine).method == "model"
    monkeypatch.setenv("JOBMATCH_STOP_MODEL", "1")
    stopped = ranking.rank(profile, settings, engine=engine)
    assert stopped.method == "rule" and stopped.model_version is None
    rule = engine.rank(profile, settings, use_model=False)
    assert [r["posting_id"] for r in stopped.results] == [r["posting_id"] for r in rule.results]
