"""Cached loaders for the Streamlit app — the only module in jobmatch that knows Streamlit.

Data tables use ``st.cache_data`` (copied per session, safe to mutate);
models, explainers and indexes use ``st.cache_resource`` (one shared object).
Everything else in the library stays free of Streamlit so it can be tested and
used from the command line. Cache keys include the world's and the model's
file times, so rebuilding either is picked up without restarting the app.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jobmatch import config, world


def world_key() -> str:
    """Cache key of the configured world: its folder and manifest time (a rebuild invalidates caches)."""
    folder = config.world_dir()
    manifest = folder / "manifest.json"
    return f"{folder}:{manifest.stat().st_mtime_ns if manifest.exists() else 0}"


def models_key() -> str:
    """Cache key of the model registry: its folder and the default model's metadata time."""
    folder = config.models_dir()
    meta = folder / "metadata.json"
    return f"{folder}:{meta.stat().st_mtime_ns if meta.exists() else 0}"


@st.cache_data(show_spinner=False)
def _world_stats(key: str) -> dict:
    return world.world_stats()


def world_stats() -> dict:
    return _world_stats(world_key())


@st.cache_resource(show_spinner=False)
def taxonomy():
    from jobmatch.taxonomy import load_taxonomy

    return load_taxonomy()


@st.cache_resource(show_spinner=False)
def _engine(world: str, models: str) -> Any:
    from jobmatch.ranking import RankingEngine

    return RankingEngine.load()


def engine() -> Any:
    """The ranking engine (posting index + default model, if one is compatible), shared by all sessions."""
    return _engine(world_key(), models_key())


@st.cache_resource(show_spinner=False)
def _explainer(world: str, models: str) -> Any:
    from jobmatch import explain

    model = engine().model
    return explain.tree_explainer(model) if model is not None else None


def explainer() -> Any:
    """The SHAP explainer of the current model, shared by all sessions (None without a model)."""
    return _explainer(world_key(), models_key())


@st.cache_data(show_spinner=False)
def _open_postings(key: str) -> Any:
    return world.load_postings(open_only=True)[["posting_id", "occupation_id", "postcode", "status", "hours"]]


def open_postings() -> Any:
    """Open postings (the columns the alternatives count with)."""
    return _open_postings(world_key())


@st.cache_data(show_spinner=False)
def competence_info(lang: str) -> dict[str, tuple[str, str, str]]:
    """competence_id -> (label, group, kind) in ``lang``, sorted by label."""
    comp = taxonomy().competences
    col = "label_en" if lang == "en" else "label_da"
    rows = sorted(zip(comp[col].astype(str), comp["competence_id"].astype(str), comp["group"].astype(str),
                      comp["kind"].astype(str)), key=lambda r: r[0].casefold())
    return {cid: (label, group, kind) for label, cid, group, kind in rows}


@st.cache_data(show_spinner=False)
def occupation_titles(lang: str) -> dict[str, str]:
    """occupation_id -> title in ``lang``, sorted by title."""
    occ = taxonomy().occupations
    col = "title_en" if lang == "en" else "title_da"
    rows = sorted(zip(occ[col].astype(str), occ["occupation_id"].astype(str)), key=lambda r: r[0].casefold())
    return {oid: title for title, oid in rows}


@st.cache_data(show_spinner=False)
def postcode_names() -> dict[int, str]:
    """postcode -> "2300 København S" for every postcode, in order."""
    from jobmatch import geo

    table = geo.load_postcodes()
    return {int(pc): f"{int(pc)} {name}" for pc, name in zip(table["postcode"], table["name"])}


@st.cache_resource(show_spinner=False)
def personas() -> list:
    from jobmatch.personas import list_personas

    return list_personas()


@st.cache_data(show_spinner=False, max_entries=32)
def persona_profile(persona_id: str) -> Any:
    """The parsed profile of a demo persona (invented people, so it may be cached for all sessions).

    Uploaded CVs are personal data and are never cached: the page parses them directly.
    """
    from jobmatch.cvparse import parse_file
    from jobmatch.personas import get_persona

    persona = get_persona(persona_id)
    return parse_file(persona.read_bytes(), persona.path.name)


@st.cache_resource(show_spinner=False)
def _audit_log(url: str) -> Any:
    from jobmatch import audit, db

    db.require_current(url)  # raises DatabaseNotReady: not cached, checked again on the next call
    return audit.AuditLog(db.session_factory(url), municipality=_serving_code())


def _serving_code() -> int | None:
    try:
        from jobmatch import municipalities

        return int(municipalities.current().code)
    except Exception:  # noqa: BLE001 — the audit log works without a municipality stamp
        return None


def audit_log() -> Any:
    """The audit trail (None when the database is not set up: run ``python -m jobmatch db upgrade``)."""
    try:
        return _audit_log(config.database_url())
    except Exception:  # noqa: BLE001 — a missing database must not stop the consultation
        return None
