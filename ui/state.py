"""The dashboard's session state in one place: language, screen mode, workspace, memos.

Everything a consultation needs lives in ``st.session_state`` under the
``jm.`` keys below — in the browser session's memory only, never on disk —
and is gone when the tab closes.

Widgets on a page lose their state when another page is shown (Streamlit
forgets widgets that were not drawn). The pages therefore keep the *value*
in the :class:`~jobmatch.workspace.Workspace` and :func:`seed` the widget
from it each time the page is drawn.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from jobmatch.i18n import DEFAULT_LANG, LANGS, Translator
from jobmatch.workspace import Workspace

T = TypeVar("T")

LANG_KEY = "jm.lang"
SHARED_KEY = "jm.shared"
RULE_KEY = "jm.rule_ranking"
WORKSPACE_KEY = "jm.workspace"
SESSION_ID_KEY = "jm.session_id"
CONSULTANT_KEY = "jm.consultant"
MEMO_KEY = "jm.memo"
SHOW_KEY = "jm.show_n"


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def shared() -> bool:
    """Shared-screen mode: large type, citizen wording, no internal scores."""
    return bool(st.session_state.get(SHARED_KEY, False))


def rule_ranking() -> bool:
    """The stop switch: rank by the transparent rule instead of the learned model."""
    return bool(st.session_state.get(RULE_KEY, False))


def tr() -> Translator:
    """The catalogue bound to this session's language and screen mode."""
    return Translator(lang(), shared())


def workspace() -> Workspace:
    ws = st.session_state.get(WORKSPACE_KEY)
    if not isinstance(ws, Workspace):
        ws = Workspace()
        st.session_state[WORKSPACE_KEY] = ws
    return ws


def session_id() -> str:
    """A random id of this browser session (for the audit log; says nothing about the citizen)."""
    if SESSION_ID_KEY not in st.session_state:
        st.session_state[SESSION_ID_KEY] = uuid.uuid4().hex
    return str(st.session_state[SESSION_ID_KEY])


def consultant_id() -> str:
    return str(st.session_state.get(CONSULTANT_KEY, "unknown"))


def seed(widget_key: str, value: Any) -> str:
    """Give a page widget its value from the workspace when the widget is (re)drawn; returns the key."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value
    return widget_key


def memo(name: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` in this session (the last result per ``name`` is kept).

    Used for rankings and alternatives: a rerun that changes nothing the
    result depends on (a click elsewhere, a page switch) reuses it, so the
    screen redraws fast. Kept per session, never shared between citizens.
    """
    store: dict[str, tuple[str, Any]] = st.session_state.setdefault(MEMO_KEY, {})
    hit = store.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    store[name] = (key, value)
    return value


def forget_memos() -> None:
    st.session_state[MEMO_KEY] = {}


#: prefix of the page widgets that are seeded from the workspace
WIDGET_PREFIX = "w."


def start_over() -> None:
    """A new CV was loaded: forget rankings, what-ifs, list length and the page widgets' old values.

    Call before the page draws its widgets (Streamlit refuses changes to a
    widget's value after the widget is drawn in the same run).
    """
    forget_memos()
    st.session_state.pop(SHOW_KEY, None)
    st.session_state.pop("jm.whatif", None)
    for key in [k for k in st.session_state.keys() if str(k).startswith(WIDGET_PREFIX)]:
        del st.session_state[key]
