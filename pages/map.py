"""Kort: home, the commuting range and the suggested jobs on a map (works offline: no basemap tiles)."""

from __future__ import annotations

import streamlit as st

from jobmatch import mapview
from jobmatch.display import minutes_phrase, place_name
from ui import frame, state, suggest

frame.require_consultant()
tr = state.tr()
lang = state.lang()

st.title(tr("map.title"))
ws = frame.need_profile()
found = suggest.current(ws)
frame.stop_switch_banner(found.result.method)

shown = int(st.session_state.get(state.SHOW_KEY, suggest.FIRST_SHOWN))
cards = ws.visible(found.cards(lang))[: max(shown, 20)]
st.caption(tr("map.summary", n=len(cards), place=place_name(ws.home_postcode),
              travel=minutes_phrase(ws.max_minutes, ws.mode, lang)))
with st.spinner(tr("status.map")):
    deck = mapview.build_deck(cards, home_postcode=ws.home_postcode, mode=ws.mode, max_minutes=ws.max_minutes,
                              lang=lang)
st.html(frame.legend_html(mapview.legend(lang)))
st.pydeck_chart(deck, height=620, key="jm.map")
st.caption(tr("map.note"))
