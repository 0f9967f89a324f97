"""The model registry: the default ranking model, its metadata, its model card, older versions.

Layout of ``config.models_dir()`` (``models/`` in the repository)::

    model.txt            the default model, LightGBM text format (committed; < 2 MB)
    metadata.json        feature list, parameters, split, data version, metrics, dates
    MODEL_CARD.md        generated from metadata.json — do not edit by hand
    train_config.json    the training configuration the next training run uses
    versions/<version>/  earlier defaults (model.txt, metadata.json, MODEL_CARD.md),
                         kept when a new model is promoted so one can be restored

:func:`load_model` refuses a model whose feature list differs from
:data:`jobmatch.features.FEATURE_NAMES` (:class:`ModelCompatibilityError`):
scoring postings with features in the wrong order would give confident
nonsense.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobmatch import __version__, config
from jobmatch.features import FEATURE_NAMES, FEATURES, GROUPS
from jobmatch.ranker import JobRanker

MODEL_FILE = "model.txt"
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
VERSIONS_DIR = "versions"
_FILES = (MODEL_FILE, METADATA_FILE, CARD_FILE)


class ModelMissingError(FileNotFoundError):
    """No model in the registry (run ``python -m jobmatch model ensure`` or ``train``)."""


class ModelCompatibilityError(RuntimeError):
    """The model was trained on another feature list than the code computes."""


@dataclass
class RegisteredModel:
    ranker: JobRanker
    metadata: dict
    folder: Path

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unknown"))


def registry_dir(folder: Path | None = None) -> Path:
    return Path(folder) if folder is not None else config.models_dir()


def _read_metadata(folder: Path) -> dict:
    path = folder / METADATA_FILE
    if not (folder / MODEL_FILE).exists() or not path.exists():
        raise ModelMissingError(f"No ranking model in {folder}. Run: python -m jobmatch model ensure")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelCompatibilityError(f"{path} is not valid JSON: {exc}") from exc


def check_compatible(metadata: dict, booster_features: list[str] | tuple[str, ...] | None = None) -> None:
    """Raise :class:`ModelCompatibilityError` unless the model's features are exactly the code's."""
    expected = list(FEATURE_NAMES)
    for source, names in (("metadata", metadata.get("feature_names")), ("model file", booster_features)):
        if names is None and source == "model file":
            continue
        if list(names or []) != expected:
            have, want = set(names or []), set(expected)
            detail = []
            if want - have:
                detail.append(f"missing {sorted(want - have)[:5]}")
            if have - want:
                detail.append(f"unknown {sorted(have - want)[:5]}")
            if not detail:
                detail.append("same features in another order")
            raise ModelCompatibilityError(
                f"The ranking model's feature list ({source}) does not match this version of jobmatch: "
                f"{'; '.join(detail)}. Retrain with: python -m jobmatch train")


def load_model(folder: Path | None = None) -> RegisteredModel:
    """The default model of the registry, checked against the code's feature list."""
    folder = registry_dir(folder)
    metadata = _read_metadata(folder)
    check_compatible(metadata)
    try:
        ranker = JobRanker.from_model_file(folder / MODEL_FILE, params=_init_params(metadata))
    except Exception as exc:  # lightgbm raises its own error type for a damaged file
        raise ModelCompatibilityError(f"Cannot read {folder / MODEL_FILE}: {exc}") from exc
    check_compatible(metadata, ranker.feature_names_)
    return RegisteredModel(ranker=ranker, metadata=metadata, folder=folder)


def _init_params(metadata: dict) -> dict:
    params = dict(metadata.get("train_config", {}).get("params", {}))
    if "eval_at" in params:
        params["eval_at"] = tuple(params["eval_at"])
    return {k: v for k, v in params.items() if k in JobRanker().get_params()}


def is_compatible(folder: Path | None = None) -> bool:
    try:
        load_model(folder)
        return True
    except (ModelMissingError, ModelCompatibilityError):
        return False


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def make_version(model_path: Path, when: dt.datetime) -> str:
    return f"{when:%Y%m%d-%H%M%S}-{file_sha256(model_path)[:8]}"


def save_model(ranker: JobRanker, metadata: dict, folder: Path | None = None) -> RegisteredModel:
    """Promote ``ranker`` to the default model (the current default is archived under versions/).

    ``metadata`` is completed with the version, file hash and size, the
    feature list, the code version and the creation time; the model card is
    generated from it.
    """
    folder = registry_dir(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    ranker.save_model(staging / MODEL_FILE)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    meta = {
        **metadata,
        "version": make_version(staging / MODEL_FILE, now),
        "created_at": now.isoformat(),
        "code_version": __version__,
        "feature_names": list(ranker.feature_names_),
        "model_file": MODEL_FILE,
        "model_sha256": file_sha256(staging / MODEL_FILE),
        "model_bytes": (staging / MODEL_FILE).stat().st_size,
        "best_iteration": int(ranker.best_iteration_),
    }
    check_compatible(meta, ranker.feature_names_)
    (staging / METADATA_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (staging / CARD_FILE).write_text(render_model_card(meta), encoding="utf-8")
    archive_current(folder)
    for name in _FILES:
        shutil.move(str(staging / name), str(folder / name))
    shutil.rmtree(staging)
    return load_model(folder)


def archive_current(folder: Path | None = None) -> str | None:
    """Copy the current default into versions/<version>/ (no-op when there is none). Returns its version."""
    folder = registry_dir(folder)
    try:
        meta = _read_metadata(folder)
    except (ModelMissingError, ModelCompatibilityError):
        return None
    version = str(meta.get("version") or f"unversioned-{file_sha256(folder / MODEL_FILE)[:8]}")
    target = folder / VERSIONS_DIR / version
    if not target.exists():
        target.mkdir(parents=True)
        for name in _FILES:
            if (folder / name).exists():
                shutil.copy2(folder / name, target / name)
    return version


def list_versions(folder: Path | None = None) -> list[dict]:
    """Archived versions, oldest first: version, created_at, ndcg@10 and whether it fits the code."""
    base = registry_dir(folder) / VERSIONS_DIR
    out = []
    for sub in sorted(base.iterdir()) if base.exists() else []:
        try:
            meta = _read_metadata(sub)
        except (ModelMissingError, ModelCompatibilityError):
            continue
        try:
            check_compatible(meta)
            compatible = True
        except ModelCompatibilityError:
            compatible = False
        out.append({"version": sub.name, "created_at": meta.get("created_at"),
                    "ndcg@10": meta.get("metrics", {}).get("model", {}).get("ndcg@10"), "compatible": compatible})
    return sorted(out, key=lambda v: str(v.get("created_at")))


def restore_version(version: str, folder: Path | None = None) -> RegisteredModel:
    """Make an archived version the default again (the current default is archived first)."""
    folder = registry_dir(folder)
    source = folder / VERSIONS_DIR / version
    if not (source / MODEL_FILE).exists():
        known = [v["version"] for v in list_versions(folder)]
        raise ModelMissingError(f"No archived model version {version!r}; known versions: {known}")
    meta = _read_metadata(source)
    check_compatible(meta)
    archive_current(folder)
    for name in _FILES:
        if (source / name).exists():
            shutil.copy2(source / name, folder / name)
    return load_model(folder)


def model_info(folder: Path | None = None) -> dict:
    """What ``python -m jobmatch model info --json`` prints."""
    folder = registry_dir(folder)
    info: dict[str, Any] = {"folder": str(folder), "versions": list_versions(folder)}
    try:
        meta = _read_metadata(folder)
    except ModelMissingError as exc:
        return {**info, "present": False, "compatible": False, "problem": str(exc)}
    try:
        load_model(folder)
        compatible, problem = True, None
    except ModelCompatibilityError as exc:
        compatible, problem = False, str(exc)
    keys = ("version", "created_at", "code_version", "data_version", "model_bytes", "best_iteration",
            "training_seconds", "split", "metrics", "train_config", "simulated_data", "feature_names")
    return {**info, "present": True, "compatible": compatible, "problem": problem,
            **{k: meta.get(k) for k in keys if k in meta}}


# ---------------------------------------------------------------------------
# the model card


def _metrics_table(metrics: dict) -> str:
    names = ["ndcg@5", "ndcg@10", "map@10", "recall@10", "recall@50", "mrr"]
    rows = ["| Ranker | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    model = metrics.get("model", {})
    rows.append("| **LightGBM model** | " + " | ".join(f"**{model.get(n, float('nan')):.3f}**" for n in names) + " |")
    for name, values in metrics.get("baselines", {}).items():
        rows.append(f"| {name} | " + " | ".join(f"{values.get(n, float('nan')):.3f}" for n in names) + " |")
    return "\n".join(rows)


def render_model_card(meta: dict) -> str:
    """The model card (Markdown), generated from the metadata so the two never disagree."""
    metrics = meta.get("metrics", {})
    split = meta.get("split", {})
    params = meta.get("train_config", {}).get("params", {})
    ci = metrics.get("ndcg@10_gain_ci95")
    beats = metrics.get("beats_every_baseline")
    groups: dict[str, list[str]] = {}
    for f in FEATURES:
        groups.setdefault(f.group, []).append(f"`{f.name}`")
    feature_lines = "\n".join(f"- **{GROUPS[g][1]}**: {', '.join(names)}" for g, names in groups.items())
    verdict = ("The model beats every baseline on NDCG@10 with a 95 % interval above zero."
               if beats else
               "**The model does NOT beat every baseline with a 95 % interval above zero** — see the metrics "
               "and docs/ranking.md for what is known about why.") if beats is not None else ""
    counts = split.get("counts", {})
    count_lines = "\n".join(f"| {s} | {c.get('queries', 0):,} | {c.get('pairs', 0):,} | {c.get('relevant_pairs', 0):,} |"
                            for s, c in counts.items())
    return f"""# Model card: jobmatch job ranker

*Generated from `metadata.json` by `jobmatch.registry.render_model_card` — do not edit by hand.*

| | |
| --- | --- |
| Version | `{meta.get('version', '?')}` |
| Created | {meta.get('created_at', '?')} |
| Code version | jobmatch {meta.get('code_version', '?')} |
| Data version | `{meta.get('data_version', '?')}` ({'simulated demo world' if meta.get('simulated_data') else 'municipal data'}) |
| Model | LightGBM `LGBMRanker`, objective `lambdarank`, {meta.get('best_iteration', '?')} trees, file {meta.get('model_bytes', 0) / 1024:.0f} KiB |

## Intended use

Decision support **in a dialogue** between a job consultant and a citizen: the
model orders current job postings within the citizen's commuting range by how
well they fit the competences in the citizen's CV, so the two can look at the
most relevant ones first and talk about them. The consultant and the citizen
decide what to do; every suggestion comes with its reasons.

## Out of scope

- sanctions, or any decision about benefits (ydelser) or their conditions;
- assessing whether a citizen is available for work (rådighedsvurdering);
- any automated decision about a citizen, or ranking citizens against each other;
- use without a consultant present, or on other populations than job seekers.

## Data

{'**The training data are simulated.** The demo world (postings, CVs and an interaction log) is generated by `jobmatch.demo`; its behaviour model is invented, so the metrics below say how well the pipeline recovers a *simulated* signal, not how well it would work on real citizens. A municipality must retrain on its own logs (`python -m jobmatch train --interactions FILE`) and re-evaluate before relying on it.' if meta.get('simulated_data') else 'Trained on the interaction log named below.'}

Labels: graded relevance of each (citizen, posting) pair from the furthest
event — hired 3 > interview 2 > applied 1 > shown 0. Split by the time a
posting was first shown: train before {split.get('valid_from', '?')}, validation
(early stopping only) until {split.get('test_from', '?')}, test after. A query is
one citizen in one period.

| Period | Queries | Pairs | Relevant pairs |
| --- | --- | --- | --- |
{count_lines}

## Inputs

{len(meta.get('feature_names', []))} features of a (CV, posting) pair — see docs/ranking.md for the table:

{feature_lines}

**Never inputs:** name, age or birth date, gender, nationality or origin,
photo, marital status, the home address (only the travel time to the job),
the CV's language as such. Gendered words and all digits are removed from CV
text before the text features see it. Protected attributes are kept in a
separate table used only for fairness reports.

## Metrics (test period)

{_metrics_table(metrics)}

NDCG@10 gain over the best baseline (`{metrics.get('best_baseline', '?')}`), bootstrap 95 % interval over citizens:
{f'[{ci[0]:.3f}, {ci[1]:.3f}]' if ci else 'n/a'}. {verdict}

Baselines: `tfidf` text search (TF-IDF cosine), `overlap` rule-based automatch
(share of named requirements met), `distance` nearest first.

## Training parameters

```json
{json.dumps(params, indent=2)}
```

## Limitations and risks

- Requirements and competences are read from text with a taxonomy-based
  extractor; what it misses, the model cannot use. CVs written in English are
  matched through the same taxonomy, but text-similarity features are weaker
  across languages.
- Years of experience and education correlate with age; language requirements
  correlate with origin. These are job-relevant and kept, and fairness across
  groups must be monitored (per-group metrics in the responsible-AI report).
- The model learns from past behaviour (who applied, who was hired) and can
  reproduce its patterns, including employers' biases.
"""


# ---------------------------------------------------------------------------
# training straight into the registry


def train_and_register(world_folder: Path | None = None, *, interactions: Any = None, out: Path | None = None,
                       train_config: Any = None, progress: Any = None,
                       interactions_source: str = "world") -> RegisteredModel:
    """Train on the world's (or the given) interactions, evaluate on the test period, promote the model.

    Used by ``python -m jobmatch train`` and ``model ensure``. The metrics in
    the metadata are measured on the test period, which training never sees.
    """
    from jobmatch import world
    from jobmatch.evaluate import evaluate_scores
    from jobmatch.ranker import Progress, load_train_config, train, with_split_dates

    progress = progress or Progress(False)
    cfg = train_config or load_train_config()
    result = train(world_folder, interactions=interactions, train_config=cfg, progress=progress)
    prepared = result.prepared
    test = prepared.data.part("test")
    progress.stage("evaluating on the test period ...")
    metrics = evaluate_scores(result.model.predict(test.X), test) if test.group.size else {}
    manifest = world.manifest(world_folder)
    gain = result.model.feature_importance("gain")
    total_gain = sum(gain.values()) or 1.0
    metadata = {
        "data_version": prepared.data_version,
        "simulated_data": bool(manifest.get("simulated", False)),
        "interactions_source": interactions_source,
        "train_config": with_split_dates(cfg, prepared.valid_from, prepared.test_from).to_dict(),
        "split": {"valid_from": str(prepared.valid_from.date()), "test_from": str(prepared.test_from.date()),
                  "query": cfg.query, "counts": prepared.counts},
        "metrics": metrics,
        "training_seconds": result.seconds,
        "stage_seconds": prepared.seconds,
        "index": {k: prepared.index.info.get(k) for k in ("postings", "code_version", "seconds", "nnz")},
        "feature_importance_gain_share": {k: round(v / total_gain, 4) for k, v in
                                          sorted(gain.items(), key=lambda kv: -kv[1])},
    }
    return save_model(result.model, metadata, out)
