"""The dashboard's entry point: navigation over the pages, and the start page's key figures without a browser."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from jobmatch.config import REPO_ROOT
from ui import state


def start(monkeypatch, world) -> AppTest:
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(world))
    monkeypatch.setenv("JOBMATCH_AUTH_MODE", "demo")
    return AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()


def test_start_page_shows_key_figures(small_world, monkeypatch):
    at = start(monkeypatch, small_world)
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Aktuelle jobopslag"] == "1.500"
    assert labels["Kommuner i piloten"] == "13"
    assert any("simulerede" in i.value for i in at.info)
    assert at.title[0].value == "jobmatch"


def test_start_page_in_english(small_world, monkeypatch):
    at = start(monkeypatch, small_world)
    at.radio(key=state.LANG_KEY).set_value("en").run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Current job postings"] == "1,500"
    assert any("simulated" in i.value for i in at.info)


def test_navigation_registers_every_page(small_world, monkeypatch):
    at = start(monkeypatch, small_world)
    # switch_page refuses a file that st.navigation did not register
    for page in ("overview", "citizen", "suggestions", "map", "alternatives", "shortlist", "about"):
        at.switch_page(f"pages/{page}.py")
    # the start page links to the steps of a consultation
    assert len(at.get("page_link")) == 5


def test_start_page_explains_a_missing_world(tmp_path, monkeypatch):
    at = start(monkeypatch, tmp_path / "nothing")
    assert not at.exception
    assert any("data build" in w.value for w in at.warning)
