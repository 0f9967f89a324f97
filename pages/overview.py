"""Start page: what jobmatch is, how a consultation runs, and the demo world in figures."""

from __future__ import annotations

import streamlit as st

from jobmatch import cached
from jobmatch.i18n import format_number
from jobmatch.world import WorldMissingError
from ui import auth as auth_ui
from ui import frame, state

auth_ui.current_identity()
tr = state.tr()
lang = state.lang()

st.title(tr("start.title"))
st.caption(tr("start.tagline"))

try:
    stats = cached.world_stats()
except WorldMissingError:
    frame.stop_for_missing_world()

st.subheader(tr("start.how_title"))
steps = [("pages/citizen.py", "start.step_citizen", ":material/person:"), ("pages/suggestions.py", "start.step_suggestions", ":material/format_list_numbered:"),
         ("pages/map.py", "start.step_map", ":material/map:"), ("pages/alternatives.py", "start.step_alternatives", ":material/alt_route:"),
         ("pages/shortlist.py", "start.step_shortlist", ":material/push_pin:")]
for path, key, icon in steps:
    st.page_link(path, label=tr(key), icon=icon)
st.caption(tr("start.decides"))

st.subheader(tr("start.world_title"))
st.info(tr("start.simulated"))
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("start.metric_postings"), format_number(stats["postings"], lang))
c2.metric(tr("start.metric_citizens"), format_number(stats["citizens"], lang))
c3.metric(tr("start.metric_interactions"), format_number(stats["interactions"], lang))
c4.metric(tr("start.metric_pilot"), format_number(stats["pilot_municipalities"], lang))
c5, c6, c7, c8 = st.columns(4)
c5.metric(tr("start.metric_occupations"), format_number(stats["occupations"], lang))
c6.metric(tr("start.metric_competences"), format_number(stats["competences"], lang))
c7.metric(tr("start.metric_personal"), format_number(stats["personal_competences"], lang))
c8.metric(tr("start.metric_postcodes"), format_number(stats["postcodes"], lang))
st.caption(tr("start.version", version=stats["data_version"], seed=str(stats["seed"]),
              date=stats["reference_date"]))
