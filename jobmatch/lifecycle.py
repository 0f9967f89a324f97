"""Model lifecycle: retrain with a release gate, promote or refuse, roll back — every step logged.

``python -m jobmatch retrain`` runs :func:`retrain`:

1. **Labels.** The interactions log (the world's, or ``--interactions``)
   gives each (citizen, posting) pair its graded relevance exactly as
   training does (:func:`jobmatch.ranker.label_pairs`). Consultants'
   feedback from the database's ``consultant_actions`` table then corrects
   the labels (:func:`apply_feedback`):

   * ``not_relevant`` → the pair's label is **0** (whatever the log says:
     the consultant looked at the posting with the citizen and ruled it out);
   * ``pin`` → the pair's label is raised to at least **1** (:data:`PIN_GRADE`,
     the grade of an application — a boost, not a hire);
   * ``unpin`` cancels an earlier pin; for one pair the *latest* of these
     actions counts. Other actions (hide, reorder, add by hand, feedback) are
     not labels and are ignored here (hide means "not now", not "wrong").
   * a pair that is not in the log gets a row of its own, first shown at
     the action's time, so it lands in the right period.

   Actions name citizens by pseudonym; they are matched to the world's
   citizens with :func:`jobmatch.audit.pseudonym`. Without a database, or
   with an empty or un-migrated one, retraining goes on with the log alone
   and says so.

2. **Time split.** The standard split of :mod:`jobmatch.ranker`, with the
   cut dates re-derived from *this* log (70 % / 15 % quantiles of the shown
   times), so the candidate is always judged on the newest period, after
   everything it was trained and early-stopped on.

3. **Candidate.** Fitted with the training config's parameters, evaluated on
   the test period against the baselines (:func:`jobmatch.evaluate.evaluate_scores`),
   and the current default model is scored on the *same* test rows.

4. **Fairness.** The fairness report of :mod:`jobmatch.fairness` on the
   candidate (staged in a temporary registry folder).

5. **Gate.** :func:`gate_checks` compares the figures with
   :func:`jobmatch.config.release_gate` — thresholds fixed in config before
   the candidate exists. Only when every check passes is the candidate
   promoted; otherwise the current model stays and the failed checks are
   reported with their numbers. When :mod:`jobmatch.fairness` cannot be
   imported, the fairness checks *fail* ("fairness not available"): a model
   is never shipped unexamined.

Promotion and rollback go through the registry (:mod:`jobmatch.registry`):
the current default is archived under ``versions/<version>/`` before it is
replaced, and :func:`rollback` restores an archived version byte for byte.
Every promotion, refusal and rollback is appended to
``models/promotions.jsonl`` and — when the database is ready — to the
hash-chained audit log (kinds ``model_promotion``, ``model_gate_refused``,
``model_rollback``; and ``model_retrain_unchanged`` when a candidate passes
but its model file is byte-identical to the current one — retraining on an
unchanged log reproduces the model exactly — so nothing is promoted).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import config

#: the label a pinned posting gets at least (the grade of an application)
PIN_GRADE = 1
#: consultant actions that change labels (the latest per pair counts)
LABEL_ACTIONS = ("pin", "unpin", "not_relevant")
#: the promotion history next to the model
PROMOTIONS_FILE = "promotions.jsonl"
#: refused candidates kept for inspection (under the data folder, never in models/)
KEEP_REFUSED = 3

AUDIT_PROMOTION = "model_promotion"
AUDIT_REFUSAL = "model_gate_refused"
AUDIT_ROLLBACK = "model_rollback"
AUDIT_UNCHANGED = "model_retrain_unchanged"


class LifecycleError(ValueError):
    """A retrain or rollback that cannot be done (no earlier version, no data ...), in one line."""


# ---------------------------------------------------------------------------
# consultant feedback


FEEDBACK_COLUMNS = ("citizen_id", "posting_id", "action", "ts")


def _empty_feedback() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "ts" else str) for c in FEEDBACK_COLUMNS})


def read_feedback(citizen_ids: list[str], url: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Label-changing consultant actions from the database, with citizens' ids instead of pseudonyms.

    Returns (feedback, info). ``info['source']`` says what happened:
    ``"database"`` (rows read), ``"no_database"`` (no SQLite file),
    ``"not_migrated"``, ``"empty"`` or ``"unavailable"`` (a connection problem
    — retraining goes on without feedback and says so).
    """
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from jobmatch import db
    from jobmatch.dbmodels import ConsultantAction

    info: dict[str, Any] = {"source": None, "actions": 0, "matched": 0, "unmatched_citizens": 0}
    try:
        status = db.schema_status(url)
    except (db.DatabaseError, SQLAlchemyError) as exc:
        return _empty_feedback(), {**info, "source": "unavailable", "detail": str(exc).splitlines()[0][:200]}
    if not status["exists"]:
        return _empty_feedback(), {**info, "source": "no_database"}
    if not status["up_to_date"]:
        return _empty_feedback(), {**info, "source": "not_migrated"}
    try:
        with db.session_factory(url)() as session:
            rows = session.execute(
                select(ConsultantAction.ts, ConsultantAction.citizen_pseudonym, ConsultantAction.posting_id,
                       ConsultantAction.action, ConsultantAction.id)
                .where(ConsultantAction.action.in_(LABEL_ACTIONS))
                .order_by(ConsultantAction.ts, ConsultantAction.id)).all()
    except SQLAlchemyError as exc:
        return _empty_feedback(), {**info, "source": "unavailable",
                                   "detail": str(db.connection_error(exc, url))[:200]}
    if not rows:
        return _empty_feedback(), {**info, "source": "empty"}
    from jobmatch.audit import pseudonym

    by_pseudonym = {pseudonym("citizen", cid): str(cid) for cid in citizen_ids}
    records = []
    unmatched = 0
    for ts, citizen_pseudonym, posting_id, action, _id in rows:
        cid = by_pseudonym.get(citizen_pseudonym)
        if cid is None or not posting_id:
            unmatched += 1
            continue
        records.append((cid, str(posting_id), str(action), pd.Timestamp(ts).tz_convert(None)
                        if pd.Timestamp(ts).tzinfo else pd.Timestamp(ts)))
    frame = pd.DataFrame(records, columns=list(FEEDBACK_COLUMNS)) if records else _empty_feedback()
    return frame, {**info, "source": "database", "actions": len(rows), "matched": len(records),
                   "unmatched_citizens": unmatched}


def apply_feedback(pairs: pd.DataFrame, feedback: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Labelled pairs (citizen_id, posting_id, grade, shown_at) corrected by consultant actions.

    See the module docstring for the rules. Returns (pairs, counts) with
    ``set_to_zero``, ``boosted`` (grade raised by a pin), ``added`` (pairs not
    in the log) and ``ignored`` (an unpin with no pin, or no change).
    """
    counts = {"set_to_zero": 0, "boosted": 0, "added": 0, "ignored": 0}
    if feedback.empty:
        return pairs, counts
    fb = feedback.sort_values("ts", kind="stable").groupby(["citizen_id", "posting_id"], sort=False).agg(
        action=("action", "last"), ts=("ts", "first")).reset_index()
    out = pairs.copy()
    key = pd.MultiIndex.from_frame(out[["citizen_id", "posting_id"]])
    position = pd.Series(np.arange(len(out)), index=key)
    grades = out["grade"].to_numpy(copy=True)
    new_rows = []
    for row in fb.itertuples(index=False):
        pos = position.get((row.citizen_id, row.posting_id))
        if row.action == "unpin":
            counts["ignored"] += 1
            continue
        target = 0 if row.action == "not_relevant" else PIN_GRADE
        if pos is None:
            new_rows.append({"citizen_id": row.citizen_id, "posting_id": row.posting_id, "grade": target,
                             "shown_at": pd.Timestamp(row.ts)})
            counts["added"] += 1
            continue
        pos = int(pos)
        if row.action == "not_relevant":
            if grades[pos] != 0:
                grades[pos] = 0
                counts["set_to_zero"] += 1
            else:
                counts["ignored"] += 1
        elif grades[pos] < PIN_GRADE:
            grades[pos] = PIN_GRADE
            counts["boosted"] += 1
        else:
            counts["ignored"] += 1
    out["grade"] = grades.astype(out["grade"].dtype)
    if new_rows:
        added = pd.DataFrame(new_rows)
        added["grade"] = added["grade"].astype(out["grade"].dtype)
        added["shown_at"] = pd.to_datetime(added["shown_at"]).astype(out["shown_at"].dtype)
        out = pd.concat([out, added], ignore_index=True).sort_values(["citizen_id", "posting_id"], kind="stable")
        out = out.reset_index(drop=True)
    return out, counts


# ---------------------------------------------------------------------------
# preparing data (the ranker's steps, with the feedback applied between labelling and splitting)


def prepare_with_feedback(world_folder: Path | None, interactions: pd.DataFrame | None, cfg: Any,
                          feedback: pd.DataFrame, progress: Any, index: Any = None) -> tuple[Any, dict[str, int]]:
    """:func:`jobmatch.ranker.prepare` with :func:`apply_feedback` between labelling and the split."""
    from jobmatch.ranker import prepare

    fb_counts: dict[str, int] = {}

    def relabel(pairs: pd.DataFrame) -> pd.DataFrame:
        relabelled, counts = apply_feedback(pairs, feedback)
        fb_counts.update(counts)
        return relabelled

    prepared = prepare(world_folder, interactions=interactions, train_config=cfg, index=index,
                       progress=progress, relabel=relabel)
    return prepared, fb_counts


# ---------------------------------------------------------------------------
# the gate


@dataclass
class GateCheck:
    """One threshold: the measured value, the bar, pass or fail, and a sentence saying which."""

    name: str
    value: float | bool | None
    threshold: float | bool | None
    passed: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GateDecision:
    """All checks of one candidate; promoted only when every check passed."""

    checks: list[GateCheck]

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[GateCheck]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "checks": [c.to_dict() for c in self.checks],
                "failed": [c.name for c in self.failed]}


def _r(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def gate_checks(metrics: dict[str, Any], current_ndcg: float | None, fairness: dict[str, Any] | None,
                gate: config.ReleaseGate, *, fairness_problem: str | None = None) -> GateDecision:
    """Compare a candidate's figures with the gate (see :class:`jobmatch.config.ReleaseGate`).

    ``metrics``: :func:`jobmatch.evaluate.evaluate_scores` of the candidate;
    ``current_ndcg``: the current model's NDCG@10 on the same test rows (None
    when there is no compatible current model); ``fairness``: the candidate's
    fairness figures as :func:`fairness_summary` gives them, or None with
    ``fairness_problem`` saying why — then every fairness check fails.
    """
    checks: list[GateCheck] = []
    ndcg = metrics.get("model", {}).get("ndcg@10")
    ok = ndcg is not None and ndcg >= gate.min_ndcg_at_10
    checks.append(GateCheck("min_ndcg@10", _r(ndcg), gate.min_ndcg_at_10, bool(ok),
                            f"NDCG@10 {_r(ndcg)} {'>=' if ok else '<'} {gate.min_ndcg_at_10}"))
    ci = metrics.get("ndcg@10_gain_ci95") or [None, None]
    low = ci[0]
    ok = low is not None and low > gate.min_gain_ci_low
    checks.append(GateCheck("gain_over_best_baseline_ci_low", _r(low), gate.min_gain_ci_low, bool(ok),
                            f"95 % interval of the NDCG@10 gain over {metrics.get('best_baseline')} starts at "
                            f"{_r(low)}, {'above' if ok else 'not above'} {gate.min_gain_ci_low}"))
    if current_ndcg is None:
        checks.append(GateCheck("max_ndcg@10_drop_vs_current", None, gate.max_ndcg_drop, True,
                                "no compatible current model to compare with"))
    else:
        drop = float(current_ndcg) - float(ndcg if ndcg is not None else 0.0)
        ok = drop <= gate.max_ndcg_drop
        checks.append(GateCheck("max_ndcg@10_drop_vs_current", _r(drop), gate.max_ndcg_drop, bool(ok),
                                f"current model {_r(current_ndcg)} vs candidate {_r(ndcg)} on the same test period: "
                                f"drop {_r(drop)} {'<=' if ok else '>'} {gate.max_ndcg_drop}"))
    if fairness is None:
        why = fairness_problem or "fairness not available"
        needed = [("min_exposure_ratio", gate.min_exposure_ratio), ("max_proxy_auc", gate.max_proxy_auc)]
        if gate.require_invariance:
            needed.append(("invariance", True))
        for name, threshold in needed:
            checks.append(GateCheck(name, None, threshold, False, f"{why}: a model is not promoted unexamined"))
        return GateDecision(checks)
    ratio = fairness.get("exposure_ratio_min")
    ok = ratio is not None and ratio >= gate.min_exposure_ratio
    checks.append(GateCheck("min_exposure_ratio", _r(ratio), gate.min_exposure_ratio, bool(ok),
                            f"exposure ratio (lowest/highest group) {_r(ratio)} "
                            f"{'>=' if ok else '<'} {gate.min_exposure_ratio}"))
    known = {a: v for a, v in (fairness.get("proxy_auc") or {}).items() if v is not None}
    if known:
        worst_attr = max(known, key=lambda a: known[a])
        worst = known[worst_attr]
        ok = worst <= gate.max_proxy_auc
        checks.append(GateCheck("max_proxy_auc", _r(worst), gate.max_proxy_auc, bool(ok),
                                f"highest proxy AUC {_r(worst)} ({worst_attr}) "
                                f"{'<=' if ok else '>'} {gate.max_proxy_auc}"))
    else:
        checks.append(GateCheck("max_proxy_auc", None, gate.max_proxy_auc, False,
                                "the fairness report has no proxy AUC"))
    if gate.require_invariance:
        ok = bool(fairness.get("invariance_passed"))
        change, bar = fairness.get("invariance_max_top10_change"), fairness.get("invariance_threshold")
        checks.append(GateCheck("invariance", _r(change), bar, ok,
                                f"largest top-10 change under name/gender/age edits {_r(change)} "
                                f"{'within' if ok else 'above'} {bar}"))
    return GateDecision(checks)


# ---------------------------------------------------------------------------
# the log of promotions


def promotions_path(models_folder: Path | None = None) -> Path:
    from jobmatch import registry

    return registry.registry_dir(models_folder) / PROMOTIONS_FILE


def read_promotions(models_folder: Path | None = None) -> list[dict[str, Any]]:
    """Every logged promotion, refusal and rollback, oldest first."""
    path = promotions_path(models_folder)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def _audit(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Append to the hash-chained audit log when the database is ready; say what happened."""
    from sqlalchemy.exc import SQLAlchemyError

    from jobmatch import db
    from jobmatch.audit import AuditLog, AuditPayloadError

    try:
        db.require_current()
        appended = AuditLog(db.session_factory()).append(kind, payload)
    except (db.DatabaseError, SQLAlchemyError) as exc:
        return {"recorded": False, "reason": str(exc).splitlines()[0][:300]}
    except AuditPayloadError as exc:  # a bug in what we log; never lose the promotion over it
        return {"recorded": False, "reason": f"payload refused: {exc}"}
    return {"recorded": True, "seq": appended.seq, "hash": appended.hash}


def log_event(event: str, payload: dict[str, Any], models_folder: Path | None = None) -> dict[str, Any]:
    """Write one event to ``promotions.jsonl`` and the audit log; returns the line written (with ``audit``)."""
    kinds = {"promotion": AUDIT_PROMOTION, "refused": AUDIT_REFUSAL, "rollback": AUDIT_ROLLBACK,
             "unchanged": AUDIT_UNCHANGED}
    record = {"ts": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(), "event": event, **payload}
    record["audit"] = _audit(kinds[event], {k: v for k, v in record.items() if k != "audit"})
    path = promotions_path(models_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    return record


# ---------------------------------------------------------------------------
# promotion, versions, rollback (on the registry's public functions)


def current_version(models_folder: Path | None = None) -> str | None:
    from jobmatch import registry

    try:
        meta = json.loads((registry.registry_dir(models_folder) / registry.METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return meta.get("version")


def promote_staged(staged: Path, models_folder: Path | None = None) -> str:
    """Make the model in the staging folder the default: archive the current one, then copy the files in.

    Copies (rather than re-saving) so the promoted files are exactly the
    ones the gate examined, with the same version.
    """
    from jobmatch import registry

    folder = registry.registry_dir(models_folder)
    folder.mkdir(parents=True, exist_ok=True)
    registry.archive_current(folder)
    for name in (registry.MODEL_FILE, registry.METADATA_FILE, registry.CARD_FILE):
        tmp = folder / f".{name}.promote"
        shutil.copy2(staged / name, tmp)
        os.replace(tmp, folder / name)
    return registry.load_model(folder).version


def list_versions(models_folder: Path | None = None) -> dict[str, Any]:
    """The current version and every archived one (oldest first), with NDCG@10 and compatibility."""
    from jobmatch import registry

    current = current_version(models_folder)
    versions = registry.list_versions(models_folder)
    for v in versions:
        v["current"] = v["version"] == current
    return {"folder": str(registry.registry_dir(models_folder)), "current": current, "versions": versions}


def previous_version(models_folder: Path | None = None) -> str | None:
    """The newest archived version created before the current one (what a plain rollback restores)."""
    from jobmatch import registry

    folder = registry.registry_dir(models_folder)
    current = current_version(folder)
    try:
        current_created = json.loads((folder / registry.METADATA_FILE).read_text(encoding="utf-8")).get("created_at")
    except (OSError, json.JSONDecodeError):
        current_created = None
    older = [v for v in registry.list_versions(folder) if v["version"] != current and v["compatible"]
             and (current_created is None or str(v.get("created_at")) < str(current_created))]
    return older[-1]["version"] if older else None


def rollback(to: str | None = None, models_folder: Path | None = None, *, reason: str | None = None) -> dict[str, Any]:
    """Restore an archived version (default: :func:`previous_version`) as the default model; logged."""
    from jobmatch import registry

    folder = registry.registry_dir(models_folder)
    before = current_version(folder)
    target = to or previous_version(folder)
    if target is None:
        raise LifecycleError("there is no earlier model version to roll back to "
                             f"(archived: {[v['version'] for v in registry.list_versions(folder)]})")
    if target == before:
        raise LifecycleError(f"version {target} is already the default model")
    try:
        restored = registry.restore_version(target, folder)
    except registry.ModelMissingError as exc:
        raise LifecycleError(str(exc)) from None
    except registry.ModelCompatibilityError as exc:
        raise LifecycleError(f"version {target} cannot be used with this code: {exc}") from None
    record = log_event("rollback", {"from_version": before, "to_version": restored.version,
                                    "reason": (reason or "")[:300] or None}, folder)
    return {"rolled_back": True, "from_version": before, "to_version": restored.version, "folder": str(folder),
            "audit": record["audit"]}


# ---------------------------------------------------------------------------
# retraining


@dataclass
class RetrainResult:
    """What ``python -m jobmatch retrain --json`` prints."""

    promoted: bool
    decision: GateDecision
    identical: bool  # the candidate's model file equals the current one's (passed, but nothing to promote)
    candidate_version: str
    current_version: str | None
    default_version: str | None  # the default after the run
    metrics: dict[str, Any]
    current_ndcg: float | None
    fairness: dict[str, Any] | None
    feedback: dict[str, Any]
    split: dict[str, Any]
    seconds: float
    gate: dict[str, Any]
    audit: dict[str, Any] = field(default_factory=dict)
    kept_candidate: str | None = None

    def reasons(self) -> list[str]:
        return [c.message for c in self.decision.failed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "promoted": self.promoted,
            "decision": "promoted" if self.promoted else ("unchanged" if self.decision.passed else "refused"),
            "identical_to_current": self.identical,
            "reasons": self.reasons(),
            "gate": {"thresholds": self.gate, **self.decision.to_dict()},
            "candidate_version": self.candidate_version,
            "previous_default": self.current_version,
            "default_version": self.default_version,
            "metrics": {"candidate": self.metrics.get("model"), "baselines": self.metrics.get("baselines"),
                        "best_baseline": self.metrics.get("best_baseline"),
                        "ndcg@10_gain_ci95": self.metrics.get("ndcg@10_gain_ci95"),
                        "current_model_ndcg@10_same_period": self.current_ndcg},
            "fairness": self.fairness,
            "feedback": self.feedback,
            "split": self.split,
            "kept_candidate": self.kept_candidate,
            "audit": self.audit,
            "seconds": self.seconds,
        }


def fairness_summary(report: dict[str, Any]) -> dict[str, Any]:
    """The figures of a fairness report the gate looks at (the full report is saved by the fairness command)."""
    proxy = {a: e.get("auc") for a, e in (report.get("proxy_check", {}).get("attributes") or {}).items()}
    inv = report.get("invariance") or {}
    return {"model_version": report.get("model_version"), "exposure_ratio_min": report.get("exposure_ratio_min"),
            "fit_exposure_ratio_min": report.get("fit_exposure_ratio_min"), "proxy_auc": proxy,
            "invariance_max_top10_change": inv.get("max_top10_change"), "invariance_passed": inv.get("passed"),
            "invariance_threshold": inv.get("threshold"),
            "ranked_citizens": (report.get("population") or {}).get("ranked_citizens")}


def _default_fairness(world_folder: Path | None, staged: Path, gate: config.ReleaseGate, progress: Any,
                      n_boot: int, invariance_citizens: int) -> dict[str, Any]:
    from jobmatch import fairness

    return fairness.fairness_report(world_folder, staged, sample=gate.fairness_sample or None, n_boot=n_boot,
                                    invariance_citizens=invariance_citizens, progress=progress)


def _fairness_module_available() -> str | None:
    try:
        from jobmatch import fairness  # noqa: F401
    except Exception as exc:  # ImportError, or a half-written module
        return f"fairness not available ({type(exc).__name__})"
    return None


def retrain(world_folder: Path | None = None, models_folder: Path | None = None, *,
            interactions: pd.DataFrame | None = None, interactions_source: str = "world",
            gate: config.ReleaseGate | None = None, train_config: Any = None, use_feedback: bool = True,
            database_url: str | None = None, fairness_fn: Callable[..., dict[str, Any]] | None = None,
            n_boot: int = 1000, fairness_boot: int = 500, invariance_citizens: int = 20,
            progress: Any = None) -> RetrainResult:
    """Train a candidate, put it through the release gate, promote it or keep the current model (logged).

    ``fairness_fn(world_folder, staged_models_folder, gate, progress)`` makes
    the candidate's fairness report (default: :func:`jobmatch.fairness.fairness_report`);
    tests pass a stand-in. ``train_config``: the ranker's config (default:
    ``models/train_config.json``); its cut dates are always re-derived from
    the log (see the module docstring).
    """
    from jobmatch import registry, world
    from jobmatch.evaluate import evaluate_scores
    from jobmatch.ranker import Progress, fit_model, load_train_config, with_split_dates

    progress = progress or Progress(False)
    gate = gate or config.release_gate()
    started = time.perf_counter()
    folder = registry.registry_dir(models_folder)
    cfg = train_config or load_train_config(folder / "train_config.json" if (folder / "train_config.json").exists()
                                            else None)
    cfg = replace(cfg, split=replace(cfg.split, valid_from=None, test_from=None))

    # 1. feedback
    citizens = world.load_citizens(world_folder)
    if use_feedback:
        feedback, fb_info = read_feedback(citizens["citizen_id"].astype(str).tolist(), database_url)
    else:
        feedback, fb_info = _empty_feedback(), {"source": "not_used"}
    progress.stage(f"consultant feedback: {fb_info['source']} ({fb_info.get('matched', 0)} label actions)")

    # 2./3. data, candidate, evaluation
    prepared, fb_counts = prepare_with_feedback(world_folder, interactions, cfg, feedback, progress)
    fb_info.update(fb_counts)
    progress.stage(f"split: train < {prepared.valid_from.date()} <= valid < {prepared.test_from.date()} <= test")
    t = time.perf_counter()
    model = fit_model(prepared, cfg, progress)
    prepared.seconds["fit"] = round(time.perf_counter() - t, 1)
    test = prepared.data.part("test")
    if test.group.size == 0:
        raise LifecycleError("the test period is empty: the log is too short to judge a candidate")
    progress.stage("evaluating the candidate on the test period ...")
    metrics = evaluate_scores(model.predict(test.X), test, n_boot=n_boot)
    current_ndcg = None
    before = current_version(folder)
    try:
        current = registry.load_model(folder)
        current_ndcg = float(evaluate_scores(current.ranker.predict(test.X), test, n_boot=200)["model"]["ndcg@10"])
    except (registry.ModelMissingError, registry.ModelCompatibilityError):
        current = None

    manifest = world.manifest(world_folder)
    gain = model.feature_importance("gain")
    total_gain = sum(gain.values()) or 1.0
    split = {"valid_from": str(prepared.valid_from.date()), "test_from": str(prepared.test_from.date()),
             "query": cfg.query, "counts": prepared.counts}
    metadata = {
        "data_version": prepared.data_version,
        "simulated_data": bool(manifest.get("simulated", False)),
        "interactions_source": interactions_source,
        "train_config": with_split_dates(cfg, prepared.valid_from, prepared.test_from).to_dict(),
        "split": split,
        "metrics": metrics,
        "training_seconds": round(time.perf_counter() - started, 1),
        "stage_seconds": prepared.seconds,
        "index": {k: prepared.index.info.get(k) for k in ("postings", "code_version", "seconds", "nnz")},
        "feature_importance_gain_share": {k: round(v / total_gain, 4) for k, v in
                                          sorted(gain.items(), key=lambda kv: -kv[1])},
        "consultant_feedback": {k: v for k, v in fb_info.items() if k != "detail"},
        "retrained_from": before,
    }

    with tempfile.TemporaryDirectory(prefix="jobmatch-candidate-") as tmp:
        staged_folder = Path(tmp) / "models"
        staged = registry.save_model(model, metadata, staged_folder)
        candidate_version = staged.version
        progress.stage(f"candidate {candidate_version}: NDCG@10 {metrics['model']['ndcg@10']:.3f}; fairness ...")

        # 4. fairness of the candidate
        fairness_report = None
        problem = _fairness_module_available() if fairness_fn is None else None
        if problem is None:
            try:
                if fairness_fn is not None:
                    fairness_report = fairness_fn(world_folder, staged_folder, gate, progress)
                else:
                    fairness_report = _default_fairness(world_folder, staged_folder, gate, progress, fairness_boot,
                                                        invariance_citizens)
            except Exception as exc:  # the gate fails closed: a fairness error is a failed check, not a pass
                problem = f"fairness report failed ({type(exc).__name__}: {str(exc)[:200]})"
        summary = fairness_summary(fairness_report) if fairness_report is not None else None

        # 5. the gate
        decision = gate_checks(metrics, current_ndcg, summary, gate, fairness_problem=problem)
        payload = {"from_version": before, "candidate_version": candidate_version,
                   "data_version": prepared.data_version, "interactions_source": interactions_source,
                   "ndcg@10": metrics["model"]["ndcg@10"], "current_ndcg@10_same_period": current_ndcg,
                   "checks": [c.to_dict() for c in decision.checks],
                   "feedback": {k: v for k, v in fb_info.items() if k in ("source", "matched", "set_to_zero",
                                                                             "boosted", "added")}}
        kept = None
        promoted = False
        identical = current is not None and \
            registry.file_sha256(staged_folder / registry.MODEL_FILE) == registry.file_sha256(folder / registry.MODEL_FILE)
        if decision.passed and identical:
            # the same log and config give the same trees: nothing to promote, nothing to archive
            default_version = before
            record = log_event("unchanged", {**payload, "to_version": before}, folder)
            progress.stage(f"the candidate is identical to the current model {before}; nothing to promote")
        elif decision.passed:
            default_version = promote_staged(staged_folder, folder)
            promoted = True
            record = log_event("promotion", {**payload, "to_version": default_version}, folder)
            progress.stage(f"promoted {default_version}")
        else:
            default_version = before
            kept = _keep_refused(staged_folder, candidate_version)
            record = log_event("refused", {**payload, "to_version": before,
                                           "reasons": [c.message for c in decision.failed]}, folder)
            progress.stage(f"refused; the current model {before} stays")
    return RetrainResult(promoted=promoted, decision=decision, identical=identical, candidate_version=candidate_version,
                         current_version=before, default_version=default_version, metrics=metrics,
                         current_ndcg=_r(current_ndcg), fairness=summary, feedback=fb_info, split=split,
                         seconds=round(time.perf_counter() - started, 1), gate=asdict(gate), audit=record["audit"],
                         kept_candidate=kept)


def _keep_refused(staged: Path, version: str) -> str | None:
    """Copy a refused candidate to ``<data>/candidates/<version>/`` for inspection (the newest few are kept)."""
    root = config.data_dir() / "candidates"
    try:
        target = root / version
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staged, target, ignore=shutil.ignore_patterns("versions", ".staging"))
        old = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)[:-KEEP_REFUSED]
        for path in old:
            shutil.rmtree(path, ignore_errors=True)
        return str(target)
    except OSError:
        return None


__all__ = ["AUDIT_PROMOTION", "AUDIT_REFUSAL", "AUDIT_ROLLBACK", "AUDIT_UNCHANGED", "GateCheck", "GateDecision", "LABEL_ACTIONS",
           "LifecycleError", "PIN_GRADE", "PROMOTIONS_FILE", "RetrainResult", "apply_feedback", "fairness_summary",
           "gate_checks", "list_versions", "log_event", "prepare_with_feedback", "previous_version", "promote_staged",
           "read_feedback", "read_promotions", "retrain", "rollback"]
