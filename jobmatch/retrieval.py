"""Candidate retrieval: which postings are worth scoring for one citizen.

Two vectorised steps over the whole :class:`~jobmatch.index.PostingIndex`
(no Python loop over postings):

1. **Within reach.** Travel minutes are computed once per *distinct* posting
   postcode (about a thousand) with :func:`jobmatch.geo.commute_minutes` and
   spread to the postings by an integer gather; postings further than the
   citizen's maximum, closed, past their deadline, not yet published or
   outside an optional focus (occupations, ISCO groups, sectors) drop out.
2. **Plausible.** A posting in reach stays when at least one of these holds:
   it asks for a professional competence the CV shows (one sparse
   matrix-vector product), its ISCO sub-major group (2 digits) matches an
   occupation in the CV, or its title resembles the CV's words (TF-IDF cosine
   of the title against the CV of at least ``min_title_cosine``). The
   survivors are capped at ``max_candidates`` by a cheap pre-score
   (specificity-weighted coverage + ISCO agreement + title similarity,
   nearer first on ties). Sparse products run over the whole index and are
   then gathered for the postings in reach: for these very sparse matrices
   that is cheaper than slicing rows out first.

Hours are *not* a filter: they are a feature, so a part-time wish lowers a
full-time job rather than hiding it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from jobmatch import config, geo
from jobmatch.features import Query, day_number
from jobmatch.index import PostingIndex


class SearchSettingsError(ValueError):
    """Search settings that cannot be used (unknown postcode, mode, negative minutes ...)."""


@dataclass(frozen=True)
class SearchSettings:
    """What the consultant and the citizen choose on the screen.

    ``focus_occupations`` holds taxonomy occupation ids or ISCO prefixes
    (1–4 digits); ``focus_sectors`` industry codes. When either is given,
    only postings in the focus are retrieved. ``hours`` is 'full', 'part' or
    None (either). ``as_of`` is the day the ranking is for (ISO date; default
    the configured reference date).
    """

    home_postcode: int
    mode: str = "public"
    max_minutes: float = 45.0
    focus_occupations: tuple[str, ...] = ()
    focus_sectors: tuple[str, ...] = ()
    hours: str | None = None
    as_of: str | None = None

    def checked(self) -> "SearchSettings":
        """Validated copy (raises :class:`SearchSettingsError` with a clear message)."""
        try:
            geo.check_mode(self.mode)
        except ValueError as exc:
            raise SearchSettingsError(str(exc)) from exc
        try:
            pc = int(str(self.home_postcode).strip())
            geo.postcode_coords(np.array([pc]))
        except (ValueError, TypeError) as exc:
            raise SearchSettingsError(f"Ukendt postnummer / unknown postcode: {self.home_postcode!r}") from exc
        minutes = float(self.max_minutes)
        if not np.isfinite(minutes) or minutes <= 0 or minutes > 600:
            raise SearchSettingsError(f"max_minutes must be between 1 and 600, got {self.max_minutes!r}")
        if self.hours not in (None, "full", "part", "any"):
            raise SearchSettingsError(f"hours must be 'full', 'part' or None, got {self.hours!r}")
        as_of = self.as_of
        if as_of is not None:
            try:
                np.datetime64(str(as_of)[:10], "D")
            except ValueError as exc:
                raise SearchSettingsError(f"as_of must be an ISO date, got {as_of!r}") from exc
        return replace(self, home_postcode=pc, max_minutes=minutes, hours=None if self.hours == "any" else self.hours,
                       focus_occupations=tuple(str(o) for o in self.focus_occupations),
                       focus_sectors=tuple(str(s) for s in self.focus_sectors))

    def as_of_day(self) -> int:
        return day_number(self.as_of or config.settings().reference_date)


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of candidate retrieval (defaults suit the pilot area)."""

    max_candidates: int = 1500
    #: the posting's title must share at least this much (cosine of title vs CV words) to count on its own
    min_title_cosine: float = 0.03
    #: weights of the pre-score used to cap the plausible postings
    prescore_coverage: float = 1.0
    prescore_isco: float = 0.5
    prescore_title: float = 2.0


@dataclass
class Candidates:
    """The retrieved postings of one query, with what retrieval already knows about them."""

    rows: np.ndarray  # int64 row numbers in the index
    travel_minutes: np.ndarray  # float64, per row
    prescore: np.ndarray  # float64, per row
    word_cosine: np.ndarray  # float64, per row: TF-IDF word cosine with the CV (reused by the features)
    in_range: int  # postings within reach (before plausibility)
    plausible: int  # plausible postings (before the cap)
    timing_ms: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.rows.size)


def travel_minutes_all(index: PostingIndex, home_postcode: int, mode: str) -> np.ndarray:
    """Door-to-door minutes from home to every posting (one commute call per distinct postcode)."""
    per_postcode = geo.commute_minutes(home_postcode, index.unique_postcodes, mode)
    return per_postcode[index.postcode_slot]


def _cached(index: PostingIndex, name: str, make: Any) -> Any:
    return index._cache(name, make)


def requirement_matrix(index: PostingIndex):
    """Essential + optional requirements as one 0/1 CSR matrix (cached on the index)."""
    return _cached(index, "_req_any", lambda: ((index.essential + index.optional) > 0).astype(np.float32).tocsr())


def professional_weights(index: PostingIndex) -> np.ndarray:
    """IDF weights of professional (non-personal, non-language) competences, 0 elsewhere."""
    return _cached(index, "_w_prof", lambda: (index.idf * (~index.is_personal & ~index.is_language)).astype(np.float32))


def _posting_prof_total(index: PostingIndex) -> np.ndarray:
    return _cached(index, "_prof_total", lambda: np.asarray(requirement_matrix(index) @ professional_weights(index),
                                                             dtype=np.float64))


def focus_mask(index: PostingIndex, settings: SearchSettings) -> np.ndarray | None:
    """Postings inside the chosen focus, or None when no focus is set."""
    if not settings.focus_occupations and not settings.focus_sectors:
        return None
    mask = np.zeros(len(index), dtype=bool)
    occ = [o for o in settings.focus_occupations if not o.isdigit()]
    if occ:
        codes = [i for i, o in enumerate(index.occupation_vocab) if o in set(occ)]
        mask |= np.isin(index.occupation_code, codes)
    for prefix in (o for o in settings.focus_occupations if o.isdigit() and 1 <= len(o) <= 4):
        div = 10 ** (4 - len(prefix))
        mask |= (index.isco // div) == int(prefix)
    if settings.focus_sectors:
        codes = [i for i, s in enumerate(index.industry_vocab) if s in set(settings.focus_sectors)]
        mask |= np.isin(index.industry_code, codes)
    return mask


def retrieve(index: PostingIndex, query: Query, settings: SearchSettings,
             cfg: RetrievalConfig | None = None, *, include_closed: bool = False) -> Candidates:
    """Postings within reach that plausibly fit the query, capped (see the module docstring)."""
    cfg = cfg or RetrievalConfig()
    t0 = time.perf_counter()
    minutes = travel_minutes_all(index, settings.home_postcode, settings.mode)
    day = settings.as_of_day()
    mask = minutes <= settings.max_minutes
    if not include_closed:
        mask &= index.is_open & (index.deadline_day >= day) & (index.posted_day <= day)
    focus = focus_mask(index, settings)
    if focus is not None:
        mask &= focus
    reach = np.flatnonzero(mask)
    t1 = time.perf_counter()

    # plausibility: full-index sparse products (cheaper than slicing the rows in reach), then gathered
    w = professional_weights(index) * query.has
    overlap = np.asarray(requirement_matrix(index) @ w, dtype=np.float64)[reach]
    total = _posting_prof_total(index)[reach]
    coverage = np.divide(overlap, total, out=np.zeros_like(overlap), where=total > 0)
    if query.isco.size:
        isco_hit = np.isin(index.isco[reach] // 100, np.unique(query.isco // 100)).astype(np.float64)
        isco_hit += np.isin(index.isco[reach], query.isco)
    else:
        isco_hit = np.zeros(reach.size)
    if query.word_dense.size and query.word.nnz:
        title = np.asarray(index.title @ query.word_dense, dtype=np.float64)[reach]
    else:
        title = np.zeros(reach.size)
    plausible = (overlap > 0) | (isco_hit > 0) | (title >= cfg.min_title_cosine)
    if not plausible.any():  # nothing to go on (an empty CV): keep everything in reach, nearest first
        plausible[:] = True
    keep = np.flatnonzero(plausible)
    prescore = (cfg.prescore_coverage * coverage[keep] + cfg.prescore_isco * isco_hit[keep]
                + cfg.prescore_title * title[keep] - 1e-4 * minutes[reach[keep]])
    if keep.size > cfg.max_candidates:
        top = np.argpartition(-prescore, cfg.max_candidates - 1)[: cfg.max_candidates]
        top.sort()
        keep, prescore = keep[top], prescore[top]
    rows = reach[keep]
    # the full-text cosine of the survivors (the features need it too)
    if query.word_dense.size and query.word.nnz:
        word_cosine = np.asarray(index.word[rows] @ query.word_dense, dtype=np.float64)
    else:
        word_cosine = np.zeros(rows.size)
    t2 = time.perf_counter()
    return Candidates(rows=rows.astype(np.int64), travel_minutes=minutes[rows].astype(np.float64), prescore=prescore,
                      word_cosine=word_cosine, in_range=int(reach.size), plausible=int(plausible.sum()),
                      timing_ms={"reach": (t1 - t0) * 1000, "plausible": (t2 - t1) * 1000})
