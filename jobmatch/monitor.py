"""Monitoring: has the world the model sees moved, does it serve every group, do consultants override it?

``python -m jobmatch monitor --json`` (and the dashboard page *Overvågning*)
compares a **reference** period with a **current** period. A period is
``START:END`` in ISO dates, START included, END excluded
(``2026-10-01:2026-11-01`` is October). Defaults: the current period is the
last month of the interactions log, the reference the three months before it.

What is measured
----------------
1. **Input drift** by the population stability index (:func:`psi`) between
   the two periods:

   * ``citizens.competence_groups`` — the competence mix of the profiles of
     the citizens active in the period (shown postings in it): each
     competence a citizen has counts once, in its taxonomy group (S1…S8
     skills, K.. knowledge, A.. attitudes, L language, T transversal);
   * ``citizens.postcode_area`` — their home postcode areas;
   * ``postings.competence_groups`` — the requirements (essential and
     optional) of the postings open during the period, by taxonomy group;
   * ``postings.postcode_area``, ``postings.industry``,
     ``postings.occupation_group`` (ISCO sub-major group, 2 digits) of those
     postings.

   A posting is *open during* [START, END) when it was posted before END and
   its deadline is on or after START.

2. **Score drift**: PSI of the model's scores of the (citizen, posting) pairs
   first shown in each period (features as of the day shown, as in
   training).

3. **Per-group quality over time**: NDCG@10 per month per protected group
   (gender, age band, origin). Each citizen's postings first shown in a
   month are ranked by the model (the evaluation's metric and tie-breaking,
   :func:`jobmatch.evaluate.per_query_metrics`); protected attributes come
   from the ``citizen_audit`` table and are joined **after** scoring, as in
   :mod:`jobmatch.fairness`. Months before the model's ``test_from`` are
   marked ``in_training_data`` — their NDCG is optimistic.

4. **Override rates** (when the database is ready): overrides per ranking
   shown (audit records of kind ``ranking``), per action, in each period
   and over all time — counted by :mod:`jobmatch.oversight`, as on the
   *Tilsyn* page.

Binning (PSI)
    Numbers (scores): ten bins at the deciles of the reference period (ties
    merged), the outer bins open-ended, so each bin holds ~10 % of the
    reference. Categories: the reference period's categories with at least
    :data:`MIN_CATEGORY_SHARE` of the observations, at most
    :data:`MAX_CATEGORIES` of them (most frequent first); everything else,
    including categories never seen in the reference, is pooled as
    ``other``. Empty bins get a share of :data:`PSI_EPSILON` so the logarithm
    stays finite.

Judging PSI fairly on small samples
    Two samples from the *same* distribution do not give PSI 0: to second
    order its expected value is ``(bins - 1) × (1/n_ref + 1/n_cur)`` (PSI is
    the symmetric Kullback–Leibler divergence, ≈ a χ² statistic scaled by
    the sample sizes). That is :func:`noise_floor`, computed with ``n`` = the
    number of citizens, postings or pairs (not mentions, which cluster within
    one CV or posting). A PSI is judged against the thresholds only when its
    noise floor is at most half the warning threshold; otherwise it is
    reported with level ``too_few`` — a figure, not an alarm.

Thresholds come from :func:`jobmatch.config.monitor_settings` (``psi_warn``
0.1, ``psi_alert`` 0.25 …). Every breach is a dict ``{metric, value,
threshold, level, message_da}`` in ``breaches``.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import config

#: a bin that is empty in one period gets this share (keeps ln finite; 1e-4 is the customary choice)
PSI_EPSILON = 1e-4
#: numeric values are cut into this many quantile bins of the reference
NUMERIC_BINS = 10
#: categories below this share of the reference are pooled into "other"
MIN_CATEGORY_SHARE = 0.02
#: at most this many categories of the reference keep their own bin (the rest: "other")
MAX_CATEGORIES = 12
OTHER = "other"
#: default period lengths (calendar months)
CURRENT_MONTHS = 1
REFERENCE_MONTHS = 3

PROTECTED_ATTRIBUTES: tuple[str, ...] = ("gender", "age_band", "origin")

#: the monitored quantities (their Danish and English names are in the text catalogue under monitor.metric.*)
METRICS: tuple[str, ...] = ("citizens.competence_groups", "citizens.postcode_area", "postings.competence_groups",
                            "postings.postcode_area", "postings.industry", "postings.occupation_group", "scores")


def label(metric: str, lang: str = "da") -> str:
    """The plain name of a monitored quantity (from :mod:`jobmatch.i18n`; the metric id when missing)."""
    from jobmatch import i18n

    key = f"monitor.metric.{metric.replace('.', '_')}"
    return i18n.t(key, lang) if i18n.has_key(key, lang) else metric


class MonitorError(ValueError):
    """Periods or data that cannot be monitored (a bad date, an empty period ...), in one line."""


# ---------------------------------------------------------------------------
# the population stability index


def psi(expected: Sequence[float], actual: Sequence[float], *, eps: float = PSI_EPSILON) -> float:
    """Population stability index of ``actual`` against ``expected`` (counts or shares over the same bins).

    ``PSI = Σ (a_i − e_i) · ln(a_i / e_i)`` with ``e``, ``a`` the bins' shares
    (each normalised to sum 1; a share of 0 becomes ``eps``). 0 = identical;
    customary reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major.
    Symmetric in its two arguments.

    Example: shares (0.5, 0.5) → (0.25, 0.75):
    ``−0.25·ln 0.5 + 0.25·ln 1.5 = 0.1733 + 0.1014 = 0.2747``.
    """
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    if e.shape != a.shape or e.ndim != 1 or e.size == 0:
        raise ValueError("psi needs two 1-d sequences over the same bins")
    if (e < 0).any() or (a < 0).any() or e.sum() <= 0 or a.sum() <= 0:
        raise ValueError("psi needs non-negative counts with a positive total on both sides")
    e = np.maximum(e / e.sum(), eps)
    a = np.maximum(a / a.sum(), eps)
    return float(np.sum((a - e) * np.log(a / e)))


def noise_floor(bins: int, n_reference: int, n_current: int) -> float:
    """Expected PSI of two samples of sizes n_ref and n_cur from one distribution over ``bins`` bins."""
    if n_reference <= 0 or n_current <= 0:
        return math.inf
    return (max(bins, 1) - 1) * (1.0 / n_reference + 1.0 / n_current)


def numeric_bins(reference: np.ndarray, bins: int = NUMERIC_BINS) -> np.ndarray:
    """Inner bin edges at the reference's quantiles (duplicates merged); outer bins are open-ended."""
    ref = np.asarray(reference, dtype=np.float64)
    ref = ref[np.isfinite(ref)]
    if ref.size == 0:
        return np.zeros(0)
    edges = np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1])
    return np.unique(edges)


def numeric_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin: bin i holds edges[i-1] < v <= edges[i] (bin 0: v <= edges[0]; last: v > edges[-1])."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    return np.bincount(np.searchsorted(edges, v, side="left"), minlength=edges.size + 1).astype(np.float64)


def category_bins(reference: pd.Series, *, min_share: float = MIN_CATEGORY_SHARE,
                  max_categories: int = MAX_CATEGORIES) -> list[str]:
    """The reference's categories that keep their own bin (most frequent first)."""
    shares = reference.astype(str).value_counts(normalize=True)
    keep = shares[shares >= min_share].index.tolist()[:max_categories]
    return [str(k) for k in keep]


def category_counts(values: pd.Series, bins: list[str]) -> np.ndarray:
    """Counts per kept category, then one ``other`` bin for everything else."""
    counts = values.astype(str).value_counts()
    kept = np.array([float(counts.get(b, 0)) for b in bins])
    other = float(counts.sum() - kept.sum())
    return np.append(kept, other)


@dataclass
class DriftResult:
    """PSI of one quantity between the periods, with what it was computed from."""

    metric: str
    psi: float
    bins: list[str]
    reference_share: list[float]
    current_share: list[float]
    n_reference: int  # units (citizens, postings, pairs) behind the shares
    n_current: int
    noise_floor: float
    judged: bool
    level: str  # "ok" | "warn" | "alert" | "too_few"

    def to_dict(self) -> dict[str, Any]:
        changes = sorted(zip(self.bins, self.reference_share, self.current_share),
                         key=lambda t: -abs(t[2] - t[1]))[:5]
        return {"metric": self.metric, "label_da": label(self.metric, "da"),
                "psi": round(self.psi, 4), "level": self.level, "judged": self.judged,
                "noise_floor": round(self.noise_floor, 4) if math.isfinite(self.noise_floor) else None,
                "n_reference": self.n_reference, "n_current": self.n_current, "bins": len(self.bins),
                "largest_changes": [{"bin": b, "reference": round(r, 4), "current": round(c, 4)}
                                    for b, r, c in changes]}


def _level(value: float, floor: float, settings: config.MonitorSettings) -> tuple[bool, str]:
    judged = floor <= settings.psi_warn / 2
    if not judged:
        return False, "too_few"
    if value >= settings.psi_alert:
        return True, "alert"
    if value >= settings.psi_warn:
        return True, "warn"
    return True, "ok"


def _drift(metric: str, ref_counts: np.ndarray, cur_counts: np.ndarray, labels: list[str], n_ref: int, n_cur: int,
           settings: config.MonitorSettings) -> DriftResult:
    if ref_counts.sum() <= 0 or cur_counts.sum() <= 0:
        return DriftResult(metric, float("nan"), labels, [], [], n_ref, n_cur, math.inf, False, "too_few")
    value = psi(ref_counts, cur_counts)
    used = int(((ref_counts > 0) | (cur_counts > 0)).sum())
    floor = noise_floor(used, n_ref, n_cur)
    judged, level = _level(value, floor, settings)
    return DriftResult(metric, value, labels, (ref_counts / ref_counts.sum()).tolist(),
                       (cur_counts / cur_counts.sum()).tolist(), n_ref, n_cur, floor, judged, level)


def categorical_drift(metric: str, reference: pd.Series, current: pd.Series, settings: config.MonitorSettings, *,
                      n_reference: int | None = None, n_current: int | None = None) -> DriftResult:
    """PSI of a categorical quantity (``n_*``: units behind the values when values are mentions)."""
    bins = category_bins(reference)
    return _drift(metric, category_counts(reference, bins), category_counts(current, bins), [*bins, OTHER],
                  int(n_reference if n_reference is not None else len(reference)),
                  int(n_current if n_current is not None else len(current)), settings)


def numeric_drift(metric: str, reference: np.ndarray, current: np.ndarray,
                  settings: config.MonitorSettings) -> DriftResult:
    """PSI of a numeric quantity over the reference's decile bins."""
    edges = numeric_bins(reference)
    labels = ([f"<= {edges[0]:.3g}"] if edges.size else []) + \
        [f"({a:.3g}, {b:.3g}]" for a, b in zip(edges[:-1], edges[1:])] + \
        ([f"> {edges[-1]:.3g}"] if edges.size else ["all"])
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    return _drift(metric, numeric_counts(ref, edges), numeric_counts(cur, edges), labels,
                  int(np.isfinite(ref).sum()), int(np.isfinite(cur).sum()), settings)


# ---------------------------------------------------------------------------
# periods


@dataclass(frozen=True)
class Period:
    """[start, end): start included, end excluded (dates)."""

    start: pd.Timestamp
    end: pd.Timestamp

    def __str__(self) -> str:
        return f"{self.start.date()}:{self.end.date()}"

    def to_dict(self) -> dict[str, str]:
        return {"start": str(self.start.date()), "end": str(self.end.date())}


def parse_period(text: str) -> Period:
    """``START:END`` (ISO dates) → :class:`Period`; a clear :class:`MonitorError` otherwise."""
    parts = str(text).strip().split(":")
    if len(parts) != 2:
        raise MonitorError(f"a period is START:END in ISO dates, e.g. 2026-10-01:2026-11-01; got {text!r}")
    try:
        start, end = (pd.Timestamp(dt.date.fromisoformat(p.strip())) for p in parts)
    except ValueError:
        raise MonitorError(f"a period is START:END in ISO dates (YYYY-MM-DD); got {text!r}") from None
    if not start < end:
        raise MonitorError(f"the period {text} ends before it starts")
    return Period(start, end)


def default_periods(interactions: pd.DataFrame) -> tuple[Period, Period]:
    """(reference, current): the log's last month, and the three months before it.

    The end is the day after the last day postings were *shown* (later
    applications and hires of those postings still count as their labels);
    with a log that ends on the last day of a month both periods are
    calendar months.
    """
    shown = interactions.loc[interactions["event"] == "shown", "timestamp"]
    ts = pd.to_datetime(shown if len(shown) else interactions["timestamp"])
    if ts.empty:
        raise MonitorError("the interactions log is empty")
    end = ts.max().normalize() + pd.Timedelta(days=1)
    current = Period(end - pd.DateOffset(months=CURRENT_MONTHS), end)
    reference = Period(current.start - pd.DateOffset(months=REFERENCE_MONTHS), current.start)
    return reference, current


def buckets(periods: Sequence[Period]) -> list[tuple[Period, str]]:
    """[first start, last end) cut at every month start and every period boundary: (part, its month "YYYY-MM").

    No part straddles a period boundary, so a period's scores are the union
    of whole parts; a month cut by a boundary has two parts (a citizen shown
    postings on both sides is then two queries in that month's NDCG).
    """
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    cuts = {first, last}
    cuts |= {b for p in periods for b in (p.start, p.end) if first < b < last}
    month = first.normalize().replace(day=1) + pd.offsets.MonthBegin(1)
    while month < last:
        cuts.add(month)
        month = month + pd.offsets.MonthBegin(1)
    edges = sorted(cuts)
    return [(Period(a, b), str(a.date())[:7]) for a, b in zip(edges[:-1], edges[1:])]


# ---------------------------------------------------------------------------
# what a period contains


@dataclass
class PeriodData:
    """The observations of one period that drift is computed on."""

    period: Period | None
    citizen_groups: pd.Series  # one competence group per competence mention of active citizens
    citizen_postcode_areas: pd.Series  # one per active citizen
    posting_groups: pd.Series  # one competence group per requirement of open postings
    posting_postcode_areas: pd.Series  # one per open posting
    posting_industries: pd.Series
    posting_occupation_groups: pd.Series
    n_citizens: int
    n_postings: int
    scores: np.ndarray | None = None  # model scores of pairs first shown in the period

    def counts(self) -> dict[str, int]:
        return {"citizens": self.n_citizens, "postings": self.n_postings,
                "pairs": int(self.scores.size) if self.scores is not None else 0}


def postcode_area(postcodes: Sequence[int] | pd.Series) -> pd.Series:
    """A postcode's area: its first two digits ("24xx" for 2400 København NV)."""
    values = pd.Series(postcodes).astype("Int64")
    return (values // 100).astype(str).str.zfill(2) + "xx"


def isco_group(isco: pd.Series) -> pd.Series:
    """ISCO-08 sub-major group (first two digits); "unknown" when the code is missing."""
    text = isco.astype(str).str.strip()
    return text.str[:2].where(text.str.fullmatch(r"\d{2,4}"), "unknown")


def competence_group_of() -> dict[str, str]:
    from jobmatch.taxonomy import load_taxonomy

    comp = load_taxonomy().competences
    return dict(zip(comp["competence_id"].astype(str), comp["group"].astype(str)))


def citizen_side(citizens: pd.DataFrame, profiles: dict[str, Any], groups: dict[str, str]) -> dict[str, Any]:
    """Competence groups (each competence a citizen has, once) and postcode areas of these citizens."""
    mentions = [groups.get(c, "unknown") for cid in citizens["citizen_id"].astype(str)
                if cid in profiles for c in sorted(profiles[cid].competence_ids())]
    return {"citizen_groups": pd.Series(mentions, dtype=str),
            "citizen_postcode_areas": postcode_area(citizens["home_postcode"]),
            "n_citizens": int(len(citizens))}


def posting_side(postings: pd.DataFrame, index: Any, groups: dict[str, str]) -> dict[str, Any]:
    """Requirement groups (from the index), postcode areas, industries and ISCO groups of these postings."""
    if index is not None and len(postings):
        rows = index.rows_of(postings["posting_id"].astype(str).to_numpy())
        rows = rows[rows >= 0]
        req = (index.essential[rows] + index.optional[rows]).tocoo()
        col_group = np.array([groups.get(c, "unknown") for c in index.competence_ids], dtype=object)
        posting_groups = pd.Series(col_group[req.col], dtype=str)
    else:
        posting_groups = pd.Series([], dtype=str)
    return {"posting_groups": posting_groups, "posting_postcode_areas": postcode_area(postings["postcode"]),
            "posting_industries": postings["industry"].astype(str).reset_index(drop=True),
            "posting_occupation_groups": isco_group(postings["isco"]).reset_index(drop=True),
            "n_postings": int(len(postings))}


def open_during(postings: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Postings open at some time in [start, end): posted before end, deadline on or after start."""
    posted = pd.to_datetime(postings["posted_date"])
    deadline = pd.to_datetime(postings["deadline"])
    return postings[(posted < period.end) & (deadline >= period.start)]


def period_frame(citizens: pd.DataFrame, postings: pd.DataFrame, profiles: dict[str, Any], index: Any,
                 groups: dict[str, str], *, period: Period | None = None,
                 scores: np.ndarray | None = None) -> PeriodData:
    """A :class:`PeriodData` from the citizens active and the postings open in it."""
    return PeriodData(period=period, **citizen_side(citizens, profiles, groups),
                      **posting_side(postings, index, groups), scores=scores)


def input_drift(reference: PeriodData, current: PeriodData,
                settings: config.MonitorSettings | None = None) -> list[DriftResult]:
    """PSI of every monitored input (and of the scores when both periods have them)."""
    s = settings or config.monitor_settings()
    out = [
        categorical_drift("citizens.competence_groups", reference.citizen_groups, current.citizen_groups, s,
                          n_reference=reference.n_citizens, n_current=current.n_citizens),
        categorical_drift("citizens.postcode_area", reference.citizen_postcode_areas,
                          current.citizen_postcode_areas, s),
        categorical_drift("postings.competence_groups", reference.posting_groups, current.posting_groups, s,
                          n_reference=reference.n_postings, n_current=current.n_postings),
        categorical_drift("postings.postcode_area", reference.posting_postcode_areas,
                          current.posting_postcode_areas, s),
        categorical_drift("postings.industry", reference.posting_industries, current.posting_industries, s),
        categorical_drift("postings.occupation_group", reference.posting_occupation_groups,
                          current.posting_occupation_groups, s),
    ]
    if reference.scores is not None and current.scores is not None:
        out.append(numeric_drift("scores", reference.scores, current.scores, s))
    return out


# ---------------------------------------------------------------------------
# scores and per-group quality per month


def bucket_scores(index: Any, model: Any, interactions: pd.DataFrame, citizens: pd.DataFrame,
                  profiles: dict[str, Any], parts: list[tuple[Period, str]], *, default_max_minutes: float = 45.0,
                  use_model: bool = True) -> pd.DataFrame:
    """Per part (see :func:`buckets`): every pair first shown in it, scored; NDCG@10 per citizen.

    Features are computed as of the day each posting was shown, as in
    training. Returns one row per citizen and part: part (its number),
    month, citizen_id, ndcg@10 (nan when the citizen applied to none of the
    part's postings) and ``scores`` (the citizen's pair scores, an array).
    Without a model (``use_model=False`` or None) the transparent rule score
    is used.
    """
    from jobmatch.evaluate import per_query_metrics
    from jobmatch.ranker import TrainingDataError, build_ranking_data, label_pairs

    columns = ["part", "month", "citizen_id", "ndcg@10", "scores"]
    if interactions.empty:
        return pd.DataFrame(columns=columns)
    pairs_all = label_pairs(interactions)
    shown = pd.to_datetime(pairs_all["shown_at"])
    rows = []
    for number, (part, month) in enumerate(parts):
        pairs = pairs_all[(shown >= part.start) & (shown < part.end)].copy()
        if pairs.empty:
            continue
        pairs["split"] = "test"
        try:
            data = build_ranking_data(index, pairs, citizens, profiles, default_max_minutes=default_max_minutes)
        except TrainingDataError:  # none of the part's postings/citizens is known
            continue
        scores = model.predict(data.X) if (use_model and model is not None) else data.overlap
        ndcg = per_query_metrics(scores, data)["ndcg@10"]
        for qi, sl in enumerate(data.query_slices()):
            rows.append({"part": number, "month": month, "citizen_id": str(data.query_citizen[qi]),
                         "ndcg@10": float(ndcg[qi]), "scores": np.asarray(scores[sl], dtype=np.float64)})
    return pd.DataFrame(rows, columns=columns)


def group_metrics(per_citizen_part: pd.DataFrame, audit: pd.DataFrame, *,
                  attributes: Sequence[str] = PROTECTED_ATTRIBUTES) -> pd.DataFrame:
    """Mean NDCG@10 and evaluated citizens per month × attribute × group (audit joined after scoring)."""
    evaluated = per_citizen_part[np.isfinite(per_citizen_part["ndcg@10"].astype(float))]
    joined = evaluated.merge(audit.assign(citizen_id=audit["citizen_id"].astype(str)), on="citizen_id", how="inner")
    frames = []
    for attr in attributes:
        if attr not in joined:
            continue
        g = joined.groupby(["month", attr], observed=True)["ndcg@10"].agg(["mean", "count"]).reset_index()
        frames.append(pd.DataFrame({"month": g["month"], "attribute": attr, "group": g[attr].astype(str),
                                    "ndcg@10": g["mean"].round(4), "citizens": g["count"].astype(int)}))
    if not frames:
        return pd.DataFrame(columns=["month", "attribute", "group", "ndcg@10", "citizens"])
    return pd.concat(frames, ignore_index=True).sort_values(["month", "attribute", "group"]).reset_index(drop=True)


def group_breaches(table: pd.DataFrame, settings: config.MonitorSettings) -> list[dict[str, Any]]:
    """Months where the lowest group's NDCG@10 is below ``min_group_ndcg_ratio`` × the highest group's."""
    out = []
    for (month, attr), part in table.groupby(["month", "attribute"]):
        part = part[part["citizens"] >= settings.min_group_queries]
        if len(part) < 2:
            continue
        low, high = part.loc[part["ndcg@10"].idxmin()], part.loc[part["ndcg@10"].idxmax()]
        if high["ndcg@10"] <= 0:
            continue
        ratio = float(low["ndcg@10"] / high["ndcg@10"])
        if ratio < settings.min_group_ndcg_ratio:
            out.append(breach(f"group_ndcg_ratio.{attr}.{month}", ratio, settings.min_group_ndcg_ratio, "warn",
                              f"{month}: gruppen {low['group']} ({attr}) får markant dårligere forslag end "
                              f"{high['group']} (NDCG@10 {_da(low['ndcg@10'])} mod {_da(high['ndcg@10'])}, "
                              f"forhold {_da(ratio)} < {_da(settings.min_group_ndcg_ratio)})."))
    return out


# ---------------------------------------------------------------------------
# override rates (database)


def override_rates(periods: dict[str, Period], session_factory: Any = None) -> dict[str, Any]:
    """Overrides per ranking shown, per period and over all time (``available: False`` without a database).

    Read and counted by :mod:`jobmatch.oversight` (the *Tilsyn* page's
    definitions: an override is hide, not relevant, pin, unpin, reorder or
    add by hand; feedback is not an override).
    """
    try:
        from jobmatch import oversight
    except Exception as exc:  # the oversight module is optional for monitoring
        return {"available": False, "reason": f"oversight not available ({type(exc).__name__})"}
    data = oversight.load(session_factory)
    if not data.available:
        return {"available": False, "reason": (data.problem or "the database is not ready").splitlines()[0][:200]}
    out: dict[str, Any] = {"available": True, "override_actions": list(oversight.OVERRIDE_ACTIONS)}
    for name, period in {"all_time": None, **periods}.items():
        actions, rankings = data.actions, data.rankings
        if period is not None:
            start, end = period.start.tz_localize("UTC"), period.end.tz_localize("UTC")
            actions = actions[(actions["ts"] >= start) & (actions["ts"] < end)]
            rankings = rankings[(rankings["ts"] >= start) & (rankings["ts"] < end)]
        summary = oversight.override_summary(actions, rankings)
        rate = summary["overrides_per_ranking"]
        out[name] = {"rankings": summary["rankings_shown"], "overrides": summary["overrides"],
                     "override_rate": round(float(rate), 4) if np.isfinite(rate) else None,
                     "actions": {str(k): int(v) for k, v in actions["action"].value_counts().items()}}
    return out


# ---------------------------------------------------------------------------
# breaches


def _da(value: float) -> str:
    """A number the Danish way (decimal comma), at most three decimals: 0,25 · 0,999 · 2,004."""
    text = f"{value:.3f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return text.replace(".", ",")


def breach(metric: str, value: float, threshold: float, level: str, message_da: str) -> dict[str, Any]:
    return {"metric": metric, "value": round(float(value), 4), "threshold": threshold, "level": level,
            "message_da": message_da}


def drift_breaches(results: list[DriftResult], settings: config.MonitorSettings) -> list[dict[str, Any]]:
    out = []
    for r in results:
        if r.level not in ("warn", "alert"):
            continue
        threshold = settings.psi_alert if r.level == "alert" else settings.psi_warn
        what = "har flyttet sig markant" if r.level == "alert" else "har flyttet sig og bør undersøges"
        out.append(breach(f"psi.{r.metric}", r.psi, threshold, r.level,
                          f"{label(r.metric, 'da')} {what} (PSI {_da(r.psi)} ≥ {_da(threshold)})."))
    return out


def override_breaches(overrides: dict[str, Any], settings: config.MonitorSettings) -> list[dict[str, Any]]:
    out = []
    if not overrides.get("available"):
        return out
    current = overrides.get("current") or {}
    rate = current.get("override_rate")
    if rate is not None and rate > settings.max_override_rate:
        out.append(breach("override_rate.current", rate, settings.max_override_rate, "warn",
                          f"Konsulenterne har ændret i forslagene ved {_da(rate)} handlinger pr. visning "
                          f"(> {_da(settings.max_override_rate)}): forslagene rammer måske ved siden af."))
    return out


# ---------------------------------------------------------------------------
# the whole report


def monitor_report(world_folder: Path | None = None, models_folder: Path | None = None, *,
                   reference: Period | None = None, current: Period | None = None, use_model: bool = True,
                   session_factory: Any = None, progress: Any = None) -> dict[str, Any]:
    """Drift, per-group NDCG per month and override rates between two periods (see the module docstring)."""
    from jobmatch import index as index_mod
    from jobmatch import registry, world
    from jobmatch.ranker import Progress, check_interactions, citizen_profiles

    started = time.perf_counter()
    progress = progress or Progress(False)
    settings = config.monitor_settings()
    log = check_interactions(world.load_interactions(world_folder))
    default_ref, default_cur = default_periods(log)
    reference = reference or default_ref
    current = current or default_cur
    model = metadata = None
    if use_model:
        try:
            loaded = registry.load_model(models_folder)
            model, metadata = loaded.ranker, loaded.metadata
        except (registry.ModelMissingError, registry.ModelCompatibilityError):
            model = None
    progress.stage("posting index ...")
    index = index_mod.load_or_build(world_folder, progress=progress.enabled)
    citizens = world.load_citizens(world_folder)
    citizens = citizens.assign(citizen_id=citizens["citizen_id"].astype(str))
    postings = world.load_postings(world_folder)
    version = world.data_version(world_folder)
    progress.stage("CV profiles ...")
    profiles = citizen_profiles(citizens, data_version=version, progress=progress)
    groups = competence_group_of()

    # scores and NDCG per citizen over both periods, in parts that never straddle a period boundary
    parts = buckets([reference, current])
    first, last = parts[0][0].start, parts[-1][0].end
    window = log[(log["timestamp"] >= first) & (log["timestamp"] < last)]
    default_max = float((metadata or {}).get("train_config", {}).get("default_max_minutes", 45.0))
    progress.stage(f"scoring the pairs shown from {first.date()} to {last.date()} ...")
    per_part = bucket_scores(index, model, window, citizens, profiles, parts, default_max_minutes=default_max,
                             use_model=model is not None)

    def period_data(period: Period) -> PeriodData:
        events = log[(log["timestamp"] >= period.start) & (log["timestamp"] < period.end) & (log["event"] == "shown")]
        active = citizens[citizens["citizen_id"].isin(set(events["citizen_id"].astype(str)))]
        inside = [i for i, (part, _m) in enumerate(parts) if part.start >= period.start and part.end <= period.end]
        mine = per_part[per_part["part"].isin(inside)]
        scores = np.concatenate(mine["scores"].tolist()) if len(mine) else np.zeros(0)
        return period_frame(active, open_during(postings, period), profiles, index, groups, period=period,
                            scores=scores)

    ref_data, cur_data = period_data(reference), period_data(current)
    if ref_data.n_postings == 0 and ref_data.n_citizens == 0:
        raise MonitorError(f"the reference period {reference} has no citizens and no postings")
    if cur_data.n_postings == 0 and cur_data.n_citizens == 0:
        raise MonitorError(f"the current period {current} has no citizens and no postings")
    drift = input_drift(ref_data, cur_data, settings)

    audit = world.load_citizen_audit(world_folder)
    table = group_metrics(per_part, audit)
    test_from = (metadata or {}).get("split", {}).get("test_from")
    # a month that starts before the model's test period was (partly) used for training or early stopping
    in_training = {m: bool(test_from and f"{m}-01" < str(test_from)) for m in table["month"].unique()}
    overrides = override_rates({"reference": reference, "current": current}, session_factory)
    breaches = drift_breaches(drift, settings) + group_breaches(table, settings) + override_breaches(overrides,
                                                                                                      settings)
    breaches.sort(key=lambda b: (0 if b["level"] == "alert" else 1, b["metric"]))
    return {
        "reference": {**reference.to_dict(), **ref_data.counts()},
        "current": {**current.to_dict(), **cur_data.counts()},
        "model_version": (metadata or {}).get("version") if model is not None else None,
        "method": "model" if model is not None else "rule",
        "data_version": version,
        "thresholds": {"psi_warn": settings.psi_warn, "psi_alert": settings.psi_alert,
                       "min_group_ndcg_ratio": settings.min_group_ndcg_ratio,
                       "max_override_rate": settings.max_override_rate,
                       "min_group_queries": settings.min_group_queries},
        "drift": [r.to_dict() for r in drift],
        "group_metrics": {"rows": table.to_dict(orient="records"), "in_training_data": in_training,
                          "model_test_from": test_from},
        "overrides": overrides,
        "breaches": breaches,
        "status": "alert" if any(b["level"] == "alert" for b in breaches) else (
            "warn" if breaches else "ok"),
        "seconds": round(time.perf_counter() - started, 1),
    }


__all__ = ["DriftResult", "METRICS", "MonitorError", "Period", "PeriodData", "categorical_drift",
           "bucket_scores", "buckets", "category_bins", "default_periods", "group_metrics", "input_drift", "label", "monitor_report",
           "noise_floor", "numeric_bins", "numeric_drift", "open_during", "override_rates", "parse_period",
           "period_frame", "postcode_area", "psi"]
