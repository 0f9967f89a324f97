"""From CV text (or an uploaded CV file) to a :class:`~jobmatch.profile.Profile`.

:func:`build_profile` reads everything the matching needs from the text:

* **competences** — taxonomy mentions and cue-phrase free text
  (:mod:`jobmatch.competences`), each pointing back to its words;
* **occupations held** — job titles in the work history matched to the
  taxonomy's occupation titles and alternative titles (ISCO-08), with years
  of experience from the date ranges next to them ("03/2016 – 08/2021",
  "2016-2021", "maj 2018 – nu", "jan. 2019 - present");
* **education level** — the highest of grundskole, gymnasial, eud, kvu, mvu,
  lvu, phd from words such as "folkeskole", "studentereksamen", "HF",
  "svendebrev", "erhvervsakademi", "professionsbachelor", "cand.", "ph.d."
  or "uddannet <occupation>" (the occupation's level);
* **languages** with a level (native, fluent, good, intermediate, beginner);
* **driving licence categories** (B, BE, C, C1, CE, D, ...);
* **certificates** — taxonomy competences that are certificates
  (truckcertifikat, hygiejnebevis, kranførercertifikat, førstehjælp, ...).

:func:`parse_file` reads an uploaded file (:func:`jobmatch.cv.read_cv`),
redacts personal data (:func:`jobmatch.pii.redact`), and builds the profile.
The profile's ``text`` is the *redacted* text; mentions that touch a redacted
span are dropped and evidence sentences are taken from the redacted text, so
no name, address or special-category information reaches the profile.

Nothing here logs or stores CV text.
"""

from __future__ import annotations

import re
import statistics
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from jobmatch import config, textnorm
from jobmatch.competences import (
    Layout,
    PhraseIndex,
    extract,
    get_extractor,
    layout,
    make_units,
    walk,
)
from jobmatch.profile import CompetenceMention, LanguageSkill, OccupationHeld, Profile
from jobmatch.taxonomy import EDUCATION_ORDER, Taxonomy, load_taxonomy, split_multi

# =============================================================================
# Sections
# =============================================================================

#: heading words → section kind
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "work": (
        "erhvervserfaring", "arbejdserfaring", "joberfaring", "beskæftigelse", "ansættelser", "ansættelse",
        "karriere", "erfaring", "arbejdsliv", "stillinger", "tidligere ansættelser", "work experience",
        "experience", "employment", "employment history", "professional experience", "career", "work history",
    ),
    "education": (
        "uddannelse", "uddannelser", "skolegang", "uddannelsesforløb", "education", "qualifications",
        "academic background",
    ),
    "courses": (
        "kurser", "kursus", "certifikater", "certificeringer", "efteruddannelse", "kurser og certifikater",
        "courses", "certificates", "certifications", "training", "courses and certificates",
    ),
    "languages": ("sprog", "sprogkundskaber", "sprogkompetencer", "languages", "language skills"),
    "it": ("it-kompetencer", "it-kundskaber", "it", "edb", "it skills", "computer skills", "digitale kompetencer"),
    "skills": (
        "kompetencer", "faglige kompetencer", "personlige kompetencer", "kvalifikationer", "færdigheder",
        "skills", "key skills", "competences", "personal skills",
    ),
    "about": ("om mig", "profil", "personlig profil", "resumé", "about me", "profile", "summary"),
    "interests": ("fritid", "interesser", "fritid og interesser", "hobbyer", "interests", "hobbies", "leisure"),
    "references": ("referencer", "reference", "references"),
    "personal": ("personlige oplysninger", "kontaktoplysninger", "personal details", "contact"),
}
_HEADING_INDEX = {
    " ".join(textnorm.words(phrase)): kind for kind, phrases in SECTION_WORDS.items() for phrase in phrases
}


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def lines_of(text: str) -> list[Line]:
    """Lines with their offsets (line break characters excluded)."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append(Line(pos, pos + len(content), content))
        pos += len(raw)
    return out


def heading_kind(line: str) -> str | None:
    """The section a heading line opens ("Erhvervserfaring", "SPROG", "Work experience:"), or None."""
    stripped = line.strip().strip(":").strip()
    if not stripped or len(stripped) > 40 or any(ch.isdigit() for ch in stripped):
        return None
    key = " ".join(textnorm.words(stripped))
    if not key or len(key.split()) > 5:
        return None
    if key in _HEADING_INDEX:
        return _HEADING_INDEX[key]
    # "Kurser og certifikater", "Uddannelse og kurser": the first word decides
    first = key.split()[0]
    if " og " in f" {key} " or " and " in f" {key} ":
        return _HEADING_INDEX.get(first)
    return None


def sections(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each section; text before the first heading is "top"."""
    out: list[tuple[int, int, str]] = []
    current, start = "top", 0
    for line in lines_of(text):
        kind = heading_kind(line.text)
        if kind is not None:
            out.append((start, line.start, current))
            current, start = kind, line.start
    out.append((start, len(text), current))
    return [s for s in out if s[1] > s[0]]


def section_at(secs: list[tuple[int, int, str]], pos: int) -> str:
    for start, end, kind in secs:
        if start <= pos < end:
            return kind
    return "top"


# =============================================================================
# Dates and durations
# =============================================================================

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "januar jan january", "februar feb february", "marts mar march", "april apr",
        "maj may", "juni jun june", "juli jul july", "august aug",
        "september sep sept", "oktober okt october oct", "november nov", "december dec",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _num

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = (
    rf"(?:(?P<PFXmname>{_MONTH_RE})\.?\s+(?P<PFXmyear>(?:19|20)\d\d)"
    r"|(?P<PFXnum>\d{1,2})\s?[/.\-]\s?(?P<PFXnyear>(?:19|20)\d\d)"
    r"|(?P<PFXiyear>(?:19|20)\d\d)-(?P<PFXimonth>0[1-9]|1[0-2])(?!\d)"
    r"|(?P<PFXyear>(?:19|20)\d\d))"
)
_PRESENT = r"(?P<present>nu|d\.\s?d\.|dags dato|i dag|present|now|current|today|nuværende|igangværende|ongoing|p\.t\.)"
_SEP = r"\s*(?:-|–|—|til|to|until)\s*"
DATE_RANGE_RE = re.compile(
    rf"(?<![\w/.\-]){_DATE.replace('PFX', 's')}{_SEP}(?:{_DATE.replace('PFX', 'e')}|{_PRESENT})(?![\w/])",
    re.IGNORECASE,
)
SINCE_RE = re.compile(rf"\b(?:siden|since)\s+{_DATE.replace('PFX', 's')}(?![\w/])", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start: int  # offsets of the range in the text
    end: int
    months: int  # inclusive duration in months
    ongoing: bool
    end_month: int  # year * 12 + month - 1 of the end


def _month_index(m: re.Match, p: str) -> tuple[int, bool] | None:
    """(year*12 + month-1, has_month) of the date with prefix ``p``."""
    g = m.groupdict()
    if g.get(f"{p}mname"):
        return int(g[f"{p}myear"]) * 12 + MONTHS[g[f"{p}mname"].lower()] - 1, True
    if g.get(f"{p}num"):
        month = int(g[f"{p}num"])
        if not 1 <= month <= 12:
            return None
        return int(g[f"{p}nyear"]) * 12 + month - 1, True
    if g.get(f"{p}iyear"):
        return int(g[f"{p}iyear"]) * 12 + int(g[f"{p}imonth"]) - 1, True
    if g.get(f"{p}year"):
        return int(g[f"{p}year"]) * 12, False
    return None


def reference_month() -> int:
    """The month that counts as "now" (the demo world's reference date)."""
    try:
        ref = date.fromisoformat(config.settings().reference_date)
    except ValueError:
        ref = date.today()
    return ref.year * 12 + ref.month - 1


def find_date_ranges(text: str) -> list[DateRange]:
    """Date ranges ("03/2016 – 08/2021", "2016-2021", "maj 2018 – nu", "siden 2019") in ``text``."""
    now = reference_month()
    out: list[DateRange] = []
    for m in DATE_RANGE_RE.finditer(text):
        start = _month_index(m, "s")
        if start is None:
            continue
        if m.group("present"):
            end, ongoing = (now, True), True
        else:
            end = _month_index(m, "e")
            ongoing = False
            if end is None:
                continue
        s_idx, s_has_month = start
        e_idx, e_has_month = end
        if e_idx < s_idx or e_idx - s_idx > 60 * 12 or s_idx > now + 12:
            continue
        months = e_idx - s_idx + (1 if (s_has_month and e_has_month and not ongoing) else 0)
        out.append(DateRange(m.start(), m.end(), max(months, 0), ongoing, e_idx))
    for m in SINCE_RE.finditer(text):
        if any(r.start <= m.start() < r.end for r in out):
            continue
        start = _month_index(m, "s")
        if start is None or start[0] > now:
            continue
        out.append(DateRange(m.start(), m.end(), now - start[0], True, now))
    return sorted(out, key=lambda r: r.start)


# =============================================================================
# Occupations
# =============================================================================


class OccupationMatcher:
    """Job titles (Danish and English titles and alternative titles) → taxonomy occupations."""

    def __init__(self, taxonomy: Taxonomy, lang: str) -> None:
        self.lang = lang
        self.index = PhraseIndex(lang)
        occ = taxonomy.occupations
        self.info: dict[str, tuple[str, str, str]] = {}
        vocabulary: set[str] = set()
        for row in occ.itertuples(index=False):
            self.info[row.occupation_id] = (row.isco, row.title_da if lang == "da" else row.title_en,
                                            row.education_level)
            for form_lang in ("da", "en"):
                forms = [getattr(row, f"title_{form_lang}"), *split_multi(getattr(row, f"alt_titles_{form_lang}"))]
                for i, form in enumerate(forms):
                    if form:
                        self.index.add(form, row.occupation_id, i == 0, form_lang)
                        if form_lang == "da":
                            vocabulary.update(textnorm.words(form))
        vocabulary.update({"uddannelse", "uddannelsen", "uddannet", "elev", "lærling"})
        self.splitter = textnorm.CompoundSplitter(vocabulary, "da") if lang == "da" else None

    def find(self, text: str, lo: int, hi: int, tokens: list[textnorm.Token] | None = None,
             end_in_compound: bool = False, starts: list[int] | None = None) -> list[tuple[int, int, str, float]]:
        """Occupation matches (start, end, occupation_id, score) in ``text[lo:hi]``, longest first.

        ``tokens`` (with their ``starts``) may be passed to avoid tokenising again.
        """
        tokens = tokens if tokens is not None else textnorm.tokenize(text, self.lang)
        starts = starts if starts is not None else [t.start for t in tokens]
        toks = [t for t in tokens[bisect_left(starts, lo):bisect_right(starts, hi)] if t.end <= hi]
        if not toks:
            return []
        units = make_units(toks, self.lang, self.splitter)
        out = []
        for m in walk(self.index, units, 0, len(toks), end_in_compound=end_in_compound):
            entries = [e for e in m.entries if _title_agrees(m.pieces, e.key)]
            if not entries:
                continue
            entry = max(entries, key=lambda e: (e.is_label, not e.foreign))
            start, end = toks[m.first].start, toks[m.last].end
            score = (end - start) - (5 if m.compound else 0) - 3 * m.skipped
            out.append((start, end, entry.competence_id, float(score)))
        out.sort(key=lambda x: (-x[3], x[0]))
        return out


def _title_agrees(pieces: tuple[str, ...], key: str) -> bool:
    """A job title matches only as written or with a noun ending ("kokken", "tømrere").

    Stricter than for competences: "planlægge" is not a "planlægger".
    """
    words = key.split()
    if len(words) != len(pieces):
        pieces, words = ("".join(pieces),), ["".join(words)]
    for p, w in zip(pieces, words):
        if p == w:
            continue
        if not p.startswith(w) or p[len(w):] not in _TITLE_ENDINGS:
            return False
    return True


_TITLE_ENDINGS = frozenset({"e", "en", "er", "erne", "ens", "ers", "ne", "s", "es", "n", "r", "et", "ets"})


@lru_cache(maxsize=8)
def _occupation_matcher(folder: str, lang: str) -> OccupationMatcher:
    return OccupationMatcher(load_taxonomy(Path(folder)), lang)


def get_occupation_matcher(lang: str = "da") -> OccupationMatcher:
    return _occupation_matcher(str(config.taxonomy_dir()), lang if lang in textnorm.LANGS else "da")


#: a title match must cover this share of the title part of a line ("Housekeeping assistant" is no "assistant")
TITLE_COVERAGE = 0.5
_NOT_A_JOB_SECTIONS = frozenset({"education", "courses", "languages", "it", "interests", "references", "personal"})
_EDUCATION_WORDS = re.compile(
    r"uddannelse|eksamen|skole|gymnasi|universitet|akademi|kursus|kurser|studie(?!job)|bachelor|kandidat|"
    r"education|school|university|college|degree|course|student(?!er)",
    re.IGNORECASE,
)
_TITLE_END = re.compile(r",|\||\s[-–—]\s|\s(?:hos|at|ved|i|på|for)\s|\(|;|\t")


def occupations_held(text: str, lang: str = "da", secs: list[tuple[int, int, str]] | None = None,
                     tokens: list[textnorm.Token] | None = None) -> list[OccupationHeld]:
    """Job titles next to date ranges in the work history, with years of experience.

    The title is looked for after the date range on the same line, then on
    the next non-empty line (CVs laid out as tables), then before the range.
    Several periods in the same occupation are added up (overlaps counted once).
    """
    secs = secs if secs is not None else sections(text)
    matcher = get_occupation_matcher(lang)
    tokens = tokens if tokens is not None else textnorm.tokenize(text, lang)
    starts = [t.start for t in tokens]
    lines = lines_of(text)
    has_work_section = any(kind == "work" for _, _, kind in secs)
    periods: dict[str, list[tuple[int, int]]] = {}
    first_seen: dict[str, tuple[int, int, str]] = {}
    for rng in find_date_ranges(text):
        kind = section_at(secs, rng.start)
        if kind in _NOT_A_JOB_SECTIONS or (has_work_section and kind != "work" and kind != "top"):
            continue
        li = next((i for i, ln in enumerate(lines) if ln.start <= rng.start <= ln.end), None)
        if li is None:
            continue
        line = lines[li]
        candidates: list[tuple[int, int]] = []
        after = (rng.end, line.end)
        if text[after[0]:after[1]].strip(" :|-–—\t"):
            candidates.append(after)
        else:
            for nxt in lines[li + 1: li + 3]:
                if nxt.text.strip():
                    candidates.append((nxt.start, nxt.end))
                    break
        if text[line.start:rng.start].strip(" :|-–—\t"):
            candidates.append((line.start, rng.start))
        for lo, hi in candidates:
            segment = text[lo:hi]
            if not has_work_section and _EDUCATION_WORDS.search(segment):
                break
            # the title is the first part of the segment: "Lagermedarbejder, Nordlager A/S, Brøndby"
            stripped = segment.lstrip(" :|-–—\t•")
            offset = lo + len(segment) - len(stripped)
            cut = _TITLE_END.search(stripped)
            title_hi = offset + (cut.start() if cut else len(stripped))
            found = [f for f in matcher.find(text, offset, title_hi, tokens, starts=starts)
                     if (f[1] - f[0]) >= TITLE_COVERAGE * len(text[offset:title_hi].strip())]
            if not found:
                # "Studiejob: salgsassistent" – the title may follow a label
                found = matcher.find(text, offset, hi, tokens, starts=starts)
                found = [f for f in found if f[0] - offset <= 25]
            if found:
                start, end, occ_id, _ = found[0]
                first_month = rng.end_month - rng.months + 1
                periods.setdefault(occ_id, []).append((first_month, rng.end_month + 1))
                first_seen.setdefault(occ_id, (start, end, text[start:end]))
                break
    out = []
    for occ_id, spans in periods.items():
        isco, _label, _edu = matcher.info[occ_id]
        start, end, title = first_seen[occ_id]
        out.append(OccupationHeld(occ_id, isco, title, round(_union_months(spans) / 12, 1), start, end))
    out.sort(key=lambda o: o.start)
    return out


def _union_months(spans: list[tuple[int, int]]) -> int:
    total, cur_start, cur_end = 0, None, None
    for s, e in sorted(spans):
        if cur_end is None or s > cur_end:
            if cur_end is not None:
                total += cur_end - cur_start
            cur_start, cur_end = s, e
        else:
            cur_end = max(cur_end, e)
    if cur_end is not None:
        total += cur_end - cur_start
    return total


# =============================================================================
# Education level
# =============================================================================

#: (level, pattern) — case-insensitive unless the pattern says otherwise
_EDUCATION_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("phd", re.compile(r"\bph\.?\s?d\b|\bphd\b|\bdoctor of philosophy\b|\bdoktorgrad|\berhvervsph", re.I)),
    ("lvu", re.compile(
        r"\bcand\.\s?[a-zæøå]|\bkandidatuddannelse|\bkandidatgrad|\bkandidateksamen|\bkandidat i\b|"
        r"\bkandidat fra\b|\bmaster of\b|\bmaster's\b|\bmasteruddannelse|\bmaster i\b|\bm\.?sc\b|\bmag\.\s?art|"
        r"\blang videregående|\bcivilingeniør|\bciviløkonom|\blæge(?:uddannelse|videnskab)|\bjurist\b", re.I)),
    ("lvu", re.compile(r"\b(?:MSc|MA|MBA|MPA|LLM)\b")),
    ("mvu", re.compile(
        r"professionsbachelor|\bbachelor|\bb\.?sc\b|\bb\.a\.|\bdiplomuddannelse|\bmellemlang videregående|"
        r"\bsygeplejerskeuddannelse|\bpædagoguddannelse|\blæreruddannelse|\bsocialrådgiveruddannelse|"
        r"\bbachelor's|\bundergraduate degree", re.I)),
    ("mvu", re.compile(r"\b(?:BA|BSc)\b")),
    ("kvu", re.compile(
        r"erhvervsakademi|\bakademiuddannelse|\bakademiøkonom|\bdatamatiker|markedsføringsøkonom|finansøkonom|"
        r"serviceøkonom|logistikøkonom|produktionsteknolog|installatør(?:uddannelse)?\b|\bkort videregående|"
        r"\bmultimediedesigner|\blaborant|\bbygningskonstruktør|\bshort-cycle|associate degree|\bAK\b", re.I)),
    ("eud", re.compile(
        r"erhvervsuddannelse|\beud\b|\beux\b|svendebrev|svendeprøve|\bfaglært|\bsvend\b|"
        r"\bvocational (?:education|training|qualification|school|college)|\bapprenticeship|\btrade certificate|"
        r"\bjourneyman", re.I)),
    ("gymnasial", re.compile(
        r"studentereksamen|\bstudent\b(?!er)|\bstx\b|\bhhx\b|\bhtx\b|\bhf\b|\bhf-|gymnasi|\bupper secondary|"
        r"\bhigh school|\ba-levels?\b|\bbaccalaureate\b", re.I)),
    ("grundskole", re.compile(
        r"folkeskole|grundskole|\b(?:9|10)\.\s?klasse|afgangsprøve|efterskole|\blower secondary|"
        r"\bprimary school|\bmiddle school", re.I)),
]
_UNFINISHED = re.compile(r"grundforløb|afbrudt|ikke afsluttet|ikke færdig|unfinished|not completed|dropped out", re.I)
_DEGREE_CONTEXT = re.compile(
    r"uddannet|uddannelse|svendebrev|eksamen|elevuddannelse|trained as|qualified as|degree|apprenticeship", re.I
)


_COURSE = re.compile(r"\bAMU\b|kursus|kurser|\bcourse|modul|certifikat|certificate", re.I)
_TRAINED_AS = re.compile(r"(?:uddannet|uddannede|færdiguddannet|trained as|qualified as|qualified)\s+(?:som\s+|as\s+(?:an?\s+)?)?(?:\w+\s+)?$", re.I)


_EDUCATION_COMPOUND = re.compile(r"uddannelse[nr]?$|uddannelserne$", re.I)


def _only_dates(prefix: str) -> bool:
    """True when a line starts with nothing but dates and separators before a title."""
    return not re.sub(r"[\d\s/.\-–—|:]", "", DATE_RANGE_RE.sub("", prefix))


def education_level(text: str, lang: str = "da", secs: list[tuple[int, int, str]] | None = None,
                    tokens: list[textnorm.Token] | None = None) -> str | None:
    """The highest completed education level the text names, or None.

    Lines in the work history are ignored (a "kandidat" there is a
    candidate, not a degree), as are lines about unfinished education
    ("grundforløb", "afbrudt") and studies still going on ("2024 – nu").
    "Uddannet kok" and "Kokkeuddannelsen" count as the occupation's level.
    """
    secs = secs if secs is not None else sections(text)
    best: str | None = None
    matcher = None
    tokens = tokens if tokens is not None else textnorm.tokenize(text, lang)
    starts = [t.start for t in tokens]
    ongoing = [(r.start, r.end) for r in find_date_ranges(text) if r.ongoing]
    for line in lines_of(text):
        if not line.text.strip():
            continue
        kind = section_at(secs, line.start)
        if kind in ("work", "interests", "references", "languages", "it"):
            continue
        if _UNFINISHED.search(line.text):
            continue
        if any(line.start <= s < line.end for s, _ in ongoing):
            continue
        levels = [level for level, pattern in _EDUCATION_PATTERNS if pattern.search(line.text)]
        # the occupation's usual level only when the line names no level itself
        # ("Datamatiker, erhvervsakademi" is kvu even if programmers often have more)
        if not levels and not _COURSE.search(line.text):
            matcher = matcher or get_occupation_matcher(lang)
            for occ_start, occ_end, occ_id, _score in matcher.find(text, line.start, line.end, tokens,
                                                                   end_in_compound=True, starts=starts):
                before = text[line.start:occ_start]
                # "uddannet kok", "Kokkeuddannelsen", or a title in the education section
                if _TRAINED_AS.search(before) or _EDUCATION_COMPOUND.search(text[occ_start:occ_end]) \
                        or (kind == "education" and (_DEGREE_CONTEXT.search(line.text) or _only_dates(before))):
                    levels.append(matcher.info[occ_id][2])
        for level in levels:
            if level in EDUCATION_ORDER and (best is None or EDUCATION_ORDER[level] > EDUCATION_ORDER[best]):
                best = level
    return best


# =============================================================================
# Languages
# =============================================================================

#: level words → level; checked in this order, so "modersmål" beats "god"
LEVEL_WORDS: list[tuple[str, re.Pattern]] = [
    ("native", re.compile(r"modersmål|\bnative\b|mother tongue|første ?sprog|first language", re.I)),
    ("fluent", re.compile(
        r"flydende|\bfluent|forhandlingsniveau|på højt niveau|meget god|meget godt|\bexcellent\b|\bproficient\b|"
        r"\bbusiness level|\bfull professional|\bC1\b|\bC2\b", re.I)),
    ("good", re.compile(r"\bgod\b|\bgodt\b|\bgode\b|\bgood\b|\bsikker\b|i skrift og tale|\bB2\b", re.I)),
    ("intermediate", re.compile(
        r"\bmiddel|\bmellem|\brimelig|\bjævn|\bintermediate\b|conversational|\bB1\b|\bnogenlunde\b|\bok\b", re.I)),
    ("beginner", re.compile(
        r"begynder|\blidt\b|grundlæggende|\bbasic\b|\bbeginner|\belementary\b|skoleniveau|\bA1\b|\bA2\b|"
        r"\bnybegynder|\blærer dansk|\blearning\b|\bsome\b", re.I)),
]
LEVEL_ORDER = {"unknown": 0, "beginner": 1, "intermediate": 2, "good": 3, "fluent": 4, "native": 5}


def _level_near(text: str, start: int, end: int, line: Line) -> str:
    """The level named right after a language (same line), or right before it ("flydende engelsk")."""
    after = text[end:line.end]
    # stop at the next language-like item: "Dansk: modersmål, engelsk: godt"
    after = re.split(r"[;•]|,\s*(?=[A-ZÆØÅ])", after)[0]
    best: tuple[int, str] | None = None
    for level, pattern in LEVEL_WORDS:
        m = pattern.search(after)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level)
    if best:
        return best[1]
    before = text[max(line.start, start - 25):start]
    for level, pattern in LEVEL_WORDS:
        if pattern.search(before):
            return level
    return "unknown"


def languages_of(text: str, mentions: list[CompetenceMention], secs: list[tuple[int, int, str]]) -> list[LanguageSkill]:
    """Languages (L1 competences) with the level the CV states; a languages section has the last word."""
    lines = lines_of(text)
    found: dict[str, tuple[bool, int, LanguageSkill]] = {}
    for m in mentions:
        if m.group != "L1" or m.negated or not m.competence_id:
            continue
        line = next((ln for ln in lines if ln.start <= m.start <= ln.end), Line(m.start, m.end, m.text))
        level = _level_near(text, m.start, m.end, line)
        in_section = section_at(secs, m.start) == "languages"
        skill = LanguageSkill(m.competence_id, m.label, level)
        old = found.get(m.competence_id)
        rank = (in_section, level != "unknown")
        if old is None or rank > (old[0], old[2].level != "unknown"):
            found[m.competence_id] = (in_section, m.start, skill)
    return [skill for _, _, skill in sorted(found.values(), key=lambda x: x[1])]


# =============================================================================
# Driving licences
# =============================================================================

LICENCE_CATEGORIES = ("AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")
_CAT = r"(?:AM|A1|A2|A|B/E|BE|B|C1/E|C1E|C1|C/E|CE|C|D1E|D1|D/E|DE|D)"
_LICENCE_WORD = re.compile(
    r"(?<![\w-])(?:kørekort(?:et)?|førerbevis|driving licen[cs]e|driver'?s licen[cs]e|licen[cs]e category)\b",
    re.I,
)
_CATEGORY_AFTER = re.compile(rf"\b{_CAT}(?![\w/])")
_CATEGORY_BEFORE = re.compile(rf"(?<![\w/])({_CAT}(?:\s*(?:/|,|\+|og|and)\s*{_CAT})*)\s?-?\s?(?=kørekort|licen[cs]e)")
_IMPLIED: list[tuple[str, re.Pattern]] = [
    ("C", re.compile(r"stort kørekort|lastbilkørekort|kørekort til lastbil\b|lorry licen|hgv licen", re.I)),
    ("CE", re.compile(r"kørekort til (?:lastvogntog|sættevognstog|lastbil med påhængsvogn)", re.I)),
    ("D", re.compile(r"buskørekort|kørekort til bus|bus licen", re.I)),
    ("BE", re.compile(r"trailerkørekort|kørekort til (?:stor )?trailer", re.I)),
    ("AM", re.compile(r"knallertkørekort|knallertbevis|moped licen", re.I)),
    ("B", re.compile(r"bilkørekort|almindeligt kørekort|kørekort til (?:person)?bil\b|car licen", re.I)),
]
_NEG_BEFORE = re.compile(r"(?:ikke|ingen|uden|intet|no|not|without)\s+(?:\w+\s+){0,2}$", re.I)
_NOT_DRIVING = re.compile(r"(?:truck|kran|traktor|båd|båd|sejl|fly|knallert|gaffel)$", re.I)


def licences_of(text: str) -> list[tuple[str, int, int]]:
    """Driving licence categories (category, start, end) the CV names, canonical order, no repeats."""
    found: dict[str, tuple[int, int]] = {}

    def add(cat: str, start: int, end: int) -> None:
        cat = cat.replace("/", "").upper()
        if cat in LICENCE_CATEGORIES and cat not in found:
            found[cat] = (start, end)

    for m in _LICENCE_WORD.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        if _NEG_BEFORE.search(before) or _NOT_DRIVING.search(text[max(0, m.start() - 8):m.start()]):
            continue
        # categories after the word, up to the end of the sentence/line (at most ~40 characters)
        window_end = m.end()
        limit = min(len(text), m.end() + 40)
        while window_end < limit and text[window_end] not in "\n.;•":
            window_end += 1
        window = text[m.end():window_end]
        cats = [(c.group(), m.end() + c.start(), m.end() + c.end()) for c in _CATEGORY_AFTER.finditer(window)]
        # "kørekort til lastbil" etc. handled below; a bare "kørekort" means B
        implied = any(p.search(text[max(0, m.start() - 20):window_end + 10]) for _, p in _IMPLIED)
        if cats:
            for cat, s, e in cats:
                add(cat, s, e)
        elif not implied and not _CATEGORY_BEFORE.search(text[max(0, m.start() - 12):m.end()]):
            add("B", m.start(), m.end())
    for m in _CATEGORY_BEFORE.finditer(text):
        if _NEG_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue
        for c in re.finditer(_CAT, m.group(1)):
            add(c.group(), m.start(1) + c.start(), m.start(1) + c.end())
    for cat, pattern in _IMPLIED:
        for m in pattern.finditer(text):
            if not _NEG_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
                add(cat, m.start(), m.end())
    order = {c: i for i, c in enumerate(LICENCE_CATEGORIES)}
    return [(c, s, e) for c, (s, e) in sorted(found.items(), key=lambda kv: order[kv[0]])]


# =============================================================================
# Certificates and licence competences in the taxonomy
# =============================================================================

_CERT_DA = re.compile(r"certifikat|bevis|autorisation|certificering", re.I)
_CERT_EN = re.compile(r"certificate|certification|certified|licen[cs]e|authoris|authoriz", re.I)
_LICENCE_LABEL = re.compile(r"^kørekort\s+([A-Z0-9]+)$", re.I)


@dataclass(frozen=True)
class TaxonomyFacts:
    """Which competences are certificates, which are driving licences."""

    certificates: frozenset[str]
    licence_of_category: dict[str, str]  # "B" -> competence id
    category_of_licence: dict[str, str]  # competence id -> "B"


@lru_cache(maxsize=4)
def _facts(folder: str) -> TaxonomyFacts:
    tax = load_taxonomy(Path(folder))
    certs: set[str] = set()
    lic: dict[str, str] = {}
    for row in tax.competences.itertuples(index=False):
        label_match = _LICENCE_LABEL.match(row.label_da.strip())
        if label_match or "kørekort" in row.label_da.lower() or "driving licence" in row.label_en.lower():
            if label_match and label_match.group(1).upper() in LICENCE_CATEGORIES:
                lic[label_match.group(1).upper()] = row.competence_id
            elif "knallert" in row.label_da.lower():
                lic["AM"] = row.competence_id
            continue
        if row.group == "L1":
            continue
        da = " ".join([row.label_da, row.synonyms_da])
        en = " ".join([row.label_en, row.synonyms_en])
        if _CERT_DA.search(da) or _CERT_EN.search(en):
            certs.add(row.competence_id)
    return TaxonomyFacts(frozenset(certs), lic, {v: k for k, v in lic.items()})


def taxonomy_facts() -> TaxonomyFacts:
    return _facts(str(config.taxonomy_dir()))


# =============================================================================
# The profile
# =============================================================================


def build_profile(text: str, lang: str | None = None, *, evidence_text: str | None = None,
                  hidden: list[tuple[int, int]] | None = None) -> Profile:
    """Read competences, occupations, education, languages, licences and certificates from CV text.

    ``lang`` ("da"/"en") is detected when None. ``evidence_text`` (same
    length as ``text``, e.g. the redacted text) is what evidence sentences
    and ``Profile.text`` are taken from; ``hidden`` spans (redacted personal
    data) may not be part of any mention. Offsets refer to ``text``.
    """
    if evidence_text is not None and len(evidence_text) != len(text):
        raise ValueError("evidence_text must have the same length as text")
    lang = lang if lang in textnorm.LANGS else textnorm.detect_language(text)
    ex = get_extractor(lang)
    lay = layout(text, ex.lang)
    secs = sections(text)
    mentions = extract(text, lang, lay=lay)
    if hidden:
        mentions = [m for m in mentions if not _touches(m.start, m.end, hidden)]
    occupations = occupations_held(text, lang, secs, lay.tokens)
    level = education_level(text, lang, secs, lay.tokens)
    languages = languages_of(text, mentions, secs)
    licences = licences_of(text)
    facts = taxonomy_facts()

    # licences: mentions of licence competences must agree with the categories found
    lic_cats = {c for c, _, _ in licences}
    kept: list[CompetenceMention] = []
    for m in mentions:
        cat = facts.category_of_licence.get(m.competence_id or "")
        if cat is not None and cat not in lic_cats and not m.negated:
            continue
        kept.append(m)
    present = {m.competence_id for m in kept}
    for cat, start, end in licences:
        cid = facts.licence_of_category.get(cat)
        if cid and cid not in present:
            label, group, kind = ex.info[cid]
            kept.append(CompetenceMention(start, end, text[start:end], cid, label, group, kind, 0.9,
                                          evidence=_evidence_at(text, lay, start)))
            present.add(cid)
    # a language the citizen only has at beginner level is not a competence
    beginner = {s.competence_id for s in languages if s.level == "beginner"}
    kept = [m for m in kept if m.competence_id not in beginner]
    kept.sort(key=lambda m: (m.start, m.end))

    if hidden:
        kept = [m for m in kept if not _touches(m.start, m.end, hidden)]
        occupations = [o for o in occupations if not _touches(o.start, o.end, hidden)]
        licences = [lic for lic in licences if not _touches(lic[1], lic[2], hidden)]
    if evidence_text is not None:
        # same offsets, so the same sentences; only their text comes from the redacted copy
        kept = [replace(m, evidence=_evidence_at(evidence_text, lay, m.start)) for m in kept]

    certificates: list[str] = []
    for m in kept:
        if m.competence_id in facts.certificates and not m.negated and m.competence_id not in certificates:
            certificates.append(m.competence_id)
    return Profile(
        lang=ex.lang,
        competences=kept,
        occupations=occupations,
        education_level=level,
        languages=languages,
        licences=[c for c, _, _ in licences],
        certificates=certificates,
        text=evidence_text if evidence_text is not None else text,
    )


def _touches(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _evidence_at(text: str, lay: Layout, pos: int) -> str:
    from jobmatch.competences import _evidence

    if not lay.tokens:
        return ""
    # the token that starts at or before ``pos`` (mentions start on a token)
    idx = max(0, bisect_right([t.start for t in lay.tokens], pos) - 1)
    return _evidence(text, lay, idx)


def profile_from_text(text: str, lang: str | None = None) -> Profile:
    """Redact personal data from CV text and profile it (what :func:`parse_file` does after reading).

    Use this for CV text that is already extracted (pasted text, the demo
    world's CVs) so it is treated exactly like an upload.
    """
    from jobmatch import pii

    lang = lang if lang in textnorm.LANGS else textnorm.detect_language(text)
    redaction = pii.redact(text, lang)
    if len(redaction.text) != len(text):
        # a masking that changed the length: extract from the redacted text itself
        return build_profile(redaction.text, lang)
    hidden = [(start, end) for start, end, _category in redaction.spans]
    return build_profile(text, lang, evidence_text=redaction.text, hidden=hidden)


def parse_file(data: bytes, filename: str, lang: str | None = None) -> Profile:
    """Read, redact and profile an uploaded CV file.

    Raises :class:`jobmatch.cv.CVReadError` (with a user message in Danish or
    English) for files that cannot be read. The returned profile holds the
    redacted text; its mentions never overlap redacted personal data, and
    its ``notices`` carry the reader's notices (e.g. ``truncated``).
    """
    from jobmatch.cv import read_cv

    cv = read_cv(data, filename)
    profile = profile_from_text(cv.text, lang)
    profile.notices = list(cv.notices)
    return profile


# =============================================================================
# Benchmark
# =============================================================================


def make_benchmark_pdf() -> bytes:
    """A two-page Danish CV as PDF bytes (reportlab), typical of what citizens upload."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = [
        ("h", "Kim Testesen"), ("p", "Lagermedarbejder og chauffør"),
        ("p", "Eksempelvej 1, 2600 Glostrup | Telefon: 12 34 56 78 | E-mail: kim@example.com"),
        ("h", "Om mig"),
        ("p", "Jeg er en mødestabil, ansvarsbevidst og samarbejdsvillig medarbejder med mange års erfaring fra "
              "lager, logistik og transport. Jeg trives med fysisk arbejde i højt tempo og bevarer overblikket, "
              "også når der er travlt. Jeg er struktureret, fleksibel og serviceminded, og jeg tager ansvar for "
              "mine opgaver. Kolleger beskriver mig som hjælpsom, rolig og positiv."),
        ("h", "Erhvervserfaring"),
    ]
    jobs = [
        ("04/2021 – 09/2026", "Lagermedarbejder, Nordlager A/S, Brøndby",
         ["Pluk og pak af ordrer med håndscanner", "Kørsel med gaffeltruck og reachtruck (truckcertifikat B)",
          "Varemodtagelse, kontrol af følgesedler og registrering i lagerstyringssystemet",
          "Oplæring af nye kolleger i sikkerhed og arbejdsgange"]),
        ("03/2016 – 03/2021", "Chauffør, Vestegnens Distribution ApS, Glostrup",
         ["Distribution af varer til butikker i hovedstadsområdet", "Lastning og sikring af gods",
          "Kontakt med kunder ved levering og håndtering af reklamationer", "Daglig kontrol af lastbilen"]),
        ("08/2012 – 02/2016", "Butiksmedhjælper, Dagligvarebutik, Brøndby Strand",
         ["Varemodtagelse, varepåfyldning og kasseekspedition", "Kundeservice og bestilling af varer"]),
        ("2008 – 2012", "Pakkerimedarbejder, Pakkeriet, Hvidovre",
         ["Pakning og palletering af forsendelser", "Rengøring og oprydning i pakkeriet"]),
    ]
    for period, title, bullets in jobs:
        body.append(("b", f"{period} {title}"))
        body += [("p", f"• {b}") for b in bullets]
    body += [
        ("h", "Uddannelse"),
        ("p", "2017 Lageroperatør – AMU-forløb, Transport og logistik"),
        ("p", "2005–2008 Erhvervsuddannelse som lagerassistent, svendebrev"),
        ("p", "1995–2005 Folkeskolens afgangsprøve"),
        ("h", "Kurser og certifikater"),
        ("p", "• Truckcertifikat B, AMU, 2016"), ("p", "• Førstehjælp, 2023"),
        ("p", "• Kørekort B og C, kvalifikationsbevis"), ("p", "• Arbejdsmiljø og sikkerhed, 2019"),
        ("h", "Sprog"),
        ("p", "• Dansk: modersmål"), ("p", "• Engelsk: godt"), ("p", "• Tysk: lidt"),
        ("h", "IT-kompetencer"),
        ("p", "• Lagerstyringssystem og håndscanner"), ("p", "• Outlook, Word og Excel"),
        ("h", "Fritid og interesser"),
        ("p", "Jeg spiller fodbold, cykler og er frivillig træner for et børnehold. "
              "I weekenderne hjælper jeg til i den lokale idrætsforening."),
    ]
    # enough paragraphs to fill two pages
    filler = ("Jeg er vant til at arbejde selvstændigt og i teams, at prioritere opgaverne og at holde orden "
              "på lageret. Jeg har erfaring med vareoptælling, lagerstyring og kvalitetskontrol.")
    body += [("h", "Yderligere erfaring")] + [("p", filler)] * 8
    flow = []
    for kind, content in body:
        style = {"h": styles["Heading2"], "b": styles["Heading4"]}.get(kind, styles["BodyText"])
        flow.append(Paragraph(content, style))
        if kind == "h":
            flow.append(Spacer(1, 4))
    buf = BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(flow)
    return buf.getvalue()


def bench_parse(n: int = 20) -> dict:
    """p50/p95 milliseconds to parse and profile a two-page PDF CV, after a warm-up.

    Also reports the time of :func:`build_profile` on the text alone and the
    one-off warm-up (taxonomy, indexes and classifier loaded once per process).
    """
    from jobmatch.cv import read_cv

    pdf = make_benchmark_pdf()
    t0 = time.perf_counter()
    parse_file(pdf, "cv.pdf")  # warm-up: loads taxonomy, indexes, classifier
    warmup_ms = (time.perf_counter() - t0) * 1000
    text = read_cv(pdf, "cv.pdf").text
    file_ms, text_ms = [], []
    for _ in range(max(1, n)):
        t = time.perf_counter()
        parse_file(pdf, "cv.pdf")
        file_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        build_profile(text)
        text_ms.append((time.perf_counter() - t) * 1000)

    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)

    from pypdf import PdfReader
    from io import BytesIO

    return {
        "n": len(file_ms),
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "chars": len(text),
        "warmup_ms": round(warmup_ms, 1),
        "parse_file_p50_ms": pct(file_ms, 0.5),
        "parse_file_p95_ms": pct(file_ms, 0.95),
        "build_profile_p50_ms": pct(text_ms, 0.5),
        "build_profile_p95_ms": pct(text_ms, 0.95),
        "build_profile_mean_ms": round(statistics.fmean(text_ms), 1),
    }
