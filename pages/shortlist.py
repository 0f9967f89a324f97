"""Jobliste: the pinned jobs as a list the citizen takes home (PDF or CSV), in plain words, no scores."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from jobmatch import config, shortlist
from jobmatch.display import job_cards
from jobmatch.features import profile_competence_ids
from ui import frame, state, suggest

frame.require_consultant()
tr = state.tr()
lang = state.lang()

st.title(tr("shortlist.title"))
ws = frame.need_profile()
pinned = ws.pinned()
if not pinned:
    st.info(tr("shortlist.empty"))
    st.page_link("pages/suggestions.py", label=tr("shortlist.to_suggestions"), icon=":material/format_list_numbered:")
    st.stop()

engine = frame.engine()
has = profile_competence_ids(ws.profile(), engine.index)
as_of = config.settings().reference_date
items: list[shortlist.ShortlistItem] = []
for posting_id in pinned:
    decision = ws.decisions[posting_id]
    stored = decision.result or {"posting_id": posting_id, "title": decision.title}
    cards = job_cards([stored], engine.index, mode=str(stored.get("mode", ws.mode)), as_of=as_of, lang=lang, has=has)
    items.extend(shortlist.ShortlistItem.from_card(card, note=decision.reason) for card in cards)

st.caption(tr("shortlist.intro", n=len(items)))


def remove(posting_id: str) -> None:
    ws.undo(posting_id)
    suggest.record_action(ws, "unpin", posting_id)


for posting_id, item in zip(pinned, items):
    with st.container(border=True):
        st.markdown(f"#### {item.title}")
        st.markdown(tr("shortlist.meta", employer=item.employer, place=item.place, travel=item.travel,
                       deadline=item.deadline, hours=item.hours))
        if item.note:
            st.markdown(tr("shortlist.note", note=item.note))
        st.button(tr("shortlist.remove"), key=f"act.remove.{posting_id}", on_click=remove, args=(posting_id,))

key = "|".join([lang, *pinned, *(ws.decisions[p].reason for p in pinned)])
with st.spinner(tr("status.documents")):
    pdf_bytes, csv_bytes = state.memo("shortlist_files", key,
                                      lambda: (shortlist.to_pdf(items, lang, made_on=dt.date.today()),
                                               shortlist.to_csv(items, lang)))
left, right = st.columns(2)
left.download_button(tr("shortlist.download_pdf"), data=pdf_bytes, file_name=tr("shortlist.file_pdf"),
                     mime="application/pdf", type="primary", key="jm.download_pdf", icon=":material/picture_as_pdf:",
                     on_click="ignore")
right.download_button(tr("shortlist.download_csv"), data=csv_bytes, file_name=tr("shortlist.file_csv"),
                      mime="text/csv", key="jm.download_csv", icon=":material/table_view:", on_click="ignore")
st.caption(tr("shortlist.privacy"))
