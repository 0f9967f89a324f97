"""Shared fixtures: a small demo world built once per test session in a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmatch import config

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
KOMPETENCER = SHARED / "data" / "kompetencer"

SMALL_WORLD = config.WorldSize(postings=1500, citizens=150, months=14, shown_per_citizen_month=8.0)


@pytest.fixture(scope="session")
def small_world(tmp_path_factory) -> Path:
    """A small but complete world (same generator as the demo) for tests that need data."""
    from jobmatch.demo.build import build_world

    folder = tmp_path_factory.mktemp("world") / "world"
    build_world(seed=7, size=SMALL_WORLD, folder=folder, progress=False)
    return folder


@pytest.fixture
def kompetencer_dir() -> Path:
    """The shared Kompetencer split; tests using it skip when it is absent."""
    if not (KOMPETENCER / "2_da_train.tsv").exists():
        pytest.skip("../shared/data/kompetencer is not present on this machine")
    return KOMPETENCER


# database fixtures (SQLite and PostgreSQL): see tests/conftest_db.py
from tests.conftest_db import db_factory, db_url  # noqa: E402,F401


@pytest.fixture(scope="module")
def small_model(small_world, tmp_path_factory):
    """A small ranker trained on the small world (cached per session by tests.ranking_helpers)."""
    from tests.ranking_helpers import trained_small

    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture
def use_small_model(small_model, monkeypatch):
    """Point the configuration (models, world, caches) at the small model for one test."""
    for key, value in small_model["env"].items():
        monkeypatch.setenv(key, value)
    return small_model
