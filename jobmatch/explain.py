"""Why the ranker put a posting where it did: SHAP values, per feature and per named group.

The ranker (:mod:`jobmatch.ranker`) is a LightGBM LambdaRank model over the
pair features of :mod:`jobmatch.features`. Its score for one (CV, posting)
pair is a sum of tree outputs, and ``shap.TreeExplainer`` splits that sum
exactly into one contribution per feature (Lundberg et al., TreeSHAP,
"tree path dependent" variant)::

    score(x) = expected_value + sum_j shap_j(x)

``expected_value`` is the model's average score over its training data, so a
positive contribution means "this feature raises the score above the average
posting", a negative one "lowers it". The values explain *the model*, not the
world: they say what the model reacts to, not what makes a good job.

What this module offers
-----------------------
* :func:`tree_explainer` — one ``shap.TreeExplainer`` per loaded model, cached
  for the process (building it parses the trees once).
* :func:`explain_rows` / :func:`explain_ranking` — SHAP values of the
  candidate feature rows of one ranking (:class:`Explanation`).
* :func:`check_consistency` — the SHAP values against LightGBM's own
  ``predict(pred_contrib=True)`` and the local-accuracy identity above
  (``tests/test_explain.py`` runs it, and also checks both against Shapley
  values computed by brute force on a tiny model).
* :func:`group_values` — contributions summed per named feature group
  (:data:`jobmatch.features.GROUPS`: professional competences, personal
  competences, certificates and licences, similar wording, experience,
  education, languages, travel, working hours, posting age). Feature names
  are for the project team; consultants and citizens see the groups.
* :func:`explanation_chart` — one posting's group contributions as a plain
  DataFrame (``group, label_da, label_en, contribution, direction, start,
  end``) for signed bars or a waterfall; :func:`chart_spec` gives a
  Vega-Lite spec that ``st.vega_lite_chart`` (or Altair) renders.
* :func:`global_importance` — mean |SHAP| per group and per feature over the
  rankings of the demo personas: what drives the model overall
  (``python -m jobmatch explain global --json``).
* :func:`add_reasons` — the hook the dashboard calls to fill each result's
  ``reasons`` (delegates to :mod:`jobmatch.reasons`).

Nothing here reads or stores CV text; SHAP values are computed in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from jobmatch.features import FEATURE_NAMES, FEATURES, GROUPS

#: groups in the order the views show them
GROUP_KEYS: tuple[str, ...] = tuple(GROUPS)


class ExplanationError(RuntimeError):
    """An explanation cannot be made (no learned model, features of another model version ...)."""


# ---------------------------------------------------------------------------
# groups


def feature_groups(feature_names: tuple[str, ...] = FEATURE_NAMES) -> tuple[str, ...]:
    """The group key of each feature, in ``feature_names`` order."""
    group_of = {f.name: f.group for f in FEATURES}
    missing = [n for n in feature_names if n not in group_of]
    if missing:
        raise ExplanationError(f"Features without a group: {missing}")
    return tuple(group_of[n] for n in feature_names)


@lru_cache(maxsize=4)
def group_matrix(feature_names: tuple[str, ...] = FEATURE_NAMES) -> np.ndarray:
    """0/1 matrix (features × groups): ``values @ group_matrix()`` sums SHAP values per group."""
    groups = feature_groups(feature_names)
    out = np.zeros((len(feature_names), len(GROUP_KEYS)), dtype=np.float64)
    for i, g in enumerate(groups):
        out[i, GROUP_KEYS.index(g)] = 1.0
    out.setflags(write=False)
    return out


def group_values(values: np.ndarray, feature_names: tuple[str, ...] = FEATURE_NAMES) -> np.ndarray:
    """SHAP values (n × features, or one row) summed per group (n × groups, or one row)."""
    values = np.asarray(values, dtype=np.float64)
    return values @ group_matrix(tuple(feature_names))


def group_label(group: str, lang: str = "da") -> str:
    da, en = GROUPS[group]
    return en if lang == "en" else da


# ---------------------------------------------------------------------------
# the explainer (one per model, cached for the process)

_LOCK = threading.Lock()
#: id(booster) → (booster, best iteration, booster SHAP sees, explainer); the booster is kept so its id is not reused
_EXPLAINERS: dict[int, tuple[Any, int, Any, Any]] = {}
_MAX_CACHED = 4


def _booster_and_iteration(ranker: Any) -> tuple[Any, int]:
    booster = getattr(ranker, "booster_", None)
    if booster is None:
        raise ExplanationError("SHAP explanations need a fitted LightGBM ranker (none is loaded)")
    best = int(getattr(ranker, "best_iteration_", 0) or booster.current_iteration())
    return booster, best


def _explained_booster(booster: Any, best: int) -> Any:
    """The booster SHAP sees: cut to the best iteration when the ranker predicts with fewer trees than it has."""
    if best >= booster.current_iteration():
        return booster
    import lightgbm

    return lightgbm.Booster(model_str=booster.model_to_string(num_iteration=best))


def tree_explainer(ranker: Any) -> Any:
    """``shap.TreeExplainer`` for the ranker's booster (built once per model and process)."""
    booster, best = _booster_and_iteration(ranker)
    key = id(booster)
    with _LOCK:
        hit = _EXPLAINERS.get(key)
        if hit is not None and hit[0] is booster and hit[1] == best:
            return hit[3]
    import shap

    explained = _explained_booster(booster, best)
    explainer = shap.TreeExplainer(explained, feature_perturbation="tree_path_dependent")
    with _LOCK:
        if len(_EXPLAINERS) >= _MAX_CACHED:
            _EXPLAINERS.pop(next(iter(_EXPLAINERS)))
        _EXPLAINERS[key] = (booster, best, explained, explainer)
    return explainer


def _as_matrix(X: np.ndarray, ranker: Any) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim == 1:
        X = X[None, :]
    names = tuple(getattr(ranker, "feature_names_", FEATURE_NAMES))
    if X.shape[1] != len(names):
        raise ExplanationError(f"Feature rows have {X.shape[1]} columns; the model expects {len(names)}")
    return X


def shap_values(ranker: Any, X: np.ndarray) -> tuple[np.ndarray, float]:
    """(SHAP values n × features as float64, expected value) for feature rows ``X``."""
    X = _as_matrix(X, ranker)
    explainer = tree_explainer(ranker)
    if X.shape[0] == 0:
        return np.zeros((0, X.shape[1])), float(np.ravel(explainer.expected_value)[0])
    values = np.asarray(explainer.shap_values(X), dtype=np.float64)
    if values.ndim == 3:  # a multi-output model would give one matrix per output; the ranker has one
        values = values[..., 0]
    return values, float(np.ravel(explainer.expected_value)[0])


@dataclass
class Explanation:
    """SHAP values of the feature rows of (part of) one ranking."""

    values: np.ndarray  # float64 (n × features)
    expected_value: float
    features: np.ndarray  # float32 (n × features), the rows explained
    posting_ids: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = FEATURE_NAMES

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def scores(self) -> np.ndarray:
        """The model's raw scores, rebuilt from the contributions (expected value + sum)."""
        return self.expected_value + self.values.sum(axis=1)

    def group_values(self) -> np.ndarray:
        """Contributions per group (n × len(GROUP_KEYS))."""
        return group_values(self.values, self.feature_names)

    def row(self, which: int | str) -> int:
        """Row number of a position or a posting id."""
        if isinstance(which, str):
            try:
                return self.posting_ids.index(which)
            except ValueError:
                raise KeyError(f"posting {which!r} is not in this explanation") from None
        return int(which)

    def feature_frame(self, which: int | str = 0) -> pd.DataFrame:
        """One row's features: feature, group, value, contribution (largest |contribution| first)."""
        i = self.row(which)
        groups = feature_groups(self.feature_names)
        frame = pd.DataFrame({"feature": list(self.feature_names), "group": list(groups),
                              "value": self.features[i].astype(np.float64), "contribution": self.values[i]})
        order = np.lexsort((np.arange(len(frame)), -np.abs(frame["contribution"].to_numpy())))
        return frame.iloc[order].reset_index(drop=True)


def explain_rows(ranker: Any, X: np.ndarray, posting_ids: tuple[str, ...] | list[str] = ()) -> Explanation:
    """SHAP values of feature rows (e.g. a ranking's candidates)."""
    X = _as_matrix(X, ranker)
    values, expected = shap_values(ranker, X)
    return Explanation(values=values, expected_value=expected, features=X, posting_ids=tuple(posting_ids),
                       feature_names=tuple(getattr(ranker, "feature_names_", FEATURE_NAMES)))


def explain_ranking(ranked: Any, engine: Any) -> Explanation:
    """SHAP values of the ranked postings of ``engine.rank_with_features(...)`` (in ranked order)."""
    if engine.model is None or getattr(ranked.result, "method", "model") != "model":
        raise ExplanationError("This ranking was made by the transparent rule (no learned model): "
                               "there are no SHAP values to show")
    ids = tuple(str(r["posting_id"]) for r in ranked.result.results)
    return explain_rows(engine.model, ranked.features, ids)


# ---------------------------------------------------------------------------
# consistency with LightGBM's own contributions


@dataclass(frozen=True)
class Consistency:
    """How far SHAP's values are from LightGBM's ``pred_contrib`` and from the model's scores."""

    rows: int
    max_abs_diff: float  # |shap - pred_contrib| over all rows and features
    max_expected_diff: float  # |expected value - pred_contrib's bias column|
    max_sum_diff: float  # |expected value + sum(shap) - raw score|
    atol: float

    @property
    def ok(self) -> bool:
        return max(self.max_abs_diff, self.max_expected_diff, self.max_sum_diff) <= self.atol

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "max_abs_diff": self.max_abs_diff, "max_expected_diff": self.max_expected_diff,
                "max_sum_diff": self.max_sum_diff, "atol": self.atol, "ok": self.ok}


def check_consistency(ranker: Any, X: np.ndarray, atol: float = 1e-6) -> Consistency:
    """Compare SHAP values with ``booster.predict(X, pred_contrib=True)`` and with the raw scores."""
    X = _as_matrix(X, ranker)
    values, expected = shap_values(ranker, X)
    booster, best = _booster_and_iteration(ranker)
    contrib = np.asarray(booster.predict(X, pred_contrib=True, num_iteration=best), dtype=np.float64)
    raw = np.asarray(ranker.predict(X), dtype=np.float64)
    if X.shape[0] == 0:
        return Consistency(0, 0.0, 0.0, 0.0, atol)
    return Consistency(
        rows=int(X.shape[0]),
        max_abs_diff=float(np.abs(contrib[:, :-1] - values).max()),
        max_expected_diff=float(np.abs(contrib[:, -1] - expected).max()),
        max_sum_diff=float(np.abs(expected + values.sum(axis=1) - raw).max()),
        atol=atol,
    )


# ---------------------------------------------------------------------------
# the consultant's chart


def explanation_chart(explanation: Explanation, which: int | str = 0, *, sort: bool = True) -> pd.DataFrame:
    """One posting's contributions per named group, for signed bars or a waterfall.

    Columns: ``group`` (key), ``label_da``, ``label_en``, ``contribution``
    (sum of the group's SHAP values, in model score units), ``direction``
    ("+" raises the score, "-" lowers it, "0" no effect), and ``start`` /
    ``end`` — where the group's bar starts and ends in a waterfall that
    begins at the expected value and ends at the posting's score, in the
    order of the rows. Sorted by |contribution| (largest first) unless
    ``sort=False`` (then in :data:`GROUP_KEYS` order). ``frame.attrs`` holds
    ``expected_value``, ``score`` and ``posting_id``.
    """
    i = explanation.row(which)
    contrib = explanation.group_values()[i]
    frame = pd.DataFrame({
        "group": list(GROUP_KEYS),
        "label_da": [GROUPS[g][0] for g in GROUP_KEYS],
        "label_en": [GROUPS[g][1] for g in GROUP_KEYS],
        "contribution": contrib.astype(np.float64),
    })
    frame["direction"] = np.where(frame["contribution"] > 0, "+", np.where(frame["contribution"] < 0, "-", "0"))
    if sort:
        order = np.lexsort((np.arange(len(frame)), -np.abs(frame["contribution"].to_numpy())))
        frame = frame.iloc[order].reset_index(drop=True)
    end = explanation.expected_value + np.cumsum(frame["contribution"].to_numpy())
    frame["start"] = end - frame["contribution"].to_numpy()
    frame["end"] = end
    frame.attrs.update(expected_value=float(explanation.expected_value), score=float(explanation.scores[i]),
                       posting_id=explanation.posting_ids[i] if i < len(explanation.posting_ids) else None)
    return frame


def chart_spec(frame: pd.DataFrame, lang: str = "da", kind: str = "bars") -> dict[str, Any]:
    """A Vega-Lite spec for :func:`explanation_chart`'s frame (``st.vega_lite_chart(frame, spec)``).

    ``kind="bars"``: one signed horizontal bar per group (green raises, red
    lowers). ``kind="waterfall"``: bars from ``start`` to ``end``. The spec
    holds no data; pass the frame alongside it.
    """
    if kind not in ("bars", "waterfall"):
        raise ValueError(f"kind must be 'bars' or 'waterfall', got {kind!r}")
    label = "label_en" if lang == "en" else "label_da"
    title = "Contribution to the score" if lang == "en" else "Bidrag til placeringen"
    order = list(frame[label])
    color = {"field": "direction", "type": "nominal", "legend": None,
             "scale": {"domain": ["+", "-", "0"], "range": ["#2e7d32", "#c62828", "#9e9e9e"]}}
    y = {"field": label, "type": "nominal", "sort": order, "title": None}
    tooltip = [{"field": label, "type": "nominal"}, {"field": "contribution", "type": "quantitative", "format": "+.3f"}]
    if kind == "bars":
        encoding = {"y": y, "x": {"field": "contribution", "type": "quantitative", "title": title}, "color": color,
                    "tooltip": tooltip}
    else:
        encoding = {"y": y, "x": {"field": "start", "type": "quantitative", "title": title,
                                  "scale": {"zero": False}},
                    "x2": {"field": "end"}, "color": color, "tooltip": tooltip}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": {"type": "bar"},
            "encoding": encoding}


# ---------------------------------------------------------------------------
# the project team's global view


@dataclass
class DemoQuery:
    """A demo persona's profile and the search settings used for the global view and the tests."""

    persona_id: str
    profile: Any
    settings: Any


@lru_cache(maxsize=2)
def _demo_queries(mode: str, max_minutes: float) -> tuple[DemoQuery, ...]:
    from jobmatch import personas
    from jobmatch.cvparse import parse_file
    from jobmatch.retrieval import SearchSettings

    out = []
    for p in personas.list_personas():
        profile = parse_file(p.read_bytes(), p.path.name)
        out.append(DemoQuery(p.id, profile, SearchSettings(p.postcode, mode, max_minutes)))
    return tuple(out)


def demo_queries(mode: str = "public", max_minutes: float = 45.0) -> list[DemoQuery]:
    """Every demo persona's parsed CV with its home postcode (parsed once per process)."""
    return list(_demo_queries(mode, float(max_minutes)))


@dataclass
class GlobalImportance:
    """Mean |SHAP| per group and per feature over a sample of rankings."""

    groups: pd.DataFrame  # group, label_da, label_en, mean_abs, share, mean (signed)
    features: pd.DataFrame  # feature, group, mean_abs, share, mean
    rankings: int
    rows: int
    model_version: str | None = None
    sample: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"model_version": self.model_version, "rankings": self.rankings, "rows": self.rows,
                "sample": list(self.sample),
                "groups": _records(self.groups), "features": _records(self.features)}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: (round(float(v), 6) if isinstance(v, (float, np.floating)) else v) for k, v in rec.items()})
    return out


def importance_from_values(values: np.ndarray, feature_names: tuple[str, ...] = FEATURE_NAMES
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(groups, features) tables of mean |SHAP| from a stack of SHAP rows.

    Per group the mean is of |sum of the group's values| per row — what the
    chart shows — not the sum of the features' mean |values|.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape[0] == 0:
        raise ExplanationError("No rows to summarise")
    groups = feature_groups(tuple(feature_names))
    f_abs = np.abs(values).mean(axis=0)
    features = pd.DataFrame({"feature": list(feature_names), "group": list(groups), "mean_abs": f_abs,
                             "share": f_abs / max(f_abs.sum(), 1e-300), "mean": values.mean(axis=0)})
    gv = group_values(values, tuple(feature_names))
    g_abs = np.abs(gv).mean(axis=0)
    grp = pd.DataFrame({"group": list(GROUP_KEYS), "label_da": [GROUPS[g][0] for g in GROUP_KEYS],
                        "label_en": [GROUPS[g][1] for g in GROUP_KEYS], "mean_abs": g_abs,
                        "share": g_abs / max(g_abs.sum(), 1e-300), "mean": gv.mean(axis=0)})

    def by_size(frame: pd.DataFrame) -> pd.DataFrame:
        order = np.lexsort((np.arange(len(frame)), -frame["mean_abs"].to_numpy()))
        return frame.iloc[order].reset_index(drop=True)

    return by_size(grp), by_size(features)


def global_importance(engine: Any = None, queries: list[DemoQuery] | None = None, *, top: int = 50
                      ) -> GlobalImportance:
    """Mean |SHAP| per group and feature over the top ``top`` postings of each query's ranking.

    ``queries`` default to the demo personas (home postcode, public transport,
    45 minutes). Only the postings a ranking shows are used: that is what the
    consultant sees explained.
    """
    from jobmatch import ranking

    engine = engine or ranking.default_engine()
    if engine.model is None:
        raise ExplanationError("No learned model is installed: there is nothing to explain "
                               "(python -m jobmatch model ensure)")
    queries = demo_queries() if queries is None else queries
    stacks, names = [], []
    for q in queries:
        ranked = engine.rank_with_features(q.profile, q.settings, top=top)
        if len(ranked.rows):
            stacks.append(ranked.features)
            names.append(q.persona_id)
    if not stacks:
        raise ExplanationError("None of the sample rankings found postings in range")
    X = np.vstack(stacks)
    values, _expected = shap_values(engine.model, X)
    groups, features = importance_from_values(values, tuple(engine.model.feature_names_))
    return GlobalImportance(groups=groups, features=features, rankings=len(stacks), rows=int(X.shape[0]),
                            model_version=engine.model_version, sample=names)


# ---------------------------------------------------------------------------
# the dashboard's hook


def add_reasons(ranked: Any, profile: Any, *, engine: Any, lang: str = "da", settings: Any = None) -> None:
    """Fill ``ranked.result.results[i]["reasons"]`` (and ``"reason_details"``) in place.

    Called by the dashboard after ``engine.rank_with_features``; see
    :func:`jobmatch.reasons.attach_reasons`. Without ``settings`` the travel
    reason cannot name the transport mode and says "each way" instead.
    """
    from jobmatch.reasons import attach_reasons

    attach_reasons(ranked, profile, settings, engine=engine, lang=lang)
