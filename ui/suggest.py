"""The current ranking of the session, shared by the Jobforslag, Kort and Jobliste pages.

:func:`current` ranks the edited profile with the search settings (or the
transparent rule when the stop switch is on), once per change of input — a
rerun that changes nothing reuses the session's last ranking — and records
each new ranking in the audit log when the database is set up.
:func:`record_action` hands a consultant's decision to the audit log.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

import streamlit as st

from jobmatch import cached, config
from jobmatch.display import JobCard, job_cards
from jobmatch.retrieval import SearchSettingsError
from jobmatch.workspace import Workspace
from ui import frame, state

log = logging.getLogger("jobmatch.app")

#: postings ranked per search (the list shows them ten at a time; hidden ones make room for the next)
TOP = 50
#: how many the list and the map show at first
FIRST_SHOWN = 10


def optional_module(name: str) -> Any:
    """A jobmatch module that may not be installed yet (explanations, what-if), or None."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@dataclass
class Suggestions:
    """One ranking with what the pages need around it."""

    ranked: Any  # jobmatch.ranking.RankedFeatures
    settings: Any  # jobmatch.retrieval.SearchSettings
    profile: Any  # the edited Profile the ranking used
    engine: Any  # jobmatch.ranking.RankingEngine
    has: set[str]  # competence ids as the ranking sees them (licences and languages included)
    fresh: bool  # computed in this run (not reused)
    key: str = ""  # the memo key of this ranking

    @property
    def result(self) -> Any:
        return self.ranked.result

    def explanation(self) -> Any:
        """SHAP values of the ranked postings (jobmatch.explain), or None (rule ranking, not installed)."""
        explain = optional_module("jobmatch.explain")
        if explain is None or self.result.method != "model" or self.engine.model is None:
            return None

        def compute() -> Any:
            cached.explainer()  # built once per model, shared by all sessions
            return explain.explain_ranking(self.ranked, self.engine)

        try:
            return state.memo("explanation", self.key, compute)
        except Exception as exc:  # noqa: BLE001 — without a chart the reasons still stand
            log.error("explanation failed: %s", type(exc).__name__)
            return None

    def cards(self, lang: str) -> list[JobCard]:
        return job_cards(self.result.results, self.engine.index, mode=self.settings.mode,
                         as_of=self.settings.as_of or config.settings().reference_date, lang=lang, has=self.has)


def _attach_reasons(ranked: Any, profile: Any, engine: Any, lang: str, settings: Any) -> None:
    """Reasons from the explanations (jobmatch.explain) when installed; else the cards use basic reasons."""
    explain = optional_module("jobmatch.explain")
    add = getattr(explain, "add_reasons", None) if explain is not None else None
    if callable(add):
        try:
            add(ranked, profile, engine=engine, lang=lang, settings=settings)
        except Exception as exc:  # noqa: BLE001 — explanations are an aid; the list stays usable without
            log.error("explanations failed: %s", type(exc).__name__)


def current(ws: Workspace | None = None) -> Suggestions:
    """The session's ranking for the current profile and search (stops the page with a note if impossible)."""
    tr = state.tr()
    ws = ws or frame.need_profile()
    if ws.home_postcode is None:
        st.info(tr("common.no_postcode"))
        st.page_link(frame.CITIZEN_PAGE, label=tr("common.go_to_citizen"), icon=":material/person:")
        st.stop()
    engine = frame.engine()
    try:
        settings = ws.search_settings()
    except SearchSettingsError:
        st.warning(tr("common.bad_settings"))
        st.stop()
    profile = ws.profile()
    use_model = not state.rule_ranking()
    lang = state.lang()
    key = ws.fingerprint(use_model, engine.model_version, lang, TOP)
    store = st.session_state.get(state.MEMO_KEY, {})
    fresh = store.get("ranking", ("", None))[0] != key

    def compute() -> Any:
        ranked = engine.rank_with_features(profile, settings, top=TOP, use_model=use_model)
        _attach_reasons(ranked, profile, engine, lang, settings)
        return ranked

    with st.spinner(tr("status.ranking")):
        ranked = state.memo("ranking", key, compute)
    from jobmatch.features import profile_competence_ids

    has = state.memo("has", key, lambda: profile_competence_ids(profile, engine.index))
    found = Suggestions(ranked=ranked, settings=settings, profile=profile, engine=engine, has=has, fresh=fresh,
                        key=key)
    if fresh:
        _record_ranking(ws, found)
    return found


def _data_version() -> str | None:
    try:
        return str(cached.world_stats()["data_version"])
    except Exception:  # noqa: BLE001
        return None


def _record_ranking(ws: Workspace, found: Suggestions) -> None:
    audit = cached.audit_log()
    if audit is None:
        return
    cards = ws.visible(found.cards(state.lang()))[:FIRST_SHOWN]
    try:
        audit.record_ranking(consultant_id=state.consultant_id(), citizen_id=ws.citizen_ref,
                             session_id=state.session_id(), model_version=found.result.model_version,
                             data_version=_data_version(), settings=ws.settings_summary(),
                             suggestions=[{"posting_id": c.posting_id, "score": c.score, "reasons": c.reasons}
                                          for c in cards],
                             method=found.result.method, page="jobforslag")
    except Exception as exc:  # noqa: BLE001 — the consultation goes on; the failure is visible and logged
        log.error("audit record_ranking failed: %s", type(exc).__name__)
        st.toast(state.tr()("audit.failed"))


def record_action(ws: Workspace, action: str, posting_id: str, reason: str = "", rank: int | None = None) -> None:
    """Hand a consultant's decision to the audit log (when it is set up)."""
    audit = cached.audit_log()
    if audit is None:
        return
    try:
        audit.record_action(consultant_id=state.consultant_id(), citizen_id=ws.citizen_ref,
                            session_id=state.session_id(), action=action, posting_id=posting_id,
                            reason=reason or None, page="jobforslag", rank_before=rank)
    except Exception as exc:  # noqa: BLE001
        log.error("audit record_action failed: %s", type(exc).__name__)
        st.toast(state.tr()("audit.failed"))
