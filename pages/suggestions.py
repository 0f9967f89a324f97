"""Jobforslag: the ranked jobs with reasons, the "why" view, and the consultant's decisions.

The consultant decides: every job can be pinned for the citizen's list,
hidden or marked not relevant, with an optional reason; each decision is kept
in the session (for the Jobliste page) and handed to the audit log. The stop
switch in the sidebar replaces the learned ranking by the transparent rule,
and the page says so.
"""

from __future__ import annotations

import streamlit as st

from jobmatch import cached, geo
from jobmatch.display import competence_label, minutes_phrase, place_name
from jobmatch.workspace import HIDE, NOT_RELEVANT, PIN
from ui import frame, state, suggest

frame.require_consultant()
tr = state.tr()
lang = state.lang()
shared = state.shared()

st.title(tr("suggestions.title"))
ws = frame.need_profile()
found = suggest.current(ws)
result = found.result
frame.stop_switch_banner(result.method)

st.caption(tr("suggestions.summary", n=result.in_range, place=place_name(ws.home_postcode),
              travel=minutes_phrase(ws.max_minutes, ws.mode, lang)))

cards = found.cards(lang)
explain = suggest.optional_module("jobmatch.explain")
explanation = found.explanation() if not shared else None
by_id = {c.posting_id: c for c in cards}
results_by_id = {str(r["posting_id"]): r for r in result.results}
visible = ws.visible(cards)
shown = int(st.session_state.get(state.SHOW_KEY, suggest.FIRST_SHOWN))


def decide(posting_id: str, action: str, rank: int) -> None:
    """Button callback: keep the decision in the session and hand it to the audit log."""
    reason = str(st.session_state.get(f"w.reason.{posting_id}", "") or "")
    card = by_id.get(posting_id)
    shown_result = {**results_by_id.get(posting_id, {"posting_id": posting_id}), "mode": ws.mode}
    ws.decide(posting_id, action, reason, title=card.title if card else "", result=shown_result)
    suggest.record_action(ws, action, posting_id, reason, rank)


def unpin(posting_id: str, rank: int | None) -> None:
    ws.undo(posting_id)
    suggest.record_action(ws, "unpin", posting_id, "", rank)


def show_more() -> None:
    st.session_state[state.SHOW_KEY] = shown + suggest.FIRST_SHOWN


if not visible:
    st.info(tr("suggestions.none"))


def what_if_section() -> None:
    """What-if for actionable changes only (a competence, travel time, transport), computed by re-ranking."""
    whatif = suggest.optional_module("jobmatch.whatif")
    if whatif is None:
        return
    use_model = result.method == "model"
    store = st.session_state.setdefault("jm.whatif", {})
    if store.get("key") != found.key:  # a new ranking: earlier what-ifs no longer apply
        store.clear()
        store["key"] = found.key
    with st.expander(tr("whatif.title"), icon=":material/lightbulb:"):
        st.caption(tr("whatif.intro"))
        if st.button(tr("whatif.suggest"), key="act.whatif.suggest"):
            with st.spinner(tr("status.whatif")):
                store["suggested"] = whatif.suggest_whatifs(found.profile, found.settings, engine=found.engine,
                                                            top=suggest.TOP, limit=4, use_model=use_model)
        for item in store.get("suggested", []):
            st.markdown("- " + (item.text_en if lang == "en" else item.text))
        info = cached.competence_info(lang)
        options = [cid for cid, (_, _, kind) in info.items() if kind == "professional" and cid not in found.has]
        left, middle, right = st.columns(3)
        add = left.selectbox(tr("whatif.add_label"), options, index=None, key="w.whatif.add",
                             format_func=lambda cid: info[cid][0], placeholder=tr("whatif.add_placeholder"))
        extra = middle.number_input(tr("whatif.minutes_label"), min_value=0, max_value=60, step=5, value=0,
                                    key="w.whatif.minutes")
        modes = [m for m in geo.MODES if m != ws.mode]
        mode = right.selectbox(tr("whatif.mode_label"), modes, index=None, key="w.whatif.mode",
                               format_func=lambda m: geo.mode_label(m, lang).capitalize(),
                               placeholder=tr("whatif.mode_placeholder"))
        changes = ([whatif.Change("add_competence", add)] if add else []) + (
            [whatif.Change("set_max_minutes", ws.max_minutes + extra)] if extra else []) + (
            [whatif.Change("set_mode", mode)] if mode else [])
        if st.button(tr("whatif.compute"), key="act.whatif.compute", disabled=not changes):
            with st.spinner(tr("status.whatif")):
                store["custom"] = whatif.what_if(found.profile, found.settings, changes, engine=found.engine,
                                                 top=suggest.TOP, use_model=use_model, base=result)
        custom = store.get("custom")
        if custom is not None:
            st.success(custom.text_en if lang == "en" else custom.text)
            if custom.entering:
                st.markdown(tr("whatif.entering"))
                st.markdown("\n".join(tr("whatif.entering_job", rank=j["rank"], title=j["title"] or "",
                                          employer=j["employer"] or "") for j in custom.entering[:5]))


what_if_section()

for card in visible[:shown]:
    decision = ws.decisions.get(card.posting_id)
    pinned = decision is not None and decision.action == PIN
    with st.container(border=True):
        st.markdown(f"#### {card.rank}. {card.title}" + ("  :material/push_pin:" if pinned else ""))
        st.markdown(tr("suggestions.meta", employer=card.employer, place=card.place, travel=card.travel_text,
                       deadline=card.deadline_text, hours=card.hours_text))
        st.markdown("\n".join(f"- {reason}" for reason in card.reasons))
        if not shared:
            st.caption(tr("suggestions.score", score=f"{card.score:.3f}", method=tr(f"suggestions.method.{result.method}")))
        with st.expander(tr("suggestions.why")):
            if explanation is not None and card.posting_id in explanation.posting_ids:
                frame = explain.explanation_chart(explanation, card.posting_id)
                spec = explain.chart_spec(frame, lang)
                spec["encoding"]["y"]["axis"] = {"labelLimit": 320}  # whole group names, not "Faglige kompe…"
                st.vega_lite_chart(frame, spec, key=f"chart.{card.posting_id}")
                st.caption(tr("suggestions.chart_note"))
            row = int(found.engine.index.rows_of([card.posting_id])[0])
            if row >= 0:
                req = found.engine.index.requirements(row)
                essential = (req["essential_professional"] + req["essential_credentials"]
                             + req["essential_personal"] + req["essential_languages"])
                met = [competence_label(c, lang) for c in essential if c in found.has]
                missing = [competence_label(c, lang) for c in essential if c not in found.has]
                bonus = [competence_label(c, lang) for c in req["optional_professional"] + req["optional_personal"]
                         if c in found.has]
                st.markdown(tr("suggestions.why_met", labels=", ".join(met) or tr("suggestions.why_none")))
                st.markdown(tr("suggestions.why_missing", labels=", ".join(missing) or tr("suggestions.why_none")))
                if bonus:
                    st.markdown(tr("suggestions.why_bonus", labels=", ".join(bonus)))
            st.caption(tr("suggestions.why_note"))
        if pinned:
            st.button(tr("suggestions.unpin"), key=f"act.unpin.{card.posting_id}", on_click=unpin,
                      args=(card.posting_id, card.rank))
        else:
            if shared:  # large type: the reason on its own line, three equal buttons below
                reason_col = st.container()
                pin_col, hide_col, nr_col = st.columns(3)
            else:
                reason_col, pin_col, hide_col, nr_col = st.columns([4, 2, 1, 2], vertical_alignment="bottom")
            reason_col.text_input(tr("suggestions.reason_label"), key=f"w.reason.{card.posting_id}",
                                  placeholder=tr("suggestions.reason_placeholder"), max_chars=300)
            pin_col.button(tr("suggestions.pin"), key=f"act.pin.{card.posting_id}", on_click=decide,
                           icon=":material/push_pin:",
                           args=(card.posting_id, PIN, card.rank), type="primary")
            hide_col.button(tr("suggestions.hide"), key=f"act.hide.{card.posting_id}", on_click=decide,
                            args=(card.posting_id, HIDE, card.rank))
            nr_col.button(tr("suggestions.not_relevant"), key=f"act.nr.{card.posting_id}", on_click=decide,
                          args=(card.posting_id, NOT_RELEVANT, card.rank))

if len(visible) > shown:
    st.button(tr("suggestions.show_more"), on_click=show_more, key="act.more")

aside = ws.set_aside()
if aside:
    with st.expander(tr("suggestions.aside_title", n=len(aside))):
        for posting_id in aside:
            decision = ws.decisions[posting_id]
            text = tr(f"suggestions.aside.{decision.action}", title=decision.title or posting_id)
            if decision.reason:
                text += " — " + decision.reason
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(text)
            right.button(tr("suggestions.undo"), key=f"act.undo.{posting_id}", on_click=ws.undo, args=(posting_id,))

if ws.pinned():
    st.page_link("pages/shortlist.py", label=tr("suggestions.to_shortlist", n=len(ws.pinned())), icon=":material/push_pin:")
