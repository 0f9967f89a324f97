"""Andre job: occupations in other fields the citizen could move into, with evidence.

For each alternative: the competences that transfer, the essential ones
missing (the gap), example course types that could close it (clearly marked
as examples, not an official catalogue) and the open jobs within commuting
range — with the first few of them by name.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jobmatch import cached
from jobmatch.i18n import format_number
from ui import frame, state, suggest

#: alternatives shown, and jobs named per alternative
TOP_ALTERNATIVES = 8
JOBS_PER_ALTERNATIVE = 3

frame.require_consultant()
tr = state.tr()
lang = state.lang()
shared = state.shared()

st.title(tr("alternatives.title"))
ws = frame.need_profile()
module = suggest.optional_module("jobmatch.alternatives")
if module is None or not hasattr(module, "suggest_alternatives"):
    st.info(tr("alternatives.not_installed"))
    st.stop()
if ws.home_postcode is None:
    st.info(tr("common.no_postcode"))
    st.page_link(frame.CITIZEN_PAGE, label=tr("common.go_to_citizen"), icon=":material/person:")
    st.stop()

engine = frame.engine()
settings = ws.search_settings()
profile = ws.profile()
use_model = not state.rule_ranking()
key = ws.fingerprint(lang, use_model, TOP_ALTERNATIVES)


def compute() -> list[tuple]:
    alternatives = module.suggest_alternatives(profile, settings, top=TOP_ALTERNATIVES,
                                               postings=cached.open_postings(), lang=lang,
                                               taxonomy=cached.taxonomy())
    out = []
    for alt in alternatives:
        jobs = []
        if alt.postings_in_range:
            ranked = engine.rank(profile, replace(settings, focus_occupations=(alt.occupation_id,)),
                                 top=JOBS_PER_ALTERNATIVE, use_model=use_model)
            jobs = ranked.results
        out.append((alt, jobs))
    return out


with st.spinner(tr("status.alternatives")):
    found = state.memo("alternatives", key, compute)

st.caption(tr("alternatives.intro"))
if not found:
    st.info(tr("alternatives.none"))

for alt, jobs in found:
    with st.container(border=True):
        badge = tr("alternatives.other_field") if alt.other_field else tr("alternatives.same_field")
        st.markdown(f"#### {alt.label}")
        st.markdown(tr("alternatives.meta", field=badge, industry=alt.industry_label,
                       jobs=format_number(alt.postings_in_range, lang),
                       viability=tr(f"alternatives.viability.{alt.viability}")))
        if not shared:
            st.caption(tr("alternatives.similarity", similarity=f"{alt.similarity:.2f}"))
        left, right = st.columns(2, gap="large")
        with left:
            st.markdown(tr("alternatives.transferable"))
            st.markdown("\n".join(f"- {c['label']}" for c in alt.transferable) or tr("alternatives.nothing"))
        with right:
            st.markdown(tr("alternatives.gaps"))
            st.markdown("\n".join(f"- {c['label']}" for c in alt.gaps) or tr("alternatives.no_gaps"))
        if alt.courses:
            st.markdown(tr("alternatives.courses"))
            st.markdown("\n".join(
                tr("alternatives.course", title=c["title"], type=c["type"], length=c["typical_length"])
                if c.get("typical_length") else tr("alternatives.course_short", title=c["title"], type=c["type"])
                for c in alt.courses))
            st.caption(module.COURSES_NOTE.get(lang, module.COURSES_NOTE["da"]))
        if jobs:
            st.markdown(tr("alternatives.jobs"))
            st.markdown("\n".join(tr("alternatives.job", title=j["title"], employer=j["employer"],
                                     minutes=j["travel_minutes"]) for j in jobs))
