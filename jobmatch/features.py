"""Pair features: how well one citizen's profile fits each candidate posting.

Every feature is computed for all candidates at once with NumPy and sparse
matrix products — never a Python loop over postings. The table
:data:`FEATURES` names each feature, says what it means and in which unit,
and puts it in a group (the explanation views show groups, not raw names).

What is deliberately *not* here: name, age, birth date, gender, nationality,
origin, photo, marital status or the home address itself. Home only enters as
the travel time to the job. CV words that say gender (pronouns, titles) and
all digits (dates, ages, phone numbers) are removed from the text before the
text features see it, and contact lines (name, address, birth date, ...) are
dropped, so two CVs differing only in those get identical features
(``tests/test_features.py`` checks both).

Missing values are ``nan`` (LightGBM treats them as missing), e.g. the
education gap when the CV names no education.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from jobmatch.index import EPOCH, LICENCE_IMPLIES, PostingIndex, licence_category


@dataclass(frozen=True)
class Feature:
    name: str
    meaning: str
    unit: str
    group: str


#: feature groups in the order the explanation views show them
GROUPS: dict[str, tuple[str, str]] = {
    "professional": ("Faglige kompetencer", "Professional competences"),
    "personal": ("Personlige kompetencer", "Personal competences"),
    "credentials": ("Certifikater og kørekort", "Certificates and licences"),
    "text": ("Ligheder i teksten", "Similar wording"),
    "occupation": ("Erfaring i faget", "Experience in the occupation"),
    "education": ("Uddannelse", "Education"),
    "language": ("Sprog", "Languages"),
    "travel": ("Transport", "Travel"),
    "hours": ("Arbejdstid", "Working hours"),
    "freshness": ("Opslagets alder", "Posting age"),
}

FEATURES: tuple[Feature, ...] = (
    Feature("ess_prof_coverage", "Share of the posting's essential professional requirements found in the CV, "
            "weighted by specificity (IDF over postings)", "share 0-1", "professional"),
    Feature("opt_prof_coverage", "Share of the posting's optional ('an advantage') professional requirements "
            "found in the CV, weighted by specificity", "share 0-1", "professional"),
    Feature("ess_prof_matched", "Number of essential professional requirements found in the CV", "count",
            "professional"),
    Feature("ess_prof_missing", "Number of essential professional requirements not found in the CV", "count",
            "professional"),
    Feature("ess_prof_total", "Number of essential professional requirements the posting names", "count",
            "professional"),
    Feature("cv_prof_used", "Share of the CV's professional competences (weighted by specificity) that the "
            "posting asks for, essential or optional", "share 0-1", "professional"),
    Feature("ess_pers_coverage", "Share of the posting's essential personal requirements found in the CV, "
            "weighted by specificity", "share 0-1", "personal"),
    Feature("opt_pers_coverage", "Share of the posting's optional personal requirements found in the CV, "
            "weighted by specificity", "share 0-1", "personal"),
    Feature("ess_pers_matched", "Number of essential personal requirements found in the CV", "count", "personal"),
    Feature("licences_missing", "Driving licences the posting requires that the CV does not show "
            "(a higher category counts for the lower ones it includes)", "count", "credentials"),
    Feature("certificates_missing", "Certificates and authorisations the posting requires that the CV does "
            "not show", "count", "credentials"),
    Feature("credentials_met", "Share of the required licences and certificates the CV shows "
            "(missing when none are required)", "share 0-1", "credentials"),
    Feature("text_word_cosine", "Cosine similarity of TF-IDF vectors of normalised, stemmed words and word "
            "pairs (CV vs posting)", "cosine 0-1", "text"),
    Feature("text_char_cosine", "Cosine similarity of TF-IDF vectors of character 3-5-grams (robust to "
            "inflection and compounds)", "cosine 0-1", "text"),
    Feature("same_occupation", "1 when the CV's work history holds the posting's occupation", "0/1",
            "occupation"),
    Feature("isco_match_digits", "Longest common ISCO-08 prefix between the posting's occupation and any "
            "occupation in the CV: 4 same unit group, 3 same minor group, 2 same sub-major group, 1 same major "
            "group, 0 none", "digits 0-4", "occupation"),
    Feature("years_same_unit", "Years of experience in the posting's ISCO unit group (4 digits), capped at 20",
            "years", "occupation"),
    Feature("years_same_minor", "Years of experience in the posting's ISCO minor group (3 digits), capped at 20",
            "years", "occupation"),
    Feature("years_same_submajor", "Years of experience in the posting's ISCO sub-major group (2 digits), "
            "capped at 20", "years", "occupation"),
    Feature("edu_gap", "Education levels the CV lacks against the posting's stated requirement (else the "
            "occupation's typical level); 0 when enough, missing when the CV names no education", "levels",
            "education"),
    Feature("edu_surplus", "Education levels the CV has above the requirement; missing when unknown", "levels",
            "education"),
    Feature("edu_stated", "1 when the posting states an education requirement in its text", "0/1", "education"),
    Feature("lang_fit", "Share of the posting's language requirements (those it names, plus the language it is "
            "written in) the CV covers at a working level", "share 0-1", "language"),
    Feature("lang_missing", "Number of those language requirements the CV does not cover", "count", "language"),
    Feature("travel_minutes", "Door-to-door minutes from home to the workplace with the chosen transport mode",
            "minutes", "travel"),
    Feature("travel_share", "Travel minutes divided by the citizen's maximum travel time", "share", "travel"),
    Feature("hours_fit", "1 when full/part time matches the citizen's wish, 0 when not, missing when no wish",
            "0/1", "hours"),
    Feature("weekly_hours", "Weekly hours of the position", "hours", "hours"),
    Feature("days_since_posted", "Days since the posting was published", "days", "freshness"),
    Feature("days_to_deadline", "Days left until the application deadline", "days", "freshness"),
)

FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}

#: words that must never appear in a feature name (protected attributes and their obvious proxies)
PROTECTED_TERMS = ("name", "navn", "age", "alder", "birth", "fødsel", "gender", "sex", "køn", "nationality",
                   "nationalitet", "origin", "oprindelse", "ethnic", "photo", "foto", "address", "adresse",
                   "marital", "civilstand", "religion", "cpr", "cv_lang", "citizen_id", "postcode")

YEARS_CAP = 20.0

#: language levels that count as "working level"
_WORKING_LEVELS = frozenset({"native", "fluent", "good", "intermediate", "unknown"})


# ---------------------------------------------------------------------------
# the query: a profile turned into vectors in the index's space


@dataclass
class Query:
    """One citizen's profile in the index's coordinates (built by :func:`encode_profile`)."""

    has: np.ndarray  # float32 per competence: 1 when the CV shows it
    isco: np.ndarray  # int64 4-digit codes of held occupations
    years: np.ndarray  # float64 years per held occupation
    occupation_codes: np.ndarray  # int32 codes into index.occupation_vocab
    edu_level: int  # EDUCATION_ORDER or -1
    word: sp.csr_matrix  # 1 × word vocabulary
    char: sp.csr_matrix  # 1 × char vocabulary
    word_dense: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, np.float32))
    char_dense: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, np.float32))

    @property
    def competence_count(self) -> int:
        return int(self.has.sum())


def profile_competence_ids(profile: Any, index: PostingIndex) -> set[str]:
    """Competence ids the profile shows, with driving-licence categories and implied lower categories."""
    ids = set(profile.competence_ids())
    # working-level languages only: a beginner's Danish does not meet "taler og skriver dansk"
    ids -= {lang.competence_id for lang in getattr(profile, "languages", []) if lang.level not in _WORKING_LEVELS}
    categories = {str(c).upper().replace(" ", "") for c in getattr(profile, "licences", [])}
    for cid in list(ids):
        cat = licence_category(cid)
        if cat:
            categories.add(cat)
    implied = set()
    for cat in categories:
        implied.update(LICENCE_IMPLIES.get(cat, (cat,)))
    lic_cols = index.licence_columns()
    ids.update(index.competence_ids[lic_cols[cat]] for cat in implied if cat in lic_cols)
    # a CV written in Danish shows Danish; one written in English shows English
    lang_col = _text_language_column(index, getattr(profile, "lang", None))
    if lang_col is not None and not _language_stated_low(profile, index.competence_ids[lang_col]):
        ids.add(index.competence_ids[lang_col])
    return ids


def _text_language_column(index: PostingIndex, lang: str | None) -> int | None:
    col = index.info.get("language_columns", {}).get(lang or "")
    return int(col) if col is not None else None


def _language_stated_low(profile: Any, competence_id: str) -> bool:
    return any(lang.competence_id == competence_id and lang.level not in _WORKING_LEVELS
               for lang in getattr(profile, "languages", []))


def encode_profile(profile: Any, index: PostingIndex) -> Query:
    """Turn a :class:`jobmatch.profile.Profile` into a :class:`Query` for this index."""
    from jobmatch.taxonomy import EDUCATION_ORDER

    col_of = index.column_of()
    has = np.zeros(index.n_competences, dtype=np.float32)
    for cid in profile_competence_ids(profile, index):
        j = col_of.get(cid)
        if j is not None:
            has[j] = 1.0
    isco, years, occ_codes = [], [], []
    occ_lookup = index.occupation_lookup()
    for held in getattr(profile, "occupations", []):
        code = str(held.isco or "").strip()
        if len(code) == 4 and code.isdigit():
            isco.append(int(code))
            years.append(float(max(0.0, held.years or 0.0)))
        if held.occupation_id and held.occupation_id in occ_lookup:
            occ_codes.append(occ_lookup[held.occupation_id])
    word, char = index.vectorise_text(getattr(profile, "text", "") or "")
    return Query(
        has=has, isco=np.asarray(isco, dtype=np.int64), years=np.asarray(years, dtype=np.float64),
        occupation_codes=np.asarray(occ_codes, dtype=np.int32),
        edu_level=EDUCATION_ORDER.get(getattr(profile, "education_level", None) or "", -1),
        word=word, char=char, word_dense=_dense(word), char_dense=_dense(char),
    )


def _dense(vector: sp.csr_matrix) -> np.ndarray:
    out = np.zeros(vector.shape[1], dtype=np.float32)
    out[vector.indices] = vector.data
    return out


# ---------------------------------------------------------------------------
# the features


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan, dtype=np.float64)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def overlap_scores(index: PostingIndex, has: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The rule score of rule-based automatch: requirements met / requirements named.

    Essential requirements count 1, optional ones 0.5, all kinds alike and
    without specificity weights. Postings that name no requirement score 0.
    This is both the ``overlap`` baseline and the fallback ranking when the
    learned model is switched off.
    """
    ess = index.essential[rows]
    opt = index.optional[rows]
    ones = np.ones(index.n_competences, dtype=np.float32)
    num = ess @ has + 0.5 * (opt @ has)
    den = ess @ ones + 0.5 * (opt @ ones)
    out = _safe_div(np.asarray(num, float), np.asarray(den, float))
    return np.nan_to_num(out, nan=0.0)


def _column_masks(index: PostingIndex) -> dict[str, np.ndarray]:
    """Per-competence 0/1 masks used by the features (cached on the index)."""
    def make() -> dict[str, np.ndarray]:
        n = index.n_competences
        lang_onehot = np.zeros((n, 2), dtype=np.float32)  # columns: the two text languages
        cols = index.info.get("language_columns", {})
        for j, lang in enumerate(("da", "en")):
            if lang in cols:
                lang_onehot[int(cols[lang]), j] = 1.0
        return {
            "prof": (~index.is_personal & ~index.is_language).astype(np.float32),
            "pers": index.is_personal.astype(np.float32),
            "lic": index.is_licence.astype(np.float32),
            "cert": (index.is_credential & ~index.is_licence).astype(np.float32),
            "lang": index.is_language.astype(np.float32),
            "lang_onehot": lang_onehot,
            "text_lang_slot": np.array([int(cols.get("da", -2)), int(cols.get("en", -2))]),
        }
    return index._cache("_feature_masks", make)


# columns of the weight matrix multiplied with the essential requirements (see compute_features)
_W_ESS = ("w_prof_has", "w_prof", "prof_has", "prof", "w_pers_has", "w_pers", "pers_has", "lic_missing",
          "cert_missing", "cred", "cred_has", "lang", "lang_missing", "is_da", "is_en")
_W_OPT = ("w_prof_has", "w_prof", "w_pers_has", "w_pers")


def compute_features(index: PostingIndex, query: Query, rows: np.ndarray, *, travel_minutes: np.ndarray,
                     max_minutes: float, hours: str | None, as_of_day: np.ndarray | int,
                     word_cosine: np.ndarray | None = None) -> np.ndarray:
    """Feature matrix (len(rows) × len(FEATURES), float32) for one query and its candidate rows.

    ``travel_minutes`` per row (from retrieval), ``hours`` the citizen's wish
    ('full', 'part' or None for any), ``as_of_day`` the day (days since
    :data:`jobmatch.index.EPOCH`) the ranking is for — a scalar when serving,
    one per row in training (the day each posting was shown).
    ``word_cosine`` may pass the text cosines retrieval already computed.

    All requirement features come from one sparse product of the candidates'
    essential requirements with a small dense weight matrix (competences ×
    15 masked weight vectors), and one for the optional requirements.
    """
    rows = np.asarray(rows, dtype=np.int64)
    k = rows.size
    out = np.full((k, len(FEATURES)), np.nan, dtype=np.float32)
    if k == 0:
        return out
    col = FEATURE_INDEX
    masks = _column_masks(index)
    has = query.has
    missing = 1.0 - has
    idf = index.idf
    prof, pers, lic, cert, lang = masks["prof"], masks["pers"], masks["lic"], masks["cert"], masks["lang"]
    w_prof, w_pers = idf * prof, idf * pers
    vectors = {
        "w_prof_has": w_prof * has, "w_prof": w_prof, "prof_has": prof * has, "prof": prof,
        "w_pers_has": w_pers * has, "w_pers": w_pers, "pers_has": pers * has,
        "lic_missing": lic * missing, "cert_missing": cert * missing, "cred": lic + cert,
        "cred_has": (lic + cert) * has, "lang": lang, "lang_missing": lang * missing,
        "is_da": masks["lang_onehot"][:, 0], "is_en": masks["lang_onehot"][:, 1],
    }
    W = np.stack([vectors[name] for name in _W_ESS], axis=1).astype(np.float32)
    e = np.asarray(index.essential[rows] @ W, dtype=np.float64)
    o = np.asarray(index.optional[rows] @ W[:, [_W_ESS.index(n) for n in _W_OPT]], dtype=np.float64)
    E = {name: e[:, i] for i, name in enumerate(_W_ESS)}
    O = {name: o[:, i] for i, name in enumerate(_W_OPT)}

    out[:, col["ess_prof_coverage"]] = _safe_div(E["w_prof_has"], E["w_prof"])
    out[:, col["opt_prof_coverage"]] = _safe_div(O["w_prof_has"], O["w_prof"])
    out[:, col["ess_prof_matched"]] = E["prof_has"]
    out[:, col["ess_prof_missing"]] = E["prof"] - E["prof_has"]
    out[:, col["ess_prof_total"]] = E["prof"]
    out[:, col["ess_pers_coverage"]] = _safe_div(E["w_pers_has"], E["w_pers"])
    out[:, col["opt_pers_coverage"]] = _safe_div(O["w_pers_has"], O["w_pers"])
    out[:, col["ess_pers_matched"]] = E["pers_has"]
    cv_prof_total = float(vectors["w_prof_has"].sum())
    if cv_prof_total > 0:
        out[:, col["cv_prof_used"]] = (E["w_prof_has"] + O["w_prof_has"]) / cv_prof_total

    # credentials
    out[:, col["licences_missing"]] = E["lic_missing"]
    out[:, col["certificates_missing"]] = E["cert_missing"]
    out[:, col["credentials_met"]] = _safe_div(E["cred_has"], E["cred"])

    # languages: the ones named as requirements plus the one the posting is written in
    text_col = index.text_lang_col[rows]
    da_col, en_col = masks["text_lang_slot"]
    is_da, is_en = text_col == da_col, text_col == en_col
    named = np.where(is_da, E["is_da"], np.where(is_en, E["is_en"], 0.0)) > 0
    implicit = (is_da | is_en) & ~named
    text_has = np.where(is_da, has[max(da_col, 0)], np.where(is_en, has[max(en_col, 0)], 1.0))
    implicit_missing = implicit & (text_has == 0)
    total = E["lang"] + implicit
    lang_missing = E["lang_missing"] + implicit_missing
    out[:, col["lang_missing"]] = lang_missing
    out[:, col["lang_fit"]] = _safe_div(total - lang_missing, total)

    # text
    if word_cosine is None:
        word_cosine = np.asarray(index.word[rows] @ query.word_dense, dtype=np.float64) \
            if query.word_dense.size else np.zeros(k)
    char_cosine = np.asarray(index.char[rows] @ query.char_dense, dtype=np.float64) \
        if query.char_dense.size else np.zeros(k)
    out[:, col["text_word_cosine"]] = word_cosine
    out[:, col["text_char_cosine"]] = char_cosine

    # occupation
    p_isco = index.isco[rows].astype(np.int64)
    if query.occupation_codes.size:
        out[:, col["same_occupation"]] = np.isin(index.occupation_code[rows], query.occupation_codes)
    else:
        out[:, col["same_occupation"]] = 0.0
    if query.isco.size:
        digits = np.zeros((k, query.isco.size), dtype=np.int8)
        valid = (p_isco >= 1000)[:, None]
        for d in (1, 2, 3, 4):
            div = 10 ** (4 - d)
            same = (p_isco[:, None] // div) == (query.isco[None, :] // div)
            digits = np.where(same & valid, np.int8(d), digits)
        out[:, col["isco_match_digits"]] = digits.max(axis=1)
        years = query.years[None, :]
        for name, d in (("years_same_unit", 4), ("years_same_minor", 3), ("years_same_submajor", 2)):
            out[:, col[name]] = np.minimum(((digits >= d) * years).sum(axis=1), YEARS_CAP)
    else:
        for name in ("isco_match_digits", "years_same_unit", "years_same_minor", "years_same_submajor"):
            out[:, col[name]] = 0.0

    # education
    stated = index.edu_required[rows].astype(np.int64)
    required = np.where(stated >= 0, stated, index.edu_typical[rows].astype(np.int64))
    out[:, col["edu_stated"]] = stated >= 0
    if query.edu_level >= 0:
        req_known = required >= 0
        out[:, col["edu_gap"]] = np.where(req_known, np.maximum(0, required - query.edu_level), np.nan)
        out[:, col["edu_surplus"]] = np.where(req_known, np.maximum(0, query.edu_level - required), np.nan)

    # travel, hours, freshness
    minutes = np.asarray(travel_minutes, dtype=np.float64)
    out[:, col["travel_minutes"]] = minutes
    out[:, col["travel_share"]] = minutes / max(float(max_minutes), 1.0)
    if hours in ("full", "part"):
        out[:, col["hours_fit"]] = index.part_time[rows] == (hours == "part")
    out[:, col["weekly_hours"]] = index.weekly_hours[rows]
    as_of = np.asarray(as_of_day, dtype=np.int64)
    out[:, col["days_since_posted"]] = as_of - index.posted_day[rows]
    out[:, col["days_to_deadline"]] = index.deadline_day[rows] - as_of
    return out


def day_number(value: Any) -> int:
    """A date (str, date, datetime, Timestamp) as days since :data:`jobmatch.index.EPOCH`."""
    return int((np.datetime64(str(value)[:10], "D") - EPOCH).astype(np.int64))


def feature_table_markdown() -> str:
    """The feature table as Markdown (used in docs/ranking.md and the model card)."""
    lines = ["| Feature | Meaning | Unit | Group |", "| --- | --- | --- | --- |"]
    for f in FEATURES:
        lines.append(f"| `{f.name}` | {f.meaning} | {f.unit} | {f.group} |")
    return "\n".join(lines)
