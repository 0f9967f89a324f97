"""The project team's pages headless (Streamlit AppTest): Tilsyn, Retfærdighed, Gennemsigtighed.

Each page file is run on its own with the demo login; the tests assert what
the pages show — the override figures from a real audit trail, the fairness
report's numbers and notes, the generated documents — in Danish and English.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from jobmatch.config import REPO_ROOT
from ui import state

TILSYN = str(REPO_ROOT / "pages" / "7_Tilsyn.py")
RETFAERDIGHED = str(REPO_ROOT / "pages" / "8_Retfaerdighed.py")
GENNEMSIGTIGHED = str(REPO_ROOT / "pages" / "9_Gennemsigtighed.py")


def run(page: str, lang: str = "da") -> AppTest:
    at = AppTest.from_file(page, default_timeout=120)
    at.session_state[state.LANG_KEY] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture
def demo(monkeypatch, tmp_path):
    monkeypatch.setenv("JOBMATCH_AUTH_MODE", "demo")
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("JOBMATCH_GENERATED_DOCS_DIR", str(tmp_path / "no-docs"))
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    return tmp_path


# ---------------------------------------------------------------------------
# Tilsyn


def test_tilsyn_without_a_database_explains_what_to_do(demo):
    at = run(TILSYN)
    assert at.title[0].value == "Tilsyn: hvordan bruges forslagene?"
    assert any("db upgrade" in i.value for i in at.info)


def test_tilsyn_shows_the_override_figures(demo, monkeypatch):
    from jobmatch import db
    from jobmatch.audit import AuditLog

    url = f"sqlite:///{demo / 'audit.sqlite'}"
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", url)
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "test-salt-not-for-production-0123456789")
    db.init_db(url)
    log = AuditLog(db.session_factory(url), municipality=101)
    for session in ("s1", "s2"):
        log.record_ranking(consultant_id="k1", citizen_id=session, session_id=session, model_version="m",
                           data_version="d", settings={}, page="jobforslag",
                           suggestions=[{"posting_id": "P1", "score": 1.0, "reasons": ["krav opfyldt"]}])
    log.record_action(consultant_id="k1", citizen_id="s1", session_id="s1", action="hide", posting_id="P1",
                      reason="For langt væk", page="jobforslag")
    try:
        at = run(TILSYN)
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Viste rangeringer"] == "2"
        assert metrics["Tilsidesættelser"] == "1"
        assert metrics["Tilsidesættelser pr. rangering"] == "0,50"
        assert metrics["Samtaler med mindst én tilsidesættelse"] == "50 %"
        assert [s.value for s in at.subheader] == ["Pr. side", "Pr. handling", "De hyppigste begrundelser",
                                                   "Over tid (pr. uge)"]
        reasons = at.dataframe[2].value
        assert "for langt væk" in list(reasons["Begrundelse"])
        en = run(TILSYN, "en")
        assert {m.label: m.value for m in en.metric}["Overrides per ranking"] == "0.50"
        # the period filter: the trail was written just now, so the last 30 days hold all of it
        en.segmented_control(key="jm.tilsyn.period").set_value("tilsyn.period_30").run()
        assert {m.label: m.value for m in en.metric}["Rankings shown"] == "2"
    finally:
        db.dispose_engines()


# ---------------------------------------------------------------------------
# Retfærdighed


def test_retfaerdighed_without_a_report(demo):
    at = run(RETFAERDIGHED)
    assert at.title[0].value == "Retfærdighed: fairness-rapport for modellen"
    assert any("python -m jobmatch fairness" in i.value for i in at.info)


def _fake_report(model_version: str | None) -> dict:
    summary = {"value": 0.61, "ci95": [0.58, 0.64], "n": 300}
    group = {"citizens": 300, "ndcg@10": summary, "exposure": {"value": 1.0, "ci95": [1.0, 1.0], "n": 300},
             "fit_exposure": {"value": 0.52, "ci95": [0.5, 0.54], "n": 300},
             "atypical_share": {"value": 0.08, "ci95": [0.05, 0.11], "n": 300},
             "results": {"value": 10.0, "ci95": [10.0, 10.0], "n": 300}}
    return {
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "model_version": model_version,
        "data_version": "d1", "method": "model", "simulated_data": True,
        "groups": {"gender": {"female": group, "male": group}, "age_band": {"18-29": group},
                   "origin": {"danish": group, "non_western": group}},
        "exposure_ratio_min": 0.93, "fit_exposure_ratio_min": 0.91,
        "thresholds": {"proxy_auc_flag": 0.65, "exposure_ratio_min_ok": 0.8, "invariance_max_top10_change": 0.2},
        "checks": {"exposure_ratio_ok": True, "fit_exposure_ratio_ok": True, "proxy_flagged": ["gender"],
                   "invariance_ok": True},
        "proxy_check": {"threshold": 0.65, "flagged": ["gender"], "attributes": {
            "gender": {"auc_logistic": 0.71, "auc_gbm": 0.66, "auc": 0.71, "flagged": True,
                       "auc_by_feature_group": {"professional": 0.68, "travel": 0.44}, "auc_cv_competences": 0.7}}},
        "invariance": {"threshold": 0.2, "max_top10_change": 0.0, "passed": True,
                       "by_edit": {"name": {"cases": 17, "max_top10_change": 0.0, "mean_top10_change": 0.0,
                                            "min_kendall_tau": 1.0}}},
    }


def test_retfaerdighed_shows_the_report_with_notes(demo, small_world, tmp_path_factory, monkeypatch):
    from jobmatch import fairness
    from tests.ranking_helpers import trained_small

    trained = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", trained["env"]["JOBMATCH_MODELS_DIR"])
    fairness.save_report(_fake_report(trained["model"].version))
    at = run(RETFAERDIGHED)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Laveste eksponeringsforhold"] == "0,93"
    assert metrics["Beskyttede oplysninger, modellens input afslører"] == "Køn"
    text = markdown_text(at)
    assert "Data er simuleret" in text and "Proxy-tjekket" in text and "kønsopdelte med vilje" in text
    assert not any("Rapporten er lavet for model" in w.value for w in at.warning)  # it is the installed model's
    groups = at.dataframe[0].value
    assert list(groups["Gruppe"][:2]) == ["Kvinder", "Mænd"]
    assert groups["NDCG@10"].iloc[0] == "0,61 [0,58; 0,64]"
    assert at.get("download_button")
    en = run(RETFAERDIGHED, "en")
    assert {m.label: m.value for m in en.metric}["Lowest exposure ratio"] == "0.93"


def test_retfaerdighed_warns_when_the_report_is_for_another_model(demo, small_world, tmp_path_factory, monkeypatch):
    from jobmatch import fairness
    from tests.ranking_helpers import trained_small

    trained = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", trained["env"]["JOBMATCH_MODELS_DIR"])
    fairness.save_report(_fake_report("an-older-model"))
    at = run(RETFAERDIGHED)
    assert any("an-older-model" in w.value for w in at.warning)


# ---------------------------------------------------------------------------
# Gennemsigtighed


def test_gennemsigtighed_without_documents(demo):
    at = run(GENNEMSIGTIGHED)
    assert at.title[0].value == "Gennemsigtighed: dokumenterne om jobmatch"
    assert any("docs build" in w.value for w in at.warning)
    assert len(at.tabs) == 9
    assert all("docs build" in i.value for i in at.info)


def test_gennemsigtighed_shows_the_generated_documents(demo, monkeypatch, small_world):
    from jobmatch import transparency

    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(small_world))
    folder = demo / "generated"
    transparency.build_documents(folder)
    monkeypatch.setenv("JOBMATCH_GENERATED_DOCS_DIR", str(folder))
    at = run(GENNEMSIGTIGHED)
    assert [t.label for t in at.tabs][:3] == ["Modelkort", "Fairness-rapport", "Fairness-rapport (JSON)"]
    text = markdown_text(at)
    assert "# Model card" in text or "Model card: jobmatch job ranking" in text
    assert "Sådan bruger vi jobmatch" in text
    assert len(at.get("download_button")) == 9
    assert at.success and "passer til model" in at.success[0].value  # no model here, and the docs say so too
    en = run(GENNEMSIGTIGHED, "en")
    assert [t.label for t in en.tabs][0] == "Model card"
