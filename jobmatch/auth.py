"""Login and roles, without Streamlit: who may see which pages.

jobmatch has two roles:

``consultant``    the job consultant: the citizen pages (CV, suggestions, map)
``project_team``  the municipality's project team: audit log, fairness and
                  ethics pages (aggregate figures, no CV text)

A user may hold both. Login is OpenID Connect through Streamlit's
``st.login`` (settings in the ``[auth]`` section of ``.streamlit/secrets.toml``,
see ``docs/operations.md``). The identity provider sends the user's groups or
app roles in a claim of the ID token; :func:`roles_from_claims` maps them to
jobmatch roles with the group names configured per municipality
(:class:`jobmatch.municipalities.RoleMapping`).

Without any login configuration the app runs in **demo mode**: no login, both
roles, a banner saying so, and only simulated data (:func:`demo_allowed`
refuses demo mode once real data has been imported). ``JOBMATCH_AUTH_MODE``
makes the choice explicit:

``auto`` (default)  OIDC when secrets.toml has an ``[auth]`` section, else demo
``oidc``            OIDC required: a missing or broken configuration stops the app
                    instead of silently opening it (use this in production)
``demo``            demo mode even if secrets.toml has an ``[auth]`` section

The Streamlit glue (login button, banner, stop) is ``ui/auth.py``.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jobmatch import config

CONSULTANT = "consultant"
PROJECT_TEAM = "project_team"
ROLES: tuple[str, ...] = (CONSULTANT, PROJECT_TEAM)

#: Danish names of the roles, for messages in the app.
ROLE_LABELS_DA: dict[str, str] = {CONSULTANT: "jobkonsulent", PROJECT_TEAM: "projektgruppe"}

ENV_MODE = "JOBMATCH_AUTH_MODE"
MODES: tuple[str, ...] = ("auto", "oidc", "demo")

#: Keys Streamlit requires in ``[auth]`` and in each provider's settings (st.login docs, Streamlit 1.67).
SHARED_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")

#: A cookie secret shorter than this is weak (Streamlit warns below 14 bytes; we ask for 32).
MIN_COOKIE_SECRET_CHARS = 32

DEMO_BANNER_DA = "Demotilstand – ingen login. Kun simulerede data."


class AuthConfigError(ValueError):
    """The login configuration is inconsistent (e.g. OIDC required but not configured)."""


@dataclass(frozen=True)
class Identity:
    """The person using the app: a stable subject id, a display name and their roles."""

    subject: str
    name: str
    roles: frozenset[str]
    demo: bool = False

    def has(self, role: str) -> bool:
        return role in self.roles


DEMO_IDENTITY = Identity(subject="demo", name="Demobruger", roles=frozenset(ROLES), demo=True)


@dataclass
class AuthStatus:
    """What login looks like on this installation (for the app and ``doctor``)."""

    mode: str  # "demo" | "oidc"
    requested: str  # value of JOBMATCH_AUTH_MODE ("auto" when unset)
    providers: list[str] = field(default_factory=list)  # "default" or named [auth.<name>] sections
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return self.mode == "demo"

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "requested": self.requested, "providers": list(self.providers),
                "problems": list(self.problems), "warnings": list(self.warnings)}


# ---------------------------------------------------------------------------
# the configuration


def requested_mode() -> str:
    """``JOBMATCH_AUTH_MODE`` lower-cased (``auto`` when unset); AuthConfigError for other values."""
    value = os.environ.get(ENV_MODE, "").strip().lower() or "auto"
    if value not in MODES:
        raise AuthConfigError(f"{ENV_MODE} must be one of {', '.join(MODES)}, got {value!r}")
    return value


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets.toml when the app is started from the repository root.

    Same order as Streamlit (later files win): the user's global
    ``~/.streamlit/secrets.toml``, then the project's ``.streamlit/secrets.toml``.
    """
    return [Path.home() / ".streamlit" / "secrets.toml", config.REPO_ROOT / ".streamlit" / "secrets.toml"]


def read_auth_section(paths: Iterable[Path] | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    """The merged ``[auth]`` section of the secrets files (None when absent) and read problems.

    Values are returned as parsed; callers must never print them (they are secrets).
    """
    section: dict[str, Any] | None = None
    problems: list[str] = []
    for path in (secrets_files() if paths is None else paths):
        path = Path(path)
        if not path.is_file():
            continue
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{path} is not valid TOML ({exc}); Streamlit cannot read it either")
            continue
        except OSError as exc:
            problems.append(f"{path} cannot be read: {exc.strerror}")
            continue
        auth = doc.get("auth")
        if auth is None:
            continue
        if not isinstance(auth, dict):
            problems.append(f"{path}: 'auth' must be a table ([auth])")
            continue
        section = {**(section or {}), **auth}
    return section, problems


def provider_names(auth_section: Mapping[str, Any]) -> list[str]:
    """The providers an ``[auth]`` section configures: ``default`` and/or named sub-tables."""
    names = ["default"] if any(k in auth_section for k in PROVIDER_KEYS) else []
    names += [k for k, v in auth_section.items() if isinstance(v, Mapping)]
    return names


def check_auth_section(auth_section: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Problems and warnings of an ``[auth]`` section, checked the way Streamlit 1.67 checks it.

    Messages name keys, never values.
    """
    problems: list[str] = []
    warnings: list[str] = []
    for key in SHARED_KEYS:
        if not str(auth_section.get(key, "")).strip():
            problems.append(f"[auth] is missing {key!r}")
    redirect = str(auth_section.get("redirect_uri", ""))
    if redirect and not redirect.rstrip("/").endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri must be the app's public address ending in /oauth2callback")
    if redirect and not redirect.startswith(("http://", "https://")):
        problems.append("[auth] redirect_uri must be an absolute URL (https://...)")
    elif redirect.startswith("http://") and not redirect.startswith(("http://localhost", "http://127.0.0.1")):
        warnings.append("[auth] redirect_uri uses http://; use https:// outside a developer machine")
    secret = str(auth_section.get("cookie_secret", ""))
    if secret and len(secret) < MIN_COOKIE_SECRET_CHARS:
        warnings.append(f"[auth] cookie_secret is shorter than {MIN_COOKIE_SECRET_CHARS} characters; "
                        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'")
    names = provider_names(auth_section)
    if not names:
        problems.append("[auth] configures no identity provider: add client_id, client_secret and "
                        "server_metadata_url (or an [auth.<name>] table with them)")
    for name in names:
        settings = auth_section if name == "default" else auth_section[name]
        where = "[auth]" if name == "default" else f"[auth.{name}]"
        if "_" in name:
            problems.append(f"{where}: Streamlit does not allow '_' in a provider name")
        missing = [k for k in PROVIDER_KEYS if not str(settings.get(k, "")).strip()]
        if missing:
            problems.append(f"{where} is missing {', '.join(missing)}")
        url = str(settings.get("server_metadata_url", ""))
        if url and not url.startswith("https://"):
            problems.append(f"{where} server_metadata_url must be an https:// URL "
                            "(the provider's /.well-known/openid-configuration)")
    return problems, warnings


@lru_cache(maxsize=1)
def authlib_installed() -> bool:
    """Streamlit's st.login needs Authlib >= 1.3.2 (``pip install streamlit[auth]``). Checked once per process."""
    try:
        import authlib
    except ImportError:
        return False
    try:
        return tuple(int(p) for p in authlib.__version__.split(".")[:3]) >= (1, 3, 2)
    except ValueError:
        return True


_FROM_FILES: Any = object()


def status(auth_section: Mapping[str, Any] | None = _FROM_FILES, *,
           paths: Iterable[Path] | None = None) -> AuthStatus:
    """How login works here.

    Pass ``auth_section`` (what ``st.secrets`` holds under ``auth``, or None)
    from inside the app; leave it out to read the secrets files from disk
    (``paths``, default :func:`secrets_files`) as ``doctor`` does.
    """
    problems: list[str] = []
    try:
        requested = requested_mode()
    except AuthConfigError as exc:
        return AuthStatus(mode="oidc", requested="invalid", problems=[str(exc)])
    if auth_section is _FROM_FILES:
        auth_section, problems = read_auth_section(paths)
    if requested == "demo":
        return AuthStatus(mode="demo", requested=requested,
                          warnings=[f"{ENV_MODE}=demo: login is switched off even though it is configured"]
                          if auth_section else [])
    if not auth_section and not problems:
        if requested == "oidc":
            return AuthStatus(mode="oidc", requested=requested, problems=[
                f"{ENV_MODE}=oidc but no [auth] section was found in .streamlit/secrets.toml; "
                "see docs/operations.md, 'Connecting the identity provider'"])
        return AuthStatus(mode="demo", requested=requested)
    section_problems, warnings = check_auth_section(auth_section or {})
    problems += section_problems
    if not authlib_installed():
        problems.append("OIDC login needs the Authlib package: pip install 'streamlit[auth]' "
                        "(see docs/operations.md)")
    return AuthStatus(mode="oidc", requested=requested, providers=provider_names(auth_section or {}),
                      problems=problems, warnings=warnings)


def demo_mode(auth_section: Mapping[str, Any] | None = _FROM_FILES, *,
              paths: Iterable[Path] | None = None) -> bool:
    """True when the app runs without login (no OIDC configured, or ``JOBMATCH_AUTH_MODE=demo``)."""
    return status(auth_section, paths=paths).demo


def demo_allowed(world_folder: Path | None = None) -> tuple[bool, str]:
    """Demo mode (no login) is only for simulated data. False once the world holds imported data.

    Reads the world's manifest; a missing world is fine (nothing to protect).
    """
    path = Path(world_folder) if world_folder is not None else config.world_dir()
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True, "no data world"
    except (OSError, ValueError):
        return False, f"the data world's manifest in {path} cannot be read"
    if manifest.get("simulated", True) is False:
        return False, f"the data world in {path} contains imported (real) data"
    return True, "simulated data only"


# ---------------------------------------------------------------------------
# claims → roles


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """A claim by name; dotted names reach into nested claims (Keycloak's ``realm_access.roles``)."""
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def claim_values(claims: Mapping[str, Any], claim_names: Iterable[str]) -> set[str]:
    """All group / role names found in the listed claims (a list or a single string each)."""
    found: set[str] = set()
    for name in claim_names:
        value = _claim(claims, name)
        if isinstance(value, str):
            found.add(value.strip())
        elif isinstance(value, (list, tuple, set, frozenset)):
            found.update(str(v).strip() for v in value if isinstance(v, (str, int)))
    found.discard("")
    return found


def roles_from_claims(claims: Mapping[str, Any], mapping: Any) -> frozenset[str]:
    """jobmatch roles of a logged-in user, from their ID-token claims and the municipality's mapping.

    ``mapping`` has ``role_claims``, ``consultant_groups`` and
    ``project_team_groups`` (a :class:`jobmatch.municipalities.RoleMapping`).
    A user with none of the groups has no role (and sees nothing).
    """
    groups = claim_values(claims, mapping.role_claims)
    roles = set()
    if groups & set(mapping.consultant_groups):
        roles.add(CONSULTANT)
    if groups & set(mapping.project_team_groups):
        roles.add(PROJECT_TEAM)
    return frozenset(roles)


def identity_from_claims(claims: Mapping[str, Any], mapping: Any) -> Identity:
    """The :class:`Identity` of a logged-in user (subject = issuer + ``sub``, name for display)."""
    subject = str(claims.get("sub") or claims.get("oid") or claims.get("email") or "")
    issuer = str(claims.get("iss") or "")
    name = str(claims.get("name") or claims.get("preferred_username") or claims.get("email") or "ukendt bruger")
    return Identity(subject=f"{issuer}|{subject}" if issuer else subject, name=name,
                    roles=roles_from_claims(claims, mapping), demo=False)
