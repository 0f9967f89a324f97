"""Text normalisation for Danish and English CV text: language, tokens, stems, compounds.

The competence extractor (:mod:`jobmatch.competences`) compares a CV with the
taxonomy's labels and synonyms *after* normalising both the same way:

* **Unicode NFC and lower case** per token, so "Truckcertifikat" and a
  decomposed "å" compare equal to the taxonomy's spelling;
* **Snowball stemming** (PyStemmer, Danish or English), so inflections meet:
  "truckcertifikatet" → "truckcertifikat", "personlige pleje" → "person plej";
* **compound splitting** against a vocabulary (normally the taxonomy's own
  words): Danish writes compounds as one word, so "lagerarbejde" is split into
  "lager" + "arbejde" and "arbejdsmiljøkursus" into "arbejdsmiljø" + "kursus"
  (with the linking "s"/"e" that Danish puts between the parts).

Tokens keep their character offsets in the *original* text: normalisation is
applied to each token's copy, never to the text, so a match can always be
shown as ``text[start:end]``.

:func:`detect_language` is a small stop-word/character heuristic (da/en); no
model is downloaded or loaded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

LANGS = ("da", "en")

# --- tokens -------------------------------------------------------------------
#: a word: letters/digits (plus combining marks), joined by inner hyphens,
#: apostrophes, slashes, dots or "+"/"#" (so "e-conomic", "C#", "TCP/IP",
#: "cand.scient.pol", "1st", "Microsoft 365" as two tokens)
_WORD = r"[^\W_][\w\u0300-\u036f]*"
TOKEN_RE = re.compile(
    rf"{_WORD}(?:['’\-/.&+]{_WORD})*[+#]*"
)

#: characters that only join word parts and are dropped from a token's key
_JOINERS_RE = re.compile(r"['’\-.&]")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str
    norm: str  # NFC, lower case, joiners ("-", "'", ".") removed
    stem: str  # Snowball stem of ``norm``


def normalize(text: str) -> str:
    """NFC + lower case (whole string; use for keys, never for offsets)."""
    return unicodedata.normalize("NFC", text).lower()


#: accented letters Danish writes optionally ("idé", "idérig", "café", "à la carte")
_ACCENTS = str.maketrans({"é": "e", "è": "e", "ê": "e", "á": "a", "à": "a", "ó": "o", "ü": "u", "ö": "ø", "ä": "æ"})


def token_key(word: str) -> str:
    """The comparison key of one word: NFC, lower case, without inner joiners or optional accents.

    "Truck-certifikat" and "truckcertifikat" get the same key, so do "idérig"
    and "iderig"; "TCP/IP" keeps its slash (it separates two words that
    belong together).
    """
    key = normalize(word).translate(_ACCENTS)
    if "-" in key or "." in key or "'" in key or "’" in key or "&" in key:
        stripped = _JOINERS_RE.sub("", key)
        if stripped:
            key = stripped
    return key


#: Danish personal and possessive pronouns that job ads ("udvikle dig"), CVs
#: ("udvikle mig") and labels ("udvikle sig") use for the same phrase: they
#: stem to one form so the phrase matches in every person
PRONOUN_STEMS: dict[str, dict[str, str]] = {
    "da": {
        **dict.fromkeys(("mig", "dig", "sig", "os", "jer"), "sig"),
        **dict.fromkeys(("min", "din", "sin", "vores", "jeres"), "sin"),
        **dict.fromkeys(("mit", "dit", "sit"), "sit"),
        **dict.fromkeys(("mine", "dine", "sine"), "sine"),
        **dict.fromkeys(("jeg", "du", "man", "vi"), "du"),
    },
    "en": {
        **dict.fromkeys(("myself", "yourself", "oneself", "themselves", "ourselves"), "oneself"),
        **dict.fromkeys(("my", "your", "their", "our"), "your"),
    },
}


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("danish" if lang == "da" else "english")


_STEM_CACHE: dict[str, dict[str, str]] = {"da": {}, "en": {}}


def stem(word: str, lang: str = "da") -> str:
    """Snowball stem of an already normalised word (cached per process)."""
    lang = lang if lang in LANGS else "da"
    cache = _STEM_CACHE[lang]
    out = cache.get(word)
    if out is None:
        if word in PRONOUN_STEMS[lang]:
            out = PRONOUN_STEMS[lang][word]
        elif "/" in word:  # "tcp/ip", "natur/teknik": stem each side
            out = "/".join(_stemmer(lang).stemWord(part) for part in word.split("/"))
        else:
            out = _stemmer(lang).stemWord(word)
        if len(cache) < 500_000:
            cache[word] = out
    return out


def tokenize(text: str, lang: str = "da") -> list[Token]:
    """Words of ``text`` with their offsets, normalised keys and stems."""
    out: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        key = token_key(word)
        out.append(Token(m.start(), m.end(), word, key, stem(key, lang)))
    return out


def words(text: str) -> list[str]:
    """Normalised word keys of ``text`` (no offsets; for phrases and labels)."""
    return [token_key(m.group()) for m in TOKEN_RE.finditer(text)]


def stems(text: str, lang: str = "da") -> list[str]:
    """Stems of the words of ``text``."""
    return [stem(w, lang) for w in words(text)]


# --- language detection -------------------------------------------------------
_DA_STOP = frozenset(
    """og i at er en et det den de til på med for af som har jeg ikke min mit mine
    vi kan fra var hvor også eller men om ved efter under samt blev været godt
    gerne arbejde erfaring uddannelse kurser sprog modersmål kørekort""".split()
)
_EN_STOP = frozenset(
    """and the of to in a is for with on as i have has my at from was by an be this
    that or not are were been work experience education skills languages native
    about me years""".split()
)


def language_scores(text: str) -> dict[str, float]:
    """Evidence for Danish and English: stop-word hits plus Danish letters."""
    tokens = [m.group().lower() for m in TOKEN_RE.finditer(text[:20_000])]
    da = sum(1 for t in tokens if t in _DA_STOP)
    en = sum(1 for t in tokens if t in _EN_STOP)
    # æ, ø, å are strong evidence of Danish (and rarely appear in English CVs
    # except in place names, hence the damping)
    special = sum(text[:20_000].lower().count(ch) for ch in "æøå")
    da += min(special, len(tokens)) * 0.3
    return {"da": float(da), "en": float(en)}


def detect_language(text: str, default: str = "da") -> str:
    """"da" or "en" for a CV text; ``default`` when there is no evidence either way."""
    scores = language_scores(text)
    if scores["da"] == scores["en"]:
        return default
    return "da" if scores["da"] > scores["en"] else "en"


# --- compounds ----------------------------------------------------------------
#: linking elements Danish puts between compound parts ("arbejd-s-miljø",
#: "plej-e-hjem" is covered by the modifier "pleje" itself)
_LINKS = ("s", "e")
#: a compound part must have at least this many letters
MIN_PART = 3

#: common Danish compound heads and modifiers that CVs use but labels may lack;
#: the taxonomy's own words are added to this by :class:`CompoundSplitter`
BASE_VOCABULARY = frozenset(
    """arbejde opgave opgaver erfaring kursus kurser bevis certifikat system systemer
    område leder ledelse medarbejder assistent hjælper medhjælper ansvar styring
    planlægning kørsel fører service salg pleje omsorg rengøring køkken lager
    butik kunde kunder vare varer bestilling modtagelse kontrol håndtering uddannelse
    uddannelsen kendskab viden teknik maskine maskiner værktøj program programmer
    it data løn bogføring regnskab faktura administration kontor telefon mail
    sikkerhed hygiejne miljø kvalitet projekt team gruppe møde møder plan vagt
    vagter dag aften nat weekend hold person personer borger borgere barn børn
    ældre patient patienter elev elever undervisning""".split()
)


def _better_split(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Fewer parts first, then the split whose shortest part is longest.

    "arbejdsområde": "arbejd|s|område" beats "arbejdsom|råde".
    """
    return (len(a), -min(map(len, a))) < (len(b), -min(map(len, b)))


class CompoundSplitter:
    """Split Danish compound words into parts known to a vocabulary.

    A part is known when its lower-case form or its stem is in the vocabulary;
    the last part may be inflected ("lagerarbejdet" → "lager" + "arbejdet").
    Between parts a linking "s" or "e" may stand ("arbejdsmiljø" →
    "arbejd(e)" + "s" + "miljø"). The split with the fewest parts wins, ties go
    to the split whose shortest part is longest. Results are cached per word.
    """

    def __init__(self, vocabulary: Iterable[str], lang: str = "da") -> None:
        self.lang = lang
        self.words: set[str] = set()
        self.stems: set[str] = set()
        for word in [*BASE_VOCABULARY, *vocabulary]:
            key = token_key(word)
            if len(key) >= MIN_PART and key.isalpha():
                self.words.add(key)
                self.stems.add(stem(key, lang))
        self._cache: dict[str, tuple[str, ...] | None] = {}

    def known(self, part: str, last: bool) -> bool:
        if len(part) < MIN_PART:
            return False
        if part in self.words:
            return True
        st = stem(part, self.lang)
        if st in self.stems and (last or st == part):
            return True
        return False

    def split(self, word: str) -> tuple[str, ...] | None:
        """The parts of ``word`` (a normalised key), or None when it is not a known compound."""
        cached = self._cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = None
        if word.isalpha() and len(word) >= 2 * MIN_PART:
            result = self._split(word, depth=0)
            if result is not None and len(result) < 2:
                result = None
        if len(self._cache) < 200_000:
            self._cache[word] = result
        return result

    def _split(self, word: str, depth: int) -> tuple[str, ...] | None:
        if self.known(word, last=True):
            return (word,)
        if depth >= 3:
            return None
        best: tuple[str, ...] | None = None
        n = len(word)
        # longest first part first, so that among splits with equally few
        # parts the one with the longest modifier wins
        for cut in range(n - MIN_PART, MIN_PART - 1, -1):
            head, rest = word[:cut], word[cut:]
            heads = []
            if self.known(head, last=False):
                heads.append(head)
            # a linking element after the modifier: "arbejd|s|miljø"
            if head[-1] in _LINKS and self.known(head[:-1], last=False):
                heads.append(head[:-1])
            # a doubled consonant before a linking "e": "kok|ke|uddannelsen"
            if len(head) > 4 and head.endswith("e") and head[-2] == head[-3] and self.known(head[:-2], last=False):
                heads.append(head[:-2])
            if not heads:
                continue
            parts = self._split(rest, depth + 1)
            if parts is None:
                continue
            split = (heads[0], *parts)
            if best is None or _better_split(split, best):
                best = split
        return best
