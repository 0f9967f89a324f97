"""Per-municipality configuration: the 13 pilots, validation, and adding one without code."""

from __future__ import annotations

import json
import textwrap

import pytest

from jobmatch import config, geo, municipalities
from jobmatch.cli import main
from jobmatch.municipalities import MunicipalityConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv(municipalities.ENV_FILE, raising=False)
    monkeypatch.delenv(municipalities.ENV_SERVING, raising=False)


def _override(tmp_path, text: str):
    path = tmp_path / "kommuner.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_thirteen_pilots_match_config():
    table = municipalities.load_all()
    assert len(table) == 13
    assert set(municipalities.pilot_codes()) == set(config.DEFAULT_PILOT_MUNICIPALITIES)


def test_every_code_and_area_is_known_to_geo():
    known = set(geo.load_municipalities()["code"].astype(int))
    for code, m in municipalities.load_all().items():
        assert code in known
        assert code in m.area_municipalities
        assert set(m.area_municipalities) <= known
        assert m.default_mode in geo.MODES
        assert m.languages[0] == "da"
        assert m.name.endswith("Kommune")


def test_area_postcodes_belong_to_the_area():
    kk = municipalities.get(101)
    pcs = set(kk.postcodes())
    table = geo.load_postcodes().set_index("postcode")
    assert 2300 in pcs and 2000 in pcs  # Amager (København) and Frederiksberg
    assert set(table.loc[sorted(pcs), "municipality_code"]) <= set(kk.area_municipalities)
    assert 8000 not in pcs


def test_default_serving_is_copenhagen(monkeypatch):
    assert municipalities.current().code == 101
    monkeypatch.setenv(municipalities.ENV_SERVING, "173")
    assert municipalities.current().name == "Lyngby-Taarbæk Kommune"


def test_serving_an_unconfigured_municipality_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(municipalities.ENV_SERVING, "751")
    with pytest.raises(MunicipalityConfigError, match="751 is not configured"):
        municipalities.current()
    monkeypatch.setenv(municipalities.ENV_SERVING, "Aarhus")
    with pytest.raises(MunicipalityConfigError, match="official municipality code"):
        municipalities.current()


def test_adding_a_fourteenth_by_override_file(tmp_path, monkeypatch):
    path = _override(tmp_path, """
        [[municipality]]
        code = 751
        name = "Aarhus Kommune"
        area_municipalities = [751, 741, 727]
        default_mode = "bike"
        max_minutes = 40
        languages = ["da"]
        [municipality.retention]
        shortlists_days = 30
    """)
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    monkeypatch.setenv(municipalities.ENV_SERVING, "751")
    table = municipalities.load_all()
    assert len(table) == 14
    aarhus = municipalities.current()
    assert aarhus.default_mode == "bike" and aarhus.max_minutes == 40 and aarhus.languages == ("da",)
    assert aarhus.retention.shortlists_days == 30
    assert aarhus.retention.audit_log_days == 1825  # from [defaults]
    assert aarhus.pilot is False
    assert 8000 in aarhus.postcodes()
    assert set(municipalities.pilot_codes()) == set(config.DEFAULT_PILOT_MUNICIPALITIES)


def test_override_changes_only_the_given_fields(tmp_path, monkeypatch):
    path = _override(tmp_path, """
        [defaults.auth]
        consultant_groups = ["KK-Jobcenter-Konsulenter"]
        [[municipality]]
        code = 101
        max_minutes = 60
    """)
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    kk = municipalities.get(101)
    assert kk.max_minutes == 60
    assert kk.name == "Københavns Kommune" and kk.pilot
    assert kk.auth.consultant_groups == ("KK-Jobcenter-Konsulenter",)
    assert kk.auth.project_team_groups == ("jobmatch-projektgruppe",)


@pytest.mark.parametrize("body, expected", [
    ('code = 999\nname = "Fantasi Kommune"', "999 is not an official"),
    ('code = 101\ndefault_mode = "train"', "default_mode 'train' is not a transport mode"),
    ('code = 101\n[municipality.retention]\nfeedback_days = -5', "retention.feedback_days is negative"),
    ('code = 101\nlanguages = ["da", "de"]', "languages must be"),
    ('code = 101\nmax_minuts = 30', "did you mean 'max_minutes'"),
    ('code = 101\narea_municipalities = [101, 4242]', "4242, which is not a municipality code"),
    ('code = 101\narea_postcodes = [99]', "99, which is not a known Danish postcode"),
    ('code = 101\npilot = "yes"', "pilot must be true or false"),
    ('name = "Uden kode"', "'code' is missing"),
])
def test_invalid_entries_are_named(tmp_path, monkeypatch, body, expected):
    path = _override(tmp_path, "[[municipality]]\n" + body + "\n")
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    with pytest.raises(MunicipalityConfigError) as exc:
        municipalities.load_all()
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert str(path.name) in str(exc.value)


def test_all_problems_are_reported_at_once(tmp_path, monkeypatch):
    path = _override(tmp_path, """
        [[municipality]]
        code = 101
        default_mode = "train"
        [[municipality]]
        code = 147
        max_minutes = -1
    """)
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    with pytest.raises(MunicipalityConfigError) as exc:
        municipalities.load_all()
    assert len(exc.value.problems) == 2


def test_broken_toml_and_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv(municipalities.ENV_FILE, str(tmp_path / "missing.toml"))
    with pytest.raises(MunicipalityConfigError, match="file not found"):
        municipalities.load_all()
    path = _override(tmp_path, "[[municipality]\ncode = 1")
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    with pytest.raises(MunicipalityConfigError, match="not valid TOML"):
        municipalities.load_all()
    assert municipalities.check()["ok"] is False


def test_short_audit_retention_is_a_warning_not_an_error(tmp_path, monkeypatch):
    path = _override(tmp_path, "[[municipality]]\ncode = 155\n[municipality.retention]\naudit_log_days = 30\n")
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    assert municipalities.get(155).retention.audit_log_days == 30
    assert any("six months" in w for w in municipalities.warnings_for())


def test_cli_lists_municipalities_as_json(capsys):
    assert main(["municipalities", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["serving"] == 101
    assert len(out["municipalities"]) == 13
    assert out["municipalities"][0]["retention"]["audit_log_days"] == 1825


def test_cli_reports_invalid_configuration(tmp_path, monkeypatch, capsys):
    path = _override(tmp_path, '[[municipality]]\ncode = 101\ndefault_mode = "train"\n')
    monkeypatch.setenv(municipalities.ENV_FILE, str(path))
    assert main(["municipalities"]) == 2
    assert "default_mode 'train'" in capsys.readouterr().err
