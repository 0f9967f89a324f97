"""`doctor` checks an installation and names the fix; tested on temporary installations."""

from __future__ import annotations

import json
import os

import pytest

from jobmatch import auth, doctor
from jobmatch.cli import main


@pytest.fixture
def install(tmp_path, monkeypatch):
    """A temporary installation: empty data, model and secrets folders, nothing configured."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("JOBMATCH_WORLD_DIR", "JOBMATCH_MUNICIPALITIES_FILE", "JOBMATCH_MUNICIPALITY",
                 "JOBMATCH_PSEUDONYM_SALT", "JOBMATCH_AUTH_MODE", "JOBMATCH_AUDIT_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(data))
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", f"sqlite:///{data / 'jobmatch.sqlite'}")
    monkeypatch.setattr(auth, "secrets_files", lambda: [tmp_path / "secrets.toml"])
    # importing every package (shap, lightgbm, ...) is slow and tested on its own below
    monkeypatch.setattr(doctor, "REQUIRED_MODULES", {"pandas": "pandas"})
    return tmp_path


def by_name(results):
    return {r.name: r for r in results}


def test_missing_world_fails_with_the_fix(install):
    check = doctor.check_world()
    assert check.status == doctor.FAIL
    assert "python -m jobmatch data build" in check.message
    assert "import postings" in check.message


def test_present_world_reports_its_data_version(install, small_world, monkeypatch):
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(small_world))
    check = doctor.check_world()
    assert check.status == doctor.OK
    manifest = json.loads((small_world / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_version"] in check.message and "simulated" in check.message


def test_whole_run_on_an_empty_installation_is_unhealthy(install, capsys):
    assert main(["doctor", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["healthy"] is False
    checks = {c["name"]: c for c in out["checks"]}
    assert checks["data"]["status"] == "fail"
    assert checks["model"]["status"] in ("warn", "fail")  # no model in the empty registry
    assert checks["municipalities"]["status"] == "ok"
    assert checks["login"]["status"] == "warn"  # demo mode
    assert all(c["message"] for c in out["checks"])


def test_text_output_names_failures(install, capsys):
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  data" in out and "fix the failures above" in out


def test_missing_package_fails_with_pip_fix(monkeypatch):
    monkeypatch.setattr(doctor, "REQUIRED_MODULES", {"json": "json", "no_such_module_xyz": "no-such-dist"})
    check = doctor.check_requirements()
    assert check.status == doctor.FAIL
    assert "no-such-dist" in check.message and "pip install -r requirements.txt" in check.message


def test_a_crashing_check_is_a_failure_not_a_traceback():
    def check_boom():
        raise RuntimeError("kaput")

    [result] = doctor.run_checks((check_boom,))
    assert result.name == "boom" and result.status == doctor.FAIL and "kaput" in result.message


def test_invalid_municipality_configuration_fails(install, monkeypatch):
    path = install / "kommuner.toml"
    path.write_text('[[municipality]]\ncode = 101\ndefault_mode = "train"\n', encoding="utf-8")
    monkeypatch.setenv("JOBMATCH_MUNICIPALITIES_FILE", str(path))
    check = doctor.check_municipalities()
    assert check.status == doctor.FAIL and "default_mode 'train'" in check.message


def test_audit_retention_disagreement_is_a_warning(install, monkeypatch):
    monkeypatch.setenv("JOBMATCH_AUDIT_RETENTION_DAYS", "400")
    check = doctor.check_municipalities()
    assert check.status == doctor.WARN and "JOBMATCH_AUDIT_RETENTION_DAYS" in check.message


def test_login_required_but_not_configured_fails(install, monkeypatch):
    monkeypatch.setenv("JOBMATCH_AUTH_MODE", "oidc")
    check = doctor.check_login()
    assert check.status == doctor.FAIL and "Connecting the identity provider" in check.message


def test_demo_mode_with_imported_data_fails(install, monkeypatch):
    world = install / "world"
    world.mkdir()
    (world / "manifest.json").write_text(json.dumps({"simulated": False}), encoding="utf-8")
    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(world))
    check = doctor.check_login()
    assert check.status == doctor.FAIL and "real data" in check.message


def test_salt_checks(install, monkeypatch):
    assert doctor.check_salt().status == doctor.WARN  # not generated yet
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "short")
    assert doctor.check_salt().status == doctor.FAIL
    monkeypatch.delenv("JOBMATCH_PSEUDONYM_SALT")
    salt = install / "data" / "pseudonym_salt"
    salt.write_text("a" * 64 + "\n", encoding="ascii")
    os.chmod(salt, 0o644)
    check = doctor.check_salt()
    assert check.status == doctor.WARN and "chmod 600" in check.message
    os.chmod(salt, 0o600)
    assert doctor.check_salt().status == doctor.OK


def test_database_missing_then_migrated(install):
    db = pytest.importorskip("jobmatch.db")
    check = doctor.check_database()
    assert check.status == doctor.WARN and "db upgrade" in check.message
    db.upgrade()
    try:
        assert doctor.check_database().status == doctor.OK
    finally:
        db.dispose_engines()


def test_unreachable_database_fails(install, monkeypatch):
    pytest.importorskip("jobmatch.db")
    monkeypatch.setenv("JOBMATCH_DATABASE_URL", "not a url")
    check = doctor.check_database()
    assert check.status == doctor.FAIL and "JOBMATCH_DATABASE_URL" in check.message


def test_disk_check_reports_free_space(install):
    check = doctor.check_disk()
    assert check.status in (doctor.OK, doctor.WARN) and "GB free" in check.message
