"""Display logic of the dashboard, without Streamlit: words, numbers, dates and job cards.

The pages in ``pages/`` only lay things out; everything they *say* about a job
or a CV is made here so it can be tested without a browser:

* :func:`minutes_phrase`, :func:`date_text`, :func:`deadline_text`,
  :func:`hours_text`, :func:`place_name` — travel times, dates and places in
  plain Danish or English;
* :func:`highlight_evidence` — the (redacted) CV text as HTML with every
  competence found marked where the CV says it, personal and professional in
  two colours; all CV text is HTML-escaped;
* :class:`JobCard` and :func:`job_cards` — a ranked posting with what the
  citizen needs to know: title, employer, place, travel time, deadline,
  working hours and 2–4 reasons;
* :func:`basic_reasons` — reasons read straight from the CV and the posting
  (requirements met or missing, travel time), used when the ranking carries
  no reasons of its own (the SHAP explanations of :mod:`jobmatch.explain`
  replace them when installed).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import geo
from jobmatch.i18n import check_lang, t

#: how many reasons a card shows at most / at least (when the data allows)
MAX_REASONS = 4
MIN_REASONS = 2

#: labels named per reason ("bl.a. truckkørsel og lagerstyring")
LABELS_PER_REASON = 2


# ---------------------------------------------------------------------------
# words for numbers, dates and places


@lru_cache(maxsize=1)
def _place_names() -> dict[int, str]:
    table = geo.load_postcodes()
    return dict(zip(table["postcode"].astype(int), table["name"].astype(str)))


def place_name(postcode: int | str | None) -> str:
    """``2300 København S`` (the postcode alone when it is unknown)."""
    try:
        code = int(str(postcode).strip())
    except (TypeError, ValueError):
        return str(postcode or "")
    name = _place_names().get(code)
    return f"{code} {name}" if name else str(code)


def mode_phrase(mode: str, lang: str = "da") -> str:
    """How one travels: ``på cykel`` / ``by bike`` (public transport for an unknown mode)."""
    mode = mode if mode in geo.MODES else "public"
    return t(f"format.mode_phrase.{mode}", lang)


def minutes_phrase(minutes: float | int, mode: str, lang: str = "da") -> str:
    """``ca. 25 min. på cykel`` / ``about 25 min by bike``."""
    value = int(round(float(minutes)))
    return t("format.minutes", lang, minutes=value, how=mode_phrase(mode, lang))


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    return stamp.date()


def date_text(value: Any, lang: str = "da") -> str:
    """``19. dec. 2026`` / ``19 Dec 2026``; empty for an unknown date."""
    day = _as_date(value)
    if day is None:
        return ""
    months = t("format.months", lang).split(",")
    month = months[day.month - 1].strip() if len(months) == 12 else str(day.month)
    return t("format.date", lang, day=day.day, month=month, year=str(day.year))


def deadline_text(deadline: Any, as_of: Any, lang: str = "da") -> str:
    """The application deadline with how many days are left: ``19. dec. 2026 (om 48 dage)``."""
    day, today = _as_date(deadline), _as_date(as_of)
    if day is None:
        return t("format.no_deadline", lang)
    if today is None:
        return date_text(day, lang)
    left = (day - today).days
    if left < 0:
        key = "format.deadline_passed"
    elif left == 0:
        key = "format.deadline_today"
    elif left == 1:
        key = "format.deadline_tomorrow"
    else:
        key = "format.deadline_in_days"
    return t(key, lang, date=date_text(day, lang), days=left)


def hours_text(hours: str | None, weekly_hours: Any, lang: str = "da") -> str:
    """``Fuld tid, 37 timer om ugen`` / ``Part time, 25 hours a week``."""
    kind = t("format.part_time" if str(hours) == "part" else "format.full_time", lang)
    try:
        weekly = float(weekly_hours)
    except (TypeError, ValueError):
        weekly = float("nan")
    if not np.isfinite(weekly) or weekly <= 0:
        return kind
    return t("format.hours_week", lang, kind=kind, hours=int(round(weekly)))


# ---------------------------------------------------------------------------
# CV evidence


def _non_overlapping(mentions: Iterable[Any], length: int) -> list[Any]:
    """Mentions with valid offsets, longest first where two overlap, in text order."""
    valid = [m for m in mentions
             if isinstance(m.start, int) and isinstance(m.end, int) and 0 <= m.start < m.end <= length]
    valid.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: list[Any] = []
    for m in valid:
        if all(m.end <= o.start or o.end <= m.start for o in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def highlight_evidence(text: str, mentions: Sequence[Any], *, css_class: str = "jm-cv") -> str:
    """The CV text as escaped HTML, every competence found wrapped in ``<mark>`` where the CV says it.

    ``mentions`` are :class:`jobmatch.profile.CompetenceMention` (offsets into
    ``text``). Personal competences get class ``jm-personal``, professional
    ones ``jm-professional``; negated mentions ("ingen erfaring med ...") and
    competences added by hand are not marked. The label of the competence is
    the mark's tooltip. Everything from the CV is escaped, so a CV cannot
    inject markup into the page.
    """
    text = text or ""
    shown = _non_overlapping((m for m in mentions if not getattr(m, "negated", False)
                              and getattr(m, "source", "cv") == "cv"), len(text))
    parts: list[str] = [f'<div class="{html.escape(css_class, quote=True)}">']
    pos = 0
    for m in shown:
        parts.append(html.escape(text[pos:m.start]))
        kind = "jm-personal" if m.kind == "personal" else "jm-professional"
        label = html.escape(str(m.label), quote=True)
        parts.append(f'<mark class="{kind}" title="{label}">{html.escape(text[m.start:m.end])}</mark>')
        pos = m.end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------
# job cards


@dataclass
class JobCard:
    """One suggested job as the pages, the map and the shortlist show it."""

    posting_id: str
    rank: int
    title: str
    employer: str
    postcode: int
    place: str
    lat: float
    lon: float
    travel_minutes: int
    travel_text: str
    deadline: str  # ISO date, "" when unknown
    deadline_text: str
    hours_text: str
    score: float  # internal: never on the shared screen or the shortlist
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=4)
def _competence_labels(lang: str) -> dict[str, str]:
    from jobmatch.taxonomy import load_taxonomy

    comp = load_taxonomy().competences
    column = "label_en" if lang == "en" else "label_da"
    return dict(zip(comp["competence_id"].astype(str), comp[column].astype(str)))


def competence_label(competence_id: str, lang: str = "da") -> str:
    """The taxonomy's label of a competence (the id when it is unknown)."""
    return _competence_labels(check_lang(lang)).get(competence_id, competence_id)


def _join_labels(labels: Sequence[str], lang: str) -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return t("format.list_join", lang, first=", ".join(labels[:-1]), last=labels[-1])


def basic_reasons(requirements: Mapping[str, list[str]], has: set[str], travel_minutes: float, mode: str,
                  lang: str = "da") -> list[str]:
    """2–4 reasons read straight from the posting's requirements and the CV's competences.

    ``requirements`` is :meth:`jobmatch.index.PostingIndex.requirements` of
    the posting; ``has`` the competence ids the profile shows. Every label
    named is a requirement of the posting, and a met requirement is only named
    when the CV shows it — no reason mentions a competence absent from both.
    """
    reasons: list[str] = []
    ess = list(requirements.get("essential_professional", []))
    met = [c for c in ess if c in has]
    if met:
        labels = [competence_label(c, lang) for c in met[:LABELS_PER_REASON]]
        reasons.append(t("reasons.professional_met", lang, met=len(met), total=len(ess),
                         labels=_join_labels(labels, lang)))
    optional = [c for c in requirements.get("optional_professional", []) if c in has]
    if optional and not met:
        labels = [competence_label(c, lang) for c in optional[:LABELS_PER_REASON]]
        reasons.append(t("reasons.optional_met", lang, labels=_join_labels(labels, lang)))
    personal = [c for c in requirements.get("essential_personal", []) + requirements.get("optional_personal", [])
                if c in has]
    if personal:
        labels = [competence_label(c, lang) for c in dict.fromkeys(personal)][:LABELS_PER_REASON]
        reasons.append(t("reasons.personal_met", lang, labels=_join_labels(labels, lang)))
    missing_credentials = [c for c in requirements.get("essential_credentials", []) if c not in has]
    if missing_credentials:
        reasons.append(t("reasons.credential_missing", lang, label=competence_label(missing_credentials[0], lang)))
    elif ess and len(met) < len(ess):
        missing = [c for c in ess if c not in has]
        reasons.append(t("reasons.professional_missing", lang, label=competence_label(missing[0], lang)))
    reasons = reasons[: MAX_REASONS - 1]
    reasons.append(t("reasons.travel", lang, travel=minutes_phrase(travel_minutes, mode, lang)))
    return reasons


def job_cards(results: Sequence[Mapping[str, Any]], index: Any, *, mode: str, as_of: Any, lang: str = "da",
              has: set[str] | None = None) -> list[JobCard]:
    """Cards for ranked results (:attr:`jobmatch.ranking.RankResult.results`) with the index's facts.

    Reasons come from the result when it carries them (the explanations),
    else from :func:`basic_reasons` over ``has`` (the profile's competence
    ids, with licences and languages as the ranking sees them).
    """
    if not results:
        return []
    ids = [str(r["posting_id"]) for r in results]
    rows = index.rows_of(ids)
    meta = index.meta
    cards: list[JobCard] = []
    for rank, (result, row) in enumerate(zip(results, rows), start=1):
        row = int(row)
        known = row >= 0
        m = meta.iloc[row] if known else {}
        minutes = int(result.get("travel_minutes", 0))
        reasons = [str(r) for r in (result.get("reasons") or []) if str(r).strip()]
        if not reasons and known:
            reasons = basic_reasons(index.requirements(row), has or set(), minutes, mode, lang)
        deadline = _as_date(m.get("deadline")) if known else None
        cards.append(JobCard(
            posting_id=str(result["posting_id"]),
            rank=rank,
            title=str(result.get("title") or (m.get("title", "") if known else "")),
            employer=str(result.get("employer") or (m.get("employer", "") if known else "")),
            postcode=int(result.get("postcode") or (index.postcode[row] if known else 0)),
            place=place_name(result.get("postcode") or (index.postcode[row] if known else "")),
            lat=float(index.lat[row]) if known else float("nan"),
            lon=float(index.lon[row]) if known else float("nan"),
            travel_minutes=minutes,
            travel_text=minutes_phrase(minutes, mode, lang),
            deadline=deadline.isoformat() if deadline else "",
            deadline_text=deadline_text(deadline, as_of, lang),
            hours_text=hours_text(m.get("hours") if known else None, m.get("weekly_hours") if known else None, lang),
            score=float(result.get("score", 0.0)),
            reasons=reasons[:MAX_REASONS],
        ))
    return cards


def match_band(score: float, scores: Sequence[float]) -> str:
    """``high`` / ``medium`` / ``low`` for a score relative to the others shown (for words and colours).

    Model scores are not probabilities and rule scores live on another
    scale, so the band says where a job stands among those shown, by thirds.
    """
    values = np.asarray([s for s in scores if np.isfinite(s)], dtype=float)
    if values.size <= 1 or float(values.max() - values.min()) < 1e-12:
        return "high"
    share = (float(score) - values.min()) / (values.max() - values.min())
    return "high" if share >= 2 / 3 else "medium" if share >= 1 / 3 else "low"
