"""Retfærdighed: the fairness report of the installed model, with plain-language notes (project team).

The report is made by ``python -m jobmatch fairness`` (minutes, so never on
page load); :func:`jobmatch.oversight.render_retfaerdighed` turns it into
what this page shows.
"""

from __future__ import annotations

import streamlit as st

from jobmatch import fairness, oversight
from ui import auth as auth_ui
from ui import state

auth_ui.require_role("project_team")
lang = state.lang()


def txt(key: str, **params: object) -> str:
    return oversight.text(key, lang, **params)


report, installed = oversight.current_report()
data = oversight.render_retfaerdighed(lang, report=report, installed_version=installed)

st.title(data["title"])
st.caption(data["intro"])
if data["message"]:
    st.info(data["message"])
    st.stop()
if data["warning"]:
    st.warning(data["warning"])

columns = st.columns(len(data["metrics"]))
for column, (label, value, status) in zip(columns, data["metrics"]):
    column.metric(label, value)
    if status:
        column.caption(status)
for note in data["notes"]:
    st.markdown(note)
for title, table in data["tables"].items():
    st.subheader(title)
    st.dataframe(table, hide_index=True, width="stretch")
st.download_button(txt("docs.download", name="fairness_report.json"), data=fairness.to_json(report),
                   file_name="fairness_report.json", mime="application/json")
