"""The posting index: everything about the postings that matching needs, computed once.

Reading requirements out of ~54,000 posting texts takes a while, so it is done
once per data version and cached on disk (``config.data_dir()/index/``); the
app, training, evaluation and the benchmark all load the same
:class:`PostingIndex`.

What the index holds, one row per posting (open and closed):

* **Requirements** as sparse 0/1 matrices (postings × taxonomy competences):
  ``essential`` — competences asked for in the task list, the "Vi forventer /
  Din profil / We expect" part and every licence or certificate; ``optional``
  — competences in "Det er en fordel ... / It is an advantage ..." sentences.
  Whether a competence is professional or personal, a licence, a certificate
  or a language is a column property (``is_personal`` ...), so the split into
  professional/personal is a column mask rather than four matrices.
  Competences are found with the same extractor that reads CVs
  (:mod:`jobmatch.competences`), so both sides speak the taxonomy's ids.
* **Specificity**: the IDF of every competence over the postings
  (``log((1+N)/(1+df)) + 1``): "truckcertifikat" says more than "fleksibel".
* **Text vectors**: TF-IDF over normalised words (uni- and bigrams of Danish
  stems) of title and description, over character n-grams (3–5, within
  words) of the title and the job-describing lines (tasks, requirements,
  "an advantage"), and over the title's words alone (used by retrieval),
  all L2-normalised. N-grams are hashed (stateless, so they are counted in
  parallel); character vectors keep each posting's ``CHAR_TOP_K`` strongest
  n-grams so memory grows by a fixed amount per posting.
* **Facts**: ISCO code, occupation, industry, postcode and coordinates,
  full/part time and weekly hours, posting and deadline dates, the required
  education level (stated in the text, else the occupation's typical level
  from the taxonomy) and whether the posting is open.

Nothing here reads the simulator's hidden truth; requirements are read from
the posting text as a real job centre would have to.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jobmatch import config

#: bump when the on-disk layout or the extraction rules change (part of the cache key)
INDEX_FORMAT_VERSION = "1"

#: character n-grams kept per posting (the strongest by TF-IDF weight)
CHAR_TOP_K = 200

#: day numbers are days since this date (int32 arithmetic for freshness features)
EPOCH = np.datetime64("2000-01-01", "D")

#: The source files whose content changes what the index contains (hashed into the cache key).
_CODE_FILES = ("index.py", "competences.py", "textnorm.py")

SECTION_ESSENTIAL = "essential"
SECTION_TASKS = "tasks"
SECTION_OPTIONAL = "optional"
SECTION_OTHER = "other"

# -- how requirement sections are recognised (lower-cased line starts / phrases) -------------
_ESSENTIAL_HEAD = re.compile(
    r"^(vi forventer|vi forventer, at du|vi forventer at du|din profil|dine kvalifikationer|kvalifikationer"
    r"|krav til dig|vores krav|vi søger en,? der|vi søger dig,? der|du har|du er|du skal|du kan|om dig|hvem er du"
    r"|vi ønsker|vi lægger vægt på|we expect|your profile|requirements|qualifications|about you|you have"
    r"|you are|who you are|must have|we are looking for someone)"
)
_TASK_HEAD = re.compile(
    r"^(dine opgaver|dine arbejdsopgaver|arbejdsopgaver|opgaverne|om jobbet|jobbet består|your tasks|tasks"
    r"|responsibilities|the job|the role|you will)"
)
_OTHER_HEAD = re.compile(
    r"^(vi tilbyder|vi kan tilbyde|om os|om virksomheden|ansøgning|ansøgningsfrist|løn og|stillingen er på"
    r"|we offer|about us|application|salary|how to apply|the position is)"
)
_OPTIONAL_LINE = re.compile(
    r"(det er en fordel|en fordel,? hvis|vil være en fordel|er en fordel|ønskeligt|gerne have|meriterende"
    r"|nice to have|is an advantage|an advantage if|would be an advantage|is a plus|a plus if|preferably|is a bonus)"
)

#: education levels recognised in posting text (lowest level named wins: "bachelor eller kandidat" → mvu)
_EDUCATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phd", re.compile(r"\bph\.? ?d\b|\bphd\b|doctoral")),
    ("lvu", re.compile(r"kandidat|\bcand\.|master'?s? degree|\bmaster\b|akademisk uddannelse|university degree")),
    ("mvu", re.compile(r"professionsbachelor|\bbachelor|mellemlang videregående|professional bachelor")),
    ("kvu", re.compile(r"erhvervsakademi|akademiuddannelse|kort videregående|academy profession|short-cycle")),
    ("eud", re.compile(r"erhvervsuddannelse|faglært|svendebrev|svendeprøve|vocational|skilled worker|journeyman")),
    ("gymnasial", re.compile(r"studentereksamen|\bstx\b|\bhhx\b|\bhtx\b|\bhf\b|gymnasial|upper secondary")),
    ("grundskole", re.compile(r"folkeskole|9\. klasse|grundskole|lower secondary|primary school")),
)
_EDUCATION_CONTEXT = re.compile(r"uddannelse|uddannet|eksamen|education|degree|faglært|educated|qualified as")

#: driving-licence categories and the categories each one includes (Danish rules, simplified)
LICENCE_IMPLIES: dict[str, tuple[str, ...]] = {
    "B": ("B",), "BE": ("BE", "B"), "C1": ("C1", "B"), "C": ("C", "C1", "B"), "CE": ("CE", "C", "C1", "BE", "B"),
    "D1": ("D1", "B"), "D": ("D", "D1", "B"), "DE": ("DE", "D", "D1", "BE", "B"), "A": ("A",), "AM": ("AM",),
}

#: words dropped from every text before vectorising: gendered words and titles, so two CVs that differ
#: only in them get identical text features (digits are dropped too: dates, ages, phone numbers)
NEUTRAL_STOPWORDS = frozenset(
    "han hun ham hende hans hendes mand kvinde kvinder mænd dreng pige herre dame fru frk hr "
    "he she him her his hers man woman men women boy girl mr mrs ms miss sir madam "
    "gift ugift skilt enke enkemand married single divorced widow widower".split()
)

#: CV/contact lines that are never matching evidence (dropped defensively on the query side)
_CONTACT_LINE = re.compile(
    r"^\s*(navn|name|adresse|address|telefon|tlf|mobil|phone|mobile|e-?mail|fødselsdato|født|date of birth|"
    r"birth ?date|alder|age|nationalitet|nationality|statsborgerskab|citizenship|civilstand|marital status|"
    r"køn|gender|sex|cpr)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)


#: masks written by :func:`jobmatch.pii.redact` ("[NAME]█████", "[NAVN]███"): removed before vectorising
_MASK = re.compile(r"\[[A-ZÆØÅ_]+\]█*|█+")


class IndexError_(RuntimeError):
    """The index cannot be built or loaded (named with a trailing underscore to not shadow IndexError)."""


# ---------------------------------------------------------------------------
# text normalisation (shared by postings and CVs so both sides land in the same vocabulary)


def _fallback_normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[^\w]+", " ", text)


_STEMMER: Any = None


def _stem_words(words: list[str]) -> list[str]:
    global _STEMMER
    if _STEMMER is None:
        try:
            import Stemmer  # PyStemmer: Snowball in C, fast

            _STEMMER = Stemmer.Stemmer("danish")
        except ImportError:  # pragma: no cover - PyStemmer is a pinned dependency
            _STEMMER = False
    if _STEMMER is False:
        return words
    return _STEMMER.stemWords(words)


def redact_for_matching(text: str) -> str:
    """Drop contact/identity lines (name, address, phone, birth date, ...) from a CV text.

    The CV parser already redacts; this is a second, defensive layer so the
    matching never sees them even when a CV is fed in raw.
    """
    text = _MASK.sub(" ", text or "")
    return _CONTACT_LINE.sub(" ", text)


def normalise_text(text: str) -> str:
    """Lower-cased, stemmed words separated by single spaces; gendered words and digits removed."""
    base = _fallback_normalise(text or "")
    words = [w for w in base.split() if not w.isdigit() and w not in NEUTRAL_STOPWORDS and not any(c.isdigit() for c in w)]
    return " ".join(_stem_words(words))


def normalise_for_chars(text: str) -> str:
    """Lower-cased words (not stemmed, so character n-grams see inflections); neutral words removed."""
    base = _fallback_normalise(text or "")
    return " ".join(w for w in base.split() if not any(c.isdigit() for c in w) and w not in NEUTRAL_STOPWORDS)


# ---------------------------------------------------------------------------
# sections of a posting text


def line_sections(description: str) -> tuple[np.ndarray, list[str]]:
    """Classify every line of a posting into essential / tasks / optional / other.

    Returns (line start offsets, section per line). A line matching a heading
    pattern opens that section (the line itself belongs to it); an "it is an
    advantage" line is optional on its own; lines before any heading are
    "other" (introductions). When no heading is found at all, every line
    that is not optional counts as essential: we cannot tell, and missing a
    requirement is worse than including an introduction sentence.
    """
    lines = description.split("\n")
    starts = np.zeros(len(lines), dtype=np.int64)
    pos = 0
    for i, line in enumerate(lines):
        starts[i] = pos
        pos += len(line) + 1
    sections: list[str] = []
    current = SECTION_OTHER
    any_heading = False
    for line in lines:
        low = line.strip().lstrip("-•*· ").lower()
        if _OPTIONAL_LINE.search(low):
            sections.append(SECTION_OPTIONAL)
            continue
        if _ESSENTIAL_HEAD.match(low):
            current, any_heading = SECTION_ESSENTIAL, True
        elif _TASK_HEAD.match(low):
            current, any_heading = SECTION_TASKS, True
        elif _OTHER_HEAD.match(low):
            current, any_heading = SECTION_OTHER, True
        sections.append(current)
    if not any_heading:
        sections = [s if s == SECTION_OPTIONAL else SECTION_ESSENTIAL for s in sections]
    return starts, sections


def content_text(description: str) -> str:
    """The lines of a posting that describe the job: tasks, requirements, "an advantage" lines.

    Introductions, offers, hours and deadlines are left out; a posting without
    recognisable headings is kept whole (see :func:`line_sections`).
    """
    _, sections = line_sections(description)
    lines = description.split("\n")
    return "\n".join(line for line, sec in zip(lines, sections) if sec != SECTION_OTHER)


def education_level_in(text: str) -> str | None:
    """The lowest education level a text names in an education context, or None."""
    from jobmatch.taxonomy import EDUCATION_ORDER

    found: list[str] = []
    for line in text.lower().split("\n"):
        if not _EDUCATION_CONTEXT.search(line):
            continue
        for level, pattern in _EDUCATION_PATTERNS:
            if pattern.search(line):
                found.append(level)
    if not found:
        return None
    return min(found, key=lambda lv: EDUCATION_ORDER[lv])


def licence_category(competence_id: str) -> str | None:
    """'sk_koerekort_ce' → 'CE'; None for anything that is not a driving licence."""
    m = re.match(r"^sk_koerekort_?([a-z0-9]+)$", competence_id)
    return m.group(1).upper() if m else None


def is_credential_id(competence_id: str) -> bool:
    """Licences, certificates and authorisations: things a person holds rather than does."""
    cid = competence_id.lower()
    return (licence_category(cid) is not None or "certifikat" in cid or "bevis" in cid or "autorisation" in cid
            or cid.startswith(("sk_truck", "sk_kran", "sk_teleskop", "sk_lift", "sk_svejse", "sk_foerstehjaelp",
                               "sk_hjertestarter", "sk_stillads", "sk_asbest", "sk_adr", "sk_chauffoer",
                               "sk_arbejdsmiljoeuddannelse", "sk_vagtcertifikat")))


# ---------------------------------------------------------------------------
# extraction (the CV extractor run over posting texts)

#: an extractor turns a text into mentions with .competence_id, .start, .negated
Extractor = Callable[[str, str], Sequence[Any]]


def default_extractor() -> Extractor:
    """The CV competence extractor (:func:`jobmatch.competences.extract`), taxonomy matches only."""
    from jobmatch import competences

    def run(text: str, lang: str) -> Sequence[Any]:
        return competences.extract(text, lang=lang if lang in ("da", "en") else None, free_text=False)

    return run


def posting_requirements(description: str, lang: str, extractor: Extractor, credential: Callable[[str], bool]
                         ) -> tuple[list[str], list[str], str | None]:
    """(essential ids, optional ids, stated education level) of one posting text."""
    starts, sections = line_sections(description)
    essential: dict[str, None] = {}
    optional: dict[str, None] = {}
    for m in extractor(description, lang):
        cid = getattr(m, "competence_id", None)
        if not cid or getattr(m, "negated", False):
            continue
        line = int(np.searchsorted(starts, int(getattr(m, "start", 0)), side="right") - 1)
        section = sections[max(0, min(line, len(sections) - 1))]
        if section == SECTION_OPTIONAL:
            optional[cid] = None
        elif section in (SECTION_ESSENTIAL, SECTION_TASKS) or credential(cid):
            essential[cid] = None
    opt = [c for c in optional if c not in essential]
    return list(essential), opt, education_level_in(description)


@dataclass
class HashedTfidf:
    """TF-IDF over hashed n-grams: stateless counting (so it runs in parallel chunks), fitted IDF.

    Same weighting as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``:
    ``(1 + log tf) * (log((1+N)/(1+df)) + 1)``, then L2 normalisation. Terms
    in fewer than ``min_df`` or more than ``max_df`` × N documents get weight
    0. With ``top_k`` only each document's k strongest terms are kept.
    """

    analyzer: str = "word"
    ngram_range: tuple[int, int] = (1, 1)
    min_df: int = 2
    max_df: float = 0.5
    top_k: int | None = None
    n_features: int = 2 ** 20
    idf_: np.ndarray | None = None

    def hasher(self) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range, n_features=self.n_features,
                                 alternate_sign=False, norm=None, lowercase=False, dtype=np.float32,
                                 token_pattern=r"(?u)\b\w\w+\b")

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        return self.hasher().transform(texts).tocsr()

    def fit_counts(self, counts: sp.csr_matrix) -> "HashedTfidf":
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=self.n_features)
        keep = (df >= self.min_df) & (df <= self.max_df * n)
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        idf[~keep] = 0.0
        self.idf_ = idf
        return self

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.idf_ is None:
            raise RuntimeError("HashedTfidf is not fitted")
        x = counts.tocsr()
        data = ((1.0 + np.log(x.data.astype(np.float32))) * self.idf_[x.indices]).astype(np.float32)
        x = sp.csr_matrix((data, x.indices.copy(), x.indptr.copy()), shape=x.shape)
        x.eliminate_zeros()
        if self.top_k:
            x = _top_k_rows(x, self.top_k)
        lengths = np.diff(x.indptr)
        sums = np.zeros(x.shape[0], dtype=np.float64)
        nonempty = lengths > 0
        if x.nnz:
            sums[nonempty] = np.add.reduceat(x.data.astype(np.float64) ** 2, x.indptr[:-1][nonempty])
        norms = np.sqrt(sums)
        norms[norms == 0] = 1.0
        x.data /= np.repeat(norms, lengths).astype(np.float32)
        return x

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self.weigh(self.counts(texts))

    @property
    def vocabulary_size(self) -> int:
        return int((self.idf_ > 0).sum()) if self.idf_ is not None else 0


def make_word_tfidf() -> HashedTfidf:
    """Words and word pairs of stemmed text."""
    return HashedTfidf(analyzer="word", ngram_range=(1, 2), min_df=2, max_df=0.5, n_features=2 ** 19)


def make_char_tfidf() -> HashedTfidf:
    """Character 3–5-grams inside words, the strongest CHAR_TOP_K per text."""
    return HashedTfidf(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_df=0.5, top_k=CHAR_TOP_K,
                       n_features=2 ** 18)


_WORKER_EXTRACTOR: Extractor | None = None


def _process_chunk(items: list[tuple[str, str, str]], extractor: Extractor | None = None
                   ) -> tuple[list[tuple[list[str], list[str], str | None]], sp.csr_matrix, sp.csr_matrix]:
    """Requirements plus hashed word and char counts for a chunk of (title, description, lang).

    Runs in a worker process of the build's pool (the extractor is built once per process).
    """
    global _WORKER_EXTRACTOR
    if extractor is None:
        if _WORKER_EXTRACTOR is None:
            _WORKER_EXTRACTOR = default_extractor()
        extractor = _WORKER_EXTRACTOR
    reqs = [posting_requirements(text, lang, extractor, is_credential_id) for _, text, lang in items]
    words = make_word_tfidf().counts([normalise_text(f"{title}\n{text}") for title, text, _ in items])
    chars = make_char_tfidf().counts([normalise_for_chars(f"{title}\n{content_text(text)}") for title, text, _ in items])
    return reqs, words, chars


# ---------------------------------------------------------------------------
# the index


def _top_k_rows(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the k largest entries of every row (vectorised over rows; no renormalisation)."""
    matrix = matrix.tocsr()
    counts = np.diff(matrix.indptr)
    if counts.max(initial=0) <= k:
        return matrix
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.float64), counts)
    # one sort by (row, -value): values are positive and far below 1e6
    span = float(matrix.data.max(initial=0.0)) + 1.0
    order = np.argsort(row_of * span - matrix.data, kind="stable")
    rank = np.arange(order.size) - np.repeat(matrix.indptr[:-1], counts)
    keep = np.sort(order[rank < k])
    indptr = np.concatenate([[0], np.cumsum(np.minimum(counts, k))])
    out = sp.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)
    out.sort_indices()
    return out


def code_version() -> str:
    """A short hash of the code and taxonomy that shape the index (part of its cache key)."""
    h = hashlib.sha256(INDEX_FORMAT_VERSION.encode())
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        path = here / name
        if path.exists():
            h.update(path.read_bytes())
    tax_dir = config.taxonomy_dir()
    if tax_dir.exists():
        for path in sorted(tax_dir.glob("*.csv")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:10]


@dataclass
class PostingIndex:
    """Precomputed, vectorised facts about every posting (see the module docstring)."""

    posting_ids: np.ndarray  # str
    meta: pd.DataFrame  # title, employer, postcode, municipality_code, occupation_id, isco, industry, lang
    competence_ids: list[str]
    essential: sp.csr_matrix  # postings × competences, 0/1 float32
    optional: sp.csr_matrix
    is_personal: np.ndarray  # bool per competence
    is_language: np.ndarray
    is_licence: np.ndarray
    is_credential: np.ndarray  # licences and certificates
    idf: np.ndarray  # float32 per competence
    word: sp.csr_matrix  # postings × word vocabulary, L2-normalised TF-IDF
    char: sp.csr_matrix  # postings × char n-gram vocabulary, L2-normalised, top-k per row
    title: sp.csr_matrix  # postings × word vocabulary: the title alone, weighted like ``word`` (retrieval)
    word_vectorizer: Any
    char_vectorizer: Any
    isco: np.ndarray  # int32, 4-digit ISCO-08 code (-1 unknown)
    occupation_code: np.ndarray  # int32 code into occupation_vocab (-1 unknown)
    occupation_vocab: list[str]
    industry_code: np.ndarray  # int16 code into industry_vocab
    industry_vocab: list[str]
    postcode: np.ndarray  # int32
    postcode_slot: np.ndarray  # int32 position in unique_postcodes
    unique_postcodes: np.ndarray  # int32
    lat: np.ndarray
    lon: np.ndarray
    part_time: np.ndarray  # bool
    weekly_hours: np.ndarray  # float32
    posted_day: np.ndarray  # int32 days since EPOCH
    deadline_day: np.ndarray  # int32
    is_open: np.ndarray  # bool
    edu_required: np.ndarray  # int8 EDUCATION_ORDER of the stated level, -1 when not stated
    edu_typical: np.ndarray  # int8 the occupation's typical level from the taxonomy, -1 unknown
    text_lang_col: np.ndarray  # int32 column of the language the posting is written in (-1 unknown)
    info: dict = field(default_factory=dict)

    # -- sizes and look-ups ----------------------------------------------------
    def __len__(self) -> int:
        return int(self.posting_ids.size)

    @property
    def n_competences(self) -> int:
        return len(self.competence_ids)

    def column_of(self) -> dict[str, int]:
        cached = self.__dict__.get("_col_of")
        if cached is None:
            cached = {c: i for i, c in enumerate(self.competence_ids)}
            self.__dict__["_col_of"] = cached
        return cached

    def _cache(self, name: str, make: Callable[[], Any]) -> Any:
        """A value derived from the index, computed once per index object."""
        value = self.__dict__.get(name)
        if value is None:
            value = make()
            self.__dict__[name] = value
        return value

    def licence_columns(self) -> dict[str, int]:
        """Driving-licence category ('B', 'CE', ...) → competence column."""
        return self._cache("_licence_cols", lambda: {
            cat: i for i, c in enumerate(self.competence_ids) if (cat := licence_category(c)) is not None})

    def occupation_lookup(self) -> dict[str, int]:
        return self._cache("_occ_lookup", lambda: {o: i for i, o in enumerate(self.occupation_vocab)})

    def column_values(self, column: str) -> np.ndarray:
        """A metadata column as a NumPy object array (fast per-row access when building results)."""
        return self._cache(f"_col_{column}", lambda: self.meta[column].astype(str).to_numpy(dtype=object)
                           if column in self.meta else np.full(len(self), "", dtype=object))

    def rows_of(self, posting_ids: Sequence[str] | np.ndarray | pd.Series) -> np.ndarray:
        """Row numbers of posting ids (-1 for unknown ids), vectorised."""
        lookup = self.__dict__.get("_id_index")
        if lookup is None:
            lookup = pd.Index(self.posting_ids)
            self.__dict__["_id_index"] = lookup
        return lookup.get_indexer(pd.Index(np.asarray(posting_ids, dtype=object)))

    def requirements(self, row: int) -> dict[str, list[str]]:
        """The competence ids one posting asks for, by relation and kind (for explanations)."""
        ess = self.essential.indices[self.essential.indptr[row]:self.essential.indptr[row + 1]]
        opt = self.optional.indices[self.optional.indptr[row]:self.optional.indptr[row + 1]]
        ids = np.asarray(self.competence_ids, dtype=object)

        def pick(cols: np.ndarray, mask: np.ndarray) -> list[str]:
            return [str(c) for c in ids[cols[mask[cols]]]]

        prof = ~self.is_personal & ~self.is_language
        return {
            "essential_professional": pick(ess, prof & ~self.is_credential),
            "essential_personal": pick(ess, self.is_personal),
            "essential_credentials": pick(ess, self.is_credential),
            "essential_languages": pick(ess, self.is_language),
            "optional_professional": pick(opt, prof),
            "optional_personal": pick(opt, self.is_personal),
            "optional_languages": pick(opt, self.is_language),
        }

    def vectorise_text(self, text: str) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """TF-IDF word and char vectors (1 × vocabulary) of a query text, in the postings' space."""
        clean = redact_for_matching(text)
        word = self.word_vectorizer.transform([normalise_text(clean)])
        char = self.char_vectorizer.transform([normalise_for_chars(clean)])
        return word, char

    # -- derived indexes -------------------------------------------------------------
    def subset(self, rows: np.ndarray) -> "PostingIndex":
        """A smaller index with the given rows (used by tests)."""
        rows = np.asarray(rows)
        return self._with_rows(rows, self.posting_ids[rows])

    def replicate(self, n: int) -> "PostingIndex":
        """An index of ``n`` postings made of copies of this one with new ids (for the benchmark).

        The precomputed vectors are copied rather than re-extracted, so a
        200,000-posting index takes seconds to make.
        """
        rows = np.arange(n) % len(self)
        copy_no = np.arange(n) // len(self)
        ids = np.array([f"{pid}-{k}" if k else str(pid) for pid, k in zip(self.posting_ids[rows], copy_no)],
                       dtype=object)
        return self._with_rows(rows, ids)

    def _with_rows(self, rows: np.ndarray, ids: np.ndarray) -> "PostingIndex":
        per_row = {
            name: getattr(self, name)[rows]
            for name in ("isco", "occupation_code", "industry_code", "postcode", "postcode_slot", "lat", "lon",
                         "part_time", "weekly_hours", "posted_day", "deadline_day", "is_open", "edu_required",
                         "edu_typical", "text_lang_col")
        }
        return PostingIndex(
            posting_ids=ids, meta=self.meta.iloc[rows].reset_index(drop=True), competence_ids=self.competence_ids,
            essential=self.essential[rows], optional=self.optional[rows], is_personal=self.is_personal,
            is_language=self.is_language, is_licence=self.is_licence, is_credential=self.is_credential, idf=self.idf,
            word=self.word[rows], char=self.char[rows], title=self.title[rows], word_vectorizer=self.word_vectorizer,
            char_vectorizer=self.char_vectorizer, occupation_vocab=self.occupation_vocab,
            industry_vocab=self.industry_vocab, unique_postcodes=self.unique_postcodes,
            info={**self.info, "derived": True}, **per_row,
        )

    # -- persistence ---------------------------------------------------------------------
    _ARRAYS = ("isco", "occupation_code", "industry_code", "postcode", "postcode_slot", "unique_postcodes", "lat",
               "lon", "part_time", "weekly_hours", "posted_day", "deadline_day", "is_open", "edu_required",
               "edu_typical", "text_lang_col", "is_personal", "is_language", "is_licence", "is_credential", "idf")
    _MATRICES = ("essential", "optional", "word", "char", "title")

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically (a temporary folder renamed into place)."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        np.savez(tmp / "arrays.npz", posting_ids=self.posting_ids.astype(str),
                 **{name: getattr(self, name) for name in self._ARRAYS})
        for name in self._MATRICES:
            sp.save_npz(tmp / f"{name}.npz", getattr(self, name), compressed=False)
        self.meta.to_parquet(tmp / "meta.parquet", index=False)
        with open(tmp / "vectorizers.pkl", "wb") as fh:
            pickle.dump({"word": self.word_vectorizer, "char": self.char_vectorizer}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        (tmp / "info.json").write_text(json.dumps({
            **self.info, "competence_ids": self.competence_ids, "occupation_vocab": self.occupation_vocab,
            "industry_vocab": self.industry_vocab}, ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> "PostingIndex":
        folder = Path(folder)
        if not (folder / "info.json").exists():
            raise IndexError_(f"No posting index in {folder}")
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        arrays = np.load(folder / "arrays.npz", allow_pickle=False)
        with open(folder / "vectorizers.pkl", "rb") as fh:  # our own cache, written by save()
            vec = pickle.load(fh)
        kwargs = {name: arrays[name] for name in cls._ARRAYS}
        kwargs.update({name: sp.load_npz(folder / f"{name}.npz").tocsr() for name in cls._MATRICES})
        return cls(
            posting_ids=arrays["posting_ids"].astype(object), meta=pd.read_parquet(folder / "meta.parquet"),
            competence_ids=list(info.pop("competence_ids")), occupation_vocab=list(info.pop("occupation_vocab")),
            industry_vocab=list(info.pop("industry_vocab")), word_vectorizer=vec["word"],
            char_vectorizer=vec["char"], info=info, **kwargs,
        )


# ---------------------------------------------------------------------------
# building


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(f"  {msg}", file=sys.stderr, flush=True)


def _process_all(titles: list[str], descriptions: list[str], langs: list[str], extractor: Extractor | None,
                 workers: int, progress: bool
                 ) -> tuple[list[tuple[list[str], list[str], str | None]], sp.csr_matrix, sp.csr_matrix]:
    items = list(zip(titles, descriptions, langs))
    chunk = 400
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    reqs: list[tuple[list[str], list[str], str | None]] = []
    words, chars = [], []
    if extractor is not None or workers <= 1 or len(items) < 2000:
        results = (_process_chunk(part, extractor or default_extractor()) for part in chunks)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        results = pool.map(_process_chunk, chunks)
    try:
        for part_reqs, part_words, part_chars in results:
            reqs.extend(part_reqs)
            words.append(part_words)
            chars.append(part_chars)
            if progress and (len(words) % 20 == 0 or len(reqs) == len(items)):
                _say(progress, f"postings read: {len(reqs):,}/{len(items):,}")
    finally:
        if pool is not None:
            pool.shutdown()
    return reqs, sp.vstack(words, format="csr"), sp.vstack(chars, format="csr")


def build_index(postings: pd.DataFrame, *, taxonomy: Any = None, extractor: Extractor | None = None,
                workers: int | None = None, progress: bool = False, info: dict | None = None) -> PostingIndex:
    """Build the index from a postings table (columns as in :mod:`jobmatch.world`).

    ``extractor`` defaults to the CV extractor (run in a process pool of
    ``workers`` processes, default: all cores); pass a function for tests.
    """
    from jobmatch import geo
    from jobmatch.taxonomy import EDUCATION_ORDER, load_taxonomy

    started = time.perf_counter()
    tax = taxonomy or load_taxonomy()
    postings = postings.reset_index(drop=True)
    n = len(postings)
    if n == 0:
        raise IndexError_("No postings to index")
    comp = tax.competences.reset_index(drop=True)
    competence_ids = comp["competence_id"].astype(str).tolist()
    col_of = {c: i for i, c in enumerate(competence_ids)}
    n_comp = len(competence_ids)

    # requirements and text counts (one pass, in a process pool) --------------------------
    t0 = time.perf_counter()
    _say(progress, f"reading requirements and text of {n:,} postings ...")
    descriptions = postings["description"].fillna("").astype(str).tolist()
    langs = postings["lang"].fillna("da").astype(str).tolist() if "lang" in postings else ["da"] * n
    titles = postings["title"].fillna("").astype(str).tolist() if "title" in postings else [""] * n
    extracted, word_counts, char_counts = _process_all(titles, descriptions, langs, extractor,
                                                       workers or (os.cpu_count() or 1), progress)
    extract_seconds = time.perf_counter() - t0

    def to_matrix(which: int) -> sp.csr_matrix:
        rows, cols = [], []
        for r, item in enumerate(extracted):
            for c in item[which]:
                j = col_of.get(c)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (np.asarray(rows, dtype=np.int64),
                                                                   np.asarray(cols, dtype=np.int64))),
                          shape=(n, n_comp))
        m.sum_duplicates()
        m.data[:] = 1.0
        return m

    essential, optional = to_matrix(0), to_matrix(1)
    df = np.asarray(((essential + optional) > 0).sum(axis=0)).ravel()
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)

    kind = comp["kind"].astype(str).to_numpy()
    group = comp["group"].astype(str).to_numpy()
    is_personal = kind == "personal"
    is_language = group == "L1"
    is_licence = np.array([licence_category(c) is not None for c in competence_ids])
    is_credential = np.array([is_credential_id(c) for c in competence_ids]) & ~is_language & ~is_personal

    # text vectors ----------------------------------------------------------------------
    t0 = time.perf_counter()
    word_vec = make_word_tfidf().fit_counts(word_counts)
    word = word_vec.weigh(word_counts)
    char_vec = make_char_tfidf().fit_counts(char_counts)
    char = char_vec.weigh(char_counts)
    del word_counts, char_counts
    title = word_vec.transform([normalise_text(t) for t in titles])
    text_seconds = time.perf_counter() - t0

    # facts -----------------------------------------------------------------------------
    isco = pd.to_numeric(postings.get("isco", pd.Series([None] * n)), errors="coerce").fillna(-1).astype(np.int32)
    occ_codes, occ_vocab = pd.factorize(postings.get("occupation_id", pd.Series([""] * n)).fillna("").astype(str))
    ind_codes, ind_vocab = pd.factorize(postings.get("industry", pd.Series([""] * n)).fillna("").astype(str))
    postcode = postings["postcode"].astype(np.int32).to_numpy()
    unique_pc, slot = np.unique(postcode, return_inverse=True)
    lat, lon = geo.postcode_coords(postcode)
    hours = postings.get("hours", pd.Series(["full"] * n)).fillna("full").astype(str).to_numpy()
    weekly = pd.to_numeric(postings.get("weekly_hours", pd.Series([np.nan] * n)), errors="coerce").to_numpy(np.float32)

    def days(col: str, default: str) -> np.ndarray:
        values = pd.to_datetime(postings[col] if col in postings else pd.Series([default] * n))
        return ((values.to_numpy().astype("datetime64[D]") - EPOCH).astype(np.int32))

    ref = config.settings().reference_date
    occ_edu = dict(zip(tax.occupations["occupation_id"], tax.occupations["education_level"]))
    edu_typical = np.array([EDUCATION_ORDER.get(occ_edu.get(o, ""), -1) for o in occ_vocab], dtype=np.int8)
    edu_typical = edu_typical[occ_codes] if len(occ_vocab) else np.full(n, -1, np.int8)
    edu_required = np.array([EDUCATION_ORDER.get(e[2] or "", -1) for e in extracted], dtype=np.int8)
    lang_cols = _language_columns(comp)
    text_lang_col = np.array([lang_cols.get(lg, -1) for lg in langs], dtype=np.int32)
    status = postings["status"].astype(str).to_numpy() if "status" in postings else np.full(n, "open")
    meta_cols = [c for c in ("title", "employer", "postcode", "municipality_code", "occupation_id", "isco",
                             "industry", "lang", "hours", "weekly_hours", "posted_date", "deadline", "status")
                 if c in postings]
    index = PostingIndex(
        posting_ids=postings["posting_id"].astype(str).to_numpy(dtype=object), meta=postings[meta_cols].copy(),
        competence_ids=competence_ids, essential=essential, optional=optional, is_personal=is_personal,
        is_language=is_language, is_licence=is_licence, is_credential=is_credential, idf=idf, word=word,
        char=char, title=title, word_vectorizer=word_vec, char_vectorizer=char_vec, isco=isco.to_numpy(np.int32),
        occupation_code=occ_codes.astype(np.int32), occupation_vocab=[str(o) for o in occ_vocab],
        industry_code=ind_codes.astype(np.int16), industry_vocab=[str(i) for i in ind_vocab],
        postcode=postcode, postcode_slot=slot.astype(np.int32), unique_postcodes=unique_pc.astype(np.int32),
        lat=np.asarray(lat, dtype=np.float64), lon=np.asarray(lon, dtype=np.float64),
        part_time=hours == "part", weekly_hours=weekly, posted_day=days("posted_date", ref),
        deadline_day=days("deadline", ref), is_open=status == "open", edu_required=edu_required,
        edu_typical=edu_typical, text_lang_col=text_lang_col,
        info={**(info or {}), "postings": n, "format": INDEX_FORMAT_VERSION, "language_columns": lang_cols,
              "seconds": {"read": round(extract_seconds, 1), "weigh": round(text_seconds, 1),
                          "total": round(time.perf_counter() - started, 1)},
              "nnz": {"essential": int(essential.nnz), "optional": int(optional.nnz), "word": int(word.nnz),
                      "char": int(char.nnz), "title": int(title.nnz)}},
    )
    _say(progress, f"index built in {index.info['seconds']['total']} s")
    return index


def _language_columns(competences: pd.DataFrame) -> dict[str, int]:
    """ISO code of a posting's language ('da', 'en') → column of that language competence."""
    out: dict[str, int] = {}
    labels = competences["label_en"].astype(str).str.lower().tolist()
    groups = competences["group"].astype(str).tolist()
    for i, (label, group) in enumerate(zip(labels, groups)):
        if group != "L1":
            continue
        if label.startswith("danish"):
            out.setdefault("da", i)
        elif label.startswith("english"):
            out.setdefault("en", i)
    return out


# ---------------------------------------------------------------------------
# the cache


def index_root() -> Path:
    return config.data_dir() / "index"


def index_folder(data_version: str, root: Path | None = None) -> Path:
    return Path(root or index_root()) / f"{data_version}-{code_version()}"


def load_or_build(world_folder: Path | None = None, *, cache_root: Path | None = None, progress: bool = False,
                  workers: int | None = None) -> PostingIndex:
    """The index of the world in ``world_folder`` (default: the configured world), from cache or built now."""
    from jobmatch import world

    version = world.data_version(world_folder)
    folder = index_folder(version, cache_root)
    if (folder / "info.json").exists():
        try:
            return PostingIndex.load(folder)
        except Exception as exc:  # a damaged cache is rebuilt, not fatal
            _say(progress, f"cached index unreadable ({type(exc).__name__}); rebuilding")
    postings = world.load_postings(world_folder)
    index = build_index(postings, progress=progress, workers=workers,
                        info={"data_version": version, "code_version": code_version()})
    if (folder / "info.json").exists():  # another process finished the same index meanwhile: keep theirs
        return index
    try:
        index.save(folder)
        prune_cache(folder.parent, keep=KEEP_CACHED)
    except OSError as exc:  # read-only data folder: keep working from memory
        _say(progress, f"could not cache the index in {folder}: {exc}")
    return index


#: cached indexes kept in the cache folder (newest first); older ones are deleted after a build
KEEP_CACHED = 3


def prune_cache(root: Path, keep: int = KEEP_CACHED) -> list[Path]:
    """Delete all but the ``keep`` most recently built indexes under ``root``; returns what was deleted."""
    folders = [p for p in Path(root).iterdir() if p.is_dir() and (p / "info.json").exists()]
    folders.sort(key=lambda p: (p / "info.json").stat().st_mtime, reverse=True)
    removed = []
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed
