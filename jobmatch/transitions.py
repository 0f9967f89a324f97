"""Occupation-to-occupation transition graph: how far is one job from another?

For every ordered pair of taxonomy occupations (*origin* → *destination*) the
graph holds one number in [0, 1]: the share of the destination's requirements
that the origin's requirements already cover. It is the backbone of the
"alternative jobs" suggestions (:mod:`jobmatch.alternatives`) and can be
inspected with ``python -m jobmatch transitions --from occ_kok``.

Method (in the spirit of Nesta's *Mapping Career Causeways*, 2020)
------------------------------------------------------------------
Each occupation is a weighted vector over competences. A requirement weighs
``essential_weight`` (1.0) when the taxonomy marks it essential and
``optional_weight`` (0.5) when optional. Each competence is further weighted
by

* **specificity** – a smoothed inverse document frequency over occupations,
  ``idf(c) = ln((1 + N) / (1 + df(c))) + 1``, so a rare, specific competence
  (``sk_kranfoerercertifikat``) counts more than one almost every occupation
  asks for (``sk_engelsk``);
* **kind** – personal competences (attitudes, "mødestabil", "samarbejdsvillig")
  are multiplied by ``personal_weight`` (0.25) because they transfer across
  almost everything and therefore say little about a *specific* move.

The similarity is an asymmetric weighted overlap ("containment")::

    sim(a → b) = Σ_c w_c · min(r_a(c), r_b(c))  /  Σ_c w_c · r_b(c)

where ``r_x(c)`` is 1.0 / 0.5 / 0 (essential / optional / not required) and
``w_c`` the competence weight. It answers *how much of what the destination
asks for does the origin bring*; a move into a narrower job therefore scores
higher than the reverse. Properties (tested): ``sim(a → a) = 1``; values lie
in [0, 1]; the numerator is symmetric, so ``sim(a → b) · mass(b) ==
sim(b → a) · mass(a)`` with ``mass(x) = Σ_c w_c · r_x(c)``.

Nesta's measure combined four facets (essential skills, optional skills,
work activities, work context; 0.25 each) and compared skills by sentence
embeddings rather than exact ids. Here only the first two facets exist (the
bundled taxonomy has no work-context data) and competences match by id. The
thresholds for a *viable* (≥ 0.3) and *highly viable* (≥ 0.4) move are taken
from that research (``MIN_VIABLE`` / ``HIGHLY_VIABLE`` in its published
``default_transition_params.yaml``); they are settings, not laws, and can be
tuned with ``JOBMATCH_TRANSITION_VIABLE`` / ``JOBMATCH_TRANSITION_HIGHLY_VIABLE``.
docs/alternatives.md reports how they behave on this taxonomy.

The whole graph (~300 × 300) is computed with two sparse matrix products in
a few milliseconds and cached per process, keyed by the taxonomy's source
and a content fingerprint, so a changed taxonomy gives a fresh graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jobmatch import config
from jobmatch.taxonomy import Taxonomy, load_taxonomy

#: Nesta, Mapping Career Causeways (2020): a transition is *viable* from this similarity …
NESTA_MIN_VIABLE = 0.3
#: … and *highly viable* from this one.
NESTA_HIGHLY_VIABLE = 0.4


class UnknownOccupationError(LookupError):
    """No occupation in the taxonomy has the requested id."""

    def __init__(self, occupation_id: str, suggestions: list[str]) -> None:
        self.occupation_id = occupation_id
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown occupation {occupation_id!r}.{hint}")

    def __str__(self) -> str:  # LookupError would quote the whole message
        return self.args[0]


@dataclass(frozen=True)
class TransitionConfig:
    """Weights and thresholds of the transition graph (defaults documented above)."""

    essential_weight: float = 1.0
    optional_weight: float = 0.5
    personal_weight: float = 0.25
    viable: float = NESTA_MIN_VIABLE
    highly_viable: float = NESTA_HIGHLY_VIABLE

    def __post_init__(self) -> None:
        if not 0 < self.optional_weight <= self.essential_weight:
            raise ValueError("optional_weight must be > 0 and <= essential_weight")
        if not 0 <= self.personal_weight <= 1:
            raise ValueError("personal_weight must be between 0 and 1")
        if not 0 <= self.viable <= self.highly_viable <= 1:
            raise ValueError("thresholds must satisfy 0 <= viable <= highly_viable <= 1")

    @classmethod
    def from_env(cls) -> "TransitionConfig":
        """Defaults, with the thresholds overridable by environment variables."""
        return cls(
            viable=config.env_float("JOBMATCH_TRANSITION_VIABLE", NESTA_MIN_VIABLE),
            highly_viable=config.env_float("JOBMATCH_TRANSITION_HIGHLY_VIABLE", NESTA_HIGHLY_VIABLE),
        )

    def viability(self, similarity: float) -> str:
        """``"highly_viable"``, ``"viable"`` or ``"stretch"`` for a similarity."""
        if similarity >= self.highly_viable:
            return "highly_viable"
        if similarity >= self.viable:
            return "viable"
        return "stretch"


@dataclass(frozen=True, eq=False)
class TransitionGraph:
    """The occupation × occupation similarity matrix and the parts it is made of.

    ``similarity[i, j]`` is sim(occupations[i] → occupations[j]). The
    requirement matrices are kept because :mod:`jobmatch.alternatives` scores a
    citizen's own competences against them with the same weights.
    """

    occupation_ids: np.ndarray  # (N,) str, taxonomy order
    competence_ids: np.ndarray  # (C,) str, taxonomy order
    essential: sp.csr_matrix  # (N, C) 1.0 where the competence is essential
    required: sp.csr_matrix  # (N, C) 1.0 where essential or optional
    weights: np.ndarray  # (C,) specificity × kind weight of each competence
    idf: np.ndarray  # (C,) smoothed inverse document frequency
    personal: np.ndarray  # (C,) bool, personal competences
    similarity: np.ndarray  # (N, N) float64
    mass: np.ndarray  # (N,) Σ_c w_c r(c) per occupation (the denominator)
    config: TransitionConfig
    source: str
    fingerprint: str
    _occ_index: dict[str, int] = field(default_factory=dict, repr=False)
    _comp_index: dict[str, int] = field(default_factory=dict, repr=False)

    # -- look-ups ------------------------------------------------------------
    def occupation_index(self, occupation_id: str) -> int:
        try:
            return self._occ_index[occupation_id]
        except KeyError:
            raise UnknownOccupationError(occupation_id, self._suggest(occupation_id)) from None

    def has_occupation(self, occupation_id: str | None) -> bool:
        return occupation_id is not None and occupation_id in self._occ_index

    def competence_index(self, competence_id: str) -> int | None:
        return self._comp_index.get(competence_id)

    def _suggest(self, occupation_id: str) -> list[str]:
        import difflib

        key = str(occupation_id)
        if not key.startswith("occ_"):
            key = "occ_" + key
        return difflib.get_close_matches(key, list(self._occ_index), n=3, cutoff=0.6)

    def sim(self, origin: str, destination: str) -> float:
        """sim(origin → destination)."""
        return float(self.similarity[self.occupation_index(origin), self.occupation_index(destination)])

    def competence_vector(self, competence_ids: set[str] | list[str]) -> np.ndarray:
        """A 0/1 vector over the taxonomy's competences (unknown ids are ignored)."""
        x = np.zeros(len(self.competence_ids), dtype=float)
        idx = [self._comp_index[c] for c in competence_ids if c in self._comp_index]
        x[idx] = 1.0
        return x

    def neighbours(self, occupation_id: str, top: int = 10, *, min_similarity: float = 0.0) -> pd.DataFrame:
        """The destinations closest to *occupation_id* (itself excluded).

        Columns: occupation_id, similarity (origin → destination), reverse
        (destination → origin), viability. Sorted by similarity, ties by id.
        """
        i = self.occupation_index(occupation_id)
        out = pd.DataFrame({
            "occupation_id": self.occupation_ids,
            "similarity": self.similarity[i],
            "reverse": self.similarity[:, i],
        })
        out = out[(out["occupation_id"] != occupation_id) & (out["similarity"] >= min_similarity)]
        out = out.sort_values(["similarity", "occupation_id"], ascending=[False, True], kind="mergesort")
        out = out.head(max(int(top), 0)).reset_index(drop=True)
        out["viability"] = [self.config.viability(s) for s in out["similarity"]]
        return out

    def edges(self, min_similarity: float | None = None) -> pd.DataFrame:
        """All directed edges at or above *min_similarity* (default: the viable threshold)."""
        threshold = self.config.viable if min_similarity is None else min_similarity
        s = self.similarity.copy()
        np.fill_diagonal(s, -1.0)
        i, j = np.nonzero(s >= threshold)
        out = pd.DataFrame({
            "origin": self.occupation_ids[i],
            "destination": self.occupation_ids[j],
            "similarity": s[i, j],
        })
        out["viability"] = [self.config.viability(v) for v in out["similarity"]]
        return out.sort_values(["origin", "similarity", "destination"], ascending=[True, False, True],
                               kind="mergesort").reset_index(drop=True)

    def stats(self) -> dict[str, Any]:
        """Figures for the documentation: distribution and out-degree at both thresholds."""
        n = len(self.occupation_ids)
        off = ~np.eye(n, dtype=bool)
        s = self.similarity
        viable = ((s >= self.config.viable) & off).sum(axis=1)
        highly = ((s >= self.config.highly_viable) & off).sum(axis=1)
        vals = s[off]
        return {
            "occupations": n,
            "pairs": int(vals.size),
            "share_viable": round(float((vals >= self.config.viable).mean()), 4),
            "share_highly_viable": round(float((vals >= self.config.highly_viable).mean()), 4),
            "median_viable_per_occupation": float(np.median(viable)),
            "median_highly_viable_per_occupation": float(np.median(highly)),
            "occupations_without_viable_move": int((viable == 0).sum()),
            "similarity_percentiles": {str(p): round(float(np.percentile(vals, p)), 3) for p in (50, 90, 99)},
        }


# ---------------------------------------------------------------------------
# building


def taxonomy_fingerprint(tax: Taxonomy) -> str:
    """A short content hash of the parts of the taxonomy the graph depends on."""
    h = hashlib.sha256(str(tax.source).encode())
    for frame, cols in ((tax.occupations, ["occupation_id"]),
                        (tax.competences, ["competence_id", "kind"]),
                        (tax.relations, ["occupation_id", "competence_id", "relation"])):
        h.update(pd.util.hash_pandas_object(frame[cols].astype(str), index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


def build_graph(tax: Taxonomy, cfg: TransitionConfig | None = None) -> TransitionGraph:
    """Compute the transition graph of *tax* (uncached; use :func:`transition_graph`)."""
    cfg = cfg or TransitionConfig.from_env()
    occ_ids = tax.occupations["occupation_id"].astype(str).to_numpy()
    comp_ids = tax.competences["competence_id"].astype(str).to_numpy()
    occ_index = {o: i for i, o in enumerate(occ_ids)}
    comp_index = {c: i for i, c in enumerate(comp_ids)}
    n, c = len(occ_ids), len(comp_ids)

    rel = tax.relations
    rel = rel[rel["occupation_id"].isin(occ_index) & rel["competence_id"].isin(comp_index)]
    rows = rel["occupation_id"].map(occ_index).to_numpy(dtype=np.int64)
    cols = rel["competence_id"].map(comp_index).to_numpy(dtype=np.int64)
    is_ess = (rel["relation"] == "essential").to_numpy()

    required = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, c))
    essential = sp.csr_matrix((np.ones(int(is_ess.sum())), (rows[is_ess], cols[is_ess])), shape=(n, c))
    required.data[:] = 1.0  # guard against duplicate relations summing to 2
    essential.data[:] = 1.0

    df = np.asarray(required.sum(axis=0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    personal = (tax.competences["kind"].astype(str) == "personal").to_numpy()
    weights = idf * np.where(personal, cfg.personal_weight, 1.0)

    # min(r_a, r_b) with r ∈ {0, opt, ess}:  opt·[both required] + (ess − opt)·[both essential]
    w_diag = sp.diags(weights)
    shared = (cfg.optional_weight * (required @ w_diag @ required.T)
              + (cfg.essential_weight - cfg.optional_weight) * (essential @ w_diag @ essential.T))
    shared = np.asarray(shared.todense(), dtype=float)
    r = cfg.optional_weight * required + (cfg.essential_weight - cfg.optional_weight) * essential
    mass = np.asarray(r @ weights).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = np.where(mass[None, :] > 0, shared / mass[None, :], 0.0)
    similarity = np.clip(similarity, 0.0, 1.0)
    np.fill_diagonal(similarity, np.where(mass > 0, 1.0, 0.0))

    return TransitionGraph(
        occupation_ids=occ_ids,
        competence_ids=comp_ids,
        essential=essential.tocsr(),
        required=required.tocsr(),
        weights=weights,
        idf=idf,
        personal=personal,
        similarity=similarity,
        mass=mass,
        config=cfg,
        source=str(tax.source),
        fingerprint=taxonomy_fingerprint(tax),
        _occ_index=occ_index,
        _comp_index=comp_index,
    )


class _Keyed:
    """Hashable wrapper: a taxonomy compared by its fingerprint (for lru_cache)."""

    __slots__ = ("tax", "key")

    def __init__(self, tax: Taxonomy) -> None:
        self.tax = tax
        self.key = (str(tax.source), taxonomy_fingerprint(tax))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


@lru_cache(maxsize=4)
def _cached_graph(keyed: _Keyed, cfg: TransitionConfig) -> TransitionGraph:
    return build_graph(keyed.tax, cfg)


def transition_graph(tax: Taxonomy | None = None, cfg: TransitionConfig | None = None) -> TransitionGraph:
    """The transition graph of *tax* (default: the configured taxonomy), cached per process.

    The cache key is the taxonomy's source and content fingerprint plus the
    configuration, so a different taxonomy or setting gives a different graph.
    """
    return _cached_graph(_Keyed(tax if tax is not None else load_taxonomy()), cfg or TransitionConfig.from_env())
