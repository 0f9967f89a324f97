"""All paths and settings in one place.

Every setting has a default that works on a fresh clone and can be overridden
by an environment variable (named in the comment next to it), so a
municipality's IT department can move data, models and the database without
touching code.

Nothing here reads or writes files; modules ask this one *where* things are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: The repository root (the folder holding app.py).
REPO_ROOT = Path(__file__).resolve().parent.parent

#: Files bundled with the package: taxonomy, geography, personas.
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:  # a clear message rather than a traceback deep inside
        raise ValueError(f"Environment variable {name} must be an integer, got {value!r}") from exc


def data_dir() -> Path:
    """Generated data (demo world, caches). Git-ignored. ``JOBMATCH_DATA_DIR``."""
    return _env_path("JOBMATCH_DATA_DIR", REPO_ROOT / "data")


def world_dir() -> Path:
    """The built demo world (Parquet files). ``JOBMATCH_WORLD_DIR``."""
    return _env_path("JOBMATCH_WORLD_DIR", data_dir() / "world")


def models_dir() -> Path:
    """Model registry: the default model and its card. ``JOBMATCH_MODELS_DIR``."""
    return _env_path("JOBMATCH_MODELS_DIR", REPO_ROOT / "models")


def taxonomy_dir() -> Path:
    """Taxonomy CSV files. ``JOBMATCH_TAXONOMY_DIR`` points to another (e.g. an imported ESCO)."""
    return _env_path("JOBMATCH_TAXONOMY_DIR", RESOURCES_DIR / "taxonomy")


def geo_dir() -> Path:
    """Bundled postcode and municipality tables."""
    return RESOURCES_DIR / "geo"


def personas_dir() -> Path:
    """Demo CV files (PDF, DOCX, TXT) and their index ``personas.json``."""
    return RESOURCES_DIR / "personas"


def seed() -> int:
    """Seed of the demo world. ``JOBMATCH_SEED``."""
    return _env_int("JOBMATCH_SEED", 2026)


# --- database and audit trail (see docs/database.md) -----------------------


def database_url() -> str:
    """SQLAlchemy URL of the database. ``JOBMATCH_DATABASE_URL``.

    Default: an SQLite file in the data folder (embedded, one machine). A
    shared deployment sets e.g. ``postgresql+psycopg://user:pw@host/jobmatch``.
    """
    value = os.environ.get("JOBMATCH_DATABASE_URL", "").strip()
    return value or f"sqlite:///{data_dir() / 'jobmatch.sqlite'}"


def audit_retention_days() -> int:
    """Days audit records are kept before ``audit purge`` deletes them. ``JOBMATCH_AUDIT_RETENTION_DAYS``.

    Default 1825 (five years); must be at least 1.
    """
    days = _env_int("JOBMATCH_AUDIT_RETENTION_DAYS", 1825)
    if days < 1:
        raise ValueError(f"JOBMATCH_AUDIT_RETENTION_DAYS must be at least 1, got {days}")
    return days


#: Københavns Kommune and 12 neighbouring municipalities of the Capital Region
#: (official municipality codes). Any of the 98 can be added here; set
#: ``JOBMATCH_PILOT_MUNICIPALITIES`` to a comma-separated list of codes to override.
DEFAULT_PILOT_MUNICIPALITIES: tuple[int, ...] = (
    101,  # København
    147,  # Frederiksberg
    157,  # Gentofte
    159,  # Gladsaxe
    163,  # Herlev
    175,  # Rødovre
    167,  # Hvidovre
    153,  # Brøndby
    185,  # Tårnby
    155,  # Dragør
    161,  # Glostrup
    151,  # Ballerup
    173,  # Lyngby-Taarbæk
)


def pilot_municipalities() -> tuple[int, ...]:
    value = os.environ.get("JOBMATCH_PILOT_MUNICIPALITIES")
    if not value:
        return DEFAULT_PILOT_MUNICIPALITIES
    try:
        return tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError as exc:
        raise ValueError(
            f"JOBMATCH_PILOT_MUNICIPALITIES must be comma-separated municipality codes, got {value!r}"
        ) from exc


@dataclass(frozen=True)
class WorldSize:
    """How big the demo world is. Small sizes are used by tests."""

    postings: int = 30_000
    citizens: int = 3_000
    months: int = 14
    #: mean number of postings shown to a citizen per month of activity
    shown_per_citizen_month: float = 10.0
    english_cv_share: float = 0.12
    english_posting_share: float = 0.06


@dataclass(frozen=True)
class Settings:
    """Settings that are not paths. Read once with :func:`settings`."""

    world: WorldSize = field(default_factory=WorldSize)
    #: the date the demo world is "today" (postings are current relative to it)
    reference_date: str = "2026-11-01"
    default_mode: str = "public"
    default_max_minutes: int = 45
    #: CV files larger than this are refused (bytes)
    max_upload_bytes: int = 10 * 1024 * 1024
    #: CV text longer than this is truncated with a notice (characters)
    max_cv_chars: int = 60_000


def settings() -> Settings:
    return Settings(
        reference_date=os.environ.get("JOBMATCH_REFERENCE_DATE", Settings.reference_date),
        default_mode=os.environ.get("JOBMATCH_DEFAULT_MODE", Settings.default_mode),
        default_max_minutes=_env_int("JOBMATCH_DEFAULT_MAX_MINUTES", Settings.default_max_minutes),
    )


# --- responsible AI: fairness thresholds and the stop switch (see jobmatch/fairness.py) ---


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"Environment variable {name} must be a number, got {value!r}") from exc


#: public name for modules that keep their own tunables (e.g. jobmatch.transitions)
env_float = _env_float


@dataclass(frozen=True)
class FairnessSettings:
    """Thresholds the fairness report and the invariance tests hold a model version to.

    ``proxy_auc_flag``: a protected attribute predicted from the model's inputs
    with a cross-validated AUC above this is flagged (0.5 = no information).
    ``exposure_ratio_min_ok``: the lowest acceptable ratio between the group with
    the least and the group with the most exposure (1 = equal).
    ``invariance_max_top10_change``: the largest acceptable share of the top 10
    that may change when only a name, gender-coded words or an age in the CV change.
    """

    proxy_auc_flag: float = 0.65
    exposure_ratio_min_ok: float = 0.8
    invariance_max_top10_change: float = 0.2


def fairness_settings() -> FairnessSettings:
    """Thresholds with env overrides ``JOBMATCH_PROXY_AUC_FLAG``, ``JOBMATCH_EXPOSURE_RATIO_MIN_OK``,
    ``JOBMATCH_INVARIANCE_MAX_TOP10_CHANGE``."""
    out = FairnessSettings(
        proxy_auc_flag=_env_float("JOBMATCH_PROXY_AUC_FLAG", FairnessSettings.proxy_auc_flag),
        exposure_ratio_min_ok=_env_float("JOBMATCH_EXPOSURE_RATIO_MIN_OK", FairnessSettings.exposure_ratio_min_ok),
        invariance_max_top10_change=_env_float("JOBMATCH_INVARIANCE_MAX_TOP10_CHANGE",
                                               FairnessSettings.invariance_max_top10_change),
    )
    for name, value, low, high in (("JOBMATCH_PROXY_AUC_FLAG", out.proxy_auc_flag, 0.5, 1.0),
                                   ("JOBMATCH_EXPOSURE_RATIO_MIN_OK", out.exposure_ratio_min_ok, 0.0, 1.0),
                                   ("JOBMATCH_INVARIANCE_MAX_TOP10_CHANGE", out.invariance_max_top10_change, 0.0, 1.0)):
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return out


def model_stopped() -> bool:
    """The per-deployment stop switch: ``JOBMATCH_STOP_MODEL=1`` → always rank by the transparent rule.

    Accepts 1/true/yes/on (any case); anything else, or unset, leaves the learned model on.
    """
    return os.environ.get("JOBMATCH_STOP_MODEL", "").strip().lower() in ("1", "true", "yes", "on")


# --- model lifecycle: release gate and monitoring (issue 9; see docs/lifecycle.md) ---


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"Environment variable {name} must be true or false, got {value!r}")


@dataclass(frozen=True)
class ReleaseGate:
    """What a retrained model must reach before ``python -m jobmatch retrain`` makes it the default.

    Fixed here, before any candidate is seen, so a gate cannot be bent to fit
    a model. All figures are measured on the candidate's test period (the
    newest part of the log, after its training and validation periods).

    ``min_ndcg_at_10``: lowest acceptable NDCG@10 of the candidate.
    ``min_gain_ci_low``: the lower end of the bootstrap 95 % interval of the
    candidate's NDCG@10 gain over the best baseline must be above this (0 =
    must beat the best baseline with confidence).
    ``max_ndcg_drop``: the current model, scored on the same test period, may
    be better than the candidate by at most this much NDCG@10.
    ``min_exposure_ratio``: fairness report's ``exposure_ratio_min`` (lowest ÷
    highest group exposure over gender, age band and origin) must reach this.
    ``max_proxy_auc``: no protected attribute may be predictable from the
    model's inputs with a cross-validated AUC above this. Higher than the
    fairness report's *flag* (``proxy_auc_flag``, "people should look"): this
    is the line above which a model is not shipped automatically. See
    docs/lifecycle.md for why 0.90 on the demo world.
    ``require_invariance``: the invariance checks (name, gender words, age
    edits of a CV) must pass the fairness threshold.
    ``fairness_sample``: citizens ranked for the gate's fairness figures
    (seeded sample; 0 = all).
    """

    min_ndcg_at_10: float = 0.50
    min_gain_ci_low: float = 0.0
    max_ndcg_drop: float = 0.02
    min_exposure_ratio: float = 0.80
    max_proxy_auc: float = 0.90
    require_invariance: bool = True
    fairness_sample: int = 1000


def release_gate() -> ReleaseGate:
    """The release gate with env overrides ``JOBMATCH_GATE_MIN_NDCG10``, ``JOBMATCH_GATE_MIN_GAIN_CI_LOW``,
    ``JOBMATCH_GATE_MAX_NDCG_DROP``, ``JOBMATCH_GATE_MIN_EXPOSURE_RATIO``, ``JOBMATCH_GATE_MAX_PROXY_AUC``,
    ``JOBMATCH_GATE_REQUIRE_INVARIANCE``, ``JOBMATCH_GATE_FAIRNESS_SAMPLE``."""
    d = ReleaseGate()
    gate = ReleaseGate(
        min_ndcg_at_10=_env_float("JOBMATCH_GATE_MIN_NDCG10", d.min_ndcg_at_10),
        min_gain_ci_low=_env_float("JOBMATCH_GATE_MIN_GAIN_CI_LOW", d.min_gain_ci_low),
        max_ndcg_drop=_env_float("JOBMATCH_GATE_MAX_NDCG_DROP", d.max_ndcg_drop),
        min_exposure_ratio=_env_float("JOBMATCH_GATE_MIN_EXPOSURE_RATIO", d.min_exposure_ratio),
        max_proxy_auc=_env_float("JOBMATCH_GATE_MAX_PROXY_AUC", d.max_proxy_auc),
        require_invariance=_env_bool("JOBMATCH_GATE_REQUIRE_INVARIANCE", d.require_invariance),
        fairness_sample=_env_int("JOBMATCH_GATE_FAIRNESS_SAMPLE", d.fairness_sample),
    )
    if gate.fairness_sample < 0:
        raise ValueError(f"JOBMATCH_GATE_FAIRNESS_SAMPLE must be 0 (all) or more, got {gate.fairness_sample}")
    return gate


@dataclass(frozen=True)
class MonitorSettings:
    """Thresholds of ``python -m jobmatch monitor``.

    ``psi_warn`` / ``psi_alert``: population stability index between the
    reference and the current period; the customary reading is < 0.1 stable,
    0.1–0.25 a moderate shift worth a look, > 0.25 a major shift.
    ``min_group_ndcg_ratio``: a month in which the lowest group's NDCG@10 is
    below this share of the highest group's is reported (warn).
    ``max_override_rate``: consultant actions per ranking shown above this
    are reported (warn; many overrides mean the suggestions miss).
    ``min_group_queries``: a group needs at least this many evaluated
    citizens in a month before its NDCG@10 is compared.
    """

    psi_warn: float = 0.10
    psi_alert: float = 0.25
    min_group_ndcg_ratio: float = 0.80
    max_override_rate: float = 0.50
    min_group_queries: int = 20


def monitor_settings() -> MonitorSettings:
    """Monitoring thresholds with env overrides ``JOBMATCH_PSI_WARN``, ``JOBMATCH_PSI_ALERT``,
    ``JOBMATCH_MONITOR_MIN_GROUP_NDCG_RATIO``, ``JOBMATCH_MONITOR_MAX_OVERRIDE_RATE``,
    ``JOBMATCH_MONITOR_MIN_GROUP_QUERIES``."""
    d = MonitorSettings()
    out = MonitorSettings(
        psi_warn=_env_float("JOBMATCH_PSI_WARN", d.psi_warn),
        psi_alert=_env_float("JOBMATCH_PSI_ALERT", d.psi_alert),
        min_group_ndcg_ratio=_env_float("JOBMATCH_MONITOR_MIN_GROUP_NDCG_RATIO", d.min_group_ndcg_ratio),
        max_override_rate=_env_float("JOBMATCH_MONITOR_MAX_OVERRIDE_RATE", d.max_override_rate),
        min_group_queries=_env_int("JOBMATCH_MONITOR_MIN_GROUP_QUERIES", d.min_group_queries),
    )
    if not 0 < out.psi_warn <= out.psi_alert:
        raise ValueError(f"PSI thresholds must satisfy 0 < JOBMATCH_PSI_WARN <= JOBMATCH_PSI_ALERT, "
                         f"got {out.psi_warn} and {out.psi_alert}")
    return out
