"""Tilsyn: how often and why consultants override the suggestions (for the project team).

All figures and texts come from :func:`jobmatch.oversight.render_tilsyn`;
this page only draws them. Consultants and citizens are never shown one by one.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from jobmatch import oversight
from ui import auth as auth_ui
from ui import state

auth_ui.require_role("project_team")
lang = state.lang()


def txt(key: str, **params: object) -> str:
    return oversight.text(key, lang, **params)


PERIODS = {"tilsyn.period_all": None, "tilsyn.period_90": 90, "tilsyn.period_30": 30}

st.title(txt("tilsyn.title"))
st.caption(txt("tilsyn.intro"))
choice = st.segmented_control(txt("tilsyn.period"), options=list(PERIODS), default="tilsyn.period_all",
                              format_func=txt, key="jm.tilsyn.period")
days = PERIODS.get(choice or "tilsyn.period_all")
since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days) if days else None
data = oversight.render_tilsyn(lang, since=since)

if data["message"]:
    st.info(data["message"])
    st.stop()

columns = st.columns(4)
for i, (label, value) in enumerate(data["metrics"]):
    columns[i % 4].metric(label, value)
if data.get("warning"):
    st.warning(data["warning"])
st.markdown(data["reading"])
for title, table in data["tables"].items():
    st.subheader(title)
    st.dataframe(table, hide_index=True, width="stretch")
if len(data.get("chart", [])) > 1:
    st.line_chart(data["chart"])
