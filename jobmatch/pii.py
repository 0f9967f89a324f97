"""Removing personal data from CV text before matching (data minimisation).

The matcher needs a citizen's *competences*, not who they are. :func:`redact`
finds personal data in CV text and masks it, so that what is stored,
displayed next to a suggestion or fed to the ranker carries as little
personal data as possible — and none of the special categories of GDPR
article 9 or the protected attributes (gender, age, origin) the ranker must
never see.

Masking keeps offsets
    Every personal-data span is replaced by a mask of **the same length**:
    a category label in brackets filled up with ``█`` (``"0101901234"`` →
    ``"[CPR]█████"``; spans shorter than their label become only ``█``).
    Line breaks inside a span are kept. Because nothing moves, an offset into
    the redacted text is the same offset into the original text, so evidence
    found later ("truck licence", characters 310–325) can be highlighted in
    either text, and :attr:`RedactionResult.spans` says exactly what was
    hidden where.

What is found (categories)
    ``cpr`` (DDMMYY-XXXX with or without dash or space, day and month
    checked against the calendar with CPR's century rule), ``email``,
    ``phone`` (Danish 8-digit numbers in the usual groupings, +45/0045,
    other international numbers, and anything after ``Tlf:``), ``url``
    (personal profile links: LinkedIn, Facebook, …), ``name`` (``Navn:``/
    ``Name:`` lines, the first line of the CV when it looks like a personal
    name, and every later occurrence of that name or its parts), ``address``
    (Danish street addresses ``<…vej|gade|allé|…> <number>[letter][, floor]``
    with the postcode and town that follow, and ``Adresse:`` lines),
    ``birth_date`` (``Født: …``, ``født 12. marts 1985``, ``Date of birth``,
    ``Alder: 41 år``, ``age 41``, ``41 år gammel``), ``gender`` (``Køn:``),
    ``family`` (civil status and children), ``photo`` (``Foto:`` lines), and
    the special categories ``health``, ``religion``, ``union``, ``origin``
    (ethnicity, nationality, country of birth), ``sexual_orientation`` and
    ``political``.

Precision on competence text
    A CV is full of words that *look* sensitive but describe work:
    "kirkegårdsgartner", "sundhed" as a field, "erfaring med børn med ADHD",
    "tillidsrepræsentant", "byrådsmedlem". Losing them would make matching
    worse, so the rules for special categories are deliberately narrow:

    * whole words only (compounds such as *kirkegårdsgartner*,
      *diabetessygeplejerske*, *handicaphjælper* never match);
    * a sensitive word is kept when the text around it shows that it
      describes the people the citizen worked with or a subject they know
      ("børn med autisme", "kursus i diabetes", "muslimske familier",
      "diabetes-patienter") — unless it is explicitly their own ("min
      diabetes", "jeg har selv ADHD");
    * ambiguous words are only redacted in a phrase that makes them personal:
      *stress* only in "sygemeldt med stress", "gik ned med stress" …;
      *kirke* only in "går i kirke", "aktiv i kirken" …; the party name
      *Venstre* only after "medlem af", "kandidat for" …;
    * roles are competences and are kept, only the organisation is hidden:
      "tillidsrepræsentant for ███" (union name), "byrådsmedlem for ███████"
      (party name).

Decisions worth knowing
    * **fleksjob** and **skånejob** are *kept*. They are forms of employment
      that postings are written for and that the consultant must be able to
      match on; the job centre itself decided the citizen's fleksjob
      eligibility, so the word reveals nothing new to its reader. Diagnoses
      and sick leave mentioned next to them are still redacted.
      **førtidspension**, **ressourceforløb** and **jobafklaringsforløb** are
      redacted: they are benefit statuses granted on health grounds.
    * **Languages** (including mother tongue) are kept although they can
      hint at origin, because they are a core competence (interpreting,
      multilingual service). The ranker must not use them as a proxy; that
      is checked where the model is built, not here.
    * Gendered pronouns in third-person CV text ("hun er …") are not
      rewritten.
    * ``keep_postcode=True`` leaves the home postcode and town of an address
      visible (needed for commuting distance) and reports it as
      :attr:`RedactionResult.home_postcode`; the default hides it too.
    * ``lang`` chooses the language of the mask labels only. Danish and
      English rules are always both applied, because CVs mix the languages.

This is rule-based redaction: it is predictable, needs no model and no
network, and errs on the side of keeping competence text. It will miss
personal data written in unusual ways (a name in the middle of a sentence
that is never introduced as a name, a diagnosis described in one's own
words) — the consultant still sees the CV, and nothing here replaces the
duty not to store it without the citizen's consent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

#: Every category :func:`redact` can report, in a stable order.
CATEGORIES: tuple[str, ...] = (
    "cpr",
    "email",
    "phone",
    "url",
    "name",
    "address",
    "birth_date",
    "gender",
    "family",
    "photo",
    "health",
    "religion",
    "union",
    "origin",
    "sexual_orientation",
    "political",
)

#: GDPR article 9 special categories among :data:`CATEGORIES`.
SPECIAL_CATEGORIES: frozenset[str] = frozenset(
    {"health", "religion", "union", "origin", "sexual_orientation", "political"}
)

#: The fill character of a mask.
MASK_CHAR = "█"

#: Mask labels per language.
LABELS: dict[str, dict[str, str]] = {
    "da": {
        "cpr": "CPR", "email": "EMAIL", "phone": "TLF", "url": "PROFIL", "name": "NAVN",
        "address": "ADRESSE", "birth_date": "ALDER", "gender": "KØN", "family": "FAMILIE",
        "photo": "FOTO", "health": "HELBRED", "religion": "TRO", "union": "FAGFORENING",
        "origin": "OPRINDELSE", "sexual_orientation": "SEKSUALITET", "political": "POLITIK",
    },
    "en": {
        "cpr": "CPR", "email": "EMAIL", "phone": "PHONE", "url": "PROFILE", "name": "NAME",
        "address": "ADDRESS", "birth_date": "AGE", "gender": "GENDER", "family": "FAMILY",
        "photo": "PHOTO", "health": "HEALTH", "religion": "RELIGION", "union": "UNION",
        "origin": "ORIGIN", "sexual_orientation": "ORIENTATION", "political": "POLITICS",
    },
}

Span = tuple[int, int, str]


@dataclass(frozen=True, repr=False)
class RedactionResult:
    """Redacted text plus where and what was redacted.

    ``text`` has the same length as the input; ``spans`` are sorted,
    non-overlapping ``(start, end, category)`` tuples into it; ``counts``
    holds the number of spans per category (only categories that occur).
    """

    text: str
    spans: list[Span] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: the home postcode ("2400"), found only when ``keep_postcode=True``
    home_postcode: str | None = None

    def is_redacted(self, start: int, end: int) -> bool:
        """True when any character in ``[start, end)`` was masked."""
        return any(s < end and start < e for s, e, _ in self.spans)

    def __repr__(self) -> str:  # no text in logs
        return f"RedactionResult(chars={len(self.text)}, counts={self.counts!r})"


def redact(text: str, lang: str = "da", *, keep_postcode: bool = False) -> RedactionResult:
    """Mask personal data in ``text`` with same-length, labelled masks.

    ``lang`` ('da' or 'en') is the language of the mask labels;
    ``keep_postcode`` leaves the postcode and town of the home address
    visible. See the module docstring for what is found and what is kept.
    """
    labels = LABELS.get(lang, LABELS["da"])
    found: list[Span] = []
    postcodes: list[tuple[int, str]] = []

    found.extend(_label_spans(text, keep_postcode, postcodes))
    found.extend(_address_spans(text, keep_postcode, postcodes))
    for rule in _RULES:
        found.extend(rule.spans(text))
    found.extend(_name_spans(text))

    spans = _merge(found)
    masked = _apply_masks(text, spans, labels)
    counts: dict[str, int] = {}
    for _, _, category in spans:
        counts[category] = counts.get(category, 0) + 1
    home = min(postcodes)[1] if (keep_postcode and postcodes) else None
    return RedactionResult(text=masked, spans=spans, counts=counts, home_postcode=home)


# =============================================================================
# Masking and merging
# =============================================================================


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Union of overlapping spans; a merged span takes the category of its longest part."""
    ordered = sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[list] = []  # [start, end, category, length of the part that gave the category]
    for start, end, category in ordered:
        if merged and start < merged[-1][1]:
            current = merged[-1]
            if end - start > current[3]:
                current[2], current[3] = category, end - start
            current[1] = max(current[1], end)
        else:
            merged.append([start, end, category, end - start])
    return [(s, e, c) for s, e, c, _ in merged]


def _apply_masks(text: str, spans: list[Span], labels: dict[str, str]) -> str:
    parts: list[str] = []
    last = 0
    for start, end, category in spans:
        parts.append(text[last:start])
        parts.append(_mask(text[start:end], labels[category]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _mask(original: str, label: str) -> str:
    """Same-length mask; newlines stay, the label goes into the first line segment."""
    out = []
    first = True
    for segment in original.split("\n"):
        tag = f"[{label}]"
        if first and len(segment) >= len(tag):
            out.append(tag + MASK_CHAR * (len(segment) - len(tag)))
        else:
            out.append(MASK_CHAR * len(segment))
        first = first and not segment
    return "\n".join(out)


# =============================================================================
# Shared building blocks
# =============================================================================

_UP = "A-ZÆØÅÄÖÜÉ"
_LOW = "a-zæøåäöüéèáàíóúëïçñ"
#: a capitalised word (also "H.C.", "Kgs.", "Anne-Marie", "O'Brien")
_CAP = rf"[{_UP}][\w'’.-]*"

_MONTHS = (
    r"(?:jan(?:uar|uary)?|feb(?:ruar|ruary)?|mar(?:ts|ch)?|apr(?:il)?|maj|may|jun[ie]?|jul[iy]?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: a date: "12. marts 1985", "12 March 1985", "March 12, 1985", "12-03-1985", "12.3.85", "1985-03-12"
_DATE = (
    rf"(?:\d{{1,2}}\.?\s*{_MONTHS}\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)|(?:19|20)\d{2}-\d{2}-\d{2})"
)

#: people a worker works *with*: "børn med ADHD", "muslimske familier", "patients with cancer"
_PEOPLE = (
    r"børn|barn|barnet|unge|voksne|ældre|borgere|borger|borgeren|borgerne|elever|eleverne|elev|patienter|patient|"
    r"patienterne|beboere|beboerne|beboer|brugere|brugerne|bruger|klienter|klient|kunder|mennesker|menneske|"
    r"personer|person|familier|familie|forældre|pårørende|medarbejdere|kolleger|deltagere|målgruppe|målgruppen|"
    r"mand|kvinde|dreng|drenge|pige|piger|veteraner|flygtninge|indvandrere|minoriteter|grupper|gruppe|"
    r"children|child|kids|adults|adult|youths?|elderly|citizens|citizen|pupils|students|patients|residents|"
    r"users|clients|client|people|persons|person|families|staff|employees|participants|customers|men|women|"
    r"boys|girls|veterans|refugees|minorities|groups|passagerer|gæster|pensionister|seniorer|demente|syge|"
    r"passengers|guests|travellers|travelers|seniors|pensioners"
)
#: words saying the sensitive word is a subject of work or knowledge
_WORK_CUES = (
    r"erfaring|erfaringer|erfaren|kendskab|viden|ekspertise|indsigt|forståelse|interesse|interesseret|"
    r"specialist|specialiseret|speciale|uddannet|uddannelse|kursus|kurser|certificering|certificeret|"
    r"efteruddannelse|efteruddannet|undervisning|underviser|undervist|underviste|behandling|behandlet|behandler|pleje|"
    r"plejer|plejet|omsorg|støtte|støttede|støtter|rådgivning|rådgiver|vejledning|vejleder|screening|"
    r"forebyggelse|rehabilitering|genoptræning|opfølgning|håndtering|sagsbehandling|sagsbehandler|sager|"
    r"afdeling|afsnit|center|centret|klinik|ambulatorium|tilbud|bosted|botilbud|enhed|team|projekt|område|"
    r"området|arbejde|arbejdet|arbejder|arbejdede|job|stilling|målrettet|fokus|"
    r"experience|experienced|knowledge|expertise|specialised|specialized|specialist|trained|training|course|"
    r"courses|certified|teaching|taught|teacher|treatment|treating|treated|care|caring|carer|support|"
    r"supporting|supported|counselling|counseling|advising|advice|prevention|rehabilitation|ward|unit|"
    r"clinic|department|centre|center|programme|program|project|work|worked|working|"
    r"interest|interested|focus|awareness"
)
_WORK_BEFORE = re.compile(rf"(?i)\b(?:{_PEOPLE}|{_WORK_CUES})\b")
#: "... min diabetes", "jeg har selv ADHD": explicitly the citizen's own
_OWN_BEFORE = re.compile(
    r"(?i)(?:\b(?:min|mit|mine|my|selv|myself|jeg\s+har|jeg\s+havde|jeg\s+fik|I\s+have|I\s+had|I've\s+had)"
    r"(?:\s+[\w-]+){0,2}\s*)$"
)
_WORK_AFTER = re.compile(
    rf"(?i)^(?:-?(?:patient|område|afdeling|team|klinik|ambulatori|sygepleje|behandling|forening|ramte|"
    rf"koordinator|konsulent|vejleder|specialist|unit|ward|nurse|care|support|clinic)|"
    rf"\s+(?:[\w-]+\s+)?(?:{_PEOPLE})\b)"
)
#: "passagerer med handicap", "patients with cancer": a group described by the word
_WITH_BEFORE = re.compile(r"(?i)\b(?:med|with)\s+(?:(?:en|et|a|an)\s+)?$")
_SENTENCE_END = re.compile(r"[.!?;:\n|•]")


def _in_work_context(text: str, start: int, end: int) -> bool:
    """True when the word at [start, end) describes work, not the citizen.

    Looks back to the start of the sentence (at most 80 characters) for
    people the citizen worked with or words like "erfaring", "kursus",
    "behandling", and right after the word for "-patienter", "borgere" …
    An explicit "min"/"jeg har" right before the word wins over both.
    """
    window_start = max(0, start - 80)
    before = text[window_start:start]
    cut = None
    for match in _SENTENCE_END.finditer(before):
        cut = match.end()
    if cut is not None:
        before = before[cut:]
    if _OWN_BEFORE.search(before):
        return False
    if _WORK_BEFORE.search(before) or _WITH_BEFORE.search(before):
        return True
    return bool(_WORK_AFTER.match(text[end : end + 40]))


@dataclass(frozen=True)
class _Rule:
    """A regular expression for one category.

    ``group`` names the part of the match to mask (default: all of it);
    ``guard`` skips matches in work context (see :func:`_in_work_context`);
    ``check`` is an extra test on the match (e.g. a valid CPR date).
    """

    category: str
    pattern: re.Pattern[str]
    group: str | int = 0
    guard: bool = False
    check: Callable[[re.Match[str]], bool] | None = None

    def spans(self, text: str) -> Iterator[Span]:
        for match in self.pattern.finditer(text):
            start, end = match.span(self.group)
            if start < 0 or start == end:
                continue
            if self.check is not None and not self.check(match):
                continue
            if self.guard and _in_work_context(text, start, end):
                continue
            yield (start, end, self.category)


def _words(*alternatives: str, suffix: str = "") -> str:
    """A whole-word alternation of literal phrases (spaces match any whitespace).

    ``suffix`` is an optional ending allowed before the word boundary, e.g. a
    possessive ``s``.
    """
    escaped = sorted((re.escape(a).replace(r"\ ", r"\s+") for a in alternatives), key=len, reverse=True)
    return r"(?<![\w])(?:" + "|".join(escaped) + r")" + suffix + r"(?![\w])"


# =============================================================================
# CPR, e-mail, phone, profile links
# =============================================================================


def _valid_cpr(match: re.Match[str]) -> bool:
    """Day and month must form a real date, with the century from digit 7."""
    day, month, yy = int(match["dd"]), int(match["mm"]), int(match["yy"])
    digit7 = int(match["serial"][0])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        date(century + yy, month, day)
    except ValueError:
        return False
    return True


_CPR = re.compile(r"(?<![\d-])(?P<dd>\d{2})(?P<mm>\d{2})(?P<yy>\d{2})[-\s]?(?P<serial>\d{4})(?![\d])")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w])")

_PROFILE_URL = re.compile(
    r"(?i)(?<![\w.])(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?"
    r"(?:linkedin\.com/in|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|github\.com|"
    r"gitlab\.com|tiktok\.com|youtube\.com/(?:@|c/|user/))/?[\w@%./-]+"
)

_PHONE_DK = re.compile(
    r"(?<![\w+])(?<!\d[ .-])(?P<prefix>(?:\+|00)45[ .-]?|\(\+45\)\s?)?"
    r"(?P<number>\d{2}(?P<sep> ?)\d{2}(?P=sep)\d{2}(?P=sep)\d{2}|\d{4} \d{4}"
    r"|\d{2}(?P<sep2>[.-])\d{2}(?P=sep2)\d{2}(?P=sep2)\d{2})"
    r"(?![ .-]?\d)(?![\w])"
)
#: "Tlf. 11 22 33 44" without a colon: the word makes any number a phone number
_PHONE_AFTER_WORD = re.compile(
    r"(?i)\b(?:tlf|telefon|telefonnr|mobil|mobilnr|mob|phone|tel|mobile)\.?:?[ \t]*(?P<n>\+?\d[\d .-]{6,16}\d)(?!\d)"
)
_PHONE_INTL = re.compile(r"(?<![\w+])\+(?!45)[1-9]\d{0,2}[ .-]?(?:\(0\)[ ]?)?(?:\d[ .-]?){6,12}\d(?![\d])")


def _plausible_dk_phone(match: re.Match[str]) -> bool:
    """Reject year pairs ("2015 2018"), dates ("20230115") and numbers starting 0/1 without +45."""
    digits = re.sub(r"\D", "", match["number"])
    if match["prefix"]:
        return True
    if digits[0] in "01":
        return False
    first, second = int(digits[:4]), int(digits[4:])
    if 1900 <= first <= 2099 and 1900 <= second <= 2099:
        return False
    if 1900 <= first <= 2099 and 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:]) <= 31 and " " not in match[0]:
        return False  # yyyymmdd
    return True


# =============================================================================
# Labelled lines ("Navn: …", "Født: …", "Religion: …")
# =============================================================================

_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("navn", "fulde navn", "fornavn", "efternavn", "name", "full name", "first name", "last name", "surname"),
    "cpr": ("cpr", "cpr-nr", "cpr nr", "cpr-nummer", "cprnr", "personnummer"),
    "phone": ("tlf", "telefon", "telefonnr", "telefonnummer", "mobil", "mobilnr", "mobiltelefon", "mob",
              "phone", "mobile", "tel", "telephone", "cell"),
    "email": ("e-mail", "email", "mail", "e-post"),
    "address": ("adresse", "bopæl", "address", "home address"),
    "birth_date": ("født", "født den", "fødselsdato", "fødselsdag", "fødselsår", "date of birth", "birth date",
                   "birthdate", "dob", "born", "alder", "age"),
    "gender": ("køn", "gender", "sex"),
    "family": ("civilstand", "ægtestand", "børn", "familie", "familieforhold", "marital status", "civil status",
               "children", "family"),
    "photo": ("foto", "billede", "profilbillede", "photo", "picture"),
    "health": ("helbred", "helbredsoplysninger", "helbredstilstand", "diagnose", "diagnoser", "handicap",
               "skånehensyn", "health", "medical conditions", "disability", "disabilities"),
    "religion": ("religion", "tro", "trosretning", "trossamfund", "religious affiliation", "faith"),
    "union": ("fagforening", "fagforbund", "trade union", "labour union", "labor union", "union"),
    "origin": ("nationalitet", "statsborgerskab", "oprindelse", "etnicitet", "herkomst", "fødested", "fødeland",
               "nationality", "citizenship", "ethnicity", "place of birth", "country of birth", "country of origin"),
    "sexual_orientation": ("seksualitet", "seksuel orientering", "sexual orientation", "sexuality"),
    "political": ("parti", "partitilhørsforhold", "politisk tilhørsforhold", "politisk ståsted",
                  "political affiliation", "political party", "party"),
}
_LABEL_CATEGORY = {label: category for category, labels in _LABELS.items() for label in labels}
_ANY_LABEL = "|".join(
    sorted((re.escape(label).replace(r"\ ", r"\s+") for label in _LABEL_CATEGORY), key=len, reverse=True)
)
_LABEL_LINE = re.compile(
    rf"(?im)(?:^|(?<=[|•·;])|(?<=[.,;][ \t]))[ \t•*-]*(?P<label>{_ANY_LABEL})\.?[ \t]*[:：][ \t]*"
    rf"(?P<value>[^\n|]*?)[ \t]*(?=$|\||[ \t][•·][ \t]|[,;.][ \t]*(?:{_ANY_LABEL})\.?[ \t]*[:：])"
)
_POSTCODE_TOWN = re.compile(
    rf"(?<!\d)(?P<pc>[1-9]\d{{3}})[ \t]+[{_UP}][\w.-]*"
    rf"(?:[ \t]+(?![\w.-]+[ \t]*:)(?:[{_UP}][\w.-]*|[{_UP}]{{1,2}})){{0,2}}"
)


def _label_spans(text: str, keep_postcode: bool, postcodes: list[tuple[int, str]]) -> Iterator[Span]:
    for match in _LABEL_LINE.finditer(text):
        label = re.sub(r"\s+", " ", match["label"].lower())
        category = _LABEL_CATEGORY[label]
        start, end = match.span("value")
        if start == end:
            continue
        if category == "photo":  # the whole line goes, label and all
            line_start = text.rfind("\n", 0, match.start("label")) + 1
            line_end = text.find("\n", end)
            yield (line_start, len(text) if line_end < 0 else line_end, "photo")
            continue
        if category == "address":
            yield from _address_value_spans(text, start, end, keep_postcode, postcodes)
            continue
        yield (start, end, category)


def _address_value_spans(
    text: str, start: int, end: int, keep_postcode: bool, postcodes: list[tuple[int, str]]
) -> Iterator[Span]:
    """An 'Adresse:' value: all of it, or all but its postcode and town."""
    post = _POSTCODE_TOWN.search(text, start, end)
    if post is None or not keep_postcode:
        yield (start, end, "address")
        return
    postcodes.append((post.start(), post["pc"]))
    before_end = post.start()
    while before_end > start and text[before_end - 1] in " ,\t":
        before_end -= 1
    if before_end > start:
        yield (start, before_end, "address")
    if post.end() < end:
        yield (post.end(), end, "address")


# =============================================================================
# Street addresses
# =============================================================================

_STREET_SUFFIX = (
    r"vej|vejen|gade|gaden|allé|alle|alléen|stræde|strædet|plads|pladsen|boulevard|boulevarden|vænge|vænget|"
    r"parken|park|torv|torvet|vang|vangen|haven|have|bakke|bakken|høj|højen|sti|stien|toft|toften|hegn|hegnet|"
    r"løkke|lund|lunden|marken|engen|kvarter|kvarteret|gård|gården|huse|husene|dalen|broen|bro|kaj|kajen|"
    r"stranden|strand|skoven|holmen|bjerg|bjerget|ager|agre|mose|mosen|passage|promenade|tværvej|landevej"
)
_STREET_ADDRESS = re.compile(
    rf"(?P<street>(?:{_CAP}[ \t]+){{0,3}}(?=[{_UP}])[\w'’-]*?(?i:{_STREET_SUFFIX}))"
    rf"[ \t]+(?P<number>\d{{1,3}}(?:[ \t]?[A-Za-z](?![\w]))?(?:-\d{{1,3}})?)(?![\d%,.]\d)(?![\w])"
    r"(?P<floor>,?[ \t]*(?:(?:st|kl)\b\.?|\d{1,2}\.)(?:[ \t]*(?:sal|tv|th|mf)\b\.?)?)?"
    rf"(?P<post>(?:,[ \t]*|[ \t]+|[ \t]*\n[ \t]*)(?P<pc>[1-9]\d{{3}})[ \t]+[{_UP}][\w.-]*"
    rf"(?:[ \t]+(?![\w.-]+[ \t]*:)(?:[{_UP}][\w.-]*|[{_UP}]{{1,2}})){{0,2}})?"
)


def _address_spans(text: str, keep_postcode: bool, postcodes: list[tuple[int, str]]) -> Iterator[Span]:
    for match in _STREET_ADDRESS.finditer(text):
        street_end = match.end("floor") if match["floor"] else match.end("number")
        if match["post"]:
            post_start = match.start("pc")
            if keep_postcode:
                postcodes.append((post_start, match["pc"]))
                yield (match.start("street"), street_end, "address")
            else:
                yield (match.start("street"), match.end("post"), "address")
        else:
            yield (match.start("street"), street_end, "address")


# =============================================================================
# Birth date, age, family
# =============================================================================

_BIRTH_RULES = [
    _Rule("birth_date", re.compile(rf"(?i)\bfødt(?:\s+den)?\s+(?:{_DATE}|(?:i\s+)?(?:19|20)\d{{2}}(?!\d))")),
    _Rule("birth_date", re.compile(rf"(?i)\bborn(?:\s+on|\s+in)?\s+(?:the\s+)?(?:{_DATE}|(?:19|20)\d{{2}}(?!\d))")),
    _Rule("birth_date", re.compile(
        r"(?i)\b(?:jeg\s+er|I\s+am|I'm|aged?)\s+(?:[1-9]\d)\s*(?:år(?:\s+gammel)?|years?(?:\s+old)?|yo)\b")),
    _Rule("birth_date", re.compile(r"(?i)\b(?:aged?|alder)\s+(?:[1-9]\d)(?![\d%])\b")),
    _Rule("birth_date", re.compile(r"(?i)\b[1-9]\d\s+(?:år\s+gammel|years\s+old|year-old)\b")),
    _Rule("birth_date", re.compile(r"\((?:[1-9]\d)\s*(?:år|years?|y/o)\)")),
    _Rule("birth_date", re.compile(r"(?i)\b(?:1[5-9]|[2-7]\d|80)-årig\b(?!t)")),
]

_FAMILY_RULES = [
    _Rule("family", re.compile(
        r"(?i)\b(?:gift|samlevende|samboende|fraskilt|skilt|single|enlig|enke|enkemand)\s+(?:og|med)\s+"
        r"(?:har\s+|mor\s+til\s+|far\s+til\s+)?(?:\w+\s+){0,2}(?:børn|barn|hjemmeboende\s+børn|sønner|døtre)\b")),
    _Rule("family", re.compile(
        r"(?i)\b(?:mor|far)\s+til\s+(?:\d+|to|tre|fire|fem|seks|en|et|tvillinger)(?:\s+\w+)?\s*"
        r"(?:børn|drenge|piger|små|dejlige\s+børn)?")),
    _Rule("family", re.compile(
        r"(?i)\b(?:alenemor|alenefar|enlig\s+mor|enlig\s+far|enlig\s+forsørger|single\s+mom|single\s+mum|"
        r"single\s+dad|single\s+parent)\b")),
    _Rule("family", re.compile(
        r"(?i)\bmarried\s+(?:with|and\s+have)\s+(?:\w+\s+){0,2}(?:children|kids|sons|daughters)\b")),
    _Rule("family", re.compile(
        r"(?i)\b(?:mother|father)\s+of\s+(?:\d+|two|three|four|five|one)\b(?:\s+(?:children|kids))?")),
    _Rule("family", re.compile(r"(?i)\bjeg\s+er\s+gift\b|\bI\s+am\s+married\b|\bI'm\s+married\b")),
]


# =============================================================================
# Special categories (GDPR art. 9)
# =============================================================================

_HEALTH_TERMS_CI = (
    "diabetes", "diabetiker", "sukkersyge", "type 1-diabetes", "type 2-diabetes", "depression", "depressiv",
    "angstlidelse", "angstanfald", "panikangst", "autisme", "autist", "asperger", "aspergers",
    "bipolar", "bipolar lidelse", "skizofreni", "skizofren", "epilepsi", "epileptiker", "sklerose",
    "dissemineret sklerose", "leddegigt", "gigt", "slidgigt", "kræft", "hjerneskade", "hjerneskadet",
    "hjernerystelse", "whiplash", "diskusprolaps", "prolaps", "migræne", "astma", "astmatiker", "fibromyalgi",
    "kronisk syg", "kroniske smerter", "kronisk smerte", "smertepatient", "psykisk sygdom", "psykisk syg",
    "psykisk sårbar", "spiseforstyrrelse", "anoreksi", "bulimi", "alkoholmisbrug", "alkoholiker",
    "stofmisbrug", "misbrugsproblemer", "ordblind", "ordblindhed", "dysleksi", "handicap", "handicappet",
    "funktionsnedsættelse", "kørestolsbruger", "synshandicap", "synshandicappet", "hørehandicap",
    "hørehæmmet", "nedsat hørelse", "nedsat syn", "nedsat arbejdsevne", "nedsat funktionsevne",
    "førtidspension", "førtidspensionist", "sygemeldt", "langtidssygemeldt", "stresssygemeldt",
    "sygemelding", "langtidssygemelding", "stresssygemelding", "stressramt", "udbrændt", "burnout",
    "jobafklaringsforløb", "ressourceforløb", "hjerteproblemer", "blodprop", "hjerneblødning",
    "rygproblemer", "rygskade", "dårlig ryg", "knæskade", "skulderskade", "arbejdsskade", "piskesmæld",
    # English
    "diabetic", "depressed", "anxiety disorder", "panic attacks", "autism", "autistic", "asperger's",
    "schizophrenia", "epilepsy", "epileptic", "multiple sclerosis", "arthritis", "cancer", "brain injury",
    "concussion", "migraine", "asthma", "chronic illness", "chronic pain", "mental illness",
    "mental health issues", "eating disorder", "alcoholism", "substance abuse", "dyslexia", "dyslexic",
    "disability", "disabled", "wheelchair user", "visually impaired", "hearing impaired", "sick leave",
    "burned out", "burnt out", "early retirement pension", "back injury", "back problems", "knee injury",
    "shoulder injury", "heart condition", "heart attack",
)
_HEALTH_TERMS_CS = ("ADHD", "ADD", "OCD", "PTSD", "PTSD-ramt", "MS", "KOL", "COPD", "DAMP", "ME/CFS")
_HEALTH_ANY = (
    rf"(?:(?i:{_words(*_HEALTH_TERMS_CI, 'stress', 'angst', 'anxiety', 'sygdom', 'illness', 'depression')})"
    rf"|{_words(*_HEALTH_TERMS_CS)})"
)
_HEALTH_RULES = [
    _Rule("health", re.compile(rf"(?i){_words(*_HEALTH_TERMS_CI)}"), guard=True),
    _Rule("health", re.compile(_words(*_HEALTH_TERMS_CS)), guard=True),
    # personal phrases: the trigger makes even ambiguous words (stress, angst) personal
    _Rule("health", re.compile(
        r"(?i)(?<!\bder\s)(?<!\bsom\s)(?<!\bwho\s)(?<!\bthat\s)"
        r"\b(?:(?:jeg\s+)?(?:har\s+haft|har|havde|fik|har\s+fået|lider\s+af|led\s+af|døjer\s+med|kæmper\s+med|"
        r"lever\s+med|er\s+ramt\s+af|blev\s+ramt\s+af|gik\s+ned\s+med|blev\s+diagnosticeret\s+med|"
        r"er\s+diagnosticeret\s+med|fik\s+diagnosen|har\s+diagnosen|fik\s+konstateret|har\s+fået\s+konstateret|"
        r"(?:var|er)\s+sygemeldt\s+(?:med|pga\.?|på\s+grund\s+af|grundet))|"
        r"ramt\s+af|diagnosticeret\s+med|sygemeldt\s+(?:med|pga\.?|på\s+grund\s+af|grundet)|"
        r"sygemelding\s+(?:med|pga\.?|på\s+grund\s+af|grundet)|min|mit|mine|"
        r"I\s+have|I\s+had|I've\s+had|I\s+suffer\s+from|I\s+suffered\s+from|suffering\s+from|I\s+live\s+with|"
        r"living\s+with|diagnosed\s+with|my|(?:on\s+)?sick\s+leave\s+(?:due\s+to|because\s+of|with))"
        r"\s+(?:(?:en|et|a|an|type\s+[12]|let|lettere|mild|svær|kronisk|chronic|severe|selv)\s+)*"
        rf"(?-i:{_HEALTH_ANY})"
    )),
    _Rule("health", re.compile(
        r"(?i)\b(?:stress|angst)-?sygemeld(?:t|ing)\b|\bstressramt\b|\bgik\s+ned\s+med\s+stress\b")),
]

_RELIGION_TERMS = (
    "muslim", "muslimsk", "jøde", "jødisk", "hindu", "hinduistisk", "buddhist", "buddhistisk", "katolik",
    "moské", "moskéen", "moskéens", "moske", "moskeen", "moskeens", "synagoge", "synagogen", "synagogens",
    "ramadan", "ramadanen", "hijab", "islam", "islamisk", "sikh", "mosque", "synagogue",
)
_RELIGION_RULES = [
    _Rule("religion", re.compile(rf"(?i){_words(*_RELIGION_TERMS)}"), guard=True),
    _Rule("religion", re.compile(
        r"(?i)\b(?:jeg\s+er|er|I\s+am|I'm|as\s+an?)\s+(?:en\s+|et\s+|a\s+|an\s+)?"
        r"(?:(?:troende|praktiserende|aktiv|aktivt|devout|practising|practicing|religiøs|religious)\s+)?"
        r"(?:kristen|muslim|jøde|hindu|buddhist|katolik|ateist|troende|religiøs|christian|jew|jewish|hindu|"
        r"buddhist|catholic|atheist|religious)\b")),
    _Rule("religion", re.compile(
        r"(?i)\b(?:går|kommer|gik|go|goes|attend|attends)\s+(?:i|til|to)\s+"
        r"(?:kirke|kirken|moské|moskéen|moske|moskeen|synagoge|synagogen|church|mosque|synagogue|temple)\b")),
    _Rule("religion", re.compile(
        r"(?i)\b(?:min|mit|my|vores|our)\s+(?:kristne\s+|muslimske\s+|jødiske\s+)?(?:tro|religion|faith|"
        r"menighed|congregation)\b")),
    _Rule("religion", re.compile(
        r"(?i)\b(?:aktiv|engageret|medlem|member)\s+(?:i|af|of|in)\s+(?:(?:min|den|vores|my|the|our)\s+)?"
        r"(?:lokale\s+|local\s+)?(?P<place>kirke|kirken|menighed|menigheden|frikirke|frikirken|church|"
        r"congregation|folkekirken)\b"), group="place"),
    _Rule("religion", re.compile(
        r"(?i)\bbærer\s+(?:tørklæde|hijab|kalot|turban)\b|\bwear(?:s|ing)?\s+(?:a\s+)?(?:headscarf|hijab)\b")),
    _Rule("religion", re.compile(r"(?i)\btroende\s+(?:kristen|muslim|jøde|katolik)\b")),
]

#: union names that mean nothing else
_UNIONS = (
    "3F", "FOA", "BUPL", "Dansk Metal", "Dansk Sygeplejeråd", "DSR", "Krifa", "Kristelig Fagforening",
    "Socialpædagogerne", "Serviceforbundet", "Dansk El-Forbund", "Blik- og Rørarbejderforbundet",
    "Malerforbundet", "Fødevareforbundet NNF", "NNF", "Danmarks Lærerforening", "Djøf", "DJØF",
    "Dansk Magisterforening", "Ingeniørforeningen", "Teknisk Landsforbund", "Finansforbundet",
    "Dansk Journalistforbund", "Frie Funktionærer", "Det Faglige Hus", "HK Danmark", "HK Privat",
    "HK Kommunal", "HK Handel", "HK Stat", "Fagligt Fælles Forbund", "Ergoterapeutforeningen",
    "Danske Fysioterapeuter", "Jordemoderforeningen", "Danske Bioanalytikere", "Dansk Socialrådgiverforening",
    "Gymnasieskolernes Lærerforening", "Uddannelsesforbundet", "Politiforbundet", "Fængselsforbundet",
    "Kost & Ernæringsforbundet", "Dansk Frisør og Kosmetiker Forbund", "Fagbevægelsens Hovedorganisation",
)
#: union names that are also ordinary words or abbreviations (HK-uddannet, DM i håndbold, Lederne)
_UNIONS_IN_CONTEXT = ("HK", "DM", "IDA", "LO", "FH", "SL", "DLF", "PROSA", "Lederne", "Metal", "CO-industri")
_UNION_CONTEXT = (
    r"(?:medlem\s+(?:af|i)|organiseret\s+i|meldt\s+ind\s+i|indmeldt\s+i|tillidsrepræsentant\s+(?:for|i)|"
    r"TR\s+(?:for|i)|fællestillidsrepræsentant\s+(?:for|i)|a-kasse\s*:?|a-kasse\s+(?:hos|i)|"
    r"member\s+of|shop\s+steward\s+(?:for|in)|union\s+representative\s+(?:for|in))"
    r"\s+(?:(?:fagforeningen|forbundet|the)\s+)?"
)
_AGREEMENT_BEFORE = re.compile(r"(?i)\b(?:overenskomst\w*|aftale\w*|agreement|overenskomstdækket)\b[^.\n]{0,40}$")


def _not_agreement(match: re.Match[str]) -> bool:
    """ "ansat efter overenskomst med FOA" names the employer's agreement, not a membership."""
    return not _AGREEMENT_BEFORE.search(match.string, max(0, match.start() - 60), match.start())


_UNION_RULES = [
    _Rule("union", re.compile(_words(*_UNIONS, suffix=r"(?:'s|’s|s)?")), check=_not_agreement),
    _Rule("union", re.compile(
        rf"(?i:{_UNION_CONTEXT})(?P<u>(?-i:{_words(*_UNIONS_IN_CONTEXT)}))"), group="u"),
    _Rule("union", re.compile(
        r"(?i)\b(?:medlem\s+(?:af|i)|member\s+of|organiseret\s+i)\s+(?:en\s+|a\s+|the\s+)?"
        r"(?:fagforening(?:en)?|trade\s+union|labou?r\s+union|union)\b")),
]

_PARTIES = (
    "Socialdemokratiet", "Socialdemokraterne", "Enhedslisten", "Dansk Folkeparti", "Liberal Alliance",
    "Nye Borgerlige", "Moderaterne", "Danmarksdemokraterne", "Kristendemokraterne", "Radikale Venstre",
    "Det Radikale Venstre", "Det Konservative Folkeparti", "Konservative Folkeparti", "Socialistisk Folkeparti",
    "Frie Grønne", "Borgernes Parti", "Alternativet", "Danmarks Socialdemokratiske Ungdom", "DSU",
    "Venstres Ungdom", "Konservativ Ungdom", "Radikal Ungdom", "Liberal Alliances Ungdom",
    "Socialistisk Folkepartis Ungdom", "Dansk Folkepartis Ungdom", "Enhedslistens", "Socialdemokratiets",
)
_PARTIES_IN_CONTEXT = ("Venstre", "Venstres", "Konservative", "De Konservative", "SF", "DF", "LA", "Radikale",
                       "KU", "VU", "SFU", "DFU", "LAU", "RU", "Ø-listen")
_POLITICAL_CONTEXT = (
    r"(?:medlem\s+(?:af|i)|aktiv\s+i|engageret\s+i|kandidat\s+for|opstillet\s+for|opstiller\s+for|valgt\s+for|"
    r"byrådsmedlem\s+for|regionsrådsmedlem\s+for|folketingskandidat\s+for|formand\s+for|næstformand\s+for|"
    r"kasserer\s+i|bestyrelsesmedlem\s+i|frivillig\s+(?:for|i|hos)|stemmer\s+på|"
    r"member\s+of|candidate\s+for|volunteer\s+(?:for|with|at)|active\s+in)"
    r"\s+(?:(?:partiet|the)\s+)?"
)
_POLITICAL_RULES = [
    _Rule("political", re.compile(_words(*_PARTIES))),
    _Rule("political", re.compile(
        rf"(?i:{_POLITICAL_CONTEXT})(?P<p>(?-i:{_words(*_PARTIES_IN_CONTEXT)}))"), group="p"),
    _Rule("political", re.compile(
        r"(?i)\b(?:jeg\s+er|I\s+am|I'm)\s+(?:(?:en\s+|a\s+)?(?:overbevist|stolt|aktiv|proud|committed)\s+)?"
        r"(?:socialdemokrat|socialist|kommunist|venstreorienteret|højreorienteret|konservativ|"
        r"liberalist|nationalist|social\s+democrat|communist|left-wing|right-wing)\b")),
    _Rule("political", re.compile(r"(?i)\b(?:jeg\s+stemmer|I\s+vote)\s+(?:på|for)\s+\w+(?:\s+\w+)?")),
]

#: nationality and ethnicity adjectives (a list, because "teknisk baggrund" is not an origin)
_NATIONALITY_ADJ = "(?:" + "|".join(sorted((
    "dansk", "svensk", "norsk", "finsk", "islandsk", "færøsk", "grønlandsk", "tysk", "polsk", "litauisk",
    "lettisk", "estisk", "russisk", "ukrainsk", "hviderussisk", "rumænsk", "bulgarsk", "ungarsk", "tjekkisk",
    "slovakisk", "serbisk", "kroatisk", "bosnisk", "albansk", "kosovansk", "makedonsk", "græsk", "tyrkisk",
    "kurdisk", "armensk", "georgisk", "italiensk", "spansk", "portugisisk", "fransk", "britisk", "engelsk",
    "irsk", "skotsk", "hollandsk", "belgisk", "schweizisk", "østrigsk", "amerikansk", "canadisk", "mexicansk",
    "brasiliansk", "argentinsk", "chilensk", "colombiansk", "peruviansk", "cubansk", "somalisk", "eritreisk",
    "etiopisk", "sudanesisk", "egyptisk", "marokkansk", "algerisk", "tunesisk", "libysk", "nigeriansk",
    "ghanesisk", "kenyansk", "ugandisk", "congolesisk", "gambisk", "senegalesisk", "sydafrikansk", "irakisk",
    "iransk", "syrisk", "libanesisk", "palæstinensisk", "jordansk", "israelsk", "saudiarabisk", "arabisk",
    "yemenitisk", "afghansk", "pakistansk", "indisk", "bangladeshisk", "srilankansk", "tamilsk", "nepalesisk",
    "kinesisk", "japansk", "koreansk", "vietnamesisk", "thailandsk", "filippinsk", "indonesisk", "malaysisk",
    "burmesisk", "mongolsk", "tibetansk", "australsk", "asiatisk", "afrikansk", "europæisk", "vestlig",
    "ikke-vestlig", "mellemøstlig", "nordafrikansk", "østeuropæisk", "latinamerikansk",
), key=len, reverse=True)) + ")e?"
#: "jeg er somalier": nouns for nationality
_NATIONALITY_NOUN = _words(
    "dansker", "svensker", "nordmand", "tysker", "polak", "litauer", "rumæner", "bulgarer", "ungarer", "tyrker",
    "kurder", "somalier", "eritreer", "etiopier", "iraker", "iraner", "syrer", "libaneser", "palæstinenser",
    "afghaner", "pakistaner", "inder", "kineser", "vietnameser", "filippiner", "thailænder", "marokkaner",
    "egypter", "ukrainer", "russer", "serber", "kroat", "bosnier", "albaner", "grønlænder", "færing",
    "amerikaner", "brite", "englænder", "franskmand", "italiener", "spanier", "portugiser", "araber",
    "immigrant", "refugee",
)
#: words after "from"/"fra" that are not places
_NOT_PLACES = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Mandag|Tirsdag|Onsdag|Torsdag|Fredag|Lørdag|Søndag|"
    r"Januar|Februar|Marts|Juni|Juli|Oktober|Jeg|I)\b)"
)
_PLACE = rf"{_NOT_PLACES}[{_UP}][\w'’-]+(?:[ \t]+(?:og|and)[ \t]+[{_UP}][\w'’-]+|[ \t]+[{_UP}][\w'’-]+){{0,2}}"
_ORIGIN_RULES = [
    _Rule("origin", re.compile(rf"(?i:\bfødt\s+(?:og\s+opvokset\s+)?i)\s+(?P<p>{_PLACE})"), group=0),
    _Rule("origin", re.compile(rf"(?i:\bopvokset\s+i)\s+{_PLACE}")),
    _Rule("origin", re.compile(rf"(?i:\b(?:kommer\s+)?oprindelig(?:t)?\s+fra|har\s+rødder\s+i|flygtede\s+fra|"
                               rf"flygtning\s+fra|indvandret\s+fra|udvandret\s+fra)\s+{_PLACE}")),
    _Rule("origin", re.compile(r"(?i)\bkom\s+til\s+Danmark\s+(?:som\s+(?:flygtning|asylansøger|\w+)|i\s+(?:19|20)\d{2}|"
                               rf"fra\s+{_PLACE}|for\s+\d+\s+år\s+siden)")),
    _Rule("origin", re.compile(rf"(?i:\bborn\s+(?:and\s+raised\s+)?in|\bgrew\s+up\s+in|\boriginally\s+from|"
                               rf"\bfled\s+from|\brefugee\s+from|\bemigrated\s+from|\bimmigrated\s+from)\s+{_PLACE}")),
    _Rule("origin", re.compile(r"(?i)\b(?:came|moved)\s+to\s+Denmark\s+(?:as\s+an?\s+\w+|in\s+(?:19|20)\d{2}|"
                               rf"from\s+{_PLACE})")),
    # "I am an experienced construction worker from Lithuania" / "Jeg er fra Somalia":
    # the origin part only, and not for "uddannet … fra", "experience from"
    _Rule("origin", re.compile(
        r"(?i:\b(?:jeg\s+er|jeg\s+kommer|I\s+am|I'm|I\s+come|I\s+came)\s+(?:(?:an?|en|et)\s+)?"
        r"(?:(?!(?:uddannet|educated|trained|degree|erfaring|experience)\b)[\w-]+\s+){0,4}?)"
        rf"(?P<o>(?i:fra|from)\s+{_PLACE})"), group="o"),
    _Rule("origin", re.compile(
        rf"(?i)\b{_NATIONALITY_ADJ}\s+(?:statsborger|statsborgerskab|oprindelse|afstamning|herkomst)\b")),
    _Rule("origin", re.compile(
        rf"(?i)\b(?:jeg\s+er|I\s+am|I'm)\s+(?:(?:en|et|a|an|halv|halvt|half)\s+)?{_NATIONALITY_NOUN}")),
    _Rule("origin", re.compile(rf"(?i)\baf\s+{_NATIONALITY_ADJ}\s+(?:oprindelse|afstamning|herkomst|baggrund)\b")),
    _Rule("origin", re.compile(rf"(?i)\bmed\s+{_NATIONALITY_ADJ}\s+baggrund\b"), guard=True),
    _Rule("origin", re.compile(rf"(?i:\bstatsborger\s+i|\bcitizen\s+of)\s+{_PLACE}")),
    _Rule("origin", re.compile(
        rf"\b[{_UP}][a-z]+(?:an|ian|ish|ese|i|ic)\s+(?:citizen|citizenship|national|nationality|origin|descent)\b")),
    _Rule("origin", re.compile(r"(?i)\bof\s+[A-Z]?[a-z]+(?:an|ian|ish|ese|i|ic)\s+(?:origin|descent|heritage)\b")),
    _Rule("origin", re.compile(
        rf"(?i)\betnisk\s+(?:{_NATIONALITY_ADJ}|minoritetsbaggrund|minoritet|baggrund)\b"
        r"|\bethnic(?:ally)?\s+[A-Z][a-z]+\b"),
        guard=True),
    _Rule("origin", re.compile(_words(
        "indvandrer", "efterkommer", "andengenerationsindvandrer", "andengenerationsindvandrere",
        "2. generations indvandrer", "flygtning", "asylansøger", "immigrant", "refugee", "asylum seeker")),
        guard=True),
]

_ORIENTATION_TERMS = (
    "homoseksuel", "bøsse", "lesbisk", "biseksuel", "transkønnet", "transperson", "queer", "panseksuel",
    "aseksuel", "gay", "lesbian", "bisexual", "transgender", "pansexual", "asexual", "LGBT+ Danmark",
    "LGBT+", "LGBTQ+", "LGBTQIA+", "LGBT", "LGBTQ",
)
_ORIENTATION_RULES = [
    _Rule("sexual_orientation", re.compile(r"(?i)" + _words(*_ORIENTATION_TERMS)), guard=True),
    # organisations whose membership says it all, whatever the context
    _Rule("sexual_orientation", re.compile(_words("LGBT+ Danmark", "LGBT Danmark", "Landsforeningen for Bøsser"))),
]

_RULES: list[_Rule] = [
    _Rule("cpr", _CPR, check=_valid_cpr),
    _Rule("email", _EMAIL),
    _Rule("url", _PROFILE_URL),
    _Rule("phone", _PHONE_DK, check=_plausible_dk_phone),
    _Rule("phone", _PHONE_INTL),
    _Rule("phone", _PHONE_AFTER_WORD, group="n"),
    *_BIRTH_RULES,
    *_FAMILY_RULES,
    *_HEALTH_RULES,
    *_RELIGION_RULES,
    *_UNION_RULES,
    *_POLITICAL_RULES,
    *_ORIGIN_RULES,
    *_ORIENTATION_RULES,
]


# =============================================================================
# Names
# =============================================================================

_PARTICLES = {"von", "van", "der", "den", "de", "da", "del", "di", "la", "le", "af", "al", "el", "bin", "ibn",
              "ben", "ter", "du", "dos", "das"}
_NAME_TOKEN = re.compile(
    rf"^(?:[{_UP}][{_LOW}]+(?:[-'’][{_UP}{_LOW}][{_LOW}]+)*|[{_UP}]{{2,}}(?:[-'’][{_UP}]{{2,}})*|[{_UP}]\.)$"
)
#: first-line words that are headings or titles, not names
_NOT_NAME_WORDS = {
    "cv", "curriculum", "vitae", "resume", "resumé", "résumé", "ansøgning", "profil", "profile", "personlige",
    "oplysninger", "personal", "details", "information", "kontakt", "contact", "om", "mig", "about", "me",
    "erhvervserfaring", "uddannelse", "kompetencer", "work", "experience", "education", "skills", "jobansøgning",
    "application", "motiveret", "erfaren", "nyuddannet", "ledig", "dansk", "danish", "english", "engelsk",
    "kørekort", "side", "page", "mit", "my", "min", "personlig", "faglig", "faglige", "kvalifikationer",
}
_TITLE_SUFFIXES = (
    "medarbejder", "assistent", "hjælper", "arbejder", "leder", "chef", "konsulent", "tekniker", "ingeniør",
    "pædagog", "lærer", "sygeplejerske", "chauffør", "mekaniker", "elektriker", "montør", "operatør", "sælger",
    "ekspedient", "koordinator", "specialist", "udvikler", "supporter", "rådgiver", "manager", "engineer",
    "developer", "assistant", "worker", "nurse", "driver", "teacher", "cleaner", "housekeeper", "officer",
    "technician", "consultant", "advisor", "adviser", "coordinator", "operator", "uddannet", "student",
    "elev", "lærling", "svend", "mester",
)
#: surnames/first names that are also common words; never redacted on their own
_COMMON_WORD_NAMES = {
    "bager", "smed", "fisker", "skov", "kok", "præst", "bonde", "skipper", "maler", "snedker", "skrædder",
    "møller", "holm", "lund", "bach", "berg", "dal", "bro", "vang", "høj", "kjær", "kirk", "hvid", "sort",
    "brun", "grøn", "ravn", "rask", "glad", "ung", "lang", "kort", "lille", "stor", "bjerg", "vind", "storm",
    "sommer", "vinter", "vest", "nord", "syd", "øst", "mark", "eng", "have", "strand", "hav", "fjord", "dam",
    "bæk", "kær", "mose", "hede", "lykke", "frost", "post", "rose", "lind", "ask", "birk", "hjort", "falk",
    "svane", "due", "ørn", "per", "bo", "hans", "dan", "sten", "kim", "mai", "maj", "juni", "juli", "sol",
    "vilde", "else", "liv", "kaj", "grace",
    "baker", "smith", "cook", "fisher", "miller", "taylor", "carpenter", "mason", "hunter", "turner",
    "cooper", "butler", "porter", "walker", "young", "long", "short", "white", "black", "brown", "green",
    "gray", "grey", "king", "bishop", "page", "may", "june", "april", "will", "grant", "hope", "joy",
    "faith", "summer", "winter", "love", "rich", "bill", "art", "guy", "ray", "dawn", "hall", "wood",
    "field", "stone", "bell", "north", "south", "west", "east",
}
_HEADING_LINE = re.compile(
    r"(?i)^(?:cv|c\.v\.|curriculum\s+vitae|resume|resumé|résumé|ansøgning|jobansøgning|"
    r"personlige\s+oplysninger|personal\s+(?:details|information)|kontaktoplysninger|profil)\s*:?$"
)
_HEADING_PREFIX = re.compile(r"(?i)^(?:cv|c\.v\.|curriculum\s+vitae|resume|resumé|résumé)\s*[-–—:|]\s*")


def looks_like_name(candidate: str) -> bool:
    """Two to five capitalised words (particles like 'van', 'bin' allowed), no digits, not a job title."""
    tokens = candidate.split()
    if not 2 <= len(tokens) <= 5 or any(ch.isdigit() for ch in candidate):
        return False
    if tokens[0].lower() in _PARTICLES or tokens[-1].lower() in _PARTICLES:
        return False
    proper = 0
    for token in tokens:
        low = token.lower()
        if low in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(token) or low in _NOT_NAME_WORDS or low.endswith(_TITLE_SUFFIXES):
            return False
        proper += 1
    return 2 <= proper <= 4


def _name_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Where the citizen's name is introduced: the first line, and 'Navn:' values."""
    offset = 0
    skipped = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and _HEADING_LINE.match(stripped) and skipped < 3:
            skipped += 1
        elif stripped:
            lead = len(line) - len(line.lstrip())
            start = offset + lead
            prefix = _HEADING_PREFIX.match(stripped)
            if prefix:
                start += prefix.end()
                stripped = stripped[prefix.end():]
            # "Mette Hansen – Lagermedarbejder" / "Mette Hansen | CV"
            head = re.split(r"\s+[-–—|·,]\s+|,\s*|\s*\(", stripped, maxsplit=1)[0].rstrip(" ,.")
            if looks_like_name(head):
                yield (start, start + len(head))
            break
        offset += len(line) + 1
    for match in _LABEL_LINE.finditer(text):
        if _LABEL_CATEGORY.get(re.sub(r"\s+", " ", match["label"].lower())) == "name":
            value = match["value"]
            head = re.split(r"\s*[,;(]\s*", value, maxsplit=1)[0].rstrip(" .")
            if head and not any(ch.isdigit() for ch in head) and len(head.split()) <= 5:
                yield (match.start("value"), match.start("value") + len(head))


def _name_spans(text: str) -> Iterator[Span]:
    """The introduced name(s), every repeat of the full name, and of each part."""
    full_names: set[str] = set()
    parts: set[str] = set()
    for start, end in _name_candidates(text):
        yield (start, end, "name")
        name = text[start:end]
        full_names.add(name)
        for token in name.split():
            bare = token.strip(".,")
            if len(bare) >= 2 and not bare.endswith(".") and bare.lower() not in _PARTICLES:
                if bare.lower() not in _COMMON_WORD_NAMES:
                    parts.add(bare)
    for name in full_names:
        pattern = r"\s+".join(re.escape(t) for t in name.split())
        for match in re.finditer(rf"(?i)(?<![\w]){pattern}(?:'s|’s|s)?(?![\w])", text):
            yield (match.start(), match.end(), "name")
    for part in parts:
        forms = {part, part.upper(), part[:1].upper() + part[1:].lower()}
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w@.])(?:{alternation})(?:'s|’s|s)?(?![\w@])", text):
            yield (match.start(), match.end(), "name")
