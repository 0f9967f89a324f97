"""The fairness report of a model version: per-group quality, exposure and proxies.

``python -m jobmatch fairness --json`` calls :func:`fairness_report`. It answers
four questions about the ranking model on the configured world, each per
protected attribute (gender, age band, origin) and per group value, with
percentile-bootstrap 95 % intervals over citizens
(:func:`jobmatch.metrics.bootstrap_mean_ci`):

1. **Quality — NDCG@10 on the test period.** Exactly the test split and
   candidate sets of :mod:`jobmatch.evaluate` (each citizen's postings shown
   in the test period, ranked by the model), scored per citizen with
   :func:`jobmatch.evaluate.per_query_metrics`. Citizens without any
   application in the test period have no NDCG and are skipped, as in the
   evaluation.

2. **Exposure — how much attention the group's recommendations get.** Each
   sampled citizen gets a *standard ranking* of current postings: their own
   search settings from the citizens table (home postcode, transport mode,
   maximum travel time, hours wish), no focus, as of the configured
   reference date, top 10. Position *r* gets the weight ``1/log2(r+1)``
   (the NDCG discount: attention falls with position), and

   * ``exposure`` = sum of the weights of the positions that hold a
     suggestion ÷ the sum for a full top 10. It is 1 when the citizen gets
     ten suggestions and less when fewer postings are in reach or plausible
     for their CV — a group that systematically gets short lists is less
     exposed to the labour market through the tool.
   * ``fit_exposure`` = the same sum with each position weighted by how well
     the posting fits the CV by the transparent rule (share of the posting's
     named requirements found in the CV, :func:`jobmatch.features.overlap_scores`).
     It is the attention spent on *fitting* suggestions, measured with a
     yardstick that is not the model itself.

   In the demo world almost every citizen has ten plausible postings in
   reach, so ``exposure`` is ≈ 1 for everybody and its ratio says little;
   the fit-weighted variant carries the information there (the report adds a
   note when this happens).

   ``exposure_ratio_min`` is the minimum over the attributes of (lowest group
   mean exposure ÷ highest group mean exposure); ``fit_exposure_ratio_min``
   likewise. 1 is equal; the configured ``exposure_ratio_min_ok`` is the bar.

3. **Gender-atypical suggestions.** An occupation is *female-dominated*
   (*male-dominated*) when more than 70 % of the citizens whose CV shows it
   are women (men), counted over the world's citizens with at least
   :data:`MIN_HOLDERS` holders. A suggestion is *atypical* for a citizen
   when its occupation is dominated by the other gender. Reported per group
   as the share of the citizen's top 10 that is atypical — a tool that only
   mirrors segregation suggests few; a tool that widens horizons suggests
   more. There is no "right" value; the number is there to be looked at.

4. **Proxy check — do the model's inputs reveal the protected attribute?**
   For every ranked citizen, the model's inputs — the feature vectors of
   every posting retrieved for their standard ranking, i.e. exactly what the
   model scores — are aggregated per feature (mean and max), and a logistic
   regression and a small gradient-boosting model try to predict each
   protected attribute from them (5-fold stratified cross-validation; AUC,
   one-vs-rest macro AUC for more than two groups). Above the configured
   ``proxy_auc_flag`` the attribute is *flagged*. The same is done for each
   feature group alone (which inputs carry the information) and for the CV's
   competence set (what the CV reveals before any feature is computed).

**What a flag means in the demo world.** The simulated careers are
gender-segregated *by construction* (:data:`jobmatch.demo.build.GENDER_MULTIPLIERS`:
care and pedagogy more often women, construction and transport more often
men — the real Danish pattern). A CV's occupations therefore predict gender,
and so do the occupation-related features of the postings a citizen is shown;
a high gender AUC is expected and is *not* evidence that the model uses
gender. It does mean that the model's outputs can differ by gender through
occupation, which is why quality and exposure are reported per group and
gender-atypical suggestions are counted. Age is similarly carried by years
of experience, origin by language requirements and CV language. These inputs
are job-relevant and kept; the flag asks the project team to look, not to
remove them blindly.

Protected attributes come from :func:`jobmatch.world.load_citizen_audit`
only and are joined to results **after** ranking, for reporting. They are
never passed to retrieval, features or the model (``tests/test_fairness.py``
checks the feature list).

Also here: **counterfactual CV edits** for invariance checks — swap the name,
rewrite the CV in the third person as a woman or as a man (han/hun, ham/hende,
hans/hendes, mand/kvinde, he/she, ...), or state another birth date — and the
measures :func:`top_k_change` (1 − overlap of the two top-10 sets ÷ 10) and
:func:`rank_correlation` (Kendall's tau of the shared postings' positions).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import config
from jobmatch.metrics import bootstrap_mean_ci

PROTECTED_ATTRIBUTES: tuple[str, ...] = ("gender", "age_band", "origin")

#: size of the list the report looks at (the consultant's first screen)
TOP_K = 10
#: share of holders above which an occupation counts as dominated by one gender
DOMINANCE_SHARE = 0.70
#: occupations held by fewer citizens are not classified as gender-dominated
MIN_HOLDERS = 10
#: cross-validation folds of the proxy check
PROXY_FOLDS = 5
#: report format version (bump when keys change)
REPORT_VERSION = 1


# ---------------------------------------------------------------------------
# exposure


def position_weights(k: int = TOP_K) -> np.ndarray:
    """Attention weights of positions 1..k: ``1 / log2(position + 1)`` (1, 0.63, 0.5, ...)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    return 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))


def exposure(values: np.ndarray, k: int = TOP_K) -> np.ndarray:
    """Position-discounted exposure per citizen, normalised so a full list of ones is 1.

    ``values`` is (citizens × positions): 1 (or a fit value in [0, 1]) where a
    suggestion is shown at that position, 0 or nan where the list is shorter.
    Columns beyond ``k`` are ignored; fewer columns count as empty positions.
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    arr = np.nan_to_num(arr[:, :k], nan=0.0)
    w = position_weights(k)
    return arr @ w[: arr.shape[1]] / w.sum()


def exposure_ratio(group_means: dict[str, float]) -> dict[str, Any]:
    """Lowest ÷ highest group mean (1 = equal), with the two groups; nan with fewer than two groups."""
    clean = {g: v for g, v in group_means.items() if v is not None and np.isfinite(v)}
    if len(clean) < 2:
        return {"ratio": float("nan"), "lowest": None, "highest": None}
    low = min(clean, key=clean.get)
    high = max(clean, key=clean.get)
    if clean[low] == clean[high]:  # all groups equal: no lowest or highest group to name
        return {"ratio": 1.0 if clean[high] > 0 else float("nan"), "lowest": None, "highest": None}
    ratio = clean[low] / clean[high] if clean[high] > 0 else float("nan")
    return {"ratio": ratio, "lowest": low, "highest": high}


# ---------------------------------------------------------------------------
# gender-dominated occupations


def occupation_gender_shares(holders: pd.DataFrame, audit: pd.DataFrame, *, min_holders: int = MIN_HOLDERS,
                             dominance: float = DOMINANCE_SHARE) -> pd.DataFrame:
    """Per occupation: holders, share of women, and which gender dominates (if any).

    ``holders`` has one row per (citizen_id, occupation_id) a CV shows (duplicates
    are counted once). Only women and men count in the shares; occupations with
    fewer than ``min_holders`` such holders get ``dominated_by = None``.
    """
    pairs = holders[["citizen_id", "occupation_id"]].dropna().drop_duplicates()
    merged = pairs.merge(audit[["citizen_id", "gender"]], on="citizen_id", how="inner")
    merged = merged[merged["gender"].isin(["female", "male"])]
    if merged.empty:
        return pd.DataFrame(columns=["occupation_id", "holders", "female_share", "dominated_by"])
    counts = merged.groupby("occupation_id")["gender"].agg(
        holders="size", female=lambda s: int((s == "female").sum())).reset_index()
    counts["female_share"] = counts["female"] / counts["holders"]
    def dominated_by(share: float, n: int) -> str | None:
        if n < min_holders:
            return None
        return "female" if share > dominance else "male" if 1 - share > dominance else None

    counts["dominated_by"] = pd.Series([dominated_by(f, n) for f, n in zip(counts["female_share"], counts["holders"])],
                                       index=counts.index, dtype=object)
    return counts[["occupation_id", "holders", "female_share", "dominated_by"]]


def atypical_share(suggested: Sequence[Sequence[str | None]], genders: Sequence[str | None],
                   dominated_by: dict[str, str | None]) -> np.ndarray:
    """Per citizen: share of their suggestions whose occupation is dominated by the other gender.

    nan for a citizen without suggestions or whose gender is not female/male.
    Occupations that are not classified count as not atypical.
    """
    out = np.full(len(genders), np.nan)
    other = {"female": "male", "male": "female"}
    for i, (occs, g) in enumerate(zip(suggested, genders)):
        if g not in other or not len(occs):
            continue
        out[i] = float(np.mean([dominated_by.get(o) == other[g] for o in occs]))
    return out


# ---------------------------------------------------------------------------
# per-group summaries


def _clean(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def summarise_values(values: Sequence[float], *, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Mean of the defined values, its bootstrap 95 % interval and how many values there were."""
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return {"value": None, "ci95": [None, None], "n": 0}
    low, high = bootstrap_mean_ci(arr, n_boot=n_boot, seed=seed)
    return {"value": _clean(arr.mean()), "ci95": [_clean(low), _clean(high)], "n": int(arr.size)}


def group_table(per_citizen: pd.DataFrame, audit: pd.DataFrame, metrics: Sequence[str], *,
                n_boot: int = 1000, seed: int = 0) -> dict[str, dict[str, dict[str, Any]]]:
    """``{attribute: {group: {"citizens": n, metric: summary, ...}}}`` — audit joined here, after ranking."""
    joined = per_citizen.merge(audit, on="citizen_id", how="inner")
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for attr in PROTECTED_ATTRIBUTES:
        if attr not in joined:
            continue
        groups: dict[str, dict[str, Any]] = {}
        for value, part in joined.groupby(attr, sort=True):
            entry: dict[str, Any] = {"citizens": int(len(part))}
            for metric in metrics:
                if metric in part:
                    entry[metric] = summarise_values(part[metric].to_numpy(), n_boot=n_boot, seed=seed)
            groups[str(value)] = entry
        out[attr] = groups
    return out


def ratios(groups: dict[str, dict[str, dict[str, Any]]], metric: str) -> dict[str, dict[str, Any]]:
    """Per attribute: lowest ÷ highest group mean of ``metric``."""
    out = {}
    for attr, table in groups.items():
        means = {g: (entry.get(metric) or {}).get("value") for g, entry in table.items()}
        r = exposure_ratio({g: v for g, v in means.items() if v is not None})
        out[attr] = {"ratio": _clean(r["ratio"]), "lowest": r["lowest"], "highest": r["highest"]}
    return out


def min_ratio(per_attribute: dict[str, dict[str, Any]]) -> float | None:
    values = [v["ratio"] for v in per_attribute.values() if v.get("ratio") is not None]
    return round(min(values), 4) if values else None


# ---------------------------------------------------------------------------
# the proxy check


def cross_validated_auc(X: Any, y: Sequence[str], *, model: str = "logistic", folds: int = PROXY_FOLDS,
                        seed: int = 0) -> float:
    """Out-of-fold AUC of predicting ``y`` from ``X`` (macro one-vs-rest for more than two classes).

    ``model`` is "logistic" (median imputation, standardisation, L2 logistic
    regression; sparse ``X`` is used as is) or "gbm" (a small
    HistGradientBoostingClassifier, which handles missing values itself).
    nan when a class has fewer members than folds.
    """
    import scipy.sparse as sp
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y = np.asarray(y, dtype=object).astype(str)
    classes, counts = np.unique(y, return_counts=True)
    if classes.size < 2 or counts.min() < folds:
        return float("nan")
    if not sp.issparse(X):
        X = np.asarray(X, dtype=np.float64)
        informative = [j for j in range(X.shape[1]) if np.unique(X[np.isfinite(X[:, j]), j]).size > 1]
        if not informative:  # nothing varies: no information, by definition
            return 0.5
        X = X[:, informative]
    if model == "logistic":
        if sp.issparse(X):
            est = LogisticRegression(max_iter=2000, C=0.5)
        else:
            est = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                                LogisticRegression(max_iter=2000, C=0.5))
    elif model == "gbm":
        est = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=15,
                                             early_stopping=False, random_state=seed)
        if sp.issparse(X):
            X = X.toarray()
    else:
        raise ValueError(f"unknown model {model!r}; expected 'logistic' or 'gbm'")
    from threadpoolctl import threadpool_limits

    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # one thread: these models are small, and OpenMP threads fighting over a busy machine are 20x slower
    with threadpool_limits(limits=1):
        proba = cross_val_predict(est, X, y, cv=cv, method="predict_proba")
    if classes.size == 2:
        return float(roc_auc_score(y == classes[1], proba[:, 1]))
    return float(roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=classes))


def inputs_frame(standard: pd.DataFrame, feature_names: Sequence[str]) -> pd.DataFrame:
    """The per-citizen input aggregates of :func:`standard_rankings` as a table (citizen_id + 2 × features)."""
    cols = [f"{n}__mean" for n in feature_names] + [f"{n}__max" for n in feature_names]
    if standard.empty:
        return pd.DataFrame(columns=["citizen_id", *cols])
    values = np.vstack(standard["inputs"].to_numpy())
    frame = pd.DataFrame(values, columns=cols)
    frame.insert(0, "citizen_id", standard["citizen_id"].astype(str).to_numpy())
    return frame


def proxy_check(inputs: pd.DataFrame, audit: pd.DataFrame, *, threshold: float, feature_groups: dict[str, list[str]]
                | None = None, competence_sets: pd.Series | None = None, seed: int = 0,
                gbm: bool = True) -> dict[str, Any]:
    """AUC of predicting each protected attribute from the per-citizen inputs (see the module docstring)."""
    import scipy.sparse as sp

    data = inputs.merge(audit, on="citizen_id", how="inner")
    cols = [c for c in inputs.columns if c != "citizen_id"]
    X = data[cols].to_numpy(dtype=np.float64)
    out: dict[str, Any] = {"threshold": threshold, "citizens": int(len(data)), "inputs": len(cols),
                           "folds": PROXY_FOLDS, "attributes": {}, "flagged": []}
    comp_X = None
    if competence_sets is not None:
        sets = data["citizen_id"].map(competence_sets)
        vocab = sorted({c for s in sets.dropna() for c in s})
        col = {c: j for j, c in enumerate(vocab)}
        rows, cols_ = [], []
        for i, s in enumerate(sets):
            for c in (s if isinstance(s, (set, frozenset, list, tuple)) else ()):
                rows.append(i)
                cols_.append(col[c])
        comp_X = sp.csr_matrix((np.ones(len(rows)), (rows, cols_)), shape=(len(data), max(1, len(vocab))))
    for attr in PROTECTED_ATTRIBUTES:
        if attr not in data:
            continue
        y = data[attr].astype(str).to_numpy()
        entry: dict[str, Any] = {"groups": int(np.unique(y).size)}
        entry["auc_logistic"] = _clean(cross_validated_auc(X, y, model="logistic", seed=seed))
        entry["auc_gbm"] = _clean(cross_validated_auc(X, y, model="gbm", seed=seed)) if gbm else None
        candidates = [v for v in (entry["auc_logistic"], entry["auc_gbm"]) if v is not None]
        entry["auc"] = max(candidates) if candidates else None
        entry["flagged"] = bool(entry["auc"] is not None and entry["auc"] > threshold)
        if feature_groups:
            by_group = {}
            for group, names in feature_groups.items():
                idx = [cols.index(c) for c in cols if c.split("__")[0] in names]
                if idx:
                    by_group[group] = _clean(cross_validated_auc(X[:, idx], y, model="logistic", seed=seed))
            entry["auc_by_feature_group"] = by_group
        if comp_X is not None:
            entry["auc_cv_competences"] = _clean(cross_validated_auc(comp_X, y, model="logistic", seed=seed))
        out["attributes"][attr] = entry
        if entry["flagged"]:
            out["flagged"].append(attr)
    return out


# ---------------------------------------------------------------------------
# counterfactual CV edits (invariance)

#: word → counterpart; applied in both directions where it is a pair (case preserved)
_GENDER_PAIRS_DA = [("han", "hun"), ("ham", "hende"), ("hans", "hendes"), ("mand", "kvinde"),
                    ("manden", "kvinden"), ("mænd", "kvinder"), ("herre", "dame"), ("hr", "fru"),
                    ("søn", "datter"), ("far", "mor"), ("bror", "søster"), ("dreng", "pige")]
_GENDER_PAIRS_EN = [("he", "she"), ("him", "her"), ("his", "her"), ("himself", "herself"), ("man", "woman"),
                    ("men", "women"), ("mr", "ms"), ("son", "daughter"), ("father", "mother"),
                    ("brother", "sister"), ("boy", "girl"), ("male", "female")]

#: first person → third person, per gender ("female", "male")
_THIRD_PERSON = {
    "da": {"jeg": ("hun", "han"), "mig": ("hende", "ham"), "min": ("hendes", "hans"), "mit": ("hendes", "hans"),
           "mine": ("hendes", "hans"), "mig selv": ("hende selv", "ham selv")},
    "en": {"i": ("she", "he"), "me": ("her", "him"), "my": ("her", "his"), "mine": ("hers", "his"),
           "myself": ("herself", "himself"), "i'm": ("she's", "he's"), "i've": ("she's", "he's")},
}
_GENDER_LINE = {"da": ("Køn: kvinde", "Køn: mand"), "en": ("Gender: female", "Gender: male")}

#: invented names of different gender and origin, for name swaps
SWAP_NAMES: tuple[tuple[str, str], ...] = (
    ("Mette Kristensen", "female"), ("Lars Nielsen", "male"), ("Fatima Al-Sayed", "female"),
    ("Mohammed Yilmaz", "male"), ("Agnieszka Nowak", "female"), ("Chinedu Okafor", "male"),
)

_BIRTH_LINE = re.compile(r"^(?P<label>[ \t]*(?:fødselsdato|født|fødselsår|alder|date of birth|born|birth date|age)"
                         r"[ \t]*[:.]?[ \t]*)(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)


def _case_like(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replace_words(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])", re.IGNORECASE)
    return pattern.sub(lambda m: _case_like(mapping[m.group(0).lower()], m.group(0)), text)


def swap_gender_words(text: str, lang: str = "da") -> str:
    """Swap gender-coded words both ways (han↔hun, ham↔hende, hans↔hendes, mand↔kvinde, he↔she, ...)."""
    pairs = _GENDER_PAIRS_EN if lang == "en" else _GENDER_PAIRS_DA
    mapping: dict[str, str] = {}
    for a, b in pairs:
        mapping.setdefault(a, b)
        mapping.setdefault(b, a)
    return _replace_words(text, mapping)


def third_person(text: str, gender: str, lang: str = "da", *, state_gender: bool = True) -> str:
    """Rewrite a first-person CV as about a woman or a man, and (optionally) state the gender on a line.

    Grammar may suffer ("she have"); it suffers the same way for both
    genders, so comparing the two versions isolates the gendered words.
    """
    if gender not in ("female", "male"):
        raise ValueError("gender must be 'female' or 'male'")
    i = 0 if gender == "female" else 1
    table = _THIRD_PERSON["en" if lang == "en" else "da"]
    out = _replace_words(text, {k: v[i] for k, v in table.items()})
    if state_gender:
        out = _insert_after_first_line(out, _GENDER_LINE["en" if lang == "en" else "da"][i])
    return out


def _insert_after_first_line(text: str, line: str) -> str:
    head, sep, rest = text.partition("\n")
    return f"{head}\n{line}\n{rest}" if sep else f"{head}\n{line}"


def set_birth_date(text: str, birth: dt.date, lang: str = "da", *, today: dt.date | None = None) -> str:
    """State another birth date (and age): replace existing birth-date/age lines, else add one."""
    today = today or dt.date.fromisoformat(config.settings().reference_date)
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    found = False

    def sub(m: re.Match) -> str:
        nonlocal found
        found = True
        label = m.group("label").lower()
        if "alder" in label or label.strip().startswith("age"):
            return f"{m.group('label')}{age} {'years' if lang == 'en' else 'år'}"
        return f"{m.group('label')}{birth:%d.%m.%Y}"

    out = _BIRTH_LINE.sub(sub, text)
    if found:
        return out
    label = "Date of birth" if lang == "en" else "Fødselsdato"
    return _insert_after_first_line(out, f"{label}: {birth:%d.%m.%Y} ({age} {'years' if lang == 'en' else 'år'})")


def swap_name(text: str, new_name: str, old_name: str | None = None, lang: str = "da") -> str:
    """Put ``new_name`` where the CV's name is: ``old_name`` when known, else the spans PII redaction calls names.

    E-mail addresses are left alone (they are redacted anyway).
    """
    if old_name and old_name.split():
        def same_case(replacement: str) -> Callable[[re.Match], str]:
            return lambda m: replacement.upper() if m.group(0).isupper() else replacement

        out = re.sub(re.escape(old_name), same_case(new_name), text, flags=re.IGNORECASE)
        first_old, first_new = old_name.split()[0], new_name.split()[0]
        # the first name alone ("Jeg hedder Maria"), but not inside an e-mail address
        return re.sub(rf"(?<![\w@.]){re.escape(first_old)}(?![\w@]|\.\w)", same_case(first_new), out,
                      flags=re.IGNORECASE)
    from jobmatch import pii

    spans = [(s, e) for s, e, cat in pii.redact(text, lang).spans if cat == "name"]
    for start, end in reversed(spans):
        text = text[:start] + new_name + text[end:]
    return text


@dataclass(frozen=True)
class CVPair:
    """Two versions of one CV that differ only in a protected attribute."""

    edit: str  # "name" | "gender_words" | "age"
    a: str
    b: str


def counterfactual_pairs(text: str, lang: str = "da", *, name: str | None = None) -> list[CVPair]:
    """The three invariance edits of one CV text: name, gender-coded words, age."""
    names = [n for n, _g in SWAP_NAMES]
    return [
        CVPair("name", swap_name(text, names[0], name, lang), swap_name(text, names[3], name, lang)),
        CVPair("gender_words", third_person(text, "female", lang), third_person(text, "male", lang)),
        CVPair("age", set_birth_date(text, dt.date(1961, 5, 14), lang), set_birth_date(text, dt.date(2001, 9, 3), lang)),
    ]


def top_k_change(a: Sequence[str], b: Sequence[str], k: int = TOP_K) -> float:
    """1 − |top-k(a) ∩ top-k(b)| ÷ k' where k' = the longer list's length up to k (0 when both are empty)."""
    a, b = list(a)[:k], list(b)[:k]
    denom = max(len(a), len(b))
    if denom == 0:
        return 0.0
    return 1.0 - len(set(a) & set(b)) / denom


def rank_correlation(a: Sequence[str], b: Sequence[str], k: int = TOP_K) -> float:
    """Kendall's tau of the positions of the postings both top-k lists share (1 = same order; nan < 2 shared)."""
    from scipy.stats import kendalltau

    a, b = list(a)[:k], list(b)[:k]
    pos_b = {p: i for i, p in enumerate(b)}
    shared = [(i, pos_b[p]) for i, p in enumerate(a) if p in pos_b]
    if len(shared) < 2:
        return float("nan")
    x, y = zip(*shared)
    tau = kendalltau(x, y).statistic
    return float(tau)


def invariance_for_text(rank_ids: Callable[[str], list[str]], text: str, lang: str = "da", *,
                        name: str | None = None, k: int = TOP_K) -> list[dict[str, Any]]:
    """Run the three counterfactual edits through ``rank_ids`` (CV text → ranked posting ids)."""
    out = []
    for pair in counterfactual_pairs(text, lang, name=name):
        ids_a, ids_b = rank_ids(pair.a), rank_ids(pair.b)
        out.append({"edit": pair.edit, "top10_change": round(top_k_change(ids_a, ids_b, k), 4),
                    "kendall_tau": _clean(rank_correlation(ids_a, ids_b, k)), "results": [len(ids_a), len(ids_b)]})
    return out


# ---------------------------------------------------------------------------
# the report


def _feature_groups() -> dict[str, list[str]]:
    from jobmatch.features import FEATURES

    groups: dict[str, list[str]] = {}
    for f in FEATURES:
        groups.setdefault(f.group, []).append(f.name)
    return groups


def _search_settings(row: Any, default_max: float) -> Any:
    from jobmatch.retrieval import SearchSettings

    max_minutes = float(row.max_minutes) if "max_minutes" in row._fields and pd.notna(row.max_minutes) else default_max
    hours = str(getattr(row, "hours_wanted", "any"))
    return SearchSettings(home_postcode=int(row.home_postcode), mode=str(row.transport_mode), max_minutes=max_minutes,
                          hours=hours if hours in ("full", "part") else None)


def standard_rankings(engine: Any, citizens: pd.DataFrame, profiles: dict[str, Any], *, use_model: bool = True,
                      k: int = TOP_K, default_max_minutes: float = 45.0, progress: Any = None) -> pd.DataFrame:
    """Per citizen: the top ``k`` of current postings with their own settings (see the module docstring).

    Columns: citizen_id, results, exposure, fit_exposure, occupations (of the
    suggestions, in order), posting_ids, and ``inputs``: the mean and max of
    every model input over all the citizen's retrieved candidates (the
    vectors the model scored), for the proxy check.
    """
    import warnings

    from jobmatch.features import overlap_scores

    index = engine.index
    occ_vocab = np.asarray(index.occupation_vocab + [None], dtype=object)
    rows_out = []
    total = len(citizens)
    for n, row in enumerate(citizens.itertuples(index=False), start=1):
        cid = str(row.citizen_id)
        profile = profiles.get(cid)
        if profile is None:
            continue
        ranked = engine.rank_with_features(profile, _search_settings(row, default_max_minutes), top=k,
                                           use_model=use_model)
        rows = np.asarray(ranked.rows, dtype=np.int64)
        present = np.zeros(k)
        present[: rows.size] = 1.0
        fit = np.zeros(k)
        if rows.size:
            fit[: rows.size] = overlap_scores(index, ranked.query.has, rows)
        codes = index.occupation_code[rows] if rows.size else np.zeros(0, dtype=np.int64)
        cand = np.asarray(ranked.candidate_features, dtype=np.float64)
        with warnings.catch_warnings():  # a feature missing for every candidate stays nan
            warnings.simplefilter("ignore", RuntimeWarning)
            inputs = np.concatenate([np.nanmean(cand, axis=0), np.nanmax(cand, axis=0)]) if len(cand) else \
                np.full(2 * cand.shape[1], np.nan)
        rows_out.append({
            "citizen_id": cid, "results": int(rows.size),
            "exposure": float(exposure(present[None, :], k)[0]),
            "fit_exposure": float(exposure(fit[None, :], k)[0]),
            "occupations": [occ_vocab[c] if c >= 0 else None for c in codes],
            "posting_ids": [str(index.posting_ids[r]) for r in rows],
            "inputs": inputs,
        })
        if progress is not None and hasattr(progress, "step"):
            progress.step("standard rankings", n, total)
    return pd.DataFrame(rows_out)


def ndcg_per_citizen(scores: np.ndarray, test: Any, *, seed: int = 0) -> pd.DataFrame:
    """NDCG@10 per test query with its citizen (the evaluation's split, candidates and tie-breaking)."""
    from jobmatch.evaluate import per_query_metrics

    per_query = per_query_metrics(scores, test, seed)
    return pd.DataFrame({"citizen_id": np.asarray(test.query_citizen).astype(str), "ndcg@10": per_query["ndcg@10"]})


def evaluation_test_period(world_folder: Path | None, cfg: Any, index: Any, progress: Any) -> Any:
    """The prepared data of the evaluation's test period (same split, candidates and query order).

    When the model's training config names its split dates (it always does
    after training), only the interactions of pairs first shown in the test
    period are prepared — the same pairs, features and query order as
    :func:`jobmatch.evaluate.evaluate`, without computing features for the
    training years. Otherwise the whole log is prepared; either way
    ``.data.part("test")`` is the test period.
    """
    from jobmatch import world
    from jobmatch.ranker import check_interactions, label_pairs, prepare

    log = check_interactions(world.load_interactions(world_folder))
    if cfg.split.valid_from and cfg.split.test_from:
        pairs = label_pairs(log)
        test_from = pd.Timestamp(cfg.split.test_from)
        keep = pairs.loc[pd.to_datetime(pairs["shown_at"]) >= test_from, ["citizen_id", "posting_id"]]
        log = log.merge(keep, on=["citizen_id", "posting_id"], how="inner")
    prepared = prepare(world_folder, interactions=log, train_config=cfg, index=index, progress=progress)
    return prepared


def fairness_report(world_folder: Path | None = None, models_folder: Path | None = None, *,
                    use_model: bool = True, sample: int | None = None, n_boot: int = 1000, seed: int = 0,
                    invariance_citizens: int = 20, personas: bool = True, progress: Any = None,
                    gbm: bool = True) -> dict[str, Any]:
    """The fairness report of the registry's default model (or of the rule ranking, ``use_model=False``).

    ``sample``: rank only this many citizens (seeded random sample) for the
    exposure, atypical-suggestion and proxy figures; None = all. The NDCG
    figures always use every test query. The invariance section covers the
    demo personas (``personas``) and ``invariance_citizens`` sampled citizens.
    """
    from jobmatch import __version__, registry, world
    from jobmatch import index as index_mod
    from jobmatch import personas as personas_mod
    from jobmatch.features import FEATURE_NAMES
    from jobmatch.ranker import Progress, TrainConfig, citizen_profiles, load_train_config
    from jobmatch.ranking import RankingEngine

    started = time.perf_counter()
    progress = progress or Progress(False)
    thresholds = config.fairness_settings()
    loaded = None
    try:
        loaded = registry.load_model(models_folder)
        cfg = TrainConfig.from_dict(loaded.metadata.get("train_config", {}))
    except (registry.ModelMissingError, registry.ModelCompatibilityError):
        if use_model:
            raise
        cfg = load_train_config()
    manifest = world.manifest(world_folder)
    progress.stage("posting index ...")
    index = index_mod.load_or_build(world_folder, progress=getattr(progress, "enabled", False))
    audit = world.load_citizen_audit(world_folder)[["citizen_id", *PROTECTED_ATTRIBUTES]].copy()
    audit["citizen_id"] = audit["citizen_id"].astype(str)
    citizens = world.load_citizens(world_folder)
    citizens = citizens.assign(citizen_id=citizens["citizen_id"].astype(str))

    # 1. quality on the evaluation's test period
    progress.stage("test period ...")
    prepared = evaluation_test_period(world_folder, cfg, index, progress)
    test = prepared.data.part("test")
    test_scores = loaded.ranker.predict(test.X) if use_model else test.overlap
    ndcg = ndcg_per_citizen(test_scores, test, seed=seed)

    # 2./3. standard rankings of current postings (protected attributes are not loaded into anything here)
    profiles = citizen_profiles(citizens, data_version=prepared.data_version, progress=progress)
    engine = RankingEngine(index, loaded.ranker if (loaded is not None and use_model) else None,
                           loaded.metadata if loaded is not None else None)
    ranked_citizens = citizens
    if sample is not None and sample < len(citizens):
        ranked_citizens = citizens.sample(n=int(sample), random_state=seed).sort_values("citizen_id")
    progress.stage(f"standard rankings of {len(ranked_citizens):,} citizens ...")
    standard = standard_rankings(engine, ranked_citizens, profiles, use_model=use_model,
                                 default_max_minutes=cfg.default_max_minutes, progress=progress)

    # ... joined with the audit table only now, for reporting
    holders = pd.DataFrame([(cid, o.occupation_id) for cid, p in profiles.items()
                            for o in getattr(p, "occupations", []) if o.occupation_id],
                           columns=["citizen_id", "occupation_id"])
    shares = occupation_gender_shares(holders, audit)
    dominated = dict(zip(shares["occupation_id"], shares["dominated_by"]))
    gender_of = dict(zip(audit["citizen_id"], audit["gender"]))
    standard["atypical_share"] = atypical_share(standard["occupations"].tolist(),
                                                [gender_of.get(c) for c in standard["citizen_id"]], dominated)
    per_citizen = standard[["citizen_id", "results", "exposure", "fit_exposure", "atypical_share"]].merge(
        ndcg.groupby("citizen_id", as_index=False)["ndcg@10"].mean(), on="citizen_id", how="outer")
    metrics = ("ndcg@10", "exposure", "fit_exposure", "atypical_share", "results")
    groups = group_table(per_citizen, audit, metrics, n_boot=n_boot, seed=seed)
    exposure_ratios = ratios(groups, "exposure")
    fit_ratios = ratios(groups, "fit_exposure")
    ndcg_ratios = ratios(groups, "ndcg@10")

    # 4. proxy check on the model's inputs
    progress.stage("proxy check ...")
    competence_sets = pd.Series({cid: frozenset(p.competence_ids()) for cid, p in profiles.items()})
    proxy = proxy_check(inputs_frame(standard, FEATURE_NAMES), audit, threshold=thresholds.proxy_auc_flag,
                        feature_groups=_feature_groups(), competence_sets=competence_sets, seed=seed, gbm=gbm)

    progress.stage("invariance checks ...")
    invariance = _invariance_section(engine, citizens, personas_mod if personas else None, use_model=use_model,
                                     n_citizens=invariance_citizens, seed=seed,
                                     threshold=thresholds.invariance_max_top10_change)

    exposure_min = min_ratio(exposure_ratios)
    fit_min = min_ratio(fit_ratios)
    simulated = bool(manifest.get("simulated", False))
    return {
        "report_version": REPORT_VERSION,
        "created_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "code_version": __version__,
        "model_version": loaded.version if (loaded is not None and use_model) else None,
        "data_version": prepared.data_version,
        "simulated_data": simulated,
        "method": "model" if use_model else "rule",
        "groups": groups,
        "exposure_ratio_min": exposure_min,
        "exposure_ratio": exposure_ratios,
        "fit_exposure_ratio_min": fit_min,
        "fit_exposure_ratio": fit_ratios,
        "ndcg@10_ratio": ndcg_ratios,
        "proxy_check": proxy,
        "invariance": invariance,
        "gender_dominated_occupations": {
            "dominance_share": DOMINANCE_SHARE, "min_holders": MIN_HOLDERS,
            "classified": int(shares["dominated_by"].notna().sum()),
            "female_dominated": int((shares["dominated_by"] == "female").sum()),
            "male_dominated": int((shares["dominated_by"] == "male").sum()),
            "occupations_held": int(len(shares)),
        },
        "population": {
            "citizens": int(len(citizens)), "ranked_citizens": int(len(standard)),
            "full_lists_share": _clean(float((standard["results"] >= TOP_K).mean())) if len(standard) else None,
            "test_queries": int(test.group.size),
            "test_queries_evaluated": int(np.isfinite(ndcg["ndcg@10"]).sum()),
            "test_from": str(prepared.test_from.date()),
        },
        "thresholds": {"proxy_auc_flag": thresholds.proxy_auc_flag,
                       "exposure_ratio_min_ok": thresholds.exposure_ratio_min_ok,
                       "invariance_max_top10_change": thresholds.invariance_max_top10_change},
        "checks": {
            "exposure_ratio_ok": bool(exposure_min is not None and exposure_min >= thresholds.exposure_ratio_min_ok),
            "fit_exposure_ratio_ok": bool(fit_min is not None and fit_min >= thresholds.exposure_ratio_min_ok),
            "proxy_flagged": list(proxy["flagged"]),
            "invariance_ok": bool(invariance["passed"]),
        },
        "settings": {"top_k": TOP_K, "n_boot": n_boot, "seed": seed, "sample": sample,
                     "standard_ranking": "each citizen's own home postcode, transport mode, maximum travel time "
                                         "and hours wish; no focus; as of the configured reference date"},
        "definitions": DEFINITIONS,
        "model_data_version": loaded.metadata.get("data_version") if loaded is not None else None,
        "notes": notes_for(simulated) + _data_notes(standard) + _version_notes(loaded, prepared.data_version),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _invariance_section(engine: Any, citizens: pd.DataFrame, personas_mod: Any, *, use_model: bool,
                        n_citizens: int, seed: int, threshold: float) -> dict[str, Any]:
    from jobmatch.cv import read_cv
    from jobmatch.cvparse import profile_from_text
    from jobmatch.retrieval import SearchSettings

    def ranker(settings: Any, lang: str) -> Callable[[str], list[str]]:
        def rank_ids(text: str) -> list[str]:
            profile = profile_from_text(text, lang)
            result = engine.rank(profile, settings, top=TOP_K, use_model=use_model)
            return [r["posting_id"] for r in result.results]
        return rank_ids

    rows: list[dict[str, Any]] = []
    for persona in personas_mod.list_personas() if personas_mod is not None else []:
        text = read_cv(persona.read_bytes(), persona.path.name).text
        settings = SearchSettings(home_postcode=persona.postcode)
        for r in invariance_for_text(ranker(settings, persona.lang), text, persona.lang, name=persona.name):
            rows.append({"who": f"persona:{persona.id}", **r})
    sample = citizens.sample(n=min(n_citizens, len(citizens)), random_state=seed) if n_citizens else citizens.iloc[:0]
    for number, row in enumerate(sample.itertuples(index=False), start=1):
        settings = _search_settings(row, 45.0)
        lang = str(row.cv_lang) if str(row.cv_lang) in ("da", "en") else "da"
        for r in invariance_for_text(ranker(settings, lang), str(row.cv_text), lang):
            # numbered, not by id: the report is published and must not name citizens
            rows.append({"who": f"citizen sample #{number}", **r})
    changes = [r["top10_change"] for r in rows]
    by_edit = {}
    for edit in ("name", "gender_words", "age"):
        vals = [r["top10_change"] for r in rows if r["edit"] == edit]
        taus = [r["kendall_tau"] for r in rows if r["edit"] == edit and r["kendall_tau"] is not None]
        by_edit[edit] = {"max_top10_change": max(vals) if vals else None,
                         "mean_top10_change": round(float(np.mean(vals)), 4) if vals else None,
                         "min_kendall_tau": min(taus) if taus else None, "cases": len(vals)}
    worst = max(changes) if changes else None
    return {"threshold": threshold, "max_top10_change": worst, "by_edit": by_edit,
            "passed": bool(worst is not None and worst <= threshold), "cases": rows}


DEFINITIONS: dict[str, str] = {
    "ndcg@10": "NDCG@10 on the test period: each citizen's postings shown in the test period ranked by the model "
               "(the evaluation's candidate sets); relevance = furthest event (hired 3 > interview 2 > applied 1). "
               "Citizens without an application in the test period are not counted.",
    "exposure": "Position-discounted attention of a citizen's standard top 10 of current postings: sum of "
                "1/log2(position+1) over the positions holding a suggestion, divided by the sum for a full top 10.",
    "fit_exposure": "As exposure, with each position weighted by the transparent rule score (share of the posting's "
                    "named requirements found in the CV).",
    "atypical_share": "Share of the citizen's top 10 whose occupation is held by more than 70 % citizens of the other "
                      "gender (occupations with at least 10 holders).",
    "results": "Number of suggestions in the citizen's standard top 10 (fewer when few postings are in reach).",
    "exposure_ratio_min": "Minimum over gender, age band and origin of (lowest group mean exposure / highest group "
                          "mean exposure).",
    "proxy_check": "Cross-validated AUC of predicting each protected attribute from the per-citizen mean and max of the "
                   "model's input features over every posting retrieved for the citizen's standard ranking (the "
                   "vectors the model scores); logistic regression and a small gradient-boosting model; one-vs-rest "
                   "macro AUC for more than two groups.",
    "ci95": "Percentile bootstrap 95 % interval of the group mean, resampling citizens.",
}


def notes_for(simulated: bool) -> list[str]:
    """Plain notes that travel with every report."""
    notes = [
        "Protected attributes come from the citizen_audit table only and were joined after ranking; they are not "
        "model inputs.",
        "In the demo world careers are gender-segregated by construction (care and pedagogy more often women, "
        "construction and transport more often men). Occupation and the features that follow from it therefore "
        "predict gender; a high proxy AUC for gender is expected and is not evidence that the model uses gender, "
        "but it does mean outcomes can differ by gender through occupation.",
        "Years of experience carry age. Language skills listed in a CV (other than Danish and English) and the "
        "CV's language say much about origin; they reach the model through the language features and the text "
        "similarity. These inputs are job-relevant and kept; flags ask the project team to look at the per-group "
        "figures, not to remove inputs blindly.",
    ]
    if simulated:
        notes.append("The outcomes (applications, interviews, hires) are simulated; the behavioural model does not "
                     "use protected attributes, so any group difference here comes through careers, not through "
                     "simulated discrimination. Real data can behave differently and must be reported on again.")
    return notes


def _version_notes(loaded: Any, data_version: str) -> list[str]:
    trained_on = loaded.metadata.get("data_version") if loaded is not None else None
    if trained_on and trained_on != data_version:
        return [f"The model was trained on data version {trained_on}, but this report is made on data version "
                f"{data_version}. Retrain (python -m jobmatch train) and report again before relying on it."]
    return []


def _data_notes(standard: pd.DataFrame) -> list[str]:
    """Notes that depend on what the report found."""
    notes = []
    full = float((standard["results"] >= TOP_K).mean()) if len(standard) else 0.0
    if full >= 0.99:
        notes.append(f"{full:.1%} of the ranked citizens got a full top 10, so exposure is close to 1 for every group "
                     "and the exposure ratio says little here; the fit-weighted exposure (attention on postings whose "
                     "requirements the CV meets) carries the information.")
    return notes


# ---------------------------------------------------------------------------
# saving and finding reports


def reports_dir() -> Path:
    """Where reports are kept (next to the data, git-ignored)."""
    return config.data_dir() / "reports"


def report_path(report: dict[str, Any], folder: Path | None = None) -> Path:
    name = f"fairness-{report.get('method', 'model')}-{report.get('model_version') or 'rule'}-{report.get('data_version')}.json"
    return Path(folder or reports_dir()) / name


def to_json(report: dict[str, Any]) -> str:
    """JSON text of a report (nan and inf written as null)."""
    return json.dumps(_jsonable(report), indent=2, ensure_ascii=False) + "\n"


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def save_report(report: dict[str, Any], path: Path | None = None) -> Path:
    path = Path(path) if path is not None else report_path(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(to_json(report), encoding="utf-8")
    tmp.replace(path)
    return path


def load_report(path: Path) -> dict[str, Any]:
    """A saved report; ValueError when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{Path(path).name} is not a readable fairness report: {exc}") from exc
    if not isinstance(data, dict) or "groups" not in data or "exposure_ratio_min" not in data:
        raise ValueError(f"{Path(path).name} is not a fairness report (no groups / exposure_ratio_min)")
    return data


def find_report(model_version: str | None = None, data_version: str | None = None,
                folders: Iterable[Path] | None = None) -> tuple[dict[str, Any], Path] | None:
    """The newest saved model report matching the versions (None = any), searched in ``folders``."""
    found: list[tuple[str, dict[str, Any], Path]] = []
    for folder in folders or (reports_dir(),):
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in folder.glob("fairness*.json"):
            try:
                data = load_report(path)
            except ValueError:
                continue
            if data.get("method", "model") != "model":
                continue
            if model_version is not None and data.get("model_version") != model_version:
                continue
            if data_version is not None and data.get("data_version") != data_version:
                continue
            found.append((str(data.get("created_at", "")), data, path))
    if not found:
        return None
    found.sort(key=lambda t: t[0])
    return found[-1][1], found[-1][2]
