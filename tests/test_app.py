"""The dashboard's start page renders the demo world's key figures without a browser."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from jobmatch.config import REPO_ROOT


def test_start_page_shows_key_figures(small_world, monkeypatch):
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(small_world))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Aktuelle jobopslag"] == "1.500"
    assert labels["Kommuner i piloten"] == "13"
    assert any("simulerede" in i.value for i in at.info)


def test_start_page_explains_a_missing_world(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(tmp_path / "nothing"))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("data build" in w.value for w in at.warning)
