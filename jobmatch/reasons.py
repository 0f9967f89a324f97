"""Reasons in plain Danish and English for each suggested job, grounded in the CV and the posting.

How a reason is chosen
----------------------
1. The SHAP values of the posting's feature row (:mod:`jobmatch.explain`) are
   summed per named feature group (professional competences, certificates and
   licences, experience, travel, ...). The groups with the largest |sum|
   matter most *to the model* for this suggestion.
2. For those groups, in that order, the group's **evidence** is rendered:
   the concrete facts behind it — requirements of the posting found or not
   found in the CV (with the CV's own words in the evidence), years in the
   occupation from the work history, minutes of travel with the chosen mode,
   the position's hours against the citizen's wish, the deadline. The sign of
   the group's sum is the reason's ``direction`` ("+" raises the job in the
   list, "-" lowers it), and the evidence rendered must agree with it: a
   "+" professional reason names requirements the CV shows, a "-" one names
   requirements it does not. When a group has no evidence for its sign, it is
   skipped and the next group is tried.
3. Three reasons are taken this way; when all three point the same way, the
   strongest renderable reason of the other direction is added (at most four
   in all). Travel, hours, posting age and wording can always be rendered, so
   every suggestion gets at least two reasons.

Without a learned model (the stop switch, or no model installed) there are no
SHAP values; the groups are then taken in a fixed order and the direction
comes from the evidence itself (a requirement found is "+", one missing is
"-").

Grounding
---------
A reason never names a competence that is in neither the CV nor the posting:
every competence named is listed in ``evidence["competences"]`` with what the
sentence claims about it (``in_cv``: the CV shows it, directly or — for
driving licences — through a higher category; ``required``: "essential" or
"optional" in the posting). ``tests/test_reasons.py`` checks every claim
against the profile and the posting's requirements.

Plain language
--------------
Templates use short sentences and everyday words ("Ca. 25 min. på cykel.",
"Jobbet kræver kørekort C, som ikke står i dit CV."). :func:`lix` measures
readability; the test keeps the LIX of all Danish reasons produced for the
demo personas below 40 (easy to read). The figures are in
``docs/explanations.md``.

Nothing here logs or stores CV text. The evidence holds the short CV words a
competence was found in (e.g. "Truckcertifikat B"), never whole sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from jobmatch.features import FEATURE_NAMES, FEATURES, GROUPS

#: at most / at least this many reasons per job
MAX_REASONS = 4
MIN_REASONS = 2
#: reasons taken by |SHAP| before the other direction is looked for
FIRST_REASONS = 3
#: competences named per reason
LABELS_PER_REASON = 2
#: a group whose |contribution| is below this share of the largest one is not worth a reason of its own
MIN_SHARE = 0.02

DIRECTIONS = ("+", "-")

#: the group order used when there are no SHAP values (rule ranking)
RULE_ORDER = ("professional", "credentials", "occupation", "language", "education", "hours", "travel",
              "personal", "freshness", "text")


def lix(text: str) -> float:
    """LIX readability index of a text (Björnsson): words per sentence + percentage of long words.

    ``LIX = words / sentences + 100 × long_words / words``

    * a *word* is a run of letters or digits; hyphenated compounds
      ("IT-supporter") and contractions count as one word;
    * a *long word* has more than six letters (digits do not count as letters);
    * a *sentence* ends with ``.``, ``!``, ``?`` or ``:`` followed by a capital
      letter or the end of the text — so the periods of abbreviations such as
      "ca. 25 min. på cykel" do not end sentences; a text without such an end
      is one sentence.

    Below 30 is very easy, 30–40 easy (e.g. children's books, popular
    fiction), 40–50 medium (newspapers), above 50 hard. An empty text has LIX 0.
    """
    words = _WORD.findall(text or "")
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    long_words = sum(1 for w in words if sum(ch.isalpha() for ch in w) > 6)
    return len(words) / sentences + 100.0 * long_words / len(words)


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s+[\"'«(]?[A-ZÆØÅÄÖÜ]|\s*$)")


# ---------------------------------------------------------------------------
# the reason


@dataclass(frozen=True)
class Reason:
    """One reason: Danish and English text, direction, the group it explains and its evidence."""

    text: str  # Danish
    text_en: str
    direction: str  # "+" | "-"
    group: str  # key of jobmatch.features.GROUPS
    evidence: dict[str, Any] = field(default_factory=dict)
    contribution: float | None = None  # the group's SHAP sum; None without a model

    def text_in(self, lang: str = "da") -> str:
        return self.text_en if lang == "en" else self.text

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the evidence is copied, so changing the dict leaves the reason alone)."""
        return {"text": self.text, "text_en": self.text_en, "direction": self.direction, "group": self.group,
                "evidence": _copy(self.evidence),
                "contribution": None if self.contribution is None else round(float(self.contribution), 6)}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# words


#: first words that are names and keep their capital letter inside a sentence
_PROPER_FIRST_WORDS = frozenset(
    "Microsoft Python Java Excel Word Outlook Windows Linux Google Apple Adobe Office SAP Navision Aula Marte Fælles "
    "Angular Canva Cisco Cisco-udstyr Git React Revit Scrum Incoterms Kotlin Swift Go "
    "Danish English German Swedish Norwegian French Spanish Arabic Turkish Polish Ukrainian Somali Urdu Persian "
    "Romanian Italian Russian Lithuanian Tigrinya Kurdish Dutch Portuguese Chinese Vietnamese Thai Tamil".split())
_CAPITAL_WORD = re.compile(r"[A-ZÆØÅ][a-zæøåéüö\-]+")


def inline(label: str) -> str:
    """A taxonomy label as it reads inside a sentence ("Vareoptælling og status" → "vareoptælling og status").

    The first letter is lowered only for an ordinary capitalised word (not a
    name such as "Microsoft Excel", "Python" or a language in English, not an
    acronym) when nothing else in the label is capitalised.
    """
    label = str(label).strip()
    if not label:
        return label
    first, _, rest = label.partition(" ")
    if _CAPITAL_WORD.fullmatch(first) and first not in _PROPER_FIRST_WORDS and not re.search(r"[A-ZÆØÅ]", rest):
        return first[0].lower() + label[1:]
    return label


def join_words(items: Sequence[str], lang: str = "da") -> str:
    """'a', 'a og b', 'a, b og c' (English: 'and').

    When an item itself holds "og" ("pakning og emballering"), the last one
    is joined with "samt" / "as well as" so the list stays readable.
    """
    items = [i for i in items if i]
    plain, inner = ("and", " and ") if lang == "en" else ("og", " og ")
    word = plain
    if any(inner in i for i in items):
        word = "as well as" if lang == "en" else "samt"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


@lru_cache(maxsize=1)
def _taxonomy_labels() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    from jobmatch.taxonomy import load_taxonomy

    tax = load_taxonomy()
    comp = tax.competences
    competences = {str(c): (str(da), str(en)) for c, da, en in
                   zip(comp["competence_id"], comp["label_da"], comp["label_en"])}
    occ = tax.occupations
    occupations = {str(o): (str(da), str(en)) for o, da, en in
                   zip(occ["occupation_id"], occ["title_da"], occ["title_en"])}
    return competences, occupations


def competence_label(competence_id: str, lang: str = "da") -> str:
    """The competence's label for use inside a sentence (driving licences as "kørekort C" / "driving licence C")."""
    from jobmatch.index import licence_category

    cat = licence_category(competence_id)
    if cat and cat != "AM":
        return f"kørekort {cat}" if lang != "en" else f"driving licence {cat}"
    da, en = _taxonomy_labels()[0].get(competence_id, (competence_id, competence_id))
    return inline(en if lang == "en" else da)


def occupation_title(occupation_id: str | None, fallback: str, lang: str = "da") -> str:
    """The occupation's taxonomy title inside a sentence ("Kok" → "kok"; "IT-supporter" stays)."""
    titles = _taxonomy_labels()[1].get(occupation_id or "")
    title = str((titles[1] if lang == "en" else titles[0]) if titles else fallback).strip() or str(fallback)
    first = title.split(" ", 1)[0]
    if _CAPITAL_WORD.fullmatch(first) and first not in _PROPER_FIRST_WORDS:
        return title[0].lower() + title[1:]
    return title


#: transport modes as Danish and English phrases (plain words: "med bus og tog" rather than "offentlig transport")
MODE_PHRASES: dict[str, tuple[str, str]] = {
    "walk": ("til fods", "on foot"),
    "bike": ("på cykel", "by bike"),
    "ebike": ("på elcykel", "by e-bike"),
    "public": ("med bus og tog", "by bus and train"),
    "car": ("i bil", "by car"),
}

#: education levels: (Danish noun, English noun) in plain words
EDUCATION_WORDS: dict[str, tuple[str, str]] = {
    "grundskole": ("folkeskolen", "lower secondary school"),
    "gymnasial": ("en gymnasial uddannelse", "upper secondary school"),
    "eud": ("en faglært uddannelse", "vocational training"),
    "kvu": ("en kort videregående uddannelse", "a short higher education"),
    "mvu": ("en bachelor", "a bachelor's degree"),
    "lvu": ("en kandidat", "a master's degree"),
    "phd": ("en ph.d.", "a PhD"),
}

_MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def _date_words(day: dt.date, lang: str) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]}" if lang == "en" else f"{day.day}. {_MONTHS_DA[day.month - 1]}"


def _count(n: int, one_da: str, many_da: str, one_en: str, many_en: str) -> tuple[str, str]:
    return (f"{n} {one_da if n == 1 else many_da}", f"{n} {one_en if n == 1 else many_en}")


# ---------------------------------------------------------------------------
# the facts a reason may use


@dataclass
class CitizenFacts:
    """What the reasons may say about the citizen: from the profile and the search settings."""

    has: set[str]  # competence ids as the ranking sees them (licence categories and the CV's language included)
    stated: set[str]  # competence ids the profile itself lists
    mention_text: dict[str, str]  # competence id → the CV's words it was found in (first mention)
    occupations: list[Any]  # OccupationHeld
    education_level: str | None
    low_languages: set[str]  # language competences the CV gives at a level below working level
    cv_lang: str | None
    mode: str | None = None
    max_minutes: float | None = None
    hours: str | None = None

    @classmethod
    def of(cls, profile: Any, index: Any, settings: Any = None) -> "CitizenFacts":
        from jobmatch.features import _WORKING_LEVELS, profile_competence_ids

        mention_text: dict[str, str] = {}
        for m in getattr(profile, "competences", []):
            if m.competence_id and not m.negated and m.competence_id not in mention_text:
                mention_text[m.competence_id] = str(m.text)[:60]
        low = {lang.competence_id for lang in getattr(profile, "languages", []) if lang.level not in _WORKING_LEVELS}
        return cls(has=set(profile_competence_ids(profile, index)), stated=set(profile.competence_ids()),
                   mention_text=mention_text, occupations=list(getattr(profile, "occupations", [])),
                   education_level=getattr(profile, "education_level", None), low_languages=low,
                   cv_lang=getattr(profile, "lang", None),
                   mode=getattr(settings, "mode", None), max_minutes=getattr(settings, "max_minutes", None),
                   hours=getattr(settings, "hours", None))


@dataclass
class PostingFacts:
    """What the reasons may say about one posting: from the posting index."""

    row: int
    posting_id: str
    title: str
    occupation_id: str | None
    isco: int
    requirements: dict[str, list[str]]
    idf: dict[str, float]
    travel_minutes: float
    weekly_hours: float
    part_time: bool
    posted: dt.date | None
    deadline: dt.date | None
    as_of: dt.date | None
    text_lang: str | None
    edu_required: str | None  # level stated in the text
    edu_typical: str | None  # the occupation's typical level

    @classmethod
    def of(cls, index: Any, row: int, travel_minutes: float, as_of_day: int | None = None) -> "PostingFacts":
        from jobmatch.index import EPOCH
        from jobmatch.taxonomy import EDUCATION_ORDER

        levels = {v: k for k, v in EDUCATION_ORDER.items()}

        def day(value: Any) -> dt.date | None:
            try:
                n = int(value)
            except (TypeError, ValueError):
                return None
            return (EPOCH + np.timedelta64(n, "D")).astype("datetime64[D]").item() if n > -10**6 else None

        reqs = index.requirements(int(row))
        col_of = index.column_of()
        ids = {c for values in reqs.values() for c in values}
        lang_cols = {int(v): k for k, v in index.info.get("language_columns", {}).items()}
        occ_code = int(index.occupation_code[row])
        occ_id = index.occupation_vocab[occ_code] if 0 <= occ_code < len(index.occupation_vocab) else None
        return cls(
            row=int(row), posting_id=str(index.posting_ids[row]), title=str(index.column_values("title")[row]),
            occupation_id=occ_id, isco=int(index.isco[row]), requirements=reqs,
            idf={c: float(index.idf[col_of[c]]) for c in ids if c in col_of},
            travel_minutes=float(travel_minutes), weekly_hours=float(index.weekly_hours[row]),
            part_time=bool(index.part_time[row]), posted=day(index.posted_day[row]),
            deadline=day(index.deadline_day[row]), as_of=day(as_of_day) if as_of_day is not None else None,
            text_lang=lang_cols.get(int(index.text_lang_col[row])),
            edu_required=levels.get(int(index.edu_required[row])), edu_typical=levels.get(int(index.edu_typical[row])),
        )

    def by_specificity(self, ids: Sequence[str]) -> list[str]:
        """Competence ids, most specific (highest IDF over postings) first; ties by id."""
        return sorted(dict.fromkeys(ids), key=lambda c: (-self.idf.get(c, 0.0), c))


@dataclass
class _Context:
    posting: PostingFacts
    citizen: CitizenFacts
    values: dict[str, float]  # feature values of the row
    shap: dict[str, float] | None  # SHAP value per feature of the row (None without a model)
    contribution: float | None  # the group's sum


# ---------------------------------------------------------------------------
# evidence helpers


def _competence_evidence(cid: str, ctx: _Context, required: str | None, in_cv: bool) -> dict[str, Any]:
    return {"id": cid, "label_da": competence_label(cid, "da"), "label_en": competence_label(cid, "en"),
            "in_cv": bool(in_cv), "cv_text": ctx.citizen.mention_text.get(cid) if in_cv else None,
            "required": required}


def _reason(ctx: _Context, group: str, direction: str, da: str, en: str, **evidence: Any) -> Reason:
    return Reason(text=da, text_en=en, direction=direction, group=group, evidence=evidence,
                  contribution=ctx.contribution)


def _labels(ids: Sequence[str], lang: str) -> str:
    return join_words([competence_label(c, lang) for c in ids], lang)


# ---------------------------------------------------------------------------
# one renderer per group: (context, direction) → Reason or None


def _professional(ctx: _Context, direction: str) -> Reason | None:
    req, has = ctx.posting.requirements, ctx.citizen.has
    ess = req.get("essential_professional", [])
    opt = req.get("optional_professional", [])
    if direction == "+":
        met = ctx.posting.by_specificity([c for c in ess if c in has])[:LABELS_PER_REASON]
        if met:
            them_da, them_en = ("dem", "both") if len(met) > 1 else ("det", "it")
            return _reason(ctx, "professional", "+", f"Du nævner {_labels(met, 'da')} – jobbet kræver {them_da}.",
                           f"Your CV mentions {_labels(met, 'en')} – the job requires {them_en}.",
                           competences=[_competence_evidence(c, ctx, "essential", True) for c in met],
                           essential_met=sum(c in has for c in ess), essential_total=len(ess))
        bonus = ctx.posting.by_specificity([c for c in opt if c in has])[:LABELS_PER_REASON]
        if bonus:
            return _reason(ctx, "professional", "+",
                           f"Du nævner {_labels(bonus, 'da')} – det er en fordel i jobbet.",
                           f"Your CV mentions {_labels(bonus, 'en')} – an advantage in this job.",
                           competences=[_competence_evidence(c, ctx, "optional", True) for c in bonus],
                           essential_met=0, essential_total=len(ess))
        return None
    missing = ctx.posting.by_specificity([c for c in ess if c not in has])[:LABELS_PER_REASON]
    if not missing:
        return None
    return _reason(ctx, "professional", "-", f"Jobbet kræver {_labels(missing, 'da')}, som ikke står i dit CV.",
                   f"The job requires {_labels(missing, 'en')}, which your CV does not show.",
                   competences=[_competence_evidence(c, ctx, "essential", False) for c in missing],
                   essential_met=sum(c in has for c in ess), essential_total=len(ess))


def _personal(ctx: _Context, direction: str) -> Reason | None:
    req, has = ctx.posting.requirements, ctx.citizen.has
    wanted = list(dict.fromkeys(req.get("essential_personal", []) + req.get("optional_personal", [])))
    kind = {c: ("essential" if c in req.get("essential_personal", []) else "optional") for c in wanted}
    if direction == "+":
        met = ctx.posting.by_specificity([c for c in wanted if c in has])[:LABELS_PER_REASON]
        if not met:
            return None
        return _reason(ctx, "personal", "+", f"Du nævner {_labels(met, 'da')} – det lægger jobbet vægt på.",
                       f"Your CV mentions {_labels(met, 'en')} – the job values that.",
                       competences=[_competence_evidence(c, ctx, kind[c], True) for c in met])
    missing = ctx.posting.by_specificity([c for c in req.get("essential_personal", []) if c not in has])
    missing = missing[:LABELS_PER_REASON]
    if not missing:
        return None
    return _reason(ctx, "personal", "-", f"Jobbet lægger vægt på {_labels(missing, 'da')}. Det står ikke i dit CV.",
                   f"The job asks for {_labels(missing, 'en')}. Your CV does not say so.",
                   competences=[_competence_evidence(c, ctx, "essential", False) for c in missing])


def _licence_holder(cid: str, ctx: _Context) -> str | None:
    """The licence the CV states that covers ``cid`` (e.g. CE covers C), or None."""
    from jobmatch.index import LICENCE_IMPLIES, licence_category

    cat = licence_category(cid)
    if not cat:
        return None
    for stated in sorted(ctx.citizen.stated):
        held = licence_category(stated)
        if held and held != cat and cat in LICENCE_IMPLIES.get(held, ()):
            return stated
    return None


def _credentials(ctx: _Context, direction: str) -> Reason | None:
    required = ctx.posting.by_specificity(ctx.posting.requirements.get("essential_credentials", []))
    has = ctx.citizen.has
    if direction == "+":
        met = [c for c in required if c in has][:LABELS_PER_REASON]
        if met:
            direct = [c for c in met if c in ctx.citizen.stated]
            if direct:
                return _reason(ctx, "credentials", "+", f"Du nævner {_labels(direct, 'da')} – jobbet kræver det.",
                               f"Your CV mentions {_labels(direct, 'en')} – the job requires it.",
                               competences=[_competence_evidence(c, ctx, "essential", True) for c in direct])
            cid = met[0]
            holder = _licence_holder(cid, ctx)
            if holder:
                ev = [_competence_evidence(holder, ctx, None, True), _competence_evidence(cid, ctx, "essential", True)]
                return _reason(ctx, "credentials", "+",
                               f"Dit {competence_label(holder, 'da')} dækker {competence_label(cid, 'da')}, "
                               f"som jobbet kræver.",
                               f"Your {competence_label(holder, 'en')} covers {competence_label(cid, 'en')}, "
                               f"which the job requires.", competences=ev, covered_by=holder)
            return None
        if not required:
            return _reason(ctx, "credentials", "+", "Jobbet kræver ikke kørekort eller certifikater.",
                           "The job requires no driving licence or certificate.", competences=[])
        return None
    missing = [c for c in required if c not in has][:LABELS_PER_REASON]
    if not missing:
        return None
    return _reason(ctx, "credentials", "-", f"Jobbet kræver {_labels(missing, 'da')}, som ikke står i dit CV.",
                   f"The job requires {_labels(missing, 'en')}, which your CV does not show.",
                   competences=[_competence_evidence(c, ctx, "essential", False) for c in missing])


def _best_held(ctx: _Context) -> tuple[Any, int] | None:
    """The held occupation sharing the longest ISCO prefix with the posting (most years on ties)."""
    best, best_digits = None, 0
    p = str(ctx.posting.isco)
    for held in ctx.citizen.occupations:
        code = str(held.isco or "")
        if len(code) != 4 or not code.isdigit() or len(p) != 4:
            continue
        digits = next((d for d in (4, 3, 2, 1) if code[:d] == p[:d]), 0)
        if digits > best_digits or (digits == best_digits and best is not None and held.years > best.years):
            best, best_digits = held, digits
    return (best, best_digits) if best is not None else None


def _years_words(years: float, lang: str) -> str:
    if years >= 20:
        return "over 20 års" if lang != "en" else "over 20 years of"
    n = int(round(years))
    if n < 1:
        return "under et års" if lang != "en" else "less than a year of"
    return f"{n} års" if lang != "en" else f"{n} year{'s' if n != 1 else ''} of"


def _occupation(ctx: _Context, direction: str) -> Reason | None:
    found = _best_held(ctx)
    same = ctx.values.get("same_occupation", 0.0) == 1.0
    if direction == "+":
        if found is None or found[1] < 2:
            return None
        held, digits = found
        years = {4: "years_same_unit", 3: "years_same_minor", 2: "years_same_submajor"}[digits]
        n = float(ctx.values.get(years, 0.0) or 0.0)
        title_da = occupation_title(held.occupation_id, held.title, "da")
        title_en = occupation_title(held.occupation_id, held.title, "en")
        evidence = {"cv_title": str(held.title)[:60], "occupation_id": held.occupation_id, "years": round(n, 1),
                    "isco_digits": digits, "same_occupation": same}
        if digits == 4 or same:
            if n <= 0:
                return _reason(ctx, "occupation", "+", f"Du har arbejdet som {title_da}.",
                               f"You have worked as {title_en}.", **evidence)
            return _reason(ctx, "occupation", "+", f"Du har {_years_words(n, 'da')} erfaring som {title_da}.",
                           f"You have {_years_words(n, 'en')} experience as {title_en}.", **evidence)
        if n <= 0:
            return _reason(ctx, "occupation", "+", f"Du har arbejdet i et beslægtet fag: {title_da}.",
                           f"You have worked in a related field: {title_en}.", **evidence)
        return _reason(ctx, "occupation", "+", f"Du har {_years_words(n, 'da')} erfaring i et beslægtet fag: "
                       f"{title_da}.", f"You have {_years_words(n, 'en')} experience in a related field: {title_en}.",
                       **evidence)
    if same or (found is not None and found[1] >= 3):
        return None
    title_da = occupation_title(ctx.posting.occupation_id, ctx.posting.title, "da")
    title_en = occupation_title(ctx.posting.occupation_id, ctx.posting.title, "en")
    return _reason(ctx, "occupation", "-", f"Dit CV viser ikke arbejde som {title_da}.",
                   f"Your CV shows no work as {title_en}.", posting_occupation=ctx.posting.occupation_id,
                   isco_digits=found[1] if found else 0)


def _education(ctx: _Context, direction: str) -> Reason | None:
    stated = ctx.posting.edu_required
    level = stated or ctx.posting.edu_typical
    if level is None:
        return None
    need_da, need_en = EDUCATION_WORDS[level]
    verb_da, verb_en = ("kræver", "asks for") if stated else ("kræver typisk", "usually asks for")
    cv = ctx.citizen.education_level
    gap = ctx.values.get("edu_gap", float("nan"))
    evidence = {"required_level": level, "stated_in_posting": bool(stated), "cv_level": cv}
    if cv is None or not np.isfinite(gap):
        if direction == "-" and cv is None:
            return _reason(ctx, "education", "-", f"Jobbet {verb_da} {need_da}. Dit CV nævner ingen uddannelse.",
                           f"The job {verb_en} {need_en}. Your CV names no education.", **evidence)
        return None
    have_da, have_en = EDUCATION_WORDS.get(cv, (cv, cv))
    if direction == "+" and gap == 0:
        return _reason(ctx, "education", "+", f"Du har {have_da}. Det er nok til jobbet.",
                       f"You have {have_en}. That is enough for the job.", **evidence)
    if direction == "-" and gap > 0:
        return _reason(ctx, "education", "-", f"Jobbet {verb_da} {need_da}. Dit CV viser {have_da}.",
                       f"The job {verb_en} {need_en}. Your CV shows {have_en}.", **evidence)
    if direction == "-" and gap == 0 and level != cv:
        return _reason(ctx, "education", "-", f"Jobbet {verb_da} {need_da}. Du har {have_da}.",
                       f"The job {verb_en} {need_en}. You have {have_en}.", **evidence)
    return None


def _language(ctx: _Context, direction: str) -> Reason | None:
    named = list(ctx.posting.requirements.get("essential_languages", []))
    text_cid = {"da": "sk_dansk", "en": "sk_engelsk"}.get(ctx.posting.text_lang or "")
    implicit = text_cid if text_cid and text_cid not in named else None
    has = ctx.citizen.has
    if direction == "+":
        met = [c for c in named if c in has][:LABELS_PER_REASON]
        if met:
            return _reason(ctx, "language", "+", f"Du taler {_labels(met, 'da')} – jobbet kræver det.",
                           f"You speak {_labels(met, 'en')} – the job requires it.",
                           competences=[_competence_evidence(c, ctx, "essential", True) for c in met])
        if implicit and implicit in has:
            lang_da, lang_en = competence_label(implicit, "da"), competence_label(implicit, "en")
            return _reason(ctx, "language", "+", f"Du taler {lang_da}, og opslaget er på {lang_da}.",
                           f"You speak {lang_en}, and the posting is in {lang_en}.",
                           competences=[_competence_evidence(implicit, ctx, None, True)], posting_language=implicit)
        return None
    missing = [c for c in named if c not in has][:LABELS_PER_REASON]
    if missing:
        low = [c for c in missing if c in ctx.citizen.low_languages]
        if low:
            return _reason(ctx, "language", "-", f"Jobbet kræver {_labels(low, 'da')}. Dit CV angiver et lavt niveau.",
                           f"The job requires {_labels(low, 'en')}. Your CV gives a low level.",
                           competences=[{**_competence_evidence(c, ctx, "essential", False), "low_level": True}
                                        for c in low])
        return _reason(ctx, "language", "-", f"Jobbet kræver {_labels(missing, 'da')}, som ikke står i dit CV.",
                       f"The job requires {_labels(missing, 'en')}, which your CV does not show.",
                       competences=[_competence_evidence(c, ctx, "essential", False) for c in missing])
    if implicit and implicit not in has:
        lang_da, lang_en = competence_label(implicit, "da"), competence_label(implicit, "en")
        return _reason(ctx, "language", "-", f"Opslaget er på {lang_da}, og dit CV viser ikke {lang_da}.",
                       f"The posting is in {lang_en}, and your CV does not show {lang_en}.",
                       competences=[_competence_evidence(implicit, ctx, None, False)], posting_language=implicit)
    return None


def _travel(ctx: _Context, direction: str) -> Reason:
    minutes = int(round(ctx.posting.travel_minutes))
    mode = ctx.citizen.mode
    limit = ctx.citizen.max_minutes
    if mode in MODE_PHRASES:
        how_da, how_en = MODE_PHRASES[mode]
    else:
        how_da, how_en = "hver vej", "each way"
    da, en = f"Ca. {minutes} min. {how_da}.", f"About {minutes} min {how_en}."
    near_limit = bool(limit and minutes >= 0.8 * float(limit))
    if direction == "-" and near_limit:
        da = f"Ca. {minutes} min. {how_da}. Det er tæt på din grænse."
        en = f"About {minutes} min {how_en}. That is close to your limit."
    return _reason(ctx, "travel", direction, da, en, minutes=minutes, mode=mode,
                   max_minutes=float(limit) if limit else None, near_limit=near_limit)


def _hours(ctx: _Context, direction: str) -> Reason:
    part = ctx.posting.part_time
    h = ctx.posting.weekly_hours
    n = int(round(h)) if np.isfinite(h) and h > 0 else None
    kind_da, kind_en = ("deltid", "part time") if part else ("fuldtid", "full time")
    hours_da = f" ({n} timer)" if n else ""
    hours_en = f" ({n} hours)" if n else ""
    wish = ctx.citizen.hours
    evidence = {"part_time": part, "weekly_hours": n, "wish": wish}
    if wish in ("full", "part"):
        wish_da, wish_en = ("deltid", "part time") if wish == "part" else ("fuldtid", "full time")
        if (wish == "part") != part:
            return _reason(ctx, "hours", direction, f"Jobbet er på {kind_da}{hours_da}. Du søger {wish_da}.",
                           f"The job is {kind_en}{hours_en}. You are looking for {wish_en}.", **evidence)
        return _reason(ctx, "hours", direction, f"Jobbet er på {kind_da}{hours_da}, som du ønsker.",
                       f"The job is {kind_en}{hours_en}, as you wish.", **evidence)
    return _reason(ctx, "hours", direction, f"Jobbet er på {kind_da}{hours_da}.",
                   f"The job is {kind_en}{hours_en}.", **evidence)


def _freshness(ctx: _Context, direction: str) -> Reason | None:
    shap = ctx.shap or {}
    deadline_first = abs(shap.get("days_to_deadline", 0.0)) >= abs(shap.get("days_since_posted", 0.0))
    p = ctx.posting
    if deadline_first and p.deadline and p.as_of:
        left = (p.deadline - p.as_of).days
        when_da, when_en = _date_words(p.deadline, "da"), _date_words(p.deadline, "en")
        if left <= 0:
            da, en = f"Fristen er i dag, {when_da}.", f"The deadline is today, {when_en}."
        elif left == 1:
            da, en = f"Fristen er i morgen, {when_da}.", f"The deadline is tomorrow, {when_en}."
        else:
            da, en = f"Fristen er {when_da}, om {left} dage.", f"The deadline is {when_en}, in {left} days."
        return _reason(ctx, "freshness", direction, da, en, deadline=p.deadline.isoformat(), days_left=left)
    if p.posted and p.as_of:
        age = max(0, (p.as_of - p.posted).days)
        if age == 0:
            da, en = "Jobbet er slået op i dag.", "The job was posted today."
        elif age == 1:
            da, en = "Jobbet blev slået op i går.", "The job was posted yesterday."
        else:
            da, en = f"Jobbet blev slået op for {age} dage siden.", f"The job was posted {age} days ago."
        return _reason(ctx, "freshness", direction, da, en, posted=p.posted.isoformat(), days_since_posted=age)
    return None


def _text(ctx: _Context, direction: str) -> Reason:
    word = float(ctx.values.get("text_word_cosine", 0.0) or 0.0)
    char = float(ctx.values.get("text_char_cosine", 0.0) or 0.0)
    evidence = {"word_cosine": round(word, 4), "char_cosine": round(char, 4)}
    if direction == "+":
        return _reason(ctx, "text", "+", "Dit CV og opslaget bruger mange af de samme ord.",
                       "Your CV and the posting use many of the same words.", **evidence)
    return _reason(ctx, "text", "-", "Dit CV og opslaget har få ord til fælles.",
                   "Your CV and the posting have few words in common.", **evidence)


RENDERERS: dict[str, Callable[[_Context, str], Reason | None]] = {
    "professional": _professional,
    "personal": _personal,
    "credentials": _credentials,
    "text": _text,
    "occupation": _occupation,
    "education": _education,
    "language": _language,
    "travel": _travel,
    "hours": _hours,
    "freshness": _freshness,
}
assert set(RENDERERS) == set(GROUPS), "every feature group needs a renderer"

#: groups that can always be rendered (used to reach MIN_REASONS)
_ALWAYS = ("travel", "hours", "freshness")


# ---------------------------------------------------------------------------
# choosing the reasons of one posting


def _rule_direction(group: str, ctx: _Context) -> str | None:
    """Direction from the evidence alone (no model): found → "+", missing → "-"."""
    req, has = ctx.posting.requirements, ctx.citizen.has
    if group == "professional":
        ess = req.get("essential_professional", [])
        if any(c in has for c in ess):
            return "+"
        return "-" if ess else None
    if group == "credentials":
        cred = req.get("essential_credentials", [])
        if not cred:
            return None
        return "-" if any(c not in has for c in cred) else "+"
    if group == "occupation":
        found = _best_held(ctx)
        return "+" if found and found[1] >= 2 else None
    if group == "language":
        return "-" if ctx.values.get("lang_missing", 0.0) > 0 else None
    if group == "education":
        gap = ctx.values.get("edu_gap", float("nan"))
        return "-" if np.isfinite(gap) and gap > 0 else None
    if group == "hours":
        fit = ctx.values.get("hours_fit", float("nan"))
        return None if not np.isfinite(fit) else ("+" if fit == 1 else "-")
    if group == "travel":
        limit = ctx.citizen.max_minutes or 45.0
        return "+" if ctx.posting.travel_minutes <= 0.5 * float(limit) else "-"
    if group == "personal":
        wanted = req.get("essential_personal", []) + req.get("optional_personal", [])
        return "+" if any(c in has for c in wanted) else None
    return None


def choose_reasons(feature_row: np.ndarray, shap_row: np.ndarray | None, posting: PostingFacts,
                   citizen: CitizenFacts, feature_names: Sequence[str] = FEATURE_NAMES) -> list[Reason]:
    """2–4 reasons for one posting (see the module docstring for the rules).

    ``shap_row`` holds the posting's SHAP values (None without a model).
    """
    names = list(feature_names)
    values = {n: float(v) for n, v in zip(names, np.asarray(feature_row, dtype=np.float64))}
    shap = ({n: float(v) for n, v in zip(names, np.asarray(shap_row, dtype=np.float64))}
            if shap_row is not None else None)
    sums: dict[str, float] = {}
    if shap is not None:
        group_of = {f.name: f.group for f in FEATURES}
        sums = dict.fromkeys(GROUPS, 0.0)
        for n, v in shap.items():
            if n in group_of:
                sums[group_of[n]] += v

    def context(group: str) -> _Context:
        return _Context(posting, citizen, values, shap, sums[group] if shap is not None else None)

    # the candidates: (group, direction) in order of importance
    if shap is not None:
        top = max((abs(v) for v in sums.values()), default=0.0)
        ordered = sorted(GROUPS, key=lambda g: (-abs(sums[g]), list(GROUPS).index(g)))
        candidates = [(g, "+" if sums[g] > 0 else "-") for g in ordered
                      if sums[g] != 0 and abs(sums[g]) >= MIN_SHARE * top]
    else:
        candidates = [(g, d) for g in RULE_ORDER if (d := _rule_direction(g, context(g))) is not None]

    chosen: list[Reason] = []
    rest: list[tuple[str, str]] = []
    for group, direction in candidates:
        if len(chosen) >= FIRST_REASONS:
            rest.append((group, direction))
            continue
        reason = RENDERERS[group](context(group), direction)
        if reason is not None:
            chosen.append(reason)
    # the other direction, when the first reasons all point one way
    if chosen and len({r.direction for r in chosen}) == 1:
        other = "-" if chosen[0].direction == "+" else "+"
        for group, direction in rest:
            if direction == other:
                reason = RENDERERS[group](context(group), direction)
                if reason is not None:
                    chosen.append(reason)
                    break
    # at least MIN_REASONS: facts that can always be rendered
    used = {r.group for r in chosen}
    for group in _ALWAYS:
        if len(chosen) >= MIN_REASONS:
            break
        if group in used:
            continue
        ctx = context(group)
        if ctx.contribution is not None:
            direction = "+" if ctx.contribution >= 0 else "-"
        else:
            direction = _rule_direction(group, ctx) or "+"
        reason = RENDERERS[group](ctx, direction)
        if reason is not None:
            chosen.append(reason)
    return chosen[:MAX_REASONS]


# ---------------------------------------------------------------------------
# whole rankings


def reasons_for_ranking(ranked: Any, profile: Any, settings: Any = None, *, engine: Any) -> list[list[Reason]]:
    """Reasons for every ranked posting of ``engine.rank_with_features(...)`` (in ranked order).

    ``settings`` are the search settings of the ranking (transport mode,
    limit, hours wish, day); without them the travel reason cannot name the
    mode and the day is the configured reference date.
    """
    from jobmatch import config, explain
    from jobmatch.features import day_number

    results = ranked.result.results
    if not results:
        return []
    index = engine.index
    citizen = CitizenFacts.of(profile, index, settings)
    as_of_day = (settings.checked().as_of_day() if settings is not None
                 else day_number(config.settings().reference_date))
    shap_rows: np.ndarray | None = None
    names = tuple(getattr(ranked, "feature_names", FEATURE_NAMES))
    if ranked.result.method == "model" and engine.model is not None:
        shap_rows = explain.explain_ranking(ranked, engine).values
        names = tuple(engine.model.feature_names_)
    travel = names.index("travel_minutes")
    out = []
    for i, row in enumerate(ranked.rows):
        posting = PostingFacts.of(index, int(row), float(ranked.features[i][travel]), as_of_day)
        out.append(choose_reasons(ranked.features[i], None if shap_rows is None else shap_rows[i], posting, citizen,
                                  names))
    return out


def attach_reasons(ranked: Any, profile: Any, settings: Any = None, *, engine: Any, lang: str = "da") -> Any:
    """Put ``reasons`` (texts in ``lang``) and ``reason_details`` (structured) on each ranked result.

    Returns ``ranked.result`` (changed in place). ``reasons`` is what the
    cards, the shortlist and the audit log show; ``reason_details`` keeps
    both languages, the direction, the group, the SHAP sum and the evidence.
    """
    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en', got {lang!r}")
    for result, reasons in zip(ranked.result.results, reasons_for_ranking(ranked, profile, settings, engine=engine)):
        result["reasons"] = [r.text_in(lang) for r in reasons]
        result["reason_details"] = [r.to_dict() for r in reasons]
    return ranked.result


def rank_with_reasons(engine: Any, profile: Any, settings: Any, top: int = 10, *, use_model: bool = True,
                      lang: str = "da") -> Any:
    """Rank with ``engine`` and give every result its reasons; returns the :class:`~jobmatch.ranking.RankResult`."""
    ranked = engine.rank_with_features(profile, settings, top, use_model=use_model)
    return attach_reasons(ranked, profile, settings, engine=engine, lang=lang)


# ---------------------------------------------------------------------------
# one posting, in depth (python -m jobmatch explain FILE --posting ID)


class UnknownPostingError(LookupError):
    """The posting id is not in the posting index."""

    def __str__(self) -> str:
        return self.args[0]


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return round(value, 6) if np.isfinite(value) else None


def explain_posting(engine: Any, profile: Any, settings: Any, posting_id: str, *, lang: str = "da",
                    features_shown: int = 10) -> dict[str, Any]:
    """Why ``posting_id`` ranks as it does for this profile: group contributions, top features, reasons.

    Works for any posting in the index. One that is not among the ranking's
    candidates (too far, closed, or not plausible) is explained from its
    features all the same, with a notice saying why it is not in the list.
    """
    from jobmatch import explain
    from jobmatch.features import compute_features
    from jobmatch.retrieval import travel_minutes_all

    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en', got {lang!r}")
    settings = settings.checked()
    index = engine.index
    row = int(index.rows_of([str(posting_id)])[0])
    if row < 0:
        raise UnknownPostingError(f"Ukendt jobopslag / unknown posting id: {posting_id!r}")
    ranked = engine.rank_with_features(profile, settings, top=1)
    notices: list[str] = list(ranked.result.notices)
    where = np.flatnonzero(ranked.candidate_rows == row)
    day = settings.as_of_day()
    if where.size:
        i = int(where[0])
        X = ranked.candidate_features[i:i + 1]
        order = np.lexsort((ranked.candidate_features[:, FEATURE_NAMES.index("travel_minutes")],
                            -ranked.candidate_scores))
        rank: int | None = int(np.flatnonzero(order == i)[0]) + 1
    else:
        minutes = float(travel_minutes_all(index, settings.home_postcode, settings.mode)[row])
        X = compute_features(index, ranked.query, np.array([row]), travel_minutes=np.array([minutes]),
                             max_minutes=settings.max_minutes, hours=settings.hours, as_of_day=day)
        rank = None
        is_open = bool(index.is_open[row]) and index.deadline_day[row] >= day and index.posted_day[row] <= day
        notices.append("posting_not_open" if not is_open else
                       "posting_out_of_range" if minutes > settings.max_minutes else "posting_not_a_candidate")
    names = FEATURE_NAMES
    shap_row = None
    groups: list[dict[str, Any]] = []
    features: list[dict[str, Any]] = []
    expected = score = None
    method = "rule"
    if engine.model is not None and ranked.result.method == "model":
        exp = explain.explain_rows(engine.model, X, (str(posting_id),))
        names = exp.feature_names
        shap_row = exp.values[0]
        expected, score, method = exp.expected_value, float(exp.scores[0]), "model"
        chart = explain.explanation_chart(exp, 0)
        groups = [{"group": r.group, "label_da": r.label_da, "label_en": r.label_en,
                   "contribution": round(float(r.contribution), 6), "direction": r.direction}
                  for r in chart.itertuples(index=False)]
        frame = exp.feature_frame(0).head(features_shown)
        features = [{"feature": r.feature, "group": r.group, "value": _finite_or_none(r.value),
                     "contribution": round(float(r.contribution), 6)} for r in frame.itertuples(index=False)]
    else:
        notices.append("no_model_no_shap")
    travel = float(X[0][list(names).index("travel_minutes")])
    posting = PostingFacts.of(index, row, travel, day)
    citizen = CitizenFacts.of(profile, index, settings)
    reasons = choose_reasons(X[0], shap_row, posting, citizen, names)
    return {
        "posting_id": str(posting_id), "title": posting.title,
        "employer": str(index.column_values("employer")[row]), "postcode": int(index.postcode[row]),
        "travel_minutes": int(round(travel)), "rank": rank, "candidates": int(ranked.result.candidates),
        "method": method, "model_version": engine.model_version if method == "model" else None,
        "score": None if score is None else round(score, 6),
        "expected_value": None if expected is None else round(float(expected), 6),
        "notices": notices, "groups": groups, "features": features,
        "reasons": [r.text_in(lang) for r in reasons], "reason_details": [r.to_dict() for r in reasons],
    }
