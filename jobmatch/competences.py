"""Competence extraction: find the taxonomy's competences in a CV (or job ad) text.

How it works
------------
1. **Index.** Every Danish and English label and synonym of every taxonomy
   competence is turned into a sequence of stems (:mod:`jobmatch.textnorm`)
   and stored in a trie. One index exists per text language; it also holds
   the other language's forms (CVs mix languages: "team player" in a Danish
   CV, "truckcertifikat" in an English one), at a lower confidence. Short
   forms written with capitals in the taxonomy ("Excel", "Word", "HLR") only
   match with the same capitals, so "word" and "it" in running text do not.
2. **Text.** The CV is tokenised with character offsets into the original
   text. Tokens are grouped into *chunks* that a phrase may not cross
   (sentence ends, line breaks that are not mere PDF line wraps, bullets,
   table cells, commas, colons, brackets) and *sentences* (a sentence or a
   bullet line) that serve as evidence.
3. **Matching.** From every token, the trie is walked over the stems that
   follow. A Danish compound ("lagerstyringssystemet", "kundeserviceopgaver")
   can also be read as its parts, so a label may match the first or last part
   of a compound. All candidate matches are collected; overlapping ones are
   resolved longest first (then highest confidence), so "personlig pleje"
   beats "pleje" and "truckcertifikat B" beats "truckcertifikat".
4. **Confidence.** A label written exactly as in the taxonomy scores highest,
   then an exact synonym, then a stem match (inflection), then a
   compound-part match; forms from the other language score a little less.
5. **Negation.** "ingen erfaring med", "ikke", "uden", "no experience with",
   "not" ... in the same clause before a mention (or "nej" right after it)
   sets ``negated=True``.
6. **Free text.** After cue phrases such as "erfaring med", "kendskab til",
   "certifikat i", "experience with" a phrase that matched nothing in the
   taxonomy is still reported (``competence_id=None``) with an ESCO group
   from :mod:`jobmatch.classify`.

Every mention satisfies ``text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jobmatch import textnorm
from jobmatch.profile import CompetenceMention
from jobmatch.taxonomy import Taxonomy, load_taxonomy, split_multi

# --- confidence levels ----------------------------------------------------------
CONF_LABEL_EXACT = 0.95
CONF_SYNONYM_EXACT = 0.9
CONF_LABEL_STEM = 0.8
CONF_SYNONYM_STEM = 0.75
CONF_COMPOUND = 0.65
CONF_FREE_TEXT = 0.5
#: subtracted for forms written in the other language than the text
FOREIGN_PENALTY = 0.1
#: subtracted per word skipped inside a phrase ("oplæring af [nye] kolleger")
SKIP_PENALTY = 0.1
#: one-word matches of at most this many letters must be exact (no stemming)
SHORT_WORD = 4
#: subtracted for one-word forms of at most 3 letters (ambiguous)
SHORT_PENALTY = 0.1

#: words left out of both the forms and the text when matching, so that
#: "arbejde i et team" also finds "arbejde i team"
FILLERS: dict[str, frozenset[str]] = {
    "da": frozenset({"en", "et", "den", "det", "de"}),
    "en": frozenset({"a", "an", "the"}),
}

#: groups whose free-text competences count as personal (attitudes, values,
#: transversal thinking / self-management / social / life skills)
PERSONAL_GROUPS = frozenset({"A1", "A2", "T2", "T3", "T4", "T6"})


def kind_of_group(group: str) -> str:
    """Personal or professional, for a free-text competence of an ESCO group."""
    return "personal" if group in PERSONAL_GROUPS else "professional"


# =============================================================================
# Text layout: chunks (matching) and sentences (evidence)
# =============================================================================

BULLETS = "•●▪■◦‣∙·*►▶➢✓✔–—-"
_BULLET_START = re.compile(rf"^\s*(?:[{re.escape(BULLETS)}]|\d{{1,2}}[.)])\s+")
#: characters between two tokens that stop a phrase match
_CHUNK_BREAK = re.compile(r"[,;:|\t()\[\]{}<>!?\"”“«»•●▪■◦‣►▶➢✓✔=]|\.(?!\w)|\s[-–—/]\s|\s[-–—]|[-–—]\s")
_SENT_END = re.compile(r"[.!?]")


@dataclass(frozen=True, slots=True)
class Layout:
    """Tokens of a text with their chunk and sentence numbers."""

    tokens: list[textnorm.Token]
    chunk: list[int]  # chunk id per token
    sentence: list[int]  # sentence id per token
    sentence_spans: list[tuple[int, int]]  # (start, end) of each sentence in the text


#: a line at least this long that ends without punctuation is taken to be wrapped
WRAP_MIN_LINE = 60
#: ... and a following line shorter than this without final punctuation stands alone (a heading)
WRAP_MIN_NEXT = 25


def _newline_is_hard(text: str, gap: str, prev: textnorm.Token, nxt: textnorm.Token) -> bool:
    """A line break ends a sentence unless it looks like a PDF line wrap.

    A wrap: exactly one line break, no bullet, and either the next line
    starts in lower case or the previous line is long and ends without
    punctuation.
    """
    if gap.count("\n") > 1:
        return True
    if any(ch in BULLETS or ch in "|\t" for ch in gap):
        return True
    if nxt.text[:1].islower():
        return False
    # a long line cut in the middle of a sentence before a capitalised word ("in Romania and\nDenmark")
    line_start = text.rfind("\n", 0, prev.end) + 1
    prev_line = text[line_start:prev.end]
    if len(prev_line) >= WRAP_MIN_LINE and prev_line.rstrip()[-1:] not in ".:;!?" and nxt.text[:1].isalpha():
        # ... unless the next line is a short line of its own (a heading such as "Erhvervserfaring")
        line_end = text.find("\n", nxt.start)
        next_line = text[nxt.start:line_end if line_end >= 0 else len(text)].rstrip()
        return len(next_line) < WRAP_MIN_NEXT and next_line[-1:] not in ".!?,"
    return True


def layout(text: str, lang: str = "da", tokens: list[textnorm.Token] | None = None) -> Layout:
    """Tokenise ``text`` and number its chunks and sentences."""
    tokens = textnorm.tokenize(text, lang) if tokens is None else tokens
    chunk: list[int] = []
    sentence: list[int] = []
    c = s = 0
    for i, tok in enumerate(tokens):
        if i:
            prev = tokens[i - 1]
            gap = text[prev.end:tok.start]
            if gap.strip() or "\n" in gap:
                hard_nl = "\n" in gap and _newline_is_hard(text, gap, prev, tok)
                if hard_nl:
                    c += 1
                    s += 1
                else:
                    if _CHUNK_BREAK.search(gap):
                        c += 1
                    # a sentence ends at . ! ? followed by a capital (not "ca. 800", "bl.a. ved")
                    if _SENT_END.search(gap) and (tok.text[:1].isupper() or "!" in gap or "?" in gap):
                        s += 1
                        c += 1
        chunk.append(c)
        sentence.append(s)
    # sentence spans, widened to the whole line part they stand in
    spans: list[tuple[int, int]] = []
    if tokens:
        first = 0
        for i in range(1, len(tokens) + 1):
            if i == len(tokens) or sentence[i] != sentence[first]:
                spans.append((tokens[first].start, _sentence_end(text, tokens[i - 1].end)))
                first = i
    return Layout(tokens, chunk, sentence, spans)


def _sentence_end(text: str, end: int) -> int:
    """Extend a sentence over trailing closing punctuation on the same line."""
    n = len(text)
    while end < n and text[end] in ".!?)]”\"'%":
        end += 1
    return end


# =============================================================================
# The phrase index
# =============================================================================


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One label or synonym of a competence, as indexed."""

    competence_id: str
    form: str  # as written in the taxonomy
    key: str  # normalised words joined by spaces (fillers removed)
    is_label: bool
    foreign: bool  # written in the other language than the index
    exact_case: tuple[str, ...] | None  # words that must match with their capitals


_BRACKETED = re.compile(r"([^()]*)\(([^()]*)\)\s*")
_END = ""  # trie key of the entries ending at a node (never a stem)


@dataclass
class Match:
    first: int  # token index (inclusive)
    last: int  # token index (inclusive)
    entries: list[FormEntry]
    compound: bool  # matched only part of a compound word
    pieces: tuple[str, ...] = ()  # the normalised words / compound parts consumed
    skipped: int = 0  # extra words skipped inside the phrase


def _needs_exact_case(word: str, proper: frozenset[str] = frozenset()) -> bool:
    """Short words written with capitals ("HLR", "SAP", "iOS", "Excel", "Word") only match as written.

    All-capital and mixed-case words count as written that way on purpose;
    a merely capitalised word ("Salg" as a sentence-case label) only when it
    is a name, i.e. capitalised the same way in both languages' forms
    (``proper``), like "Excel" or "Word". Long words are never ambiguous.
    """
    if len(word) > 5 or not any(ch.isupper() for ch in word):
        return False
    if word.isupper() or any(ch.isupper() for ch in word[1:]) or not word[:1].isupper():
        return True
    return word in proper


class PhraseIndex:
    """A trie over stem sequences of taxonomy forms, for one text language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.root: dict = {}
        self.size = 0

    def add(self, form: str, competence_id: str, is_label: bool, form_lang: str,
            proper: frozenset[str] = frozenset()) -> None:
        """Index a form; "X (Y)" is indexed as "X" and, when Y is a phrase of its own, as "Y".

        ``proper`` are capitalised words that are names (see :func:`_needs_exact_case`).
        """
        m = _BRACKETED.fullmatch(form.strip())
        if m:
            outer, inner = m.group(1).strip(), m.group(2).strip()
            if outer:
                self._add(outer, competence_id, is_label, form_lang, proper)
            if "," not in inner and len(inner.split()) >= 2:
                self._add(inner, competence_id, False, form_lang, proper)
            return
        self._add(form, competence_id, is_label, form_lang, proper)

    def _add(self, form: str, competence_id: str, is_label: bool, form_lang: str,
             proper: frozenset[str] = frozenset()) -> None:
        raw_words = [m.group() for m in textnorm.TOKEN_RE.finditer(form)]
        fillers = FILLERS.get(form_lang, frozenset())
        kept = [w for w in raw_words if textnorm.token_key(w) not in fillers] or raw_words
        if not kept:
            return
        keys = [textnorm.token_key(w) for w in kept]
        foreign = form_lang != self.lang
        exact = None
        if len(kept) == 1:
            if len(keys[0]) <= 2 and not any(ch.isupper() for ch in kept[0]):
                return  # a two-letter lower-case form ("it", "ok") is too ambiguous to index
            if _needs_exact_case(kept[0], proper):
                exact = (kept[0],)
        stems = [textnorm.stem(k, self.lang) for k in keys]
        node = self.root
        for st in stems:
            node = node.setdefault(st, {})
        entries = node.setdefault(_END, [])
        entry = FormEntry(competence_id, form, " ".join(keys), is_label, foreign, exact)
        if any(e.competence_id == competence_id and e.key == entry.key for e in entries):
            return
        entries.append(entry)
        self.size += 1


@dataclass
class _Unit:
    """A token as seen by the matcher: its stem and, for compounds, its parts (text and stems)."""

    norm: str
    stem: str
    parts: tuple[str, ...] | None = None  # normalised part texts
    part_stems: tuple[str, ...] | None = None


def make_units(tokens: list[textnorm.Token], lang: str, splitter: textnorm.CompoundSplitter | None) -> list[_Unit]:
    """The matcher's view of tokens: stems plus, for compounds and hyphenated words, part stems."""
    units = []
    for tok in tokens:
        parts: tuple[str, ...] | None = None
        if "-" in tok.text:
            pieces = tuple(textnorm.token_key(p) for p in tok.text.split("-") if p)
            if len(pieces) > 1:
                parts = pieces
        elif splitter is not None and len(tok.norm) >= 6:
            parts = splitter.split(tok.norm)
        if parts:
            units.append(_Unit(tok.norm, tok.stem, parts, tuple(textnorm.stem(p, lang) for p in parts)))
        else:
            units.append(_Unit(tok.norm, tok.stem))
    return units


def walk(index: PhraseIndex, units: list[_Unit], lo: int, hi: int, end_in_compound: bool = False) -> list[Match]:
    """All matches of ``index`` that start within units [lo, hi) and stay inside it.

    A one-word match may cover only the first or last part(s) of a compound;
    a longer match may start on the last part(s) of a compound and, when
    ``end_in_compound`` is set, end on the first part(s) of one. Each match
    records the text pieces it consumed (whole words or compound parts).
    """
    found: list[Match] = []
    root = index.root

    def visit(node: dict, i: int, first: int, compound: bool, pieces: tuple[str, ...], skipped: int = 0) -> None:
        # ``node`` was reached by consuming units first..i-1 (whole or all their parts)
        if i > first and _END in node:
            found.append(Match(first, i - 1, node[_END], compound, pieces, skipped))
        if i >= hi:
            return
        unit = units[i]
        child = node.get(unit.stem)
        if child is not None:
            visit(child, i + 1, first, compound, (*pieces, unit.norm), skipped)
        if skipped < MAX_SKIP and i > first and node is not root and len(node) > (_END in node):
            # one extra word inside a phrase: "oplæring af [nye] kolleger"
            nxt = i + 1
            if nxt < hi and unit.norm not in _NO_SKIP:
                visit_skip = node.get(units[nxt].stem)
                if visit_skip is not None:
                    visit(visit_skip, nxt + 1, first, compound, (*pieces, units[nxt].norm), skipped + 1)
        if not unit.parts:
            return
        n = node
        for k, part in enumerate(unit.part_stems):
            n = n.get(part)
            if n is None:
                return
            if k == len(unit.parts) - 1:
                if n is not child:  # all parts read: like the whole word ("lager-arbejde")
                    visit(n, i + 1, first, compound, (*pieces, *unit.parts), skipped)
            elif _END in n and (i == first or end_in_compound):
                # a match ending on the first part(s) of a compound ("kundeservice|opgaver";
                # with end_in_compound also "social- og sundhedsassistent|uddannelsen")
                found.append(Match(first, i, n[_END], True, (*pieces, *unit.parts[: k + 1]), skipped))

    for i in range(lo, hi):
        visit(root, i, i, False, ())
        unit = units[i]
        if not unit.parts:
            continue
        # a match starting inside a compound: its last part(s) ("sår|pleje" → "pleje"),
        # possibly continuing over the next words
        for j in range(1, len(unit.parts)):
            n = root
            for part in unit.part_stems[j:]:
                n = n.get(part)
                if n is None:
                    break
            if n is not None:
                visit(n, i + 1, i, True, unit.parts[j:])
    return found


#: at most this many extra words may stand inside a multi-word phrase
MAX_SKIP = 1
#: words that may not be skipped (they change the meaning or join clauses)
_NO_SKIP = frozenset({"ikke", "ingen", "uden", "og", "eller", "men", "not", "no", "without", "and", "or", "but"})

#: Danish inflectional endings: a stem match is accepted only when both words
#: are the same stem plus one of these ("personlig|e", "overblik|ket"), so the
#: stemmer's conflation of derived words ("grund" / "grund|ig") does not match
DA_ENDINGS = frozenset(
    "e en er erne ene et ets es s t ede ende te r n ne ns rs ers ens ernes ende endes ne nes".split() + [""]
)
EN_ENDINGS = frozenset("s es ed d ing er ers e 's ies y ied ly ment ments".split() + [""])
_VOWELS = set("aeiouyæøå")


def inflection_ok(surface: str, key: str, lang: str = "da") -> bool:
    """Could ``surface`` and ``key`` be inflections of the same word?

    Danish or English endings; "personlige" ~ "personlig", "cleaning" ~ "clean",
    but not "grund" ~ "grundig" or "position" ~ "positive".
    """
    if surface == key:
        return True
    pronouns = textnorm.PRONOUN_STEMS.get(lang, {})
    if surface in pronouns or key in pronouns:
        return pronouns.get(surface) == pronouns.get(key)  # "udvikle dig" ~ "udvikle mig"
    endings = DA_ENDINGS if lang == "da" else EN_ENDINGS
    p = 0
    for a, b in zip(surface, key):
        if a != b:
            break
        p += 1
    if p < 3:
        return False
    r1, r2 = surface[p:], key[p:]
    # a doubled final consonant before the ending: "overblik|k|et", "ven|n|er"
    if r1 and r1[0] == surface[p - 1] and r1[0] not in _VOWELS:
        r1 = r1[1:]
    if r2 and r2[0] == key[p - 1] and r2[0] not in _VOWELS:
        r2 = r2[1:]
    return r1 in endings and r2 in endings


def _proper_words(forms: list[str]) -> frozenset[str]:
    """Capitalised words in the forms (names like "Excel" are capitalised in both languages)."""
    return frozenset(w for f in forms for w in re.findall(r"\w+", f or "") if w[:1].isupper())


class Extractor:
    """Finds taxonomy competences in text; build once per process (see :func:`get_extractor`)."""

    def __init__(self, taxonomy: Taxonomy, lang: str = "da") -> None:
        self.lang = lang if lang in textnorm.LANGS else "da"
        self.taxonomy = taxonomy
        comp = taxonomy.competences
        self.info: dict[str, tuple[str, str, str]] = {
            row.competence_id: (row.label_da if self.lang == "da" else row.label_en, row.group, row.kind)
            for row in comp.itertuples(index=False)
        }
        self.index = PhraseIndex(self.lang)
        vocabulary: set[str] = set()
        for row in comp.itertuples(index=False):
            forms = {
                lang: [getattr(row, f"label_{lang}"), *split_multi(getattr(row, f"synonyms_{lang}"))]
                for lang in textnorm.LANGS
            }
            proper = _proper_words(forms["da"]) & _proper_words(forms["en"])
            for form_lang in (self.lang, *[x for x in textnorm.LANGS if x != self.lang]):
                for i, form in enumerate(forms[form_lang]):
                    if not form:
                        continue
                    self.index.add(form, row.competence_id, is_label=(i == 0), form_lang=form_lang,
                                   proper=proper)
                    if form_lang == "da":
                        vocabulary.update(textnorm.words(form))
        self.splitter = textnorm.CompoundSplitter(vocabulary, "da") if self.lang == "da" else None

    # -- public API ------------------------------------------------------------
    def find(self, text: str, lay: Layout | None = None) -> list[CompetenceMention]:
        """Taxonomy mentions in ``text`` (overlaps resolved, in text order)."""
        lay = lay or layout(text, self.lang)
        tokens = lay.tokens
        if not tokens:
            return []
        fillers = FILLERS[self.lang]
        # matching stream without fillers, chunk by chunk
        keep = [i for i, t in enumerate(tokens) if t.norm not in fillers]
        stream = [tokens[i] for i in keep]
        units = make_units(stream, self.lang, self.splitter)
        candidates: list[tuple[int, int, float, FormEntry, bool]] = []
        lo = 0
        n = len(stream)
        while lo < n:
            hi = lo + 1
            chunk_id = lay.chunk[keep[lo]]
            while hi < n and lay.chunk[keep[hi]] == chunk_id:
                hi += 1
            for m in walk(self.index, units, lo, hi):
                entry, conf = self._best_entry(m, stream)
                if entry is None:
                    continue
                candidates.append((keep[m.first], keep[m.last], conf, entry, m.compound))
            lo = hi
        chosen = _resolve_overlaps(candidates, tokens)
        out = []
        for first, last, conf, entry, _compound in chosen:
            if first == last and self.info[entry.competence_id][2] == "personal" and _describes_others(lay, first, self.lang):
                continue
            start, end = tokens[first].start, tokens[last].end
            label, group, kind = self.info[entry.competence_id]
            out.append(
                CompetenceMention(
                    start=start,
                    end=end,
                    text=text[start:end],
                    competence_id=entry.competence_id,
                    label=label,
                    group=group,
                    kind=kind,
                    confidence=round(conf, 3),
                    evidence=_evidence(text, lay, first),
                    negated=_is_negated(tokens, lay, first, last, self.lang),
                )
            )
        return out

    def _best_entry(self, m: Match, stream: list[textnorm.Token]) -> tuple[FormEntry | None, float]:
        span_key = " ".join(t.norm for t in stream[m.first:m.last + 1])
        best: FormEntry | None = None
        best_conf = -1.0
        for e in m.entries:
            if e.exact_case is not None:
                tok = stream[m.first]
                word = e.exact_case[0]
                ok = tok.text == word or (len(word) >= 3 and tok.text.isupper() and tok.text == word.upper())
                if not ok or m.compound:
                    continue
            exact = not m.compound and not m.skipped and span_key == e.key
            if not exact and m.first == m.last and len(span_key) <= SHORT_WORD:
                continue  # short words match only as written ("leg" is no "lege", "læs" no "læsse")
            if not exact and not _pieces_agree(m.pieces, e.key, self.lang, m.compound):
                continue
            if m.compound:
                conf = CONF_COMPOUND
            elif exact:
                conf = CONF_LABEL_EXACT if e.is_label else CONF_SYNONYM_EXACT
            else:
                conf = CONF_LABEL_STEM if e.is_label else CONF_SYNONYM_STEM
            if e.foreign:
                conf -= FOREIGN_PENALTY
            conf -= SKIP_PENALTY * m.skipped
            if m.first == m.last and len(span_key) <= 3:
                conf -= SHORT_PENALTY
            if conf > best_conf:
                best, best_conf = e, conf
        return best, best_conf


def _pieces_agree(pieces: tuple[str, ...], key: str, lang: str, compound: bool = False) -> bool:
    """Do the consumed words/parts inflect the form's words (not merely share a stem)?

    A compound part must be the form's word itself, inflected at the end
    ("sår|plejen" ~ "pleje") or without its final "e" as a modifier
    ("arbejd|s|miljø" ~ "arbejde"), so that "hånd|scanner" does not meet a
    form that merely shares the stem.
    """
    words = key.split()
    if len(words) != len(pieces):
        pieces, words = ("".join(pieces),), ["".join(words)]
    for i, (p, w) in enumerate(zip(pieces, words)):
        if compound and (i == 0 or i == len(words) - 1):
            if not (p == w or w == p + "e" or (p.startswith(w) and inflection_ok(p, w, lang))):
                return False
        elif not inflection_ok(p, w, lang):
            return False
    return True


def _resolve_overlaps(
    candidates: list[tuple[int, int, float, FormEntry, bool]], tokens: list[textnorm.Token]
) -> list[tuple[int, int, float, FormEntry, bool]]:
    """Keep non-overlapping matches: longest span first, then highest confidence."""
    def length(c: tuple[int, int, float, FormEntry, bool]) -> int:
        first, last, _conf, entry, compound = c
        n = tokens[last].end - tokens[first].start
        # a compound-part match covers the whole word but says less than the word
        return len(entry.key) if compound else n

    order = sorted(candidates, key=lambda c: (-length(c), -c[2], c[0]))
    taken: set[int] = set()
    chosen = []
    for c in order:
        span = range(c[0], c[1] + 1)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


#: nouns that a personal quality right before them describes instead of the writer:
#: "engagerede kolleger", "fleksibel arbejdstid", "en struktureret hverdag"
OTHERS_NOUNS: dict[str, frozenset[str]] = {
    "da": frozenset(
        """kolleger kollegaer medarbejdere børn elever borgere beboere patienter forældre mennesker
        personer ledere ledelse pædagoger lærere team teams personale voksne unge familier brugere kunder gæster
        arbejdsplads arbejdspladser arbejdsmiljø miljø hverdag arbejdstid arbejdstider mødetider vilkår rammer
        ordning ordninger tilbud afdeling afdelinger virksomhed organisation institution skole børnehave
        vuggestue kultur stemning atmosfære""".split()
    ),
    "en": frozenset("colleagues staff people children team teams workplace environment hours culture".split()),
}


def _describes_others(lay: Layout, index: int, lang: str = "da") -> bool:
    """Is the word at ``index`` an adjective before a noun it describes (not the writer)?"""
    nxt = index + 1
    if nxt >= len(lay.tokens) or lay.chunk[nxt] != lay.chunk[index]:
        return False
    word = lay.tokens[nxt].norm
    # an inflection of a listed noun ("kollegerne", "teamet"), not a stem-mate ("personlighed")
    return any(word.startswith(noun[:-1]) and inflection_ok(word, noun, lang) for noun in OTHERS_NOUNS[lang]
               if word[:2] == noun[:2])


def _evidence(text: str, lay: Layout, token_index: int) -> str:
    start, end = lay.sentence_spans[lay.sentence[token_index]]
    sentence = text[start:end]
    sentence = _BULLET_START.sub("", sentence)
    return " ".join(sentence.split())


# =============================================================================
# Negation
# =============================================================================

NEGATION_CUES: dict[str, frozenset[str]] = {
    "da": frozenset({"ingen", "ikke", "uden", "aldrig", "intet", "mangler", "hverken"}),
    "en": frozenset({"no", "not", "without", "never", "lack", "lacking", "neither", "nor"}),
}
#: a cue followed by one of these is no negation ("ikke kun", "not only", "no problem")
_NOT_NEGATION_NEXT = frozenset({"kun", "blot", "bange", "noget", "only", "just", "afraid", "problem"})
#: words that end the scope of a negation before the mention
_SCOPE_BREAK = frozenset({"men", "dog", "but", "however", "er", "har", "kan", "is", "am", "have", "has", "can", "jeg", "i"})
NEGATION_WINDOW = 6
_AFTER_NEGATION = frozenset({"nej", "no", "ikke", "none"})


def _is_negated(tokens: list[textnorm.Token], lay: Layout, first: int, last: int, lang: str) -> bool:
    cues = NEGATION_CUES["da"] | NEGATION_CUES["en"] if lang == "en" else NEGATION_CUES["da"]
    chunkless_sentence = lay.sentence[first]
    j = first - 1
    steps = 0
    while j >= 0 and steps < NEGATION_WINDOW and lay.sentence[j] == chunkless_sentence:
        word = tokens[j].norm
        if word in cues:
            nxt = tokens[j + 1].norm if j + 1 < len(tokens) else ""
            if nxt in _NOT_NEGATION_NEXT:
                return False
            return True
        if word in _SCOPE_BREAK:
            return False
        j -= 1
        steps += 1
    # "Kørekort: nej" / "Truckcertifikat – ikke endnu"
    k = last + 1
    if k < len(tokens) and lay.sentence[k] == lay.sentence[last] and tokens[k].norm in _AFTER_NEGATION:
        gap = tokens[k].start - tokens[last].end
        if gap <= 4:
            return True
    return False


# =============================================================================
# Free-text competences after cue phrases
# =============================================================================

#: cue phrases after which a competence phrase follows ("erfaring med X", "kendskab til X");
#: one per line in ``jobmatch/resources/nlp/cues.csv`` (columns lang, cue)
CUES_PATH = Path(__file__).resolve().parent / "resources" / "nlp" / "cues.csv"


@lru_cache(maxsize=2)
def cue_phrases(path: str = str(CUES_PATH)) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Cue phrases per language, as tuples of normalised words (longest first)."""
    import csv

    out: dict[str, list[tuple[str, ...]]] = {lang: [] for lang in textnorm.LANGS}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lang, cue = (row.get("lang") or "").strip(), (row.get("cue") or "").strip()
            if lang in out and cue:
                out[lang].append(tuple(textnorm.words(cue)))
    return {lang: tuple(sorted(set(cues), key=len, reverse=True)) for lang, cues in out.items()}


#: words that end a free-text phrase (prepositions and conjunctions that start a new thought)
_PHRASE_STOP = frozenset(
    """og samt eller som hvor der at fra hos på ved for efter til i inden siden da når hvis men
    fordi så jeg vi du han hun de det den har er var blev kan vil skal mine min mit
    and or as where which that from at for after since when if but because so i we have has
    is was were can will my in on with""".split()
)
#: phrases that are not competences even after a cue
_FREE_TEXT_JUNK = frozenset(
    """være have blive få komme gøre gå med op ud ind af om os jer dig mig sig hinanden nyt noget
    mange flere forskellige alle alt andre meget lidt nogle en et den det de ting opgaver
    arbejde arbejdet området feltet branchen faget mennesker folk personer kunder
    many several various all other different things tasks work people customers""".split()
)
MAX_FREE_WORDS = 4


@lru_cache(maxsize=4)
def _cues_by_first_word(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    cues = cue_phrases()
    out: dict[str, list[tuple[str, ...]]] = {}
    for cue in cues["da"] + (cues["en"] if lang == "en" else ()):
        out.setdefault(cue[0], []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


def _free_text(
    text: str, lay: Layout, lang: str, taken: list[tuple[int, int]], classify_group
) -> list[CompetenceMention]:
    """Free-text competences after cue phrases, where no taxonomy mention (``taken`` tokens) stands.

    The phrase runs from the cue to the next stop word, chunk break or
    :data:`MAX_FREE_WORDS` words; "og"/"samt"/"eller" start another phrase.
    ``classify_group`` gives the ESCO group of a phrase.
    """
    tokens = lay.tokens
    by_first = _cues_by_first_word(lang)
    out: list[CompetenceMention] = []
    n = len(tokens)
    i = 0
    occupied = [False] * n
    for a, b in taken:
        for k in range(a, b + 1):
            occupied[k] = True
    while i < n:
        matched_cue = None
        for cue in by_first.get(tokens[i].norm, ()):
            L = len(cue)
            if i + L <= n and all(tokens[i + k].norm == cue[k] for k in range(L)):
                if all(lay.chunk[i + k] == lay.chunk[i] for k in range(L)):
                    if matched_cue is None or len(cue) > len(matched_cue):
                        matched_cue = cue
        if matched_cue is None:
            i += 1
            continue
        j = i + len(matched_cue)
        chunk = lay.chunk[i]
        # coordinated phrases: "erfaring med pluk og pak samt palletering"
        while j < n and lay.chunk[j] == chunk:
            if tokens[j].norm in ("at", "to", "af"):  # "god til at ..." keeps going
                j += 1
                continue
            k = j
            while k < n and lay.chunk[k] == chunk and k - j < MAX_FREE_WORDS and tokens[k].norm not in _PHRASE_STOP:
                k += 1
            phrase_tokens = tokens[j:k]
            if phrase_tokens and not any(occupied[j:k]) and _looks_like_competence(phrase_tokens):
                start, end = phrase_tokens[0].start, phrase_tokens[-1].end
                phrase = text[start:end]
                group = classify_group(phrase)
                out.append(
                    CompetenceMention(
                        start=start, end=end, text=phrase, competence_id=None, label=" ".join(phrase.split()),
                        group=group, kind=kind_of_group(group), confidence=CONF_FREE_TEXT,
                        evidence=_evidence(text, lay, j),
                        negated=_is_negated(tokens, lay, j, k - 1, lang),
                    )
                )
            if k < n and lay.chunk[k] == chunk and tokens[k].norm in ("og", "samt", "eller", "and", "or"):
                j = k + 1
                continue
            break
        i = max(j, i + 1)
    return out


def _looks_like_competence(tokens: list[textnorm.Token]) -> bool:
    if all(t.norm in _FREE_TEXT_JUNK for t in tokens):
        return False
    if any(ch.isdigit() for ch in tokens[0].text):
        return False  # "erfaring med 200 kuverter"
    letters = sum(len(t.norm) for t in tokens)
    return letters >= 3


# =============================================================================
# Entry points
# =============================================================================

_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _extractor(folder: str, lang: str) -> Extractor:
    return Extractor(load_taxonomy(Path(folder)), lang)


def get_extractor(lang: str = "da", taxonomy_folder: Path | None = None) -> Extractor:
    """The extractor for ``lang`` over the configured taxonomy, built once per process."""
    from jobmatch import config

    folder = str(taxonomy_folder or config.taxonomy_dir())
    with _LOCK:
        return _extractor(folder, lang if lang in textnorm.LANGS else "da")


def extract(
    text: str,
    lang: str | None = None,
    *,
    free_text: bool = True,
    lay: Layout | None = None,
) -> list[CompetenceMention]:
    """All competence mentions in ``text`` (taxonomy matches and, optionally, free text).

    ``lang`` is detected when None. Offsets refer to ``text`` itself.
    """
    if not text or not text.strip():
        return []
    lang = lang or textnorm.detect_language(text)
    ex = get_extractor(lang)
    lay = lay or layout(text, ex.lang)
    mentions = ex.find(text, lay)
    if free_text:
        from jobmatch.classify import classify_phrase

        token_of_start = {t.start: i for i, t in enumerate(lay.tokens)}
        token_of_end = {t.end: i for i, t in enumerate(lay.tokens)}
        taken = [(token_of_start[m.start], token_of_end[m.end]) for m in mentions]
        free = _free_text(text, lay, ex.lang, taken, lambda p: classify_phrase(p, ex.lang))
        mentions = sorted([*mentions, *free], key=lambda m: (m.start, m.end))
    return mentions


def spans_to_dicts(mentions: Iterable[CompetenceMention]) -> list[dict]:
    """JSON form of mentions, as printed by ``python -m jobmatch extract`` and ``parse``."""
    return [m.to_dict() for m in mentions]
