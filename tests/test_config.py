"""Paths and settings come from one module and honour environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmatch import config


def test_defaults_live_in_the_repository():
    assert config.data_dir() == config.REPO_ROOT / "data"
    assert config.world_dir() == config.REPO_ROOT / "data" / "world"
    assert config.models_dir() == config.REPO_ROOT / "models"
    assert (config.taxonomy_dir() / "industries.csv").exists()


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path / "d"))
    assert config.data_dir() == (tmp_path / "d").resolve()
    assert config.world_dir() == (tmp_path / "d" / "world").resolve()
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(tmp_path / "w"))
    assert config.world_dir() == (tmp_path / "w").resolve()
    monkeypatch.setenv("JOBMATCH_SEED", "11")
    assert config.seed() == 11
    monkeypatch.setenv("JOBMATCH_PILOT_MUNICIPALITIES", "101,147")
    assert config.pilot_municipalities() == (101, 147)


def test_bad_override_gives_a_clear_message(monkeypatch):
    monkeypatch.setenv("JOBMATCH_SEED", "many")
    with pytest.raises(ValueError, match="JOBMATCH_SEED"):
        config.seed()


def test_thirteen_pilot_municipalities_with_copenhagen():
    assert len(config.DEFAULT_PILOT_MUNICIPALITIES) == 13
    assert len(set(config.DEFAULT_PILOT_MUNICIPALITIES)) == 13
    assert 101 in config.DEFAULT_PILOT_MUNICIPALITIES


def test_generated_data_is_git_ignored():
    ignore = (config.REPO_ROOT / ".gitignore").read_text()
    assert "/data/" in ignore
    assert isinstance(config.REPO_ROOT, Path)
