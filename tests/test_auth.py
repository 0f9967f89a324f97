"""Login and roles: claims → roles, demo-mode detection, and the Streamlit glue in ui/auth.py."""

from __future__ import annotations

import json
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from jobmatch import auth
from jobmatch.municipalities import RoleMapping

MAPPING = RoleMapping(role_claims=("roles", "groups", "realm_access.roles"),
                      consultant_groups=("jobmatch-konsulent",),
                      project_team_groups=("jobmatch-projektgruppe",))

GOOD_AUTH = {
    "redirect_uri": "https://jobmatch.kk.dk/oauth2callback",
    "cookie_secret": "x" * 48,
    "client_id": "abc",
    "client_secret": "def",
    "server_metadata_url": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv(auth.ENV_MODE, raising=False)
    monkeypatch.delenv("JOBMATCH_MUNICIPALITIES_FILE", raising=False)
    monkeypatch.delenv("JOBMATCH_MUNICIPALITY", raising=False)


# --- claims → roles -----------------------------------------------------------


def test_groups_claim_grants_consultant_only():
    claims = {"sub": "1", "groups": ["alle-ansatte", "jobmatch-konsulent"]}
    assert auth.roles_from_claims(claims, MAPPING) == {auth.CONSULTANT}


def test_roles_and_groups_claims_are_combined():
    claims = {"roles": "jobmatch-projektgruppe", "groups": ["jobmatch-konsulent"]}
    assert auth.roles_from_claims(claims, MAPPING) == {auth.CONSULTANT, auth.PROJECT_TEAM}


def test_nested_keycloak_claim_is_read():
    claims = {"realm_access": {"roles": ["jobmatch-projektgruppe"]}}
    assert auth.roles_from_claims(claims, MAPPING) == {auth.PROJECT_TEAM}


def test_no_matching_group_means_no_role():
    assert auth.roles_from_claims({"groups": ["JOBMATCH-KONSULENT", "andet"]}, MAPPING) == frozenset()
    assert auth.roles_from_claims({}, MAPPING) == frozenset()


def test_identity_from_claims_uses_issuer_and_subject():
    ident = auth.identity_from_claims(
        {"iss": "https://idp", "sub": "42", "name": "Karen", "groups": ["jobmatch-konsulent"]}, MAPPING)
    assert ident.subject == "https://idp|42"
    assert ident.name == "Karen"
    assert ident.has(auth.CONSULTANT) and not ident.has(auth.PROJECT_TEAM)
    assert not ident.demo


# --- demo mode detection ----------------------------------------------------------


def test_demo_mode_without_secrets_file(tmp_path):
    assert auth.demo_mode(paths=[tmp_path / "missing.toml"])


def test_secrets_without_auth_section_is_demo(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[connections]\nurl = "sqlite://"\n', encoding="utf-8")
    assert auth.demo_mode(paths=[path])


def test_auth_section_means_oidc(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    path = tmp_path / "secrets.toml"
    path.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in GOOD_AUTH.items()), encoding="utf-8")
    st = auth.status(paths=[path])
    assert not st.demo and st.ok, st.problems
    assert st.providers == ["default"]


def test_named_provider_and_missing_keys_are_reported(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(textwrap.dedent("""
        [auth]
        redirect_uri = "https://jobmatch.example.dk/callback"
        cookie_secret = "Zq9w7"
        [auth.entra]
        client_id = "abc"
    """), encoding="utf-8")
    st = auth.status(paths=[path])
    assert not st.demo
    assert st.providers == ["entra"]
    text = " ".join(st.problems)
    assert "oauth2callback" in text
    assert "client_secret" in text and "server_metadata_url" in text
    assert any("cookie_secret" in w for w in st.warnings)
    # secrets are never echoed
    assert "Zq9w7" not in text + " ".join(st.warnings)


def test_broken_secrets_file_is_not_demo(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text("[auth\nredirect_uri = ", encoding="utf-8")
    st = auth.status(paths=[path])
    assert not st.demo and not st.ok


def test_env_forces_oidc_without_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv(auth.ENV_MODE, "oidc")
    st = auth.status(paths=[tmp_path / "missing.toml"])
    assert not st.demo and not st.ok


def test_env_forces_demo(tmp_path, monkeypatch):
    monkeypatch.setenv(auth.ENV_MODE, "demo")
    path = tmp_path / "secrets.toml"
    path.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in GOOD_AUTH.items()), encoding="utf-8")
    assert auth.demo_mode(paths=[path])


def test_bad_env_value_is_a_problem(monkeypatch):
    monkeypatch.setenv(auth.ENV_MODE, "sometimes")
    st = auth.status(None)
    assert not st.demo and not st.ok and auth.ENV_MODE in st.problems[0]


def test_demo_not_allowed_with_imported_data(tmp_path):
    assert auth.demo_allowed(tmp_path / "none")[0]
    (tmp_path / "manifest.json").write_text(json.dumps({"simulated": True}), encoding="utf-8")
    assert auth.demo_allowed(tmp_path)[0]
    (tmp_path / "manifest.json").write_text(json.dumps({"simulated": False}), encoding="utf-8")
    assert not auth.demo_allowed(tmp_path)[0]


# --- the Streamlit glue -----------------------------------------------------------

PAGE = """
import streamlit as st
from ui.auth import require_role
identity = require_role({role!r})
st.write("INDHOLD for " + identity.name)
"""


def _page(role: str = "consultant") -> AppTest:
    return AppTest.from_string(PAGE.format(role=role), default_timeout=30)


def _texts(at: AppTest) -> str:
    return " ".join(str(m.value) for m in at.markdown)


def test_demo_mode_shows_banner_and_page(tmp_path, monkeypatch):
    if auth.read_auth_section()[0]:
        pytest.skip("this machine has an [auth] section in a secrets.toml; the demo test needs none")
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(tmp_path / "no-world"))
    at = _page("project_team").run()
    assert not at.exception
    assert any(w.value == auth.DEMO_BANNER_DA for w in at.warning)
    assert "INDHOLD for Demobruger" in _texts(at)
    assert any("Københavns Kommune" in c.value for c in at.sidebar.caption)


def test_demo_mode_refused_with_real_data(tmp_path, monkeypatch):
    monkeypatch.setenv(auth.ENV_MODE, "demo")
    (tmp_path / "manifest.json").write_text(json.dumps({"simulated": False}), encoding="utf-8")
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(tmp_path))
    at = _page().run()
    assert not at.exception
    assert at.error and "rigtige data" in at.error[0].value
    assert "INDHOLD" not in _texts(at)


def _oidc_page(monkeypatch, role: str, user: dict) -> AppTest:
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    at = _page(role)
    at.secrets = {"auth": dict(GOOD_AUTH)}
    at.user = user
    return at.run()


def test_oidc_logged_out_user_sees_login_button_only(monkeypatch):
    at = _oidc_page(monkeypatch, "consultant", {"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Log ind"]
    assert "INDHOLD" not in _texts(at)
    assert not at.warning  # no demo banner


def test_oidc_consultant_sees_consultant_page(monkeypatch):
    at = _oidc_page(monkeypatch, "consultant",
                    {"is_logged_in": True, "sub": "1", "name": "Karen K", "groups": ["jobmatch-konsulent"]})
    assert not at.exception
    assert "INDHOLD for Karen K" in _texts(at)
    assert any(b.label == "Log ud" for b in at.sidebar.button)


def test_oidc_consultant_is_stopped_on_project_team_page(monkeypatch):
    at = _oidc_page(monkeypatch, "project_team",
                    {"is_logged_in": True, "sub": "1", "name": "Karen K", "groups": ["jobmatch-konsulent"]})
    assert not at.exception
    assert at.error and "projektgruppe" in at.error[0].value
    assert "INDHOLD" not in _texts(at)


def test_oidc_broken_configuration_closes_the_app(monkeypatch):
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    at = _page()
    at.secrets = {"auth": {"redirect_uri": "https://x.dk/oauth2callback"}}
    at.user = {"is_logged_in": True, "groups": ["jobmatch-konsulent"]}
    at.run()
    assert not at.exception
    assert at.error and "Login er ikke sat rigtigt op" in at.error[0].value
    assert "INDHOLD" not in _texts(at)
