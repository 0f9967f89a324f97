"""One consultation's working state: the citizen's profile, the search and the consultant's decisions.

The dashboard keeps exactly one :class:`Workspace` per browser session (in
``st.session_state``; never on disk). It holds

* the profile read from the CV (the evidence) and the edits made together on
  screen — competences added by hand and competences removed — from which
  :meth:`Workspace.profile` derives the profile the ranking uses;
* the search: home postcode, transport mode, maximum travel time, working
  hours and focus occupations (:meth:`Workspace.search_settings`);
* the consultant's decisions on suggested jobs — pin (for the shortlist),
  hide, not relevant — each with an optional reason.

It is plain data with no Streamlit in it, so the rules are tested directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jobmatch import config
from jobmatch.profile import CompetenceMention, Profile

PIN = "pin"
HIDE = "hide"
NOT_RELEVANT = "not_relevant"
ACTIONS: tuple[str, ...] = (PIN, HIDE, NOT_RELEVANT)

HOURS: tuple[str, ...] = ("any", "full", "part")

#: longest reason kept for a decision (the audit log refuses longer text)
REASON_MAX_CHARS = 500


@dataclass(frozen=True)
class Decision:
    """What the consultant decided about one suggested job, and why (optional)."""

    action: str
    reason: str = ""
    title: str = ""  # kept so the shortlist and the "hidden" list can name the job without re-ranking
    at: str = ""
    #: the ranked result as shown when the decision was made (posting_id, title, employer, postcode,
    #: travel_minutes, reasons); the shortlist is made from it even if the search changes later
    result: dict = field(default_factory=dict)


@dataclass
class Workspace:
    """The state of one consultation (see the module docstring)."""

    original: Profile | None = None
    #: "persona:<id>" or "upload" — where the profile came from
    source: str = ""
    #: a random reference for this CV in this session (pseudonymised again by the audit log)
    citizen_ref: str = ""
    #: competences added by hand: id -> (label, group, kind) from the taxonomy
    added: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    home_postcode: int | None = None
    mode: str = field(default_factory=lambda: config.settings().default_mode)
    max_minutes: int = field(default_factory=lambda: int(config.settings().default_max_minutes))
    hours: str = "any"
    focus: list[str] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)

    # -- loading a CV ------------------------------------------------------
    def load(self, profile: Profile, *, source: str, home_postcode: int | None = None) -> None:
        """Start over with a new CV: edits, decisions and home of the previous citizen are dropped.

        ``home_postcode`` is the new citizen's (a demo persona's); for an
        uploaded CV it is unknown (None) and is asked for on screen.
        """
        self.original = profile
        self.source = source
        self.citizen_ref = secrets.token_hex(8)
        self.added, self.removed = {}, []
        self.decisions = {}
        self.focus = []
        self.hours = "any"
        self.home_postcode = int(home_postcode) if home_postcode is not None else None

    @property
    def has_profile(self) -> bool:
        return self.original is not None

    # -- editing competences ---------------------------------------------------
    def set_competences(self, kind: str, wanted: Iterable[str], info: Mapping[str, tuple[str, str, str]]) -> None:
        """Make the profile's competences of ``kind`` ("personal"/"professional") exactly ``wanted``.

        ``info`` maps competence ids to (label, group, kind) from the
        taxonomy. Ids the CV showed and that are no longer wanted become
        removals; wanted ids the CV did not show become additions.
        """
        wanted = list(dict.fromkeys(wanted))
        from_cv = {m.competence_id for m in self._cv_mentions() if m.kind == kind}
        current = set(self.competences(kind))
        for cid in current - set(wanted):
            self.added.pop(cid, None)
            if cid in from_cv and cid not in self.removed:
                self.removed.append(cid)
        for cid in wanted:
            if cid in current:
                continue
            if cid in self.removed:
                self.removed.remove(cid)
            if cid not in from_cv and cid not in self.added and cid in info:
                self.added[cid] = tuple(info[cid])  # type: ignore[assignment]

    def _cv_mentions(self) -> list[CompetenceMention]:
        if self.original is None:
            return []
        return [m for m in self.original.competences if m.competence_id and not m.negated]

    def competences(self, kind: str) -> list[str]:
        """Competence ids of ``kind`` in the edited profile, CV order first, then those added."""
        return list(dict.fromkeys(m.competence_id for m in self.profile().competences
                                  if m.kind == kind and m.competence_id and not m.negated))

    def profile(self) -> Profile:
        """The profile the ranking uses: the CV's, minus removed competences, plus those added by hand."""
        if self.original is None:
            return Profile()
        from jobmatch.index import licence_category

        profile = self.original
        for cid in self.removed:
            profile = profile.without_competence(cid)
            category = licence_category(cid)
            if category:
                profile = replace(profile, licences=[c for c in profile.licences if c != category])
        seen = {m.competence_id for m in profile.competences}
        for cid, (label, group, kind) in self.added.items():
            if cid in seen:
                continue
            profile = profile.with_competence(CompetenceMention(
                start=-1, end=-1, text="", competence_id=cid, label=label, group=group, kind=kind,
                confidence=1.0, source="manual"))
            seen.add(cid)
        return profile

    # -- the search ---------------------------------------------------------------
    def search_settings(self) -> Any:
        """:class:`jobmatch.retrieval.SearchSettings` for the ranking (raises SearchSettingsError if unusable)."""
        from jobmatch.retrieval import SearchSettings

        return SearchSettings(home_postcode=self.home_postcode if self.home_postcode is not None else 0,
                              mode=self.mode, max_minutes=float(self.max_minutes),
                              hours=None if self.hours == "any" else self.hours,
                              focus_occupations=tuple(self.focus)).checked()

    def settings_summary(self) -> dict[str, Any]:
        """The search as plain values (for the audit log; no CV content)."""
        return {"home_postcode": self.home_postcode, "mode": self.mode, "max_minutes": self.max_minutes,
                "hours": self.hours, "focus_occupations": list(self.focus)}

    def fingerprint(self, *extra: Any) -> str:
        """A key that changes whenever the ranking's input changes (profile edits, search, ``extra``)."""
        h = hashlib.sha256()
        h.update(self.citizen_ref.encode())
        for part in (sorted(self.added), sorted(self.removed), self.settings_summary(), extra):
            h.update(repr(part).encode())
        return h.hexdigest()[:20]

    # -- decisions on jobs ------------------------------------------------------------
    def decide(self, posting_id: str, action: str, reason: str = "", *, title: str = "",
               result: Mapping[str, Any] | None = None) -> Decision:
        """Record the consultant's decision on a job (replacing an earlier one)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        decision = Decision(action=action, reason=(reason or "").strip()[:REASON_MAX_CHARS], title=title,
                            at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                            result=dict(result or {}))
        self.decisions[str(posting_id)] = decision
        return decision

    def undo(self, posting_id: str) -> Decision | None:
        """Forget the decision on a job; returns the decision that was undone."""
        return self.decisions.pop(str(posting_id), None)

    def ids_with(self, *actions: str) -> list[str]:
        return [pid for pid, d in self.decisions.items() if d.action in actions]

    def pinned(self) -> list[str]:
        """Posting ids pinned for the shortlist, in the order they were pinned."""
        return self.ids_with(PIN)

    def set_aside(self) -> list[str]:
        """Posting ids hidden or marked not relevant."""
        return self.ids_with(HIDE, NOT_RELEVANT)

    def visible(self, items: Sequence[Any], key: str = "posting_id") -> list[Any]:
        """``items`` (dicts or objects with ``posting_id``) without the jobs set aside."""
        aside = set(self.set_aside())

        def pid(item: Any) -> str:
            return str(item[key] if isinstance(item, Mapping) else getattr(item, key))

        return [item for item in items if pid(item) not in aside]
