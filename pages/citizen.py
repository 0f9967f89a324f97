"""Borger: choose a demo persona or upload a CV, see and edit the competences, set the search.

The profile lives in this browser session only (``st.session_state``); the CV
is never written to disk or logged. A file that cannot be read gets the CV
reader's own one-line message, never a traceback.
"""

from __future__ import annotations

import logging

import streamlit as st

from jobmatch import cached, geo, messages
from jobmatch.cv import CVReadError
from jobmatch.display import highlight_evidence
from jobmatch.taxonomy import EDUCATION_LEVELS
from jobmatch.workspace import HOURS
from ui import frame, state

log = logging.getLogger("jobmatch.app")

UPLOAD_TYPES = ["pdf", "docx", "odt", "txt"]
MINUTES_RANGE = (10, 120, 5)  # min, max, step of the travel-time slider
LEVEL_KEYS = ("native", "fluent", "good", "intermediate", "beginner", "unknown")

frame.require_consultant()
tr = state.tr()
lang = state.lang()
ws = state.workspace()

st.title(tr("citizen.title"))
st.caption(tr("citizen.privacy"))


# -- choosing a CV ------------------------------------------------------------

def load_persona(persona_id: str) -> None:
    persona = next(p for p in cached.personas() if p.id == persona_id)
    with st.spinner(tr("citizen.reading")):
        profile = cached.persona_profile(persona_id)
    ws.load(profile, source=f"persona:{persona_id}", home_postcode=persona.postcode)
    state.start_over()


def load_upload(uploaded) -> None:
    st.session_state["jm.upload_seen"] = uploaded.file_id
    st.session_state.pop("jm.upload_error", None)
    try:
        with st.spinner(tr("citizen.reading")):
            from jobmatch.cvparse import parse_file

            profile = parse_file(uploaded.getvalue(), uploaded.name)
    except CVReadError as exc:
        st.session_state["jm.upload_error"] = exc
        return
    except Exception as exc:  # noqa: BLE001 — an unreadable CV is the citizen's file, not a crash
        log.error("CV parse failed: %s", type(exc).__name__)
        st.session_state["jm.upload_error"] = CVReadError("corrupt", type(exc).__name__)
        return
    ws.load(profile, source="upload")  # home unknown: asked for below
    state.start_over()


personas = cached.personas()
persona_ids = [p.id for p in personas]
titles = {p.id: (p.title_en if lang == "en" else p.title_da) for p in personas}
names = {p.id: p.name for p in personas}

pick, upload = st.columns(2, gap="large")
with pick:
    st.subheader(tr("citizen.persona_title"))
    current = ws.source.split(":", 1)[1] if ws.source.startswith("persona:") else None
    choice = st.selectbox(tr("citizen.persona_label"), persona_ids,
                          index=persona_ids.index(current) if current in persona_ids else None,
                          placeholder=tr("citizen.persona_placeholder"), key="jm.persona_choice",
                          format_func=lambda pid: f"{titles[pid]} ({names[pid]})")
    if st.button(tr("citizen.persona_button"), type="primary", disabled=choice is None, key="jm.persona_load"):
        load_persona(choice)
with upload:
    st.subheader(tr("citizen.upload_title"))
    uploaded = st.file_uploader(tr("citizen.upload_label"), type=UPLOAD_TYPES, key="jm.upload",
                                help=tr("citizen.upload_help"))
    if uploaded is not None and st.session_state.get("jm.upload_seen") != uploaded.file_id:
        load_upload(uploaded)
    error = st.session_state.get("jm.upload_error")
    if uploaded is not None and isinstance(error, CVReadError):
        st.error(error.message(lang))

if not ws.has_profile:
    st.info(tr("citizen.start_hint"))
    st.stop()

profile = ws.original
source = tr("citizen.source_upload") if ws.source == "upload" else titles.get(ws.source.split(":", 1)[-1], "")
st.success(tr("citizen.loaded", source=source, n=len(ws.competences("professional")) + len(ws.competences("personal"))))
for code in profile.notices:
    st.warning(messages.message(code, lang))

# -- competences ----------------------------------------------------------------

info = cached.competence_info(lang)
st.subheader(tr("citizen.competences_title"))
st.caption(tr("citizen.competences_help"))
prof_col, pers_col = st.columns(2, gap="large")
for column, kind in ((prof_col, "professional"), (pers_col, "personal")):
    with column:
        options = [cid for cid, (_, _, k) in info.items() if k == kind]
        key = state.seed(f"w.comp.{kind}", [c for c in ws.competences(kind) if c in info])
        wanted = st.multiselect(tr(f"citizen.{kind}_label"), options, key=key,
                                format_func=lambda cid: info[cid][0], placeholder=tr("citizen.add_placeholder"))
        # competences the taxonomy does not know cannot be shown here; they stay as they are
        ws.set_competences(kind, [*wanted, *(c for c in ws.competences(kind) if c not in info)], info)
if ws.added or ws.removed:
    st.caption(tr("citizen.edits", added=len(ws.added), removed=len(ws.removed)))

facts = []
for held in profile.occupations:
    years = tr("citizen.years", years=round(held.years, 1)) if held.years else ""
    facts.append(tr("citizen.fact_experience", title=held.title, years=years).strip())
if profile.education_level in EDUCATION_LEVELS:
    facts.append(tr("citizen.fact_education",
                    level=EDUCATION_LEVELS[profile.education_level][1 if lang == "en" else 0]))
if profile.licences:
    facts.append(tr("citizen.fact_licences", licences=", ".join(profile.licences)))
for skill in profile.languages:
    level = skill.level if skill.level in LEVEL_KEYS else "unknown"
    facts.append(tr("citizen.fact_language", language=skill.language, level=tr(f"citizen.level.{level}")))
if facts:
    st.markdown("\n".join(f"- {fact}" for fact in facts))

with st.expander(tr("citizen.evidence_title"), expanded=not state.shared()):
    st.html(frame.legend_html([("#cfe3ff", tr("citizen.legend_professional")),
                               ("#ffe0a8", tr("citizen.legend_personal"))]))
    st.html(highlight_evidence(profile.text, profile.competences))

# -- the search -------------------------------------------------------------------

st.subheader(tr("citizen.search_title"))
postcodes = cached.postcode_names()
codes = list(postcodes)
a, b = st.columns(2, gap="large")
with a:
    key = state.seed("w.postcode", ws.home_postcode if ws.home_postcode in postcodes else None)
    ws.home_postcode = st.selectbox(tr("citizen.postcode_label"), codes, key=key, format_func=postcodes.get,
                                    placeholder=tr("citizen.postcode_placeholder"))
    key = state.seed("w.mode", ws.mode if ws.mode in geo.MODES else "public")
    ws.mode = st.selectbox(tr("citizen.mode_label"), geo.MODES, key=key,
                           format_func=lambda m: geo.mode_label(m, lang).capitalize())
    low, high, step = MINUTES_RANGE
    key = state.seed("w.max_minutes", min(high, max(low, int(ws.max_minutes))))
    ws.max_minutes = st.slider(tr("citizen.minutes_label"), low, high, step=step, key=key,
                               help=tr("citizen.minutes_help"))
with b:
    key = state.seed("w.hours", ws.hours if ws.hours in HOURS else "any")
    ws.hours = st.radio(tr("citizen.hours_label"), HOURS, key=key, horizontal=True,
                        format_func=lambda h: tr(f"citizen.hours.{h}"))
    occupations = cached.occupation_titles(lang)
    key = state.seed("w.focus", [o for o in ws.focus if o in occupations])
    ws.focus = st.multiselect(tr("citizen.focus_label"), list(occupations), key=key,
                              format_func=occupations.get, placeholder=tr("citizen.focus_placeholder"),
                              help=tr("citizen.focus_help"))

if ws.home_postcode is None:
    st.info(tr("citizen.need_postcode"))
else:
    st.page_link("pages/suggestions.py", label=tr("citizen.to_suggestions"), icon=":material/format_list_numbered:")
