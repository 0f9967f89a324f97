"""Per-municipality configuration: which municipality a deployment serves and how.

Each municipality that uses jobmatch has a small configuration: its official
code and name, the area its citizens look for work in, the transport mode and
travel limit the consultant sees preselected, the languages offered, how long
records are kept (retention), how login groups map to roles, and whether it
takes part in the pilot.

Where it comes from
-------------------
``jobmatch/resources/municipalities.toml`` ships Københavns Kommune and its 12
neighbours (:data:`jobmatch.config.DEFAULT_PILOT_MUNICIPALITIES`). A
municipality's IT department adds or changes municipalities **without touching
code**: it writes its own TOML file in the same format and points
``JOBMATCH_MUNICIPALITIES_FILE`` at it. That file is merged on top of the
bundled one - a ``[[municipality]]`` with a known code replaces only the
fields it gives, a new code is added, ``[defaults]`` fields replace the
bundled defaults. ``JOBMATCH_MUNICIPALITY`` (default 101) says which
municipality this deployment serves (:func:`current`).

Every problem in the files is reported at once, with the file, the
municipality and the field (:class:`MunicipalityConfigError`), so a typo
cannot silently fall back to a default.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jobmatch import config

#: Languages the interface and the explanations exist in.
LANGUAGES: tuple[str, ...] = ("da", "en")

#: The AI Act (art. 26(6)) asks deployers of high-risk systems to keep the
#: system's logs for at least six months; shorter audit retention is warned about.
MIN_AUDIT_LOG_DAYS = 183

#: A commuting limit outside this range is almost certainly a typo (minutes).
MAX_MINUTES_RANGE: tuple[int, int] = (5, 240)

ENV_FILE = "JOBMATCH_MUNICIPALITIES_FILE"
ENV_SERVING = "JOBMATCH_MUNICIPALITY"
DEFAULT_SERVING = 101

_TOP_LEVEL_KEYS = {"defaults", "municipality"}
_MUNICIPALITY_KEYS = {
    "code", "name", "area_municipalities", "area_postcodes", "default_mode", "max_minutes",
    "languages", "retention", "auth", "pilot",
}
_DEFAULT_KEYS = _MUNICIPALITY_KEYS - {"code", "name", "area_municipalities", "area_postcodes"}
_RETENTION_KEYS = {"audit_log_days", "shortlists_days", "feedback_days"}
_AUTH_KEYS = {"role_claims", "consultant_groups", "project_team_groups"}


class MunicipalityConfigError(ValueError):
    """The municipality configuration has problems; ``problems`` lists each in one line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Municipality configuration is not valid:\n  " + "\n  ".join(self.problems))


@dataclass(frozen=True)
class Retention:
    """How many days records are kept before the retention job deletes them."""

    audit_log_days: int
    shortlists_days: int
    feedback_days: int


@dataclass(frozen=True)
class RoleMapping:
    """Which login groups (OIDC claims) grant which jobmatch role."""

    role_claims: tuple[str, ...]
    consultant_groups: tuple[str, ...]
    project_team_groups: tuple[str, ...]


@dataclass(frozen=True)
class Municipality:
    """One municipality's settings (see the module docstring and the TOML file)."""

    code: int
    name: str
    area_municipalities: tuple[int, ...]
    area_postcodes: tuple[int, ...]
    default_mode: str
    max_minutes: int
    languages: tuple[str, ...]
    retention: Retention
    auth: RoleMapping
    pilot: bool

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def postcodes(self) -> list[int]:
        """Sorted postcodes of the job-search area (area municipalities plus extra postcodes)."""
        from jobmatch import geo

        table = geo.load_postcodes()
        codes = set(table.loc[table["municipality_code"].isin(self.area_municipalities), "postcode"].astype(int))
        return sorted(codes | set(self.area_postcodes))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = list(value)
        out["auth"] = {k: list(v) for k, v in out["auth"].items()}
        return out


# ---------------------------------------------------------------------------
# files


def bundled_file() -> Path:
    """The configuration shipped with jobmatch (the 13 pilot municipalities)."""
    return config.RESOURCES_DIR / "municipalities.toml"


def override_file() -> Path | None:
    """The file named by ``JOBMATCH_MUNICIPALITIES_FILE``, or None when unset."""
    value = os.environ.get(ENV_FILE, "").strip()
    return Path(value).expanduser() if value else None


def serving_code() -> int:
    """The municipality code this deployment serves (``JOBMATCH_MUNICIPALITY``, default 101)."""
    value = os.environ.get(ENV_SERVING, "").strip()
    if not value:
        return DEFAULT_SERVING
    try:
        return int(value)
    except ValueError:
        raise MunicipalityConfigError(
            [f"{ENV_SERVING} must be an official municipality code such as 101, got {value!r}"]) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise MunicipalityConfigError([f"{path}: file not found (set by {ENV_FILE}?)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise MunicipalityConfigError([f"{path}: not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise MunicipalityConfigError([f"{path}: cannot be read: {exc.strerror}"]) from None


def _unknown_keys(found: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(found) - allowed):
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(sorted(allowed))}"
        problems.append(f"{where}: unknown field {key!r}{hint}")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge *extra* over *base*; nested tables (retention, auth) merge field by field."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _raw_entries(doc: dict[str, Any], path: Path, problems: list[str]) -> tuple[dict[str, Any], dict[int, dict]]:
    """Split one parsed file into its defaults and its municipalities (by code), noting shape problems."""
    _unknown_keys(doc, _TOP_LEVEL_KEYS, str(path), problems)
    defaults = doc.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(f"{path}: [defaults] must be a table")
        defaults = {}
    _unknown_keys(defaults, _DEFAULT_KEYS, f"{path} [defaults]", problems)
    entries: dict[int, dict] = {}
    items = doc.get("municipality", [])
    if not isinstance(items, list):
        problems.append(f"{path}: municipalities must be written as [[municipality]] tables")
        items = []
    for number, item in enumerate(items, start=1):
        where = f"{path} [[municipality]] #{number}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a table")
            continue
        code = item.get("code")
        if not _is_int(code):
            problems.append(f"{where}: 'code' is missing or not a whole number (the official municipality code)")
            continue
        _unknown_keys(item, _MUNICIPALITY_KEYS, f"{path} municipality {code}", problems)
        if code in entries:
            problems.append(f"{path}: municipality {code} appears twice")
            continue
        entries[code] = item
    return defaults, entries


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_int(v) for v in value)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _build(code: int, raw: dict[str, Any], where: str, known_municipalities: set[int],
           known_postcodes: set[int], problems: list[str], warnings: list[str]) -> Municipality | None:
    """Check one merged municipality entry and turn it into a :class:`Municipality`."""
    from jobmatch import geo

    before = len(problems)
    if code not in known_municipalities:
        problems.append(f"{where}: {code} is not an official Danish municipality code "
                        f"(see jobmatch/resources/geo/municipalities.csv)")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'name' is missing (e.g. name = \"Københavns Kommune\")")
    area = raw.get("area_municipalities", [code])
    if not _int_list(area) or not area:
        problems.append(f"{where}: 'area_municipalities' must be a non-empty list of municipality codes")
        area = []
    for other in area:
        if other not in known_municipalities:
            problems.append(f"{where}: area_municipalities contains {other}, which is not a municipality code")
    if area and code not in area:
        warnings.append(f"{where}: area_municipalities does not include the municipality itself ({code})")
    extra = raw.get("area_postcodes", [])
    if not _int_list(extra):
        problems.append(f"{where}: 'area_postcodes' must be a list of postcodes (whole numbers)")
        extra = []
    for pc in extra:
        if pc not in known_postcodes:
            problems.append(f"{where}: area_postcodes contains {pc}, which is not a known Danish postcode")
    mode = raw.get("default_mode")
    if mode not in geo.MODES:
        problems.append(f"{where}: default_mode {mode!r} is not a transport mode; use one of {', '.join(geo.MODES)}")
    minutes = raw.get("max_minutes")
    lo, hi = MAX_MINUTES_RANGE
    if not _is_int(minutes) or not lo <= minutes <= hi:
        problems.append(f"{where}: max_minutes must be a whole number of minutes from {lo} to {hi}, got {minutes!r}")
    langs = raw.get("languages")
    if not _str_list(langs) or not langs or len(set(langs)) != len(langs) or set(langs) - set(LANGUAGES):
        problems.append(f"{where}: languages must be a non-empty list without repeats of {list(LANGUAGES)}, "
                        f"got {langs!r}")
    pilot = raw.get("pilot")
    if not isinstance(pilot, bool):
        problems.append(f"{where}: pilot must be true or false, got {pilot!r}")

    retention = raw.get("retention") if isinstance(raw.get("retention"), dict) else {}
    _unknown_keys(retention, _RETENTION_KEYS, f"{where} retention", problems)
    for key in sorted(_RETENTION_KEYS):
        days = retention.get(key)
        if not _is_int(days):
            problems.append(f"{where}: retention.{key} must be a whole number of days, got {days!r}")
        elif days < 0:
            problems.append(f"{where}: retention.{key} is negative ({days}); use 0 or more days")
    audit_days = retention.get("audit_log_days")
    if _is_int(audit_days) and 0 <= audit_days < MIN_AUDIT_LOG_DAYS:
        warnings.append(f"{where}: retention.audit_log_days is {audit_days}; the AI Act (art. 26(6)) asks for "
                        f"at least six months ({MIN_AUDIT_LOG_DAYS} days) unless other law says otherwise")

    auth = raw.get("auth") if isinstance(raw.get("auth"), dict) else {}
    _unknown_keys(auth, _AUTH_KEYS, f"{where} auth", problems)
    for key in sorted(_AUTH_KEYS):
        if not _str_list(auth.get(key)):
            problems.append(f"{where}: auth.{key} must be a list of names (strings), got {auth.get(key)!r}")
    if _str_list(auth.get("role_claims")) and not auth["role_claims"]:
        problems.append(f"{where}: auth.role_claims is empty; name the claim(s) that carry groups, e.g. [\"groups\"]")

    if len(problems) > before:
        return None
    return Municipality(
        code=code, name=name.strip(), area_municipalities=tuple(area), area_postcodes=tuple(extra),
        default_mode=mode, max_minutes=minutes, languages=tuple(langs),
        retention=Retention(**{k: retention[k] for k in sorted(_RETENTION_KEYS)}),
        auth=RoleMapping(**{k: tuple(auth[k]) for k in sorted(_AUTH_KEYS)}),
        pilot=pilot,
    )


def _file_key(path: Path | None) -> tuple[str, int] | None:
    if path is None:
        return None
    try:
        return (str(path), path.stat().st_mtime_ns)
    except OSError:
        return (str(path), -1)


@lru_cache(maxsize=8)
def _load_cached(bundled: tuple[str, int], override: tuple[str, int] | None) -> tuple[dict, list[str]]:
    from jobmatch import geo

    problems: list[str] = []
    warnings: list[str] = []
    paths = [Path(bundled[0])] + ([Path(override[0])] if override else [])
    defaults: dict[str, Any] = {}
    raw: dict[int, dict] = {}
    origin: dict[int, Path] = {}
    for path in paths:
        file_defaults, entries = _raw_entries(_read_toml(path), path, problems)
        defaults = _merge(defaults, file_defaults)
        for code, entry in entries.items():
            raw[code] = _merge(raw.get(code, {}), entry)
            origin[code] = path
    known_municipalities = set(geo.load_municipalities()["code"].astype(int))
    known_postcodes = set(geo.load_postcodes()["postcode"].astype(int))
    result: dict[int, Municipality] = {}
    for code, entry in raw.items():
        merged = _merge(defaults, entry)
        built = _build(code, merged, f"{origin[code].name} municipality {code}", known_municipalities,
                       known_postcodes, problems, warnings)
        if built is not None:
            result[code] = built
    if not raw and not problems:
        problems.append("no [[municipality]] is configured")
    if problems:
        raise MunicipalityConfigError(problems)
    return dict(sorted(result.items())), warnings


def load_all(override: Path | None | str = "env") -> dict[int, Municipality]:
    """All configured municipalities by code (bundled file merged with the override file).

    ``override="env"`` (default) uses ``JOBMATCH_MUNICIPALITIES_FILE``; pass a
    path or None to choose explicitly. Raises :class:`MunicipalityConfigError`
    naming every problem. Cached until a file changes.
    """
    return dict(_load(override)[0])


def warnings_for(override: Path | None | str = "env") -> list[str]:
    """Things that are allowed but probably unintended (e.g. audit retention under six months)."""
    return list(_load(override)[1])


def _load(override: Path | None | str) -> tuple[dict, list[str]]:
    path = override_file() if override == "env" else (Path(override) if override is not None else None)
    if path is not None and not path.exists():
        raise MunicipalityConfigError([f"{path}: file not found (set by {ENV_FILE}?)"])
    return _load_cached(_file_key(bundled_file()), _file_key(path))


def get(code: int, override: Path | None | str = "env") -> Municipality:
    """One municipality by its official code (MunicipalityConfigError when it is not configured)."""
    table = load_all(override)
    if code not in table:
        raise MunicipalityConfigError(
            [f"municipality {code} is not configured; configured: {', '.join(map(str, table))}. "
             f"Add a [[municipality]] with code = {code} to the file named by {ENV_FILE}."])
    return table[code]


def current() -> Municipality:
    """The municipality this deployment serves (``JOBMATCH_MUNICIPALITY``, default 101)."""
    return get(serving_code())


def pilot_codes(override: Path | None | str = "env") -> tuple[int, ...]:
    """Codes of the configured municipalities that take part in the pilot."""
    return tuple(code for code, m in load_all(override).items() if m.pilot)


def check() -> dict[str, Any]:
    """Validate the whole configuration and the serving municipality; never raises.

    Returns ``{"ok", "problems", "warnings", "serving", "count", "files"}`` for
    ``doctor`` and the CLI.
    """
    files = [str(bundled_file())] + ([str(override_file())] if override_file() else [])
    out: dict[str, Any] = {"ok": False, "problems": [], "warnings": [], "serving": None, "count": 0, "files": files}
    try:
        table = load_all()
        out["warnings"] = warnings_for()
        out["count"] = len(table)
        out["serving"] = current().code
    except MunicipalityConfigError as exc:
        out["problems"] = exc.problems
        return out
    out["ok"] = True
    return out
