"""Login for the dashboard's pages: ``require_role("consultant")`` at the top of a page.

What a page gets
----------------
* **Demo mode** (no ``[auth]`` in secrets.toml, or ``JOBMATCH_AUTH_MODE=demo``):
  a clearly marked banner, no login, both roles. Refused once real data has
  been imported (:func:`jobmatch.auth.demo_allowed`).
* **OIDC** (``[auth]`` configured as in ``docs/operations.md``): a login button
  calling ``st.login`` until the user is logged in, then ``st.user``'s claims
  are mapped to roles with the serving municipality's group names; a user
  without the page's role is stopped with a Danish message. A log-out button
  (``st.logout``) sits in the sidebar.
* A broken configuration stops the page with a message for IT instead of
  opening the app without login.

All decisions are made by :mod:`jobmatch.auth` (tested without Streamlit);
this module only draws and calls ``st.login`` / ``st.logout`` / ``st.stop``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from jobmatch import auth, municipalities


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _auth_section() -> dict[str, Any] | None:
    """The ``[auth]`` section Streamlit sees (None when there is no secrets file or no section)."""
    if not st.secrets.load_if_toml_exists():
        return None
    section = st.secrets.get("auth")
    return _plain(section) if isinstance(section, Mapping) else None


def _stop_with(message: str, details: list[str] | None = None) -> None:
    st.error(message)
    if details:
        st.caption("Til IT-afdelingen: " + " · ".join(details))
    st.stop()


def _serving_municipality() -> municipalities.Municipality:
    try:
        municipality = municipalities.current()
    except municipalities.MunicipalityConfigError as exc:
        _stop_with("Kommunens opsætning af jobmatch er ikke gyldig. Bed IT-afdelingen køre "
                   "`python -m jobmatch doctor`.", exc.problems[:5])
        raise  # st.stop() raises; this keeps type checkers calm
    st.sidebar.caption(f"jobmatch for {municipality.name}")
    return municipality


def _login_page(status: auth.AuthStatus) -> None:
    st.info("Log ind med dit login fra kommunen for at bruge jobmatch.")
    for provider in status.providers:
        label = "Log ind" if len(status.providers) == 1 else f"Log ind med {provider}"
        if st.button(label, key=f"jobmatch-login-{provider}", type="primary"):
            st.login(None if provider == "default" else provider)
    st.stop()


def current_identity() -> auth.Identity:
    """Who is using the app; draws the demo banner or the login page and stops when needed."""
    status = auth.status(_auth_section())
    municipality = _serving_municipality()
    if status.demo:
        allowed, reason = auth.demo_allowed()
        if not allowed:
            _stop_with("Der er indlæst rigtige data, men login er ikke sat op. jobmatch åbner ikke uden "
                       "login, når der er rigtige data.", [reason, "set up OIDC: docs/operations.md"])
        st.warning(auth.DEMO_BANNER_DA, icon="⚠️")
        return auth.DEMO_IDENTITY
    if status.problems:
        _stop_with("Login er ikke sat rigtigt op, så jobmatch er lukket. Bed IT-afdelingen køre "
                   "`python -m jobmatch doctor`.", status.problems[:5])
    user = st.user.to_dict()
    if not user.get("is_logged_in"):
        _login_page(status)
    identity = auth.identity_from_claims(user, municipality.auth)
    st.sidebar.caption(f"Logget ind som {identity.name}")
    if st.sidebar.button("Log ud", key="jobmatch-logout"):
        st.logout()
    return identity


def require_role(role: str) -> auth.Identity:
    """Stop the page unless the user has *role* (``"consultant"`` or ``"project_team"``)."""
    if role not in auth.ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {auth.ROLES}")
    identity = current_identity()
    if not identity.has(role):
        _stop_with(f"Du har ikke adgang til denne side. Den kræver rollen "
                   f"«{auth.ROLE_LABELS_DA[role]}». Kontakt projektgruppen for jobmatch i din kommune, "
                   "hvis du skal have adgang.")
    return identity
