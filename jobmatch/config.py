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
