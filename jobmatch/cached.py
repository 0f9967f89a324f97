"""Cached loaders for the Streamlit app — the only module in jobmatch that knows Streamlit.

Data tables use ``st.cache_data`` (copied per session, safe to mutate);
models, explainers and indexes use ``st.cache_resource`` (one shared object).
Everything else in the library stays free of Streamlit so it can be tested and
used from the command line.
"""

from __future__ import annotations

import streamlit as st

from jobmatch import world


@st.cache_data(show_spinner=False)
def world_stats() -> dict:
    return world.world_stats()


@st.cache_resource(show_spinner=False)
def taxonomy():
    from jobmatch.taxonomy import load_taxonomy

    return load_taxonomy()
