"""Cached loaders for the Streamlit app — the only module in jobmatch that knows Streamlit.

Data tables use ``st.cache_data`` (copied per session, safe to mutate);
models, explainers and indexes use ``st.cache_resource`` (one shared object).
Everything else in the library stays free of Streamlit so it can be tested and
used from the command line.
"""

from __future__ import annotations

import streamlit as st

from jobmatch import config, world


def world_key() -> str:
    """Cache key of the configured world: its folder and manifest time (a rebuild invalidates caches)."""
    folder = config.world_dir()
    manifest = folder / "manifest.json"
    return f"{folder}:{manifest.stat().st_mtime_ns if manifest.exists() else 0}"


@st.cache_data(show_spinner=False)
def _world_stats(key: str) -> dict:
    return world.world_stats()


def world_stats() -> dict:
    return _world_stats(world_key())


@st.cache_resource(show_spinner=False)
def taxonomy():
    from jobmatch.taxonomy import load_taxonomy

    return load_taxonomy()
