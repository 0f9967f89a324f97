"""What every page shares: the look, the sidebar switches, the safety net and the common stops.

* :func:`style` — the page CSS: CV evidence marks, the map legend and, in
  shared-screen mode, larger type;
* :func:`sidebar` — language (Dansk/English), shared screen, the stop switch;
* :func:`guarded` — runs a page body so that an unexpected error shows one
  calm sentence instead of a traceback (only the error's *type* is logged —
  never its message, which could quote a CV);
* :func:`engine` / :func:`need_profile` — load the ranking engine with a
  progress message, or stop the page with a clear note (no data world built;
  no CV chosen yet).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NoReturn

import streamlit as st

from jobmatch import cached
from jobmatch.i18n import LANGS
from jobmatch.workspace import Workspace
from jobmatch.world import WorldMissingError
from ui import state

log = logging.getLogger("jobmatch.app")

CITIZEN_PAGE = "pages/citizen.py"
SUGGESTIONS_PAGE = "pages/suggestions.py"

_CSS = """
<style>
.jm-cv { white-space: pre-wrap; line-height: 1.65; padding: .75rem 1rem; border: 1px solid #d0d4d9;
         border-radius: .5rem; background: #fbfbfc; max-height: 30rem; overflow-y: auto; font-size: .95rem; }
mark.jm-professional { background: #cfe3ff; color: inherit; padding: 0 .12em; border-radius: .2em; }
mark.jm-personal { background: #ffe0a8; color: inherit; padding: 0 .12em; border-radius: .2em; }
.jm-legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; margin: .3rem 0 .6rem 0; }
.jm-legend span.jm-swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 50%;
                            margin-right: .35rem; vertical-align: -0.1rem; border: 1px solid #55555555; }
.jm-meta { color: #4a4f55; }
[data-testid="stDeckGlJsonChart"] { background: #eef2f5; border-radius: .5rem; }
/* show every chosen competence (Streamlit scrolls long selections sideways by default) */
[data-testid="stMultiSelectTagsContainer"] { flex-wrap: wrap !important; overflow: visible !important;
    height: auto !important; mask-image: none !important; -webkit-mask-image: none !important; }
[data-testid="stMultiSelect"] div:has(> [data-testid="stMultiSelectTagsContainer"]) {
    height: auto !important; max-height: none !important; }
</style>
"""

#: shared screen: everything a size larger, for two people at one screen
_SHARED_CSS = """
<style>
html { font-size: 19px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.12rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.05rem; }
.jm-cv { font-size: 1.05rem; }
</style>
"""


def style() -> None:
    st.html(_CSS + (_SHARED_CSS if state.shared() else ""))


def sidebar() -> None:
    """The switches that hold for every page (drawn by app.py on every run, so they keep their state)."""
    tr = state.tr()
    with st.sidebar:
        st.radio(tr("app.language"), LANGS, key=state.LANG_KEY, horizontal=True,
                 format_func=lambda code: tr(f"app.language_name.{code}"))
        st.toggle(tr("app.shared_screen"), key=state.SHARED_KEY, help=tr("app.shared_screen_help"))
        st.toggle(tr("app.stop_switch"), key=state.RULE_KEY, help=tr("app.stop_switch_help"))
        if state.rule_ranking():
            st.caption(tr("app.stop_switch_on"))


def require_consultant() -> None:
    """Stop the page unless the user is a job consultant (login, or demo mode with its banner).

    The consultant's id is kept in the session for the audit log (which
    stores only a salted pseudonym of it).
    """
    from ui import auth as auth_ui

    identity = auth_ui.require_role("consultant")
    st.session_state[state.CONSULTANT_KEY] = identity.subject


def guarded(body: Callable[[], None], page: str) -> None:
    """Run a page body; an unexpected error becomes a calm message (and a log line with its type only)."""
    try:
        body()
    except Exception as exc:  # noqa: BLE001 — no traceback may reach the screen
        log.error("page %s failed: %s", page, type(exc).__name__)
        tr = state.tr()
        st.error(tr("error.unexpected"))
        st.caption(tr("error.unexpected_hint"))


def stop_for_missing_world() -> NoReturn:
    tr = state.tr()
    st.warning(tr("start.no_world"))
    st.stop()
    raise AssertionError("st.stop() returned")  # it raises; this line keeps type checkers calm


def engine():
    """The ranking engine; the first load builds the posting index, which takes a while, so say so."""
    try:
        with st.spinner(state.tr()("status.loading_engine")):
            return cached.engine()
    except WorldMissingError:
        stop_for_missing_world()


def need_profile() -> Workspace:
    """The workspace, or stop the page with a pointer to the citizen page when no CV is loaded."""
    ws = state.workspace()
    if not ws.has_profile:
        tr = state.tr()
        st.info(tr("common.no_profile"))
        st.page_link(CITIZEN_PAGE, label=tr("common.go_to_citizen"), icon=":material/person:")
        st.stop()
    return ws


def stop_switch_banner(method: str | None = None) -> None:
    """Say plainly when the suggestions come from the transparent rule instead of the model."""
    tr = state.tr()
    if state.rule_ranking():
        st.warning(tr("common.rule_ranking_on"), icon=":material/pan_tool:")
    elif method == "rule":
        st.info(tr("common.rule_ranking_no_model"))


def legend_html(items: list[tuple[str, str]]) -> str:
    """A one-line legend of coloured dots (colours are CSS, texts come from the catalogue; escaped)."""
    import html

    spans = "".join(f'<span><span class="jm-swatch" style="background:{html.escape(colour, quote=True)}"></span>'
                    f"{html.escape(text)}</span>" for colour, text in items)
    return f'<div class="jm-legend">{spans}</div>'
