"""Alternative jobs: occupations outside the citizen's current focus worth a look.

The ranking (:mod:`jobmatch.ranking`) answers "which open postings fit this
CV?". This module widens the view: *which other occupations* could the
citizen move into, what do they already bring, what is missing, how many
such jobs are open within commuting range, and which kind of short course
could close the gap. The consultant and the citizen decide; the tool only
makes the options and their evidence visible.

Scoring a destination occupation *d* for one citizen
----------------------------------------------------
(a) **coverage** – the share of *d*'s essential competences the citizen has,
    weighted like the transition graph (specificity × kind, see
    :mod:`jobmatch.transitions`), from :meth:`Profile.competence_ids` plus
    driving-licence categories (a CE licence implies C, C1, BE and B);
(b) **transition** – the best sim(held occupation → *d*) from the transition
    graph over the occupations in the CV, each scaled by experience
    (0.6 with no recorded years rising to 1.0 at 5 years or more);
(c) **jobs** – open postings of *d* within the citizen's commuting range,
    ``min(1, ln(1 + n) / ln(1 + jobs_saturation))``.

``similarity = (0.6·coverage + 0.4·transition)`` (only coverage when the CV
names no occupation) is what the consultant sees, labelled with the
Nesta thresholds (viable ≥ 0.3, highly viable ≥ 0.4);
``score = 0.8·similarity + 0.2·jobs`` orders the list. Ties are broken by
occupation id, so the same input always gives the same output.

A destination is a candidate when it is not an occupation the citizen has
held (or named as focus), has at least one transferable *specific*
professional competence (not one that ≥ 10 % of all occupations ask for,
such as English, Danish, driving licence B or customer service), reaches
``min_similarity`` (0.15), and lies within the education band:
its typical level is at most one step above the citizen's highest known
level (CV education or held occupations; vocational level is always
reachable, e.g. through adult apprenticeships) and at most two steps below
it (moving far down is rarely a perspective worth suggesting — Nesta's
analogue is the job-zone and earnings limit).

The current focus and ``other_field``
-------------------------------------
The citizen's *current focus* is the set of ISCO sub-major groups (first two
digits) and the set of industries of the occupations in the CV, plus the
explicit focus of the search settings (occupation ids or ISCO prefixes in
``focus_occupations``; industry codes in ``focus_sectors``). A destination
is **other_field** when its ISCO sub-major group is not in the focus **or**
its industry is not in the focus (either change widens the perspective);
``field_change`` says which: ``"function"`` (ISCO only), ``"industry"``,
``"both"`` or ``"none"``. With no focus at all, everything is other field.
(``AlternativesConfig(other_field_rule="both")`` is the stricter variant:
other field only when both the ISCO sub-major group and the industry are new.)
At least ``other_field_share`` (60 %) of the suggestions are other-field
ones: same-field candidates are capped to keep that share, and only when
there are too few other-field candidates to reach ``min_results`` (5)
suggestions is the cap relaxed.

Each suggestion lists its **transferable** competences (in the profile *and*
required by the destination, essential before optional, specific before
generic), its **gaps** (essential *professional* competences of the
destination missing from the profile — personal traits such as "mødestabil"
are never listed as gaps: a CV rarely states them and no course teaches
them) and **courses** from a small curated catalogue.

The course catalogue (``jobmatch/resources/courses.csv``) holds EXAMPLES OF
COURSE TYPES — typical Danish short adult-education courses (AMU, FVU, AVU,
akademiuddannelse, certificate and language courses) mapped to taxonomy
competences by the project. It is not an official catalogue: titles are
descriptive, there are no course numbers, lengths are rough, and offers
change. :data:`COURSES_NOTE` says so wherever courses are shown.
"""

from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jobmatch import config, geo
from jobmatch.profile import Profile
from jobmatch.taxonomy import EDUCATION_ORDER, Taxonomy, load_taxonomy, split_multi
from jobmatch.transitions import TransitionGraph, transition_graph

if TYPE_CHECKING:  # the ranking engine's settings are the one shared definition
    from jobmatch.retrieval import SearchSettings

#: Shown with every list of courses (CLI field ``courses_note``, app caption).
COURSES_NOTE = {
    "da": ("Kurserne er eksempler på typiske kursustyper (AMU, FVU, AVU, akademiuddannelse, certifikat- og "
           "sprogkurser) – ikke et officielt kursuskatalog. Tjek aktuelle udbud, indhold og optagelseskrav "
           "hos udbyderen."),
    "en": ("The courses are examples of typical Danish adult-education course types (AMU, FVU, AVU, academy "
           "programmes, certificate and language courses) – not an official course catalogue. Check current "
           "offers, content and admission rules with the provider."),
}

COURSE_TYPES = ("AMU", "FVU", "AVU", "akademiuddannelse", "certifikatkursus", "sprogkursus")
COURSE_COLUMNS = ["course_id", "title_da", "title_en", "type", "typical_length", "competence_ids", "note"]

#: Driving-licence categories (Profile.licences) → the competences they imply.
LICENCE_COMPETENCES: dict[str, tuple[str, ...]] = {
    "AM": ("sk_koerekort_am",),
    "B": ("sk_koerekort_b",),
    "BE": ("sk_koerekort_be", "sk_koerekort_b"),
    "C1": ("sk_koerekort_c1", "sk_koerekort_b"),
    "C": ("sk_koerekort_c", "sk_koerekort_c1", "sk_koerekort_b"),
    "CE": ("sk_koerekort_ce", "sk_koerekort_c", "sk_koerekort_c1", "sk_koerekort_be", "sk_koerekort_b"),
    "D": ("sk_koerekort_d", "sk_koerekort_b"),
    "T": ("sk_traktorkoerekort",),
}


@dataclass(frozen=True)
class AlternativesConfig:
    """Weights and limits of the alternatives (defaults explained in the module docstring)."""

    coverage_weight: float = 0.6
    transition_weight: float = 0.4
    jobs_weight: float = 0.2
    jobs_saturation: int = 50
    min_similarity: float = 0.15
    #: a professional competence required by at least this share of all occupations
    #: (English, Danish, driving licence B, customer service …) is "generic": it
    #: cannot on its own make an occupation a candidate
    generic_share: float = 0.10
    other_field_share: float = 0.6
    #: "either": other field when the ISCO sub-major group OR the industry is new
    #: (the issue's definition); "both": only when both are new (stricter)
    other_field_rule: str = "either"
    #: return at least this many suggestions (when there are that many
    #: candidates) even if the other-field share then falls short
    min_results: int = 5
    max_education_step_up: int = 1
    max_education_step_down: int = 2
    always_reachable_level: str = "eud"
    max_courses: int = 3
    max_transferable: int = 8
    max_gaps: int = 8

    def __post_init__(self) -> None:
        if self.coverage_weight < 0 or self.transition_weight < 0 or self.coverage_weight + self.transition_weight <= 0:
            raise ValueError("coverage_weight and transition_weight must be >= 0 and not both 0")
        if not 0 <= self.jobs_weight < 1:
            raise ValueError("jobs_weight must be in [0, 1)")
        if not 0 <= self.other_field_share <= 1:
            raise ValueError("other_field_share must be in [0, 1]")
        if self.other_field_rule not in ("either", "both"):
            raise ValueError("other_field_rule must be 'either' or 'both'")
        if self.always_reachable_level not in EDUCATION_ORDER:
            raise ValueError(f"unknown education level {self.always_reachable_level!r}")


@dataclass(frozen=True)
class Alternative:
    """One suggested occupation with its evidence."""

    occupation_id: str
    label: str
    isco: str
    industry: str
    industry_label: str
    similarity: float
    viability: str  # "highly_viable" | "viable" | "stretch"
    other_field: bool
    field_change: str  # "function" | "industry" | "both" | "none"
    transferable: list[dict[str, str]]
    gaps: list[dict[str, str]]
    postings_in_range: int
    courses: list[dict[str, Any]]
    score: float
    coverage: float
    transition: float
    from_occupation: str | None  # the held occupation the transition is measured from

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Focus:
    isco2: frozenset[str] = frozenset()
    isco1: frozenset[str] = frozenset()  # one-digit ISCO prefixes from the settings
    industries: frozenset[str] = frozenset()
    occupation_ids: frozenset[str] = frozenset()

    def isco_in(self, isco: np.ndarray) -> np.ndarray:
        s = pd.Series(isco, dtype=str)
        return (s.str[:2].isin(self.isco2) | s.str[:1].isin(self.isco1)).to_numpy()


# ---------------------------------------------------------------------------
# the course catalogue


def courses_path() -> Path:
    return config.RESOURCES_DIR / "courses.csv"


@lru_cache(maxsize=2)
def _load_courses(path: str) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        text = "".join(line for line in fh if not line.startswith("#"))
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in COURSE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path} lacks columns {missing}")
    df = df[COURSE_COLUMNS].apply(lambda s: s.str.strip())
    return df.sort_values("course_id", kind="mergesort").reset_index(drop=True)


def load_courses(path: Path | None = None) -> pd.DataFrame:
    """The curated catalogue of course TYPES (examples, not an official catalogue).

    Columns: course_id, title_da, title_en, type, typical_length,
    competence_ids ('|'-separated), note. Lines starting with ``#`` are the
    file's disclaimer and are skipped.
    """
    return _load_courses(str(path or courses_path())).copy()


def course_problems(courses: pd.DataFrame, tax: Taxonomy) -> list[str]:
    """Integrity problems of a course catalogue against a taxonomy (empty when sound)."""
    problems: list[str] = []
    known = set(tax.competences["competence_id"])
    dup = courses["course_id"][courses["course_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate course ids: {dup}")
    bad_type = courses.loc[~courses["type"].isin(COURSE_TYPES), "course_id"].tolist()
    if bad_type:
        problems.append(f"courses with unknown type: {bad_type}")
    for row in courses.itertuples(index=False):
        ids = split_multi(row.competence_ids)
        if not ids:
            problems.append(f"{row.course_id}: no competence ids")
        unknown = [c for c in ids if c not in known]
        if unknown:
            problems.append(f"{row.course_id}: unknown competence ids {unknown}")
        if not row.title_da or not row.title_en or not row.typical_length:
            problems.append(f"{row.course_id}: empty title or length")
    return problems


def courses_for_gaps(gap_ids: list[str], weights: dict[str, float], courses: pd.DataFrame, *,
                     lang: str = "da", max_courses: int = 3) -> list[dict[str, Any]]:
    """Pick up to *max_courses* courses that together cover the most gap weight.

    Greedy set cover: each round takes the course covering the largest total
    weight of still-uncovered gaps (ties: fewer competences, then course id).
    Each result names the gaps it covers.
    """
    remaining = {g: weights.get(g, 1.0) for g in gap_ids}
    offers = [(row.course_id, set(split_multi(row.competence_ids)), row) for row in courses.itertuples(index=False)]
    chosen: list[dict[str, Any]] = []
    while remaining and len(chosen) < max_courses:
        best = None
        for course_id, comps, row in offers:
            covered = comps & remaining.keys()
            if not covered:
                continue
            key = (-sum(remaining[c] for c in covered), len(comps), course_id)
            if best is None or key < best[0]:
                best = (key, covered, row)
        if best is None:
            break
        _, covered, row = best
        chosen.append({
            "course_id": row.course_id,
            "title": row.title_da if lang == "da" else row.title_en,
            "type": row.type,
            "typical_length": row.typical_length,
            "covers": [c for c in gap_ids if c in covered],
        })
        for c in covered:
            remaining.pop(c, None)
        offers = [o for o in offers if o[0] != row.course_id]
    return chosen


# ---------------------------------------------------------------------------
# building blocks


def citizen_competences(profile: Profile) -> set[str]:
    """The competence ids the citizen has, plus those implied by driving-licence categories."""
    ids = set(profile.competence_ids())
    for category in profile.licences:
        ids.update(LICENCE_COMPETENCES.get(str(category).strip().upper(), ()))
    return ids


def _checked_settings(settings: Any) -> Any:
    checked = getattr(settings, "checked", None)
    return checked() if callable(checked) else settings


def count_postings_in_range(postings: pd.DataFrame, settings: SearchSettings) -> pd.Series:
    """Open postings per occupation_id within the citizen's commuting range.

    Vectorised: one :func:`jobmatch.geo.commute_minutes` call over the
    distinct posting postcodes. Postings with an unknown postcode are not in
    range; closed postings (``status`` column) and, when the settings ask for
    full- or part-time, postings with other ``hours`` are not counted.
    """
    settings = _checked_settings(settings)
    p = postings
    if "status" in p.columns:
        p = p[p["status"] == "open"]
    hours = getattr(settings, "hours", None)
    if hours in ("full", "part") and "hours" in p.columns:
        p = p[p["hours"] == hours]
    if p.empty:
        return pd.Series(dtype="int64", name="postings_in_range")
    codes = pd.to_numeric(p["postcode"], errors="coerce").to_numpy(dtype=float)
    uniq = np.unique(codes[np.isfinite(codes)]).astype(np.int64)
    known = uniq[np.isin(uniq, _known_postcodes())]
    minutes = np.full(codes.shape, np.nan)
    if known.size:
        per_code = np.asarray(geo.commute_minutes(int(settings.home_postcode), known, settings.mode), dtype=float)
        minutes = _gather(codes, known, per_code)
    in_range = np.nan_to_num(minutes, nan=np.inf) <= float(settings.max_minutes)
    counts = p.loc[in_range, "occupation_id"].astype(str).value_counts()
    counts.name = "postings_in_range"
    return counts


def _gather(codes: np.ndarray, known_sorted: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Minutes per posting from minutes per known postcode (NaN for unknown postcodes)."""
    out = np.full(codes.shape, np.nan)
    finite = np.isfinite(codes)
    pos = np.searchsorted(known_sorted, codes[finite].astype(np.int64))
    pos = np.clip(pos, 0, len(known_sorted) - 1)
    hit = known_sorted[pos] == codes[finite].astype(np.int64)
    vals = np.where(hit, minutes[pos], np.nan)
    out[finite] = vals
    return out


@lru_cache(maxsize=1)
def _known_postcodes() -> np.ndarray:
    return np.sort(geo.load_postcodes()["postcode"].to_numpy(dtype=np.int64))


def current_focus(profile: Profile, settings: SearchSettings, tax: Taxonomy) -> _Focus:
    """ISCO sub-major groups, industries and occupation ids of the citizen's current focus."""
    occ = tax.occupations.set_index("occupation_id")
    isco2: set[str] = set()
    isco1: set[str] = set()
    industries: set[str] = set()
    occ_ids: set[str] = set()
    for held in profile.occupations:
        if held.occupation_id and held.occupation_id in occ.index:
            occ_ids.add(held.occupation_id)
            isco2.add(str(occ.at[held.occupation_id, "isco"])[:2])
            industries.add(str(occ.at[held.occupation_id, "industry"]))
        elif held.isco and len(str(held.isco)) >= 2:
            isco2.add(str(held.isco)[:2])
    for item in getattr(settings, "focus_occupations", ()) or ():
        item = str(item).strip()
        if item in occ.index:
            occ_ids.add(item)
            isco2.add(str(occ.at[item, "isco"])[:2])
            industries.add(str(occ.at[item, "industry"]))
        elif item.isdigit() and len(item) >= 2:
            isco2.add(item[:2])
        elif item.isdigit() and len(item) == 1:
            isco1.add(item)
    industries.update(str(s).strip() for s in (getattr(settings, "focus_sectors", ()) or ()))
    return _Focus(frozenset(isco2), frozenset(isco1), frozenset(industries), frozenset(occ_ids))


def _experience_weight(years: float) -> float:
    years = float(years) if years and math.isfinite(float(years)) else 0.0
    return 0.6 + 0.4 * min(max(years, 0.0), 5.0) / 5.0


def transition_from_history(profile: Profile, graph: TransitionGraph, tax: Taxonomy) -> tuple[np.ndarray, np.ndarray]:
    """Best experience-scaled sim(held → d) per destination and the index of the held origin (-1: none)."""
    n = len(graph.occupation_ids)
    best = np.zeros(n)
    origin = np.full(n, -1, dtype=np.int64)
    isco = tax.occupations.set_index("occupation_id")["isco"].astype(str)
    for held in profile.occupations:
        if graph.has_occupation(held.occupation_id):
            rows = [graph.occupation_index(held.occupation_id)]
        elif held.isco:
            same = isco.index[isco == str(held.isco)]
            rows = [graph.occupation_index(o) for o in same if graph.has_occupation(o)]
        else:
            rows = []
        weight = _experience_weight(held.years)
        for i in rows:
            vals = graph.similarity[i] * weight
            better = vals > best
            best = np.where(better, vals, best)
            origin = np.where(better, i, origin)
    return best, origin


def _education_band(profile: Profile, tax: Taxonomy, cfg: AlternativesConfig) -> tuple[int, int] | None:
    """Lowest and highest destination education order allowed (None: no limit known)."""
    occ = tax.occupations.set_index("occupation_id")
    levels = []
    if profile.education_level in EDUCATION_ORDER:
        levels.append(EDUCATION_ORDER[profile.education_level])
    for held in profile.occupations:
        if held.occupation_id in occ.index:
            level = occ.at[held.occupation_id, "education_level"]
            if level in EDUCATION_ORDER:
                levels.append(EDUCATION_ORDER[level])
    if not levels:
        return None
    top = max(levels)
    upper = max(top + cfg.max_education_step_up, EDUCATION_ORDER[cfg.always_reachable_level])
    lower = top - cfg.max_education_step_down
    return lower, upper


def _select(order: list[int], other: np.ndarray, top: int, share: float, min_results: int) -> list[int]:
    """Pick up to *top* candidates from *order* (best first) with at least *share* other-field ones.

    Same-field candidates are capped so that the other-field share reaches
    *share*; when too few other-field candidates exist for that, the cap is
    relaxed just enough to return *min_results* suggestions (if there are
    that many candidates at all). The result keeps the order of *order*.
    """
    share = min(max(share, 0.0), 1.0)
    max_same = top - math.ceil(share * top)
    chosen: list[int] = []
    same = 0
    for i in order:
        if len(chosen) >= top:
            break
        if not other[i]:
            if same >= max_same:
                continue
            same += 1
        chosen.append(i)
    # too few other-field candidates for the share: drop the weakest same-field ones
    while same > 0 and len(chosen) > min_results and (len(chosen) - same) < share * len(chosen) - 1e-9:
        worst_same = max(j for j, i in enumerate(chosen) if not other[i])
        chosen.pop(worst_same)
        same -= 1
    return chosen


# ---------------------------------------------------------------------------
# the entry point


def suggest_alternatives(profile: Profile, settings: SearchSettings, *, top: int = 10,
                         postings: pd.DataFrame | None = None, lang: str = "da", taxonomy: Taxonomy | None = None,
                         cfg: AlternativesConfig | None = None, courses: pd.DataFrame | None = None
                         ) -> list[Alternative]:
    """Up to *top* alternative occupations for the citizen, best first.

    *settings* is a :class:`jobmatch.retrieval.SearchSettings` (home
    postcode, transport mode, maximum minutes, optional focus and hours); it
    is validated and :class:`~jobmatch.retrieval.SearchSettingsError` raised
    for bad values. *postings* defaults to the open postings of the demo
    world (:func:`jobmatch.world.load_postings`); pass a frame with
    ``occupation_id`` and ``postcode`` (optionally ``status``, ``hours``) to
    use others. *lang* picks Danish or English labels.
    """
    if lang not in ("da", "en"):
        raise ValueError(f"Unknown language {lang!r}; use 'da' or 'en'.")
    if top <= 0:
        return []
    cfg = cfg or AlternativesConfig()
    settings = _checked_settings(settings)
    tax = taxonomy if taxonomy is not None else load_taxonomy()
    graph = transition_graph(tax)
    course_table = courses if courses is not None else load_courses()
    if postings is None:
        from jobmatch import world

        postings = world.load_postings(open_only=True)

    occ = tax.occupations.set_index("occupation_id").loc[graph.occupation_ids]
    comp = tax.competences.set_index("competence_id").loc[graph.competence_ids]
    industry_labels = tax.industries.set_index("industry")[f"label_{lang}"].to_dict()

    have = citizen_competences(profile)
    x = graph.competence_vector(have)
    w = graph.weights

    # (a) coverage of the destination's essential competences
    ess_mass = np.asarray(graph.essential @ w).ravel()
    ess_have = np.asarray(graph.essential @ (w * x)).ravel()
    coverage = np.divide(ess_have, ess_mass, out=np.zeros_like(ess_mass), where=ess_mass > 0)
    # (b) transition from the occupations held
    transition, origin = transition_from_history(profile, graph, tax)
    has_history = bool((origin >= 0).any())
    if has_history:
        similarity = (cfg.coverage_weight * coverage + cfg.transition_weight * transition) / (
            cfg.coverage_weight + cfg.transition_weight)
    else:
        similarity = coverage
    # (c) jobs within range
    counts = count_postings_in_range(postings, settings)
    n_jobs = counts.reindex(graph.occupation_ids, fill_value=0).to_numpy(dtype=np.int64)
    jobs = np.minimum(1.0, np.log1p(n_jobs) / math.log1p(max(cfg.jobs_saturation, 1)))
    score = (1.0 - cfg.jobs_weight) * similarity + cfg.jobs_weight * jobs

    # candidates
    focus = current_focus(profile, settings, tax)
    isco = occ["isco"].astype(str).to_numpy()
    industry = occ["industry"].astype(str).to_numpy()
    isco_in = focus.isco_in(isco)
    industry_in = np.isin(industry, list(focus.industries))
    other = (~isco_in | ~industry_in) if cfg.other_field_rule == "either" else (~isco_in & ~industry_in)
    df_share = np.asarray(graph.required.sum(axis=0)).ravel() / max(len(graph.occupation_ids), 1)
    specific = ~graph.personal & (df_share < cfg.generic_share)
    prof_transfer = np.asarray(graph.required[:, specific] @ x[specific]).ravel()
    candidate = (~np.isin(graph.occupation_ids, list(focus.occupation_ids))) & (prof_transfer > 0) & (
        similarity >= cfg.min_similarity)
    band = _education_band(profile, tax, cfg)
    if band is not None:
        edu = occ["education_level"].map(EDUCATION_ORDER).fillna(-1).to_numpy(dtype=int)
        candidate &= (edu < 0) | ((edu >= band[0]) & (edu <= band[1]))

    idx = np.flatnonzero(candidate)
    order = sorted(idx.tolist(), key=lambda i: (-round(float(score[i]), 12), graph.occupation_ids[i]))
    chosen = _select(order, other, top, cfg.other_field_share, cfg.min_results)

    labels = comp[f"label_{lang}"].astype(str).to_numpy()
    weight_of = dict(zip(graph.competence_ids, w))
    out: list[Alternative] = []
    for i in chosen:
        ess_row = graph.essential[i]
        req_row = graph.required[i]
        ess_cols = set(ess_row.indices.tolist())
        req_cols = req_row.indices
        transfer_cols = [c for c in req_cols if x[c] > 0]
        transfer_cols.sort(key=lambda c: (c not in ess_cols, bool(graph.personal[c]), -w[c], graph.competence_ids[c]))
        gap_cols = [c for c in ess_cols if x[c] == 0 and not graph.personal[c]]
        gap_cols.sort(key=lambda c: (-w[c], graph.competence_ids[c]))
        gaps = [{"competence_id": graph.competence_ids[c], "label": labels[c]} for c in gap_cols[: cfg.max_gaps]]
        transferable = [{"competence_id": graph.competence_ids[c], "label": labels[c],
                         "relation": "essential" if c in ess_cols else "optional"}
                        for c in transfer_cols[: cfg.max_transferable]]
        gap_ids = [g["competence_id"] for g in gaps]
        chosen_courses = courses_for_gaps(gap_ids, weight_of, course_table, lang=lang, max_courses=cfg.max_courses)
        for course in chosen_courses:
            course["covers"] = [{"competence_id": c, "label": labels[graph.competence_index(c)]}
                                for c in course["covers"]]
        in_isco, in_ind = bool(isco_in[i]), bool(industry_in[i])
        change = {(False, False): "both", (False, True): "function", (True, False): "industry",
                  (True, True): "none"}[(in_isco, in_ind)]
        row = occ.iloc[i]
        out.append(Alternative(
            occupation_id=str(graph.occupation_ids[i]),
            label=str(row[f"title_{lang}"]),
            isco=str(row["isco"]),
            industry=str(row["industry"]),
            industry_label=str(industry_labels.get(row["industry"], row["industry"])),
            similarity=round(float(similarity[i]), 4),
            viability=graph.config.viability(float(similarity[i])),
            other_field=bool(other[i]),
            field_change=change,
            transferable=transferable,
            gaps=gaps,
            postings_in_range=int(n_jobs[i]),
            courses=chosen_courses,
            score=round(float(score[i]), 4),
            coverage=round(float(coverage[i]), 4),
            transition=round(float(transition[i]), 4),
            from_occupation=str(graph.occupation_ids[origin[i]]) if origin[i] >= 0 else None,
        ))
    return out


def alternatives_to_json(alternatives: list[Alternative], lang: str = "da") -> dict[str, Any]:
    """The document ``python -m jobmatch alternatives --json`` prints."""
    return {"alternatives": [a.to_dict() for a in alternatives], "courses_note": COURSES_NOTE[lang]}
