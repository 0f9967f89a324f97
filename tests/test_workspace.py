"""The consultation's working state: profile edits, search settings, decisions on jobs."""

from __future__ import annotations

import pytest

from jobmatch.profile import CompetenceMention, LanguageSkill, Profile
from jobmatch.retrieval import SearchSettingsError
from jobmatch.workspace import HIDE, NOT_RELEVANT, PIN, Workspace

INFO = {
    "sk_lagerarbejde": ("lagerarbejde", "S6", "professional"),
    "sk_truckcertifikat": ("truckcertifikat", "S8", "professional"),
    "sk_koerekort_c": ("kørekort C", "S8", "professional"),
    "sk_moedestabil": ("mødestabil", "A1", "personal"),
    "sk_samarbejdsvillig": ("samarbejdsvillig", "A1", "personal"),
    "sk_excel": ("Excel", "S5", "professional"),
}


def m(cid: str, start: int = 0, **kw) -> CompetenceMention:
    label, group, kind = INFO[cid]
    return CompetenceMention(start, start + 3, label, cid, label, group, kind, 0.9, **kw)


def cv_profile() -> Profile:
    return Profile(competences=[m("sk_lagerarbejde"), m("sk_truckcertifikat", 10), m("sk_koerekort_c", 20),
                                m("sk_moedestabil", 30), m("sk_lagerarbejde", 40), m("sk_excel", 50, negated=True)],
                   licences=["C"], certificates=["sk_truckcertifikat"],
                   languages=[LanguageSkill("sk_dansk", "dansk", "native")], text="...")


def loaded() -> Workspace:
    ws = Workspace()
    ws.load(cv_profile(), source="persona:test", home_postcode=2300)
    return ws


def test_a_fresh_workspace_has_no_profile():
    ws = Workspace()
    assert not ws.has_profile
    assert ws.profile().competences == []


def test_loading_a_cv_starts_over():
    ws = loaded()
    ws.decide("P1", PIN)
    ws.set_competences("personal", ["sk_moedestabil", "sk_samarbejdsvillig"], INFO)
    ref = ws.citizen_ref
    ws.load(cv_profile(), source="upload")
    assert ws.decisions == {} and ws.added == {} and ws.removed == []
    assert ws.home_postcode is None  # the previous citizen's home is not carried over
    assert ws.citizen_ref != ref and len(ws.citizen_ref) == 16


def test_competences_by_kind_without_duplicates_or_negated():
    ws = loaded()
    assert ws.competences("professional") == ["sk_lagerarbejde", "sk_truckcertifikat", "sk_koerekort_c"]
    assert ws.competences("personal") == ["sk_moedestabil"]


def test_adding_and_removing_together():
    ws = loaded()
    ws.set_competences("personal", ["sk_samarbejdsvillig"], INFO)  # remove mødestabil, add samarbejdsvillig
    assert ws.removed == ["sk_moedestabil"]
    assert ws.added == {"sk_samarbejdsvillig": ("samarbejdsvillig", "A1", "personal")}
    profile = ws.profile()
    assert "sk_moedestabil" not in profile.competence_ids()
    assert "sk_samarbejdsvillig" in profile.competence_ids()
    added = [c for c in profile.competences if c.competence_id == "sk_samarbejdsvillig"][0]
    assert (added.source, added.kind, added.start) == ("manual", "personal", -1)
    assert ws.competences("personal") == ["sk_samarbejdsvillig"]
    # the original CV profile (the evidence) is untouched
    assert "sk_moedestabil" in ws.original.competence_ids()
    # putting it back undoes the removal; dropping the added one undoes the addition
    ws.set_competences("personal", ["sk_moedestabil"], INFO)
    assert ws.removed == [] and ws.added == {}
    assert ws.competences("personal") == ["sk_moedestabil"]


def test_removing_a_certificate_or_licence_removes_it_everywhere():
    ws = loaded()
    ws.set_competences("professional", ["sk_lagerarbejde"], INFO)
    profile = ws.profile()
    assert profile.certificates == []
    assert profile.licences == []  # the C category goes with the kørekort C competence
    assert profile.competence_ids() == {"sk_lagerarbejde", "sk_moedestabil", "sk_dansk"}


def test_unknown_ids_are_not_added():
    ws = loaded()
    ws.set_competences("professional", ws.competences("professional") + ["sk_does_not_exist"], INFO)
    assert ws.added == {}


def test_search_settings_are_checked():
    ws = loaded()
    ws.mode, ws.max_minutes, ws.hours, ws.focus = "bike", 30, "part", ["occ_lager"]
    settings = ws.search_settings()
    assert (settings.home_postcode, settings.mode, settings.max_minutes, settings.hours) == (2300, "bike", 30.0, "part")
    assert settings.focus_occupations == ("occ_lager",)
    ws.hours = "any"
    assert ws.search_settings().hours is None
    ws.home_postcode = 99
    with pytest.raises(SearchSettingsError):
        ws.search_settings()


def test_fingerprint_changes_with_every_input_of_the_ranking():
    ws = loaded()
    seen = {ws.fingerprint()}
    ws.max_minutes = 60
    seen.add(ws.fingerprint())
    ws.set_competences("personal", [], INFO)
    seen.add(ws.fingerprint())
    seen.add(ws.fingerprint("rule"))
    assert len(seen) == 4
    assert ws.fingerprint("rule") == ws.fingerprint("rule")


def test_decisions_pin_hide_not_relevant_and_undo():
    ws = loaded()
    results = [{"posting_id": p} for p in ("P1", "P2", "P3", "P4")]
    ws.decide("P1", PIN, "  passer godt  ", title="Lager", result={"posting_id": "P1", "travel_minutes": 20})
    ws.decide("P2", HIDE)
    ws.decide("P3", NOT_RELEVANT, "x" * 900)
    assert ws.pinned() == ["P1"]
    assert ws.set_aside() == ["P2", "P3"]
    assert [r["posting_id"] for r in ws.visible(results)] == ["P1", "P4"]
    assert ws.decisions["P1"].reason == "passer godt" and ws.decisions["P1"].result["travel_minutes"] == 20
    assert len(ws.decisions["P3"].reason) == 500
    assert ws.undo("P2").action == HIDE
    assert [r["posting_id"] for r in ws.visible(results)] == ["P1", "P2", "P4"]
    assert ws.undo("nothing") is None
    with pytest.raises(ValueError):
        ws.decide("P4", "delete")
