"""What-if: how the suggestions change when the citizen changes something they *can* change.

"Med truckcertifikat kommer 37 nye job ind i top 50" is not a guess: the
profile (or the search) is changed, the same engine ranks again, and the two
rankings are compared — which postings enter and leave the top list, and how
many postings lie within reach.

Only ACTIONABLE changes are offered (:data:`CHANGE_KINDS`):

* ``add_competence`` / ``remove_competence`` — a competence, certificate or
  driving licence (a taxonomy competence id, e.g. ``sk_truckcertifikat``,
  ``sk_koerekort_c``) added to or removed from the profile;
* ``set_max_minutes`` — the longest travel time each way;
* ``set_mode`` — the transport mode (walk, bike, ebike, public, car);
* ``set_hours`` — full time, part time or either.

Anything else is refused with :class:`WhatIfError`; age, gender, origin,
name, nationality, birth date and every other protected or personal
attribute with :class:`ProtectedAttributeError` — the tool never suggests
that a citizen should be someone else. (Protected attributes are not model
inputs anyway; see :mod:`jobmatch.features`.)

Semantics
---------
* Both rankings use the same engine, model, day and top size. ``in_range``
  is the number of open postings within the travel limit (before the
  plausibility filter); ``candidates`` those that were scored.
* ``entering`` are postings in the changed top list that were not in the
  original one (with their new rank); ``leaving`` the reverse.
* ``requiring`` counts, for competence changes, the postings in the top list
  whose requirements (essential or optional) name one of the changed
  competences, before and after.
* An added competence enters the profile as a hand-added mention; the CV
  *text* is not changed, so the text-similarity features stay as they were —
  a real CV that mentions the new certificate may rank a little differently.
* Removing a driving licence category does not remove a higher category that
  includes it (a CE licence still covers C).

:func:`suggest_whatifs` proposes the most useful changes automatically: the
credentials and professional competences most often required but missing
among the best-ranked postings, +15 minutes of travel, another transport
mode and (when a wish is set) either working hours — each computed by
re-ranking and ordered by the number of jobs that enter the top list.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

#: the change kinds a what-if may make (everything else is refused)
CHANGE_KINDS: tuple[str, ...] = ("add_competence", "remove_competence", "set_max_minutes", "set_mode", "set_hours")

#: attributes a what-if must never touch: protected by anti-discrimination law or simply not the citizen's to change
PROTECTED_ATTRIBUTES: frozenset[str] = frozenset(
    "age alder birth birthdate birth_date birthday fødsel fødselsdato fodselsdato born year_of_birth gender køn kon "
    "sex sexual_orientation seksualitet origin oprindelse ethnicity ethnic etnicitet race nationality nationalitet "
    "citizenship statsborgerskap statsborgerskab country_of_birth name navn first_name last_name surname "
    "religion tro belief disability handicap health helbred pregnancy graviditet marital_status civilstand "
    "photo foto address adresse cpr family familie children børn union fagforening political politisk".split())

#: extra minutes tried by suggest_whatifs
EXTRA_MINUTES = 15
#: how many missing competences suggest_whatifs tries
SUGGESTED_COMPETENCES = 3
#: when the top list names too few missing requirements, suggest_whatifs looks this many times further down
POOL_FACTOR = 4


class WhatIfError(ValueError):
    """A change a what-if cannot make (unknown kind, unknown competence, bad value)."""


class ProtectedAttributeError(WhatIfError):
    """A change of a protected or personal attribute (age, gender, origin, ...): never offered."""


# ---------------------------------------------------------------------------
# changes


_MODE_WORDS: dict[str, tuple[str, str]] = {
    "walk": ("til fods", "on foot"),
    "bike": ("på cykel", "by bike"),
    "ebike": ("på elcykel", "by e-bike"),
    "public": ("med bus og tog", "by bus and train"),
    "car": ("i bil", "by car"),
}


def _protected(kind: str) -> bool:
    norm = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if norm in PROTECTED_ATTRIBUTES:
        return True
    tokens = [t for t in re.split(r"_+", norm) if t]
    parts = {"_".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)}
    return bool(parts & PROTECTED_ATTRIBUTES)


@dataclass(frozen=True)
class Change:
    """One actionable change: ``kind`` from :data:`CHANGE_KINDS` and its value."""

    kind: str
    value: Any

    def __post_init__(self) -> None:
        kind = str(self.kind)
        if _protected(kind):
            raise ProtectedAttributeError(
                f"Hvad-nu-hvis ændrer aldrig {kind!r}: alder, køn, oprindelse, navn og andre personlige forhold er "
                f"ikke noget, borgeren skal ændre. / What-if never changes {kind!r}: age, gender, origin, name and "
                f"other personal attributes are not the citizen's to change. Allowed: {', '.join(CHANGE_KINDS)}")
        if kind not in CHANGE_KINDS:
            raise WhatIfError(f"Ukendt ændring / unknown change {kind!r}. Allowed: {', '.join(CHANGE_KINDS)}")
        object.__setattr__(self, "value", _checked_value(kind, self.value))

    def phrase(self, lang: str = "da") -> str:
        """"med truckcertifikat" / "with forklift certificate" (lower case; the sentence capitalises)."""
        from jobmatch.reasons import competence_label

        en = lang == "en"
        if self.kind == "add_competence":
            return f"{'with' if en else 'med'} {competence_label(self.value, lang)}"
        if self.kind == "remove_competence":
            return f"{'without' if en else 'uden'} {competence_label(self.value, lang)}"
        if self.kind == "set_max_minutes":
            n = int(round(self.value))
            return f"with up to {n} min of travel" if en else f"med op til {n} min. rejsetid"
        if self.kind == "set_mode":
            return _MODE_WORDS[self.value][1 if en else 0]
        if self.value == "part":
            return "if you look for part-time work" if en else "hvis du søger deltid"
        if self.value == "full":
            return "if you look for full-time work" if en else "hvis du søger fuldtid"
        return "if you look for both full and part time" if en else "hvis du søger både fuldtid og deltid"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "label_da": self.phrase("da"), "label_en": self.phrase("en")}


def _checked_value(kind: str, value: Any) -> Any:
    from jobmatch import geo

    if kind in ("add_competence", "remove_competence"):
        return resolve_competence(str(value))
    if kind == "set_max_minutes":
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            raise WhatIfError(f"set_max_minutes needs a number of minutes, got {value!r}") from None
        if not np.isfinite(minutes) or not 1 <= minutes <= 600:
            raise WhatIfError(f"set_max_minutes must be between 1 and 600, got {value!r}")
        return minutes
    if kind == "set_mode":
        if value not in geo.MODES:
            raise WhatIfError(f"set_mode must be one of {', '.join(geo.MODES)}, got {value!r}")
        return str(value)
    hours = None if value in (None, "", "any", "either") else value
    if hours not in (None, "full", "part"):
        raise WhatIfError(f"set_hours must be 'full', 'part' or 'any', got {value!r}")
    return hours or "any"


def resolve_competence(text: str) -> str:
    """A taxonomy competence id from an id or an exact label (any case); a clear error with suggestions otherwise."""
    from jobmatch.taxonomy import load_taxonomy

    comp = load_taxonomy().competences
    ids = comp["competence_id"].astype(str).tolist()
    wanted = text.strip()
    if wanted in ids:
        return wanted
    lowered = wanted.lower()
    for column in ("label_da", "label_en"):
        hits = [cid for cid, label in zip(ids, comp[column].astype(str)) if label.lower() == lowered]
        if hits:
            return hits[0]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    hint = f" Mente du / did you mean: {', '.join(close)}?" if close else ""
    raise WhatIfError(f"Ukendt kompetence / unknown competence {text!r}.{hint}")


def change(kind: str, value: Any) -> Change:
    """Make a checked :class:`Change` (raises :class:`WhatIfError` / :class:`ProtectedAttributeError`)."""
    return Change(kind, value)


def apply_changes(profile: Any, settings: Any, changes: list[Change]) -> tuple[Any, Any]:
    """The changed (profile, settings); the originals are not modified."""
    from jobmatch.index import is_credential_id, licence_category
    from jobmatch.profile import CompetenceMention
    from jobmatch.taxonomy import load_taxonomy

    comp = load_taxonomy().competences.set_index("competence_id")
    for c in changes:
        if not isinstance(c, Change):
            raise WhatIfError(f"Expected a Change, got {type(c).__name__}")
        if c.kind == "add_competence":
            cid = c.value
            if cid in profile.competence_ids():
                raise WhatIfError(f"{cid} står allerede i profilen / is already in the profile")
            row = comp.loc[cid]
            mention = CompetenceMention(start=-1, end=-1, text=str(row["label_da"]), competence_id=cid,
                                        label=str(row["label_da"]), group=str(row["group"]), kind=str(row["kind"]),
                                        confidence=1.0, source="manual")
            profile = profile.with_competence(mention)
            cat = licence_category(cid)
            if cat and cat not in profile.licences:
                profile = replace(profile, licences=[*profile.licences, cat])
            elif is_credential_id(cid) and cid not in profile.certificates:
                profile = replace(profile, certificates=[*profile.certificates, cid])
        elif c.kind == "remove_competence":
            cid = c.value
            cat = licence_category(cid)
            if cid not in profile.competence_ids() and not (cat and cat in profile.licences):
                raise WhatIfError(f"{cid} står ikke i profilen / is not in the profile")
            profile = profile.without_competence(cid)
            if cat:
                profile = replace(profile, licences=[x for x in profile.licences if x != cat])
        elif c.kind == "set_max_minutes":
            settings = replace(settings, max_minutes=c.value)
        elif c.kind == "set_mode":
            settings = replace(settings, mode=c.value)
        else:
            settings = replace(settings, hours=None if c.value == "any" else c.value)
    return profile, settings


# ---------------------------------------------------------------------------
# the comparison


@dataclass
class Side:
    """One ranking of a what-if: counts and the top list."""

    in_range: int
    candidates: int
    top_ids: list[str]
    requiring: int | None = None  # top postings naming a changed competence (competence changes only)

    def to_dict(self) -> dict[str, Any]:
        return {"in_range": self.in_range, "candidates": self.candidates, "top": len(self.top_ids),
                "requiring": self.requiring, "top_ids": list(self.top_ids)}


@dataclass
class WhatIfResult:
    """What changed, the counts before and after, the postings entering and leaving the top list."""

    changes: list[Change]
    top: int
    before: Side
    after: Side
    entering: list[dict[str, Any]] = field(default_factory=list)
    leaving: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    text_en: str = ""

    @property
    def jobs_gained(self) -> int:
        """Postings that enter the top list (what suggestions are ordered by)."""
        return len(self.entering)

    @property
    def in_range_change(self) -> int:
        return self.after.in_range - self.before.in_range

    def to_dict(self, lang: str = "da") -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes], "top": self.top,
                "before": self.before.to_dict(), "after": self.after.to_dict(),
                "jobs_gained": self.jobs_gained, "jobs_lost": len(self.leaving),
                "in_range_change": self.in_range_change,
                "entering": self.entering, "leaving": self.leaving,
                "sentence": self.text_en if lang == "en" else self.text, "text": self.text, "text_en": self.text_en}


def _requiring(index: Any, ids: list[str], competence_ids: list[str]) -> int:
    col_of = index.column_of()
    cols = [col_of[c] for c in competence_ids if c in col_of]
    if not ids or not cols:
        return 0
    rows = index.rows_of(ids)
    rows = rows[rows >= 0]
    hit = (index.essential[rows][:, cols].sum(axis=1) + index.optional[rows][:, cols].sum(axis=1))
    return int((np.asarray(hit).ravel() > 0).sum())


def _side(result: Any, index: Any, competence_ids: list[str]) -> Side:
    ids = [str(r["posting_id"]) for r in result.results]
    return Side(in_range=int(result.in_range), candidates=int(result.candidates), top_ids=ids,
                requiring=_requiring(index, ids, competence_ids) if competence_ids else None)


def _brief(result: dict[str, Any], rank: int) -> dict[str, Any]:
    return {"posting_id": str(result["posting_id"]), "title": result.get("title"), "employer": result.get("employer"),
            "travel_minutes": result.get("travel_minutes"), "rank": rank}


def _sentence(changes: list[Change], top: int, entering: int, leaving: int, reach: int, lang: str) -> str:
    en = lang == "en"
    prefix = (" and " if en else " og ").join(c.phrase(lang) for c in changes)
    prefix = prefix[0].upper() + prefix[1:]
    only_removed = all(c.kind == "remove_competence" for c in changes)
    if en:
        jobs = f"{entering} new job{'s' if entering != 1 else ''}"
        if reach:
            more = f"{abs(reach)} {'more' if reach > 0 else 'fewer'} job{'s' if abs(reach) != 1 else ''}"
            verb = "is" if abs(reach) == 1 else "are"
            enter = "enters" if entering == 1 else "enter"
            return f"{prefix}, {more} {verb} within reach, and {jobs} {enter} the top {top}."
        if only_removed and leaving:
            return f"{prefix}, {leaving} {'job leaves' if leaving == 1 else 'jobs leave'} the top {top}."
        if entering:
            return f"{prefix}, {jobs} enter{'s' if entering == 1 else ''} the top {top}."
        return f"{prefix}, the top {top} stays the same."
    jobs = f"{entering} {'nyt' if entering == 1 else 'nye'} job"
    if reach:
        more = f"{abs(reach)} {'flere' if reach > 0 else 'færre'} job"
        return f"{prefix} er der {more} inden for rækkevidde, og {jobs} kommer ind i top {top}."
    if only_removed and leaving:
        return f"{prefix} falder {leaving} job ud af top {top}."
    if entering:
        return f"{prefix} kommer {jobs} ind i top {top}."
    return f"{prefix} ændrer top {top} sig ikke."


def _engine(engine: Any) -> Any:
    if engine is not None:
        return engine
    from jobmatch import ranking

    return ranking.default_engine()


def what_if(profile: Any, settings: Any, changes: list[Change] | Change, *, engine: Any = None, top: int = 50,
            use_model: bool = True, base: Any = None) -> WhatIfResult:
    """Re-rank with ``changes`` applied and compare with the original ranking.

    ``base`` may pass the original :class:`~jobmatch.ranking.RankResult`
    (same ``top`` and settings) to save one ranking.
    """
    engine = _engine(engine)
    changes = [changes] if isinstance(changes, Change) else list(changes)
    if not changes:
        raise WhatIfError("Ingen ændring / no change given")
    if not 1 <= int(top) <= 500:
        raise WhatIfError(f"top must be between 1 and 500, got {top!r}")
    settings = settings.checked()
    new_profile, new_settings = apply_changes(profile, settings, changes)
    if base is None:
        base = engine.rank(profile, settings, top, use_model=use_model)
    after = engine.rank(new_profile, new_settings.checked(), top, use_model=use_model)
    changed_ids = [c.value for c in changes if c.kind in ("add_competence", "remove_competence")]
    before_side = _side(base, engine.index, changed_ids)
    after_side = _side(after, engine.index, changed_ids)
    old, new = set(before_side.top_ids), set(after_side.top_ids)
    entering = [_brief(r, i) for i, r in enumerate(after.results, start=1) if str(r["posting_id"]) not in old]
    leaving = [_brief(r, i) for i, r in enumerate(base.results, start=1) if str(r["posting_id"]) not in new]
    reach = after_side.in_range - before_side.in_range
    return WhatIfResult(changes=changes, top=int(top), before=before_side, after=after_side, entering=entering,
                        leaving=leaving, text=_sentence(changes, top, len(entering), len(leaving), reach, "da"),
                        text_en=_sentence(changes, top, len(entering), len(leaving), reach, "en"))


# ---------------------------------------------------------------------------
# suggestions


def missing_requirements(engine: Any, ranked: Any, has: set[str], *, pool: int) -> list[tuple[str, int]]:
    """(competence id, postings) of credentials and professional competences the best ``pool`` candidates
    require (essential) but the profile lacks, most frequent first (ties: more specific first, then id)."""
    index = engine.index
    if not len(ranked.candidate_rows):
        return []
    order = np.lexsort((ranked.candidate_rows, -ranked.candidate_scores))[:pool]
    rows = ranked.candidate_rows[order]
    counts = np.asarray(index.essential[rows].sum(axis=0)).ravel()
    col_of = index.column_of()
    actionable = (~index.is_personal & ~index.is_language) | index.is_credential
    mask = actionable & (counts > 0)
    for cid in has:
        j = col_of.get(cid)
        if j is not None:
            mask[j] = False
    cols = np.flatnonzero(mask)
    ranked_cols = sorted(cols, key=lambda j: (-int(counts[j]), -float(index.idf[j]), index.competence_ids[j]))
    return [(index.competence_ids[j], int(counts[j])) for j in ranked_cols]


def _best_other_mode(engine: Any, settings: Any, has: set[str]) -> str | None:
    """The transport mode (other than the current one) that brings the most open postings within reach."""
    from jobmatch import geo
    from jobmatch.retrieval import travel_minutes_all

    index = engine.index
    day = settings.as_of_day()
    open_now = index.is_open & (index.deadline_day >= day) & (index.posted_day <= day)
    current = int((open_now & (travel_minutes_all(index, settings.home_postcode, settings.mode)
                               <= settings.max_minutes)).sum())
    best, best_n = None, current
    for mode in geo.MODES:
        if mode == settings.mode or (mode == "car" and "sk_koerekort_b" not in has):
            continue
        n = int((open_now & (travel_minutes_all(index, settings.home_postcode, mode) <= settings.max_minutes)).sum())
        if n > best_n:
            best, best_n = mode, n
    return best


def suggest_whatifs(profile: Any, settings: Any, *, engine: Any = None, top: int = 50, limit: int = 5,
                    competences: int = SUGGESTED_COMPETENCES, use_model: bool = True) -> list[WhatIfResult]:
    """The most useful what-ifs for this citizen, each computed by re-ranking, most jobs gained first.

    Tried: the ``competences`` credentials/professional competences most often
    required (essential) but missing among the top ``top`` postings (further
    down, to ``POOL_FACTOR`` × ``top``, when the top names too few), the
    travel limit + ``EXTRA_MINUTES``, the transport mode that reaches most
    postings (car only with a driving licence B), and either working hours
    when a wish is set. Ties keep that order.
    """
    from jobmatch.features import profile_competence_ids

    engine = _engine(engine)
    settings = settings.checked()
    ranked = engine.rank_with_features(profile, settings, top, use_model=use_model)
    base = ranked.result
    has = profile_competence_ids(profile, engine.index)
    tries: list[list[Change]] = []
    missing = missing_requirements(engine, ranked, has, pool=top)
    if len(missing) < competences:  # few top postings: look a little further down the list
        seen = {cid for cid, _n in missing}
        missing += [m for m in missing_requirements(engine, ranked, has, pool=POOL_FACTOR * top) if m[0] not in seen]
    for cid, _count in missing[:max(0, competences)]:
        tries.append([Change("add_competence", cid)])
    if settings.max_minutes + EXTRA_MINUTES <= 600:
        tries.append([Change("set_max_minutes", settings.max_minutes + EXTRA_MINUTES)])
    mode = _best_other_mode(engine, settings, has)
    if mode:
        tries.append([Change("set_mode", mode)])
    if settings.hours in ("full", "part"):
        tries.append([Change("set_hours", "any")])
    results = [what_if(profile, settings, t, engine=engine, top=top, use_model=use_model, base=base) for t in tries]
    order = sorted(range(len(results)), key=lambda i: (-results[i].jobs_gained, -results[i].in_range_change, i))
    return [results[i] for i in order[:max(0, limit)]]
