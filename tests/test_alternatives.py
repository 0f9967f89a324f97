"""Alternative jobs: grounding, the other-field rule, postings in range, courses, determinism, personas."""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pandas as pd
import pytest

from jobmatch import config
from jobmatch.alternatives import (
    COURSE_TYPES,
    COURSES_NOTE,
    AlternativesConfig,
    _select,
    citizen_competences,
    count_postings_in_range,
    course_problems,
    courses_for_gaps,
    current_focus,
    load_courses,
    suggest_alternatives,
)
from jobmatch.cli import main
from jobmatch.profile import CompetenceMention, OccupationHeld, Profile
from jobmatch.retrieval import SearchSettings, SearchSettingsError
from jobmatch.taxonomy import EDUCATION_ORDER, load_taxonomy

TAX = load_taxonomy()
OCC = TAX.occupations.set_index("occupation_id")
COMP = TAX.competences.set_index("competence_id")
HAS_CVPARSE = importlib.util.find_spec("jobmatch.cvparse") is not None


def make_profile(competences: list[str], occupations: list[tuple[str, float]] = (), *, education: str | None = None,
                 licences: list[str] = (), negated: list[str] = ()) -> Profile:
    mentions = [CompetenceMention(0, 1, c, c, str(COMP.at[c, "label_da"]), str(COMP.at[c, "group"]),
                                  str(COMP.at[c, "kind"]), 0.9) for c in competences]
    mentions += [CompetenceMention(0, 1, c, c, str(COMP.at[c, "label_da"]), str(COMP.at[c, "group"]),
                                   str(COMP.at[c, "kind"]), 0.9, negated=True) for c in negated]
    held = [OccupationHeld(o, str(OCC.at[o, "isco"]), str(OCC.at[o, "title_da"]), years) for o, years in occupations]
    return Profile(competences=mentions, occupations=held, education_level=education, licences=list(licences))


WAREHOUSE = make_profile(
    ["sk_lagerarbejde", "sk_truckcertifikat", "sk_reachtruck", "sk_palletering", "sk_varemodtagelse",
     "sk_haandscanner", "sk_lagerstyringssystem", "sk_laesning_losning", "sk_pakning", "sk_dansk",
     "sk_moedestabil", "sk_samarbejdsvillig", "sk_foerstehjaelp", "sk_koerekort_b"],
    [("occ_lagermedarbejder", 8.0)], education="grundskole")
SETTINGS = SearchSettings(home_postcode=2605, mode="public", max_minutes=45)
NO_POSTINGS = pd.DataFrame({"occupation_id": pd.Series([], dtype=str), "postcode": pd.Series([], dtype="int64")})


def essential(occupation_id: str) -> set[str]:
    return set(TAX.competences_of(occupation_id, "essential"))


def required(occupation_id: str) -> set[str]:
    return set(TAX.competences_of(occupation_id))


@pytest.fixture(scope="module")
def warehouse_alternatives():
    return suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=NO_POSTINGS)


# ---------------------------------------------------------------------------
# grounding


def assert_grounded(alternatives, profile: Profile) -> None:
    have = citizen_competences(profile)
    for a in alternatives:
        ids = [t["competence_id"] for t in a.transferable]
        assert ids, a.occupation_id
        assert set(ids) <= have & required(a.occupation_id), a.occupation_id
        gap_ids = {g["competence_id"] for g in a.gaps}
        assert gap_ids <= essential(a.occupation_id) - have, a.occupation_id
        assert all(COMP.at[g, "kind"] == "professional" for g in gap_ids)
        if not a.gaps:  # an empty gap list means every essential professional competence is covered
            missing = {c for c in essential(a.occupation_id) - have if COMP.at[c, "kind"] == "professional"}
            assert not missing, a.occupation_id
        for course in a.courses:
            assert {c["competence_id"] for c in course["covers"]} <= gap_ids


def test_transferable_and_gaps_are_grounded(warehouse_alternatives):
    assert len(warehouse_alternatives) >= 5
    assert_grounded(warehouse_alternatives, WAREHOUSE)


def test_negated_competences_do_not_transfer():
    profile = make_profile(["sk_lagerarbejde", "sk_palletering", "sk_varemodtagelse"], [("occ_lagermedarbejder", 3)],
                           negated=["sk_truckcertifikat"])
    alts = suggest_alternatives(profile, SETTINGS, top=10, postings=NO_POSTINGS)
    truck = [a for a in alts if a.occupation_id == "occ_truckfoerer"]
    assert truck, "truckfører should still be suggested"
    assert "sk_truckcertifikat" not in {t["competence_id"] for t in truck[0].transferable}
    assert "sk_truckcertifikat" in {g["competence_id"] for g in truck[0].gaps}


def test_held_occupations_are_not_suggested(warehouse_alternatives):
    assert "occ_lagermedarbejder" not in {a.occupation_id for a in warehouse_alternatives}


def test_licence_categories_imply_lower_ones():
    profile = make_profile([], licences=["CE"])
    ids = citizen_competences(profile)
    assert {"sk_koerekort_ce", "sk_koerekort_c", "sk_koerekort_b"} <= ids
    assert "sk_koerekort_d" not in ids


def test_sensible_suggestions_for_a_warehouse_worker(warehouse_alternatives):
    ids = [a.occupation_id for a in warehouse_alternatives]
    assert "occ_truckfoerer" in ids[:3]
    truck = warehouse_alternatives[ids.index("occ_truckfoerer")]
    assert truck.viability == "highly_viable" and truck.from_occupation == "occ_lagermedarbejder"


# ---------------------------------------------------------------------------
# the other-field rule


def test_other_field_rule(warehouse_alternatives):
    # focus: ISCO sub-major group 43 and industry transport_logistics (from occ_lagermedarbejder)
    for a in warehouse_alternatives:
        other_isco = a.isco[:2] != "43"
        other_industry = a.industry != "transport_logistics"
        assert a.other_field == (other_isco or other_industry), a.occupation_id
        expected = {(True, True): "both", (True, False): "function", (False, True): "industry",
                    (False, False): "none"}[(other_isco, other_industry)]
        assert a.field_change == expected


def test_mostly_other_field(warehouse_alternatives):
    share = sum(a.other_field for a in warehouse_alternatives) / len(warehouse_alternatives)
    assert share >= 0.6


def test_focus_from_settings_widens_the_current_focus():
    settings = SearchSettings(home_postcode=2605, focus_occupations=("occ_kok", "9"), focus_sectors=("retail_sales",))
    focus = current_focus(WAREHOUSE, settings, TAX)
    assert focus.isco2 == {"43", "51"}
    assert focus.isco1 == {"9"}
    assert focus.industries == {"transport_logistics", "hospitality", "retail_sales"}
    assert focus.occupation_ids == {"occ_lagermedarbejder", "occ_kok"}
    alts = suggest_alternatives(WAREHOUSE, settings, top=10, postings=NO_POSTINGS)
    for a in alts:
        in_isco = a.isco[:2] in {"43", "51"} or a.isco.startswith("9")
        in_industry = a.industry in {"transport_logistics", "hospitality", "retail_sales"}
        assert a.other_field == (not in_isco or not in_industry)
        assert a.occupation_id != "occ_kok"


def test_strict_rule_needs_both_changes():
    cfg = AlternativesConfig(other_field_rule="both")
    alts = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=NO_POSTINGS, cfg=cfg)
    for a in alts:
        assert a.other_field == (a.isco[:2] != "43" and a.industry != "transport_logistics")
    assert sum(a.other_field for a in alts) >= 0.6 * len(alts)
    with pytest.raises(ValueError):
        AlternativesConfig(other_field_rule="any")


def test_select_keeps_the_share_when_possible():
    other = np.array([False, False, False, False, False, True, True, True, True, True, True, True])
    order = list(range(12))
    chosen = _select(order, other, top=10, share=0.6, min_results=5)
    assert len(chosen) == 10 and sum(other[chosen]) >= 6
    assert chosen == sorted(chosen)  # best first is kept
    # only two other-field candidates: same-field ones are cut, but never below min_results
    other = np.array([False] * 8 + [True] * 2)
    chosen = _select(list(range(10)), other, top=10, share=0.6, min_results=5)
    assert len(chosen) == 5 and sum(other[chosen]) == 2


def test_no_focus_means_everything_is_other_field():
    profile = make_profile(["sk_lagerarbejde", "sk_truckcertifikat", "sk_palletering"])
    alts = suggest_alternatives(profile, SETTINGS, top=5, postings=NO_POSTINGS)
    assert alts and all(a.other_field and a.field_change == "both" for a in alts)
    assert all(a.transition == 0 and a.from_occupation is None for a in alts)


# ---------------------------------------------------------------------------
# postings in range


def tiny_postings() -> pd.DataFrame:
    rows = [
        ("p1", "occ_truckfoerer", 2605, "open", "full"),  # home postcode: in range
        ("p2", "occ_truckfoerer", 2605, "open", "part"),
        ("p3", "occ_truckfoerer", 2650, "open", "full"),  # Hvidovre, next door
        ("p4", "occ_truckfoerer", 9000, "open", "full"),  # Aalborg: far away
        ("p5", "occ_truckfoerer", 2605, "closed", "full"),  # closed
        ("p6", "occ_truckfoerer", 9999, "open", "full"),  # unknown postcode
        ("p7", "occ_lagerarbejder", 2605, "open", "full"),
    ]
    return pd.DataFrame(rows, columns=["posting_id", "occupation_id", "postcode", "status", "hours"])


def test_count_postings_in_range():
    counts = count_postings_in_range(tiny_postings(), SETTINGS.checked())
    assert counts.to_dict() == {"occ_truckfoerer": 3, "occ_lagerarbejder": 1}
    full = count_postings_in_range(tiny_postings(), SearchSettings(home_postcode=2605, hours="full").checked())
    assert full["occ_truckfoerer"] == 2
    walk = count_postings_in_range(tiny_postings(), SearchSettings(home_postcode=2605, mode="walk", max_minutes=20))
    assert walk["occ_truckfoerer"] == 2  # Hvidovre is not 20 minutes' walk away
    assert count_postings_in_range(tiny_postings().iloc[:0], SETTINGS).empty


def test_postings_in_range_in_the_suggestions():
    alts = {a.occupation_id: a for a in suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=tiny_postings())}
    assert alts["occ_truckfoerer"].postings_in_range == 3
    assert alts["occ_lagerarbejder"].postings_in_range == 1
    assert all(a.postings_in_range == 0 for o, a in alts.items() if o not in {"occ_truckfoerer", "occ_lagerarbejder"})


def test_more_jobs_rank_higher():
    many = pd.DataFrame({"occupation_id": ["occ_lagerforvalter"] * 40, "postcode": [2605] * 40})
    without = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=NO_POSTINGS)
    with_jobs = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=many)
    rank = {a.occupation_id: i for i, a in enumerate(without)}
    rank_jobs = {a.occupation_id: i for i, a in enumerate(with_jobs)}
    assert rank_jobs["occ_lagerforvalter"] < rank["occ_lagerforvalter"]


# ---------------------------------------------------------------------------
# determinism, language, education, bad input


def test_deterministic(warehouse_alternatives):
    again = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=NO_POSTINGS)
    assert [a.to_dict() for a in again] == [a.to_dict() for a in warehouse_alternatives]
    shuffled = tiny_postings().sample(frac=1.0, random_state=3)
    a = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=tiny_postings())
    b = suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=shuffled)
    assert [x.to_dict() for x in a] == [x.to_dict() for x in b]


def test_ordered_by_score_then_id(warehouse_alternatives):
    keys = [(-a.score, a.occupation_id) for a in warehouse_alternatives]
    assert keys == sorted(keys)


def test_english_labels():
    alts = suggest_alternatives(WAREHOUSE, SETTINGS, top=3, postings=NO_POSTINGS, lang="en")
    assert alts[0].label == OCC.at[alts[0].occupation_id, "title_en"]
    assert all(t["label"] == COMP.at[t["competence_id"], "label_en"] for t in alts[0].transferable)


def test_education_band():
    academic = make_profile(["sk_statistik", "sk_dataanalyse", "sk_kvalitative_metoder", "sk_excel",
                             "sk_rapportskrivning"], education="lvu")
    for a in suggest_alternatives(academic, SETTINGS, top=10, postings=NO_POSTINGS):
        assert EDUCATION_ORDER[OCC.at[a.occupation_id, "education_level"]] >= EDUCATION_ORDER["kvu"]
    for a in suggest_alternatives(WAREHOUSE, SETTINGS, top=10, postings=NO_POSTINGS):
        assert EDUCATION_ORDER[OCC.at[a.occupation_id, "education_level"]] <= EDUCATION_ORDER["eud"]


def test_empty_profile_gives_no_suggestions():
    assert suggest_alternatives(Profile(), SETTINGS, postings=NO_POSTINGS) == []
    assert suggest_alternatives(WAREHOUSE, SETTINGS, top=0, postings=NO_POSTINGS) == []


def test_bad_settings_are_refused():
    with pytest.raises(SearchSettingsError):
        suggest_alternatives(WAREHOUSE, SearchSettings(home_postcode=1), postings=NO_POSTINGS)
    with pytest.raises(ValueError):
        suggest_alternatives(WAREHOUSE, SETTINGS, postings=NO_POSTINGS, lang="de")
    with pytest.raises(ValueError):
        AlternativesConfig(other_field_share=1.5)


# ---------------------------------------------------------------------------
# the course catalogue


def test_course_catalogue_is_sound():
    courses = load_courses()
    assert 40 <= len(courses) <= 70
    assert course_problems(courses, TAX) == []
    assert set(courses["type"]) <= set(COURSE_TYPES)
    # every course can close a gap: its competences are required by some occupation
    used = set(TAX.relations["competence_id"])
    for row in courses.itertuples(index=False):
        assert set(row.competence_ids.split("|")) & used, row.course_id


def test_course_catalogue_is_marked_as_examples():
    text = (config.RESOURCES_DIR / "courses.csv").read_text(encoding="utf-8")
    assert text.startswith("# EKSEMPLER PÅ KURSUSTYPER - IKKE ET OFFICIELT KURSUSKATALOG")
    courses = load_courses()
    assert courses["note"].str.contains("ikke et officielt katalog").all()
    assert not courses["course_id"].str.contains(r"\d").any()  # no (invented) course numbers
    assert "ikke et officielt kursuskatalog" in COURSES_NOTE["da"]
    assert "not an official course catalogue" in COURSES_NOTE["en"]


def test_course_problems_are_found():
    bad = load_courses().head(2).copy()
    bad.loc[0, "competence_ids"] = "sk_does_not_exist"
    bad.loc[1, "type"] = "MBA"
    problems = course_problems(bad, TAX)
    assert any("sk_does_not_exist" in p for p in problems) and any("unknown type" in p for p in problems)


def test_courses_for_gaps_greedy_cover():
    courses = load_courses()
    picked = courses_for_gaps(["sk_koerekort_ce", "sk_lastsikring", "sk_truckcertifikat"], {}, courses)
    ids = [c["course_id"] for c in picked]
    assert ids == ["amu_koerekort_c_ce", "amu_truck_b"]
    assert picked[0]["covers"] == ["sk_koerekort_ce", "sk_lastsikring"]
    assert courses_for_gaps(["sk_laege_nothing"], {}, courses) == []
    assert len(courses_for_gaps(["sk_dansk", "sk_excel", "sk_truckcertifikat", "sk_adr_bevis"], {}, courses,
                                max_courses=2)) == 2


# ---------------------------------------------------------------------------
# the CLI and the demo personas (done-when of issue 5)


@pytest.fixture(scope="module")
def world_postings(small_world):
    from jobmatch import world

    return world.load_postings(small_world, open_only=True)


@pytest.mark.skipif(not HAS_CVPARSE, reason="jobmatch.cvparse is not there yet")
def test_every_persona_gets_other_field_alternatives(world_postings):
    from jobmatch.cvparse import parse_file
    from jobmatch.personas import list_personas

    figures = {}
    for persona in list_personas():
        profile = parse_file(persona.read_bytes(), persona.path.name)
        settings = SearchSettings(home_postcode=persona.postcode, mode="public", max_minutes=45)
        alts = suggest_alternatives(profile, settings, top=10, postings=world_postings, lang=persona.lang)
        n_other = sum(a.other_field for a in alts)
        figures[persona.id] = (len(alts), n_other)
        assert len(alts) >= 5, persona.id
        assert n_other >= math.ceil(0.6 * len(alts)), persona.id
        assert_grounded(alts, profile)
        assert sum(bool(a.gaps) for a in alts) >= 0.8 * len(alts), persona.id
    assert len(figures) == len(list_personas())


@pytest.mark.skipif(not HAS_CVPARSE, reason="jobmatch.cvparse is not there yet")
def test_cli_alternatives_json(small_world, monkeypatch, capsys):
    from jobmatch.personas import get_persona

    monkeypatch.setenv("JOBMATCH_WORLD_DIR", str(small_world))
    persona = get_persona("kok")
    code = main(["alternatives", str(persona.path), "--postcode", str(persona.postcode), "--mode", "bike",
                 "--max-minutes", "30", "--top", "6", "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["courses_note"] == COURSES_NOTE["da"]
    assert 5 <= len(doc["alternatives"]) <= 6
    keys = {"occupation_id", "label", "isco", "industry", "similarity", "other_field", "transferable", "gaps",
            "postings_in_range", "courses"}
    for alt in doc["alternatives"]:
        assert keys <= set(alt)
        assert 0.0 <= alt["similarity"] <= 1.0
        assert all(set(t) >= {"competence_id", "label"} for t in alt["transferable"] + alt["gaps"])


def test_cli_alternatives_bad_file(tmp_path, capsys):
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    assert main(["alternatives", str(bad), "--postcode", "2605"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobmatch: ") and err.count("\n") == 1 and "Traceback" not in err
    assert main(["alternatives", str(tmp_path / "missing.pdf"), "--postcode", "2605"]) == 2
