"""Tests for the ESCO importer, on the hand-written fixtures in tests/fixtures/esco/."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from jobmatch import config
from jobmatch.esco_import import (
    DEFAULT_KNOWLEDGE_GROUP,
    DEFAULT_SKILL_GROUP,
    ISCO_EDUCATION,
    ISCO_INDUSTRY,
    EscoImportError,
    cli_summary,
    education_for_isco,
    group_from_code,
    import_esco,
    import_esco_to,
    industry_for_isco,
    join_alt_labels,
    resolve_groups,
)
from jobmatch.taxonomy import EDUCATION_LEVELS, GROUPS, Taxonomy, load_taxonomy_from

FIXTURES = Path(__file__).parent / "fixtures" / "esco"
V12 = FIXTURES / "v1.2_da"
V11 = FIXTURES / "v1.1_da"
ENGLISH = FIXTURES / "v1.2_en"
VARIANTS = pytest.mark.parametrize("folder", [V12, V11], ids=["v1.2", "v1.1"])

#: Expected group of every fixture skill, derived by hand from the fixture hierarchy.
EXPECTED_GROUPS = {
    "løfte tunge vægte": "S6",
    "betjene gaffeltruck": "S8",
    "føre lagerregnskab": "S2",
    "hjælpe med personlig hygiejne": "S3",
    "administrere medicin": "S3",
    "tilberede retter": "S6",
    "skrive computerkode": "S5",
    "bruge værktøjer til versionsstyring": "S5",
    "computerprogrammering": "K06",
    "infektionsforebyggelse": "K09",
    "fødevaresikkerhed": "K07",
    "lagerdrift": "K04",
    "arbejdsmiljølovgivning": "K99",  # knowledge outside the hierarchy
    "arbejde i teams": "T4",
    "håndtere pres": "T3",
    "løse problemer": "T2",
    "være pålidelig": "A1",
    "dansk": "L1",  # knowledge, but a language
    "forstå talt dansk": "L1",  # reached through the skill "dansk"
    "engelsk": "L1",
}
PERSONAL = {"arbejde i teams", "håndtere pres", "være pålidelig"}


# -- helpers -------------------------------------------------------------------
def copy_fixture(tmp_path: Path, source: Path = V12, name: str = "esco") -> Path:
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def rewrite_csv(path: Path, change: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]],
                delimiter: str = ",", bom: bool = False) -> None:
    """Read a CSV, let ``change`` edit header and rows, write it back."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    header, rows = change(header, rows)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])


def by_label(tax: Taxonomy) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tax.occupations.set_index("title_da"), tax.competences.set_index("label_da")


def labels_of(tax: Taxonomy, occupation_title: str, relation: str) -> set[str]:
    occ_id = tax.occupations.loc[tax.occupations["title_da"] == occupation_title, "occupation_id"].iloc[0]
    ids = tax.competences_of(occ_id, relation)
    return set(tax.competences.set_index("competence_id").loc[ids, "label_da"])


def fixture_uri(folder: Path, file: str, label: str) -> str:
    frame = pd.read_csv(folder / file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.loc[frame["preferredLabel"] == label, "conceptUri"].iloc[0]


# -- importing the fixtures -------------------------------------------------------
@VARIANTS
def test_counts_ids_and_validity(folder: Path) -> None:
    tax = import_esco(folder)
    assert (len(tax.occupations), len(tax.competences), len(tax.relations)) == (4, 20, 27)
    assert tax.validate() == []
    assert tax.source == "esco"
    assert tax.occupations["occupation_id"].str.startswith("http://data.europa.eu/esco/occupation/").all()
    assert tax.competences["competence_id"].str.startswith("http://data.europa.eu/esco/skill/").all()
    assert tax.occupation(fixture_uri(folder, "occupations_da.csv", "kok"))["title_da"] == "kok"
    assert len(tax.industries) == 17


@VARIANTS
def test_isco_industry_and_education(folder: Path) -> None:
    occ, _ = by_label(import_esco(folder))
    expected = {
        "lagermedarbejder": ("9333", "transport_logistics", "grundskole"),
        "social- og sundhedsassistent": ("5321", "health_care", "eud"),
        "kok": ("5120", "hospitality", "eud"),
        "softwareudvikler": ("2512", "it_telecom", "lvu"),
    }
    for title, (isco, industry, education) in expected.items():
        assert (occ.at[title, "isco"], occ.at[title, "industry"], occ.at[title, "education_level"]) == (
            isco, industry, education), title


@VARIANTS
def test_alternative_titles_and_synonyms_are_pipe_joined(folder: Path) -> None:
    occ, comp = by_label(import_esco(folder))
    assert occ.at["lagermedarbejder", "alt_titles_da"] == "lagerarbejder|lagerassistent|pakkerimedarbejder"
    assert comp.at["betjene gaffeltruck", "synonyms_da"] == "køre gaffeltruck|betjene truck"
    assert comp.at["dansk", "synonyms_da"] == ""
    for frame in (occ.reset_index(), comp.reset_index()):
        assert not frame.apply(lambda s: s.str.contains("\n", regex=False)).any().any()


@VARIANTS
def test_groups_derived_from_hierarchy(folder: Path) -> None:
    _, comp = by_label(import_esco(folder))
    assert comp["group"].to_dict() == EXPECTED_GROUPS


@VARIANTS
def test_kinds(folder: Path) -> None:
    _, comp = by_label(import_esco(folder))
    assert set(comp.index[comp["kind"] == "personal"]) == PERSONAL
    assert comp.at["løse problemer", "kind"] == "professional"  # T2 thinking skills are not personal
    assert comp.at["forstå talt dansk", "kind"] == "professional"


@VARIANTS
def test_essential_and_optional(folder: Path) -> None:
    tax = import_esco(folder)
    assert tax.relations["relation"].value_counts().to_dict() == {"essential": 17, "optional": 10}
    assert labels_of(tax, "lagermedarbejder", "essential") == {
        "løfte tunge vægte", "betjene gaffeltruck", "føre lagerregnskab", "lagerdrift", "arbejde i teams"}
    assert labels_of(tax, "lagermedarbejder", "optional") == {
        "forstå talt dansk", "være pålidelig", "arbejdsmiljølovgivning"}
    assert labels_of(tax, "softwareudvikler", "optional") == {"engelsk", "arbejde i teams"}


def test_both_variants_give_the_same_taxonomy() -> None:
    a, b = import_esco(V12), import_esco(V11)
    for name in ("occupations", "competences", "relations", "industries"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=False)


def test_english_folder_supplies_english_labels() -> None:
    tax = import_esco(V12, english_folder=ENGLISH)
    occ, comp = by_label(tax)
    assert occ.at["kok", "title_en"] == "cook"
    assert occ.at["kok", "alt_titles_en"] == "restaurant cook|line cook"
    assert occ.at["social- og sundhedsassistent", "title_en"] == "healthcare assistant"
    assert comp.at["forstå talt dansk", "label_en"] == "understand spoken Danish"
    assert comp.at["arbejde i teams", "synonyms_en"] == "work as part of a team|collaborate with colleagues"
    assert tax.validate() == []
    assert tax.surface_forms("en")[fixture_uri(V12, "skills_da.csv", "tilberede retter")] == [
        "prepare dishes", "cook meals", "prepare meals"]


def test_without_english_folder_english_repeats_danish_title() -> None:
    occ, comp = by_label(import_esco(V12))
    assert (occ["title_en"] == occ.index).all()
    assert (occ["alt_titles_en"] == "").all()
    assert (comp["label_en"] == comp.index).all()
    assert (comp["synonyms_en"] == "").all()


def test_english_label_missing_falls_back_to_danish(tmp_path: Path) -> None:
    english = copy_fixture(tmp_path, ENGLISH, "en")
    rewrite_csv(english / "occupations_en.csv",
                lambda h, rows: (h, [r for r in rows if r[h.index("preferredLabel")] != "cook"]), bom=True)
    occ, _ = by_label(import_esco(V12, english_folder=english))
    assert occ.at["kok", "title_en"] == "kok"
    assert occ.at["softwareudvikler", "title_en"] == "software developer"


def test_import_in_english(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path, ENGLISH, "en")
    for stem in ("occupationSkillRelations", "ISCOGroups", "skillGroups", "broaderRelationsSkillPillar"):
        shutil.copy(V12 / f"{stem}_da.csv", folder / f"{stem}_en.csv")
    tax = import_esco(folder, lang="en")
    assert tax.validate() == []
    occ = tax.occupations.set_index("title_en")
    assert occ.at["cook", "alt_titles_en"] == "restaurant cook|line cook"
    assert occ.at["cook", "title_da"] == "cook"  # no Danish source: the English title is repeated
    assert occ.at["cook", "alt_titles_da"] == ""
    assert tax.competences.set_index("label_en").at["cope with pressure", "kind"] == "personal"
    with pytest.raises(EscoImportError, match="english_folder"):
        import_esco(folder, lang="en", english_folder=ENGLISH)


# -- round trip and writing ----------------------------------------------------------
def test_round_trip_through_write_and_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "taxonomy-esco"
    tax = import_esco_to(V12, out, english_folder=ENGLISH)
    monkeypatch.setenv("JOBMATCH_TAXONOMY_DIR", str(out))
    assert config.taxonomy_dir() == out.resolve()
    loaded = load_taxonomy_from(config.taxonomy_dir())
    for name in ("occupations", "competences", "relations", "industries"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(tax, name), check_dtype=False)
    assert loaded.validate() == []
    meta = json.loads((out / "esco_import.json").read_text(encoding="utf-8"))
    assert meta["occupations"] == 4 and meta["english_labels"] is True
    assert "ESCO" in meta["attribution"]


def test_nothing_written_when_result_is_unsound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = import_esco(V12)
    broken = Taxonomy(good.occupations, good.competences.assign(group="X9"), good.relations, good.industries)
    monkeypatch.setattr("jobmatch.esco_import.import_esco", lambda *a, **k: broken)
    out = tmp_path / "out"
    with pytest.raises(EscoImportError, match="unknown group code"):
        import_esco_to(V12, out)
    assert not (out / "competences.csv").exists()


def test_refuses_folder_with_split_taxonomy_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "occupations_health.csv").write_text("occupation_id\n", encoding="utf-8")
    with pytest.raises(EscoImportError, match="occupations_health.csv"):
        import_esco_to(V12, out)
    with pytest.raises(EscoImportError, match="bundled"):
        import_esco_to(V12, config.RESOURCES_DIR / "taxonomy")


def test_cli_summary_is_json_ready() -> None:
    summary = cli_summary(import_esco(V12))
    assert json.loads(json.dumps(summary)) == summary
    assert summary["occupations"] == 4 and summary["competences"] == 20 and summary["relations"] == 27
    assert summary["relations_by_type"] == {"essential": 17, "optional": 10}
    assert summary["competences_by_kind"] == {"personal": 3, "professional": 17}
    assert summary["competences_by_group"]["L1"] == 3
    assert summary["occupations_by_education_level"] == {"grundskole": 1, "eud": 2, "lvu": 1}


# -- errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", ["occupations", "skills", "occupationSkillRelations", "ISCOGroups"])
def test_missing_required_file_is_named(tmp_path: Path, stem: str) -> None:
    folder = copy_fixture(tmp_path)
    (folder / f"{stem}_da.csv").unlink()
    with pytest.raises(ValueError, match=f"{stem}_da.csv"):
        import_esco(folder)


def test_missing_english_file_is_named(tmp_path: Path) -> None:
    english = copy_fixture(tmp_path, ENGLISH, "en")
    (english / "skills_en.csv").unlink()
    with pytest.raises(EscoImportError, match="skills_en.csv"):
        import_esco(V12, english_folder=english)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(EscoImportError, match="does not exist"):
        import_esco(tmp_path / "nowhere")
    with pytest.raises(EscoImportError, match="Language"):
        import_esco(V12, lang="sv")


def test_missing_column_is_named(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    rewrite_csv(folder / "skills_da.csv", lambda h, rows: (
        [c for c in h if c != "preferredLabel"],
        [[v for c, v in zip(h, r) if c != "preferredLabel"] for r in rows]))
    with pytest.raises(EscoImportError, match=r"skills_da.csv lacks the column 'preferredLabel'"):
        import_esco(folder)


def test_empty_and_non_utf8_files(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "ISCOGroups_da.csv").write_text("", encoding="utf-8")
    with pytest.raises(EscoImportError, match="ISCOGroups_da.csv is empty"):
        import_esco(folder)
    shutil.copy(V12 / "ISCOGroups_da.csv", folder / "ISCOGroups_da.csv")
    text = (V12 / "skills_da.csv").read_text(encoding="utf-8-sig")
    (folder / "skills_da.csv").write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(EscoImportError, match="skills_da.csv is not UTF-8"):
        import_esco(folder)


# -- tolerance ------------------------------------------------------------------------
def test_tolerates_header_case_bom_semicolons_and_pipes(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)

    def shout_and_pipe(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows = [[v.replace("\n", " | ") for v in r] for r in rows]
        return [h.upper() for h in header], rows

    rewrite_csv(folder / "occupations_da.csv", shout_and_pipe, bom=True)
    rewrite_csv(folder / "skills_da.csv", shout_and_pipe, delimiter=";")
    variants = {"occupationUri": "Occupation URI", "relationType": "relation_type", "skillType": "skill type",
                "skillUri": "SKILL_URI"}
    rewrite_csv(folder / "occupationSkillRelations_da.csv",
                lambda h, r: ([variants.get(c.replace("\ufeff", ""), c) for c in h], r))
    pd.testing.assert_frame_equal(import_esco(folder).competences, import_esco(V12).competences)
    pd.testing.assert_frame_equal(import_esco(folder).occupations, import_esco(V12).occupations)
    pd.testing.assert_frame_equal(import_esco(folder).relations, import_esco(V12).relations)


def test_finds_files_in_subfolder_and_language_free_relations(tmp_path: Path) -> None:
    nested = tmp_path / "download" / "ESCO dataset - v1.0.8 - classification - da - csv"
    shutil.copytree(V11, nested)
    (nested / "occupationSkillRelations_da.csv").rename(nested / "occupationSkillRelations.csv")
    tax = import_esco(tmp_path / "download")
    assert len(tax.relations) == 27


def test_isco_from_code_or_uri(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)

    def change(h: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        label, isco = h.index("preferredLabel"), h.index("iscoGroup")
        for r in rows:
            if r[label] == "kok":
                r[isco] = ""  # the code column '5120.1' supplies it
            if r[label] == "softwareudvikler":
                r[isco] = "http://data.europa.eu/esco/isco/C2512"
            if r[label] == "lagermedarbejder":
                r[isco], r[h.index("code")] = "", "x"  # no ISCO at all: skipped
        return h, rows

    rewrite_csv(folder / "occupations_da.csv", change)
    occ, _ = by_label(import_esco(folder))
    assert occ.at["kok", "isco"] == "5120"
    assert occ.at["softwareudvikler", "isco"] == "2512"
    assert "lagermedarbejder" not in occ.index


def test_relation_clean_up(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path, V11)
    cook = fixture_uri(V11, "occupations_da.csv", "kok")
    teamwork = fixture_uri(V11, "skills_da.csv", "arbejde i teams")
    dansk = fixture_uri(V11, "skills_da.csv", "dansk")
    extra_occ = "http://data.europa.eu/esco/occupation/only-optional"
    rewrite_csv(folder / "occupations_da.csv", lambda h, rows: (h, rows + [[
        {"conceptType": "Occupation", "conceptUri": extra_occ, "iscoGroup": "4110",
         "preferredLabel": "kontorassistent", "status": "released"}.get(c, "") for c in h]]))
    rewrite_csv(folder / "occupationSkillRelations_da.csv", lambda h, rows: (h, rows + [
        [cook, "essential", "skill/competence", teamwork],  # listed optional above: essential wins
        [cook, "related", "knowledge", dansk],  # unknown relation type
        [cook, "essential", "skill/competence", "http://data.europa.eu/esco/skill/unknown"],
        [extra_occ, "optional", "knowledge", dansk],  # occupation without essential skills
    ]))
    tax = import_esco(folder)
    assert "arbejde i teams" in labels_of(tax, "kok", "essential")
    assert "arbejde i teams" not in labels_of(tax, "kok", "optional")
    assert "dansk" not in labels_of(tax, "kok", "essential") | labels_of(tax, "kok", "optional")
    assert extra_occ not in set(tax.occupations["occupation_id"])
    assert extra_occ not in set(tax.relations["occupation_id"])
    assert tax.validate() == []


def test_obsolete_concepts_are_skipped(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)

    def obsolete(h: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        for r in rows:
            if r[h.index("preferredLabel")] == "engelsk":
                r[h.index("status")] = "obsolete"
        return h, rows

    rewrite_csv(folder / "skills_da.csv", obsolete)
    _, comp = by_label(import_esco(folder))
    assert "engelsk" not in comp.index and len(comp) == 19


def test_without_hierarchy_files_defaults_apply(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "skillGroups_da.csv").unlink()
    (folder / "broaderRelationsSkillPillar_da.csv").unlink()
    tax = import_esco(folder)
    _, comp = by_label(tax)
    assert comp.at["computerprogrammering", "group"] == DEFAULT_KNOWLEDGE_GROUP
    assert comp.at["dansk", "group"] == DEFAULT_KNOWLEDGE_GROUP
    assert comp.at["arbejde i teams", "group"] == DEFAULT_SKILL_GROUP
    assert (comp["kind"] == "professional").all()
    assert tax.validate() == []


def test_hierarchy_without_skill_groups_uses_isced_uris(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "skillGroups_da.csv").unlink()
    _, comp = by_label(import_esco(folder))
    assert comp.at["computerprogrammering", "group"] == "K06"
    assert comp.at["løfte tunge vægte", "group"] == DEFAULT_SKILL_GROUP  # S groups need their codes


# -- building blocks --------------------------------------------------------------------
@pytest.mark.parametrize(("code", "uri", "expected"), [
    ("S1.1.2", "", "S1"), ("S8", "", "S8"), ("s6.13", "", "S6"),
    ("0613", "", "K06"), ("06", "", "K06"), ("K0613", "", "K06"), ("K06", "", "K06"), ("1015", "", "K10"),
    ("", "http://data.europa.eu/esco/isced-f/0721", "K07"), ("99", "", "K99"),
    ("A1.1", "", "A1"), ("A2", "", "A2"), ("T4", "", "T4"), ("T3.3.1", "", "T3"),
    ("L1", "", "L1"), ("L2", "", "L1"), ("L", "", "L1"),
    ("S", "", "S"), ("K", "", "K"), ("S9", "", "S"), ("T7.1", "", "T"),
    ("", "http://data.europa.eu/esco/skill/abc", None), ("X1", "", None),
])
def test_group_from_code(code: str, uri: str, expected: str | None) -> None:
    assert group_from_code(code, uri) == expected


def test_resolve_groups_prefers_numbered_then_nearest_then_first() -> None:
    broader = {
        "skill_a": ["g_s61", "g_t4"],  # tie at depth 1: first listed wins
        "skill_b": ["pillar_s", "g_k"],  # numbered group beats a nearer pillar
        "g_k": ["g_k_top"],
        "skill_c": ["skill_d"],  # skill → skill → group
        "skill_d": ["g_l"],
        "skill_e": ["pillar_t"],  # only a pillar
        "cycle_1": ["cycle_2"], "cycle_2": ["cycle_1"],
    }
    node_group = {"g_s61": "S6", "g_t4": "T4", "pillar_s": "S", "g_k_top": "K04", "g_l": "L1", "pillar_t": "T"}
    got = resolve_groups(["skill_a", "skill_b", "skill_c", "skill_e", "cycle_1", "lonely"], broader, node_group)
    assert got == {"skill_a": "S6", "skill_b": "K04", "skill_c": "L1", "skill_e": "T1",
                   "cycle_1": None, "lonely": None}


def test_join_alt_labels_dedupes_and_drops_preferred() -> None:
    alt = pd.Series(["SOSU-assistent\nsosu-assistent | social- og sundhedsassistent\n\n", "", "a|b||a "])
    pref = pd.Series(["social- og sundhedsassistent", "x", "B"])
    assert join_alt_labels(alt, pref).tolist() == ["SOSU-assistent", "", "a"]


def test_industry_table_covers_every_isco_sub_major_group() -> None:
    sub_major = ["01", "02", "03", "11", "12", "13", "14", "21", "22", "23", "24", "25", "26", "31", "32", "33",
                 "34", "35", "41", "42", "43", "44", "51", "52", "53", "54", "61", "62", "63", "71", "72", "73",
                 "74", "75", "81", "82", "83", "91", "92", "93", "94", "95", "96"]
    assert [g for g in sub_major if g not in ISCO_INDUSTRY] == []
    bundled = set(pd.read_csv(config.RESOURCES_DIR / "taxonomy" / "industries.csv", dtype=str)["industry"])
    assert set(ISCO_INDUSTRY.values()) <= bundled
    assert set(ISCO_EDUCATION.values()) <= set(EDUCATION_LEVELS)


@pytest.mark.parametrize(("isco", "industry", "education"), [
    ("2221", "health_care", "mvu"), ("2211", "health_care", "lvu"), ("2341", "pedagogy_education", "mvu"),
    ("2512", "it_telecom", "lvu"), ("3512", "it_telecom", "kvu"), ("3434", "hospitality", "kvu"),
    ("4321", "transport_logistics", "eud"), ("5311", "pedagogy_education", "eud"),
    ("5321", "health_care", "eud"), ("7112", "construction", "eud"), ("7411", "construction", "eud"),
    ("8322", "transport_logistics", "eud"), ("9112", "cleaning_property", "grundskole"),
    ("9313", "construction", "grundskole"), ("9333", "transport_logistics", "grundskole"),
    ("1120", "management", "mvu"), ("0110", "security_emergency", "mvu"),
])
def test_isco_mappings(isco: str, industry: str, education: str) -> None:
    codes = pd.Series([isco])
    assert industry_for_isco(codes).iloc[0] == industry
    assert education_for_isco(codes).iloc[0] == education


def test_every_fixture_group_is_known() -> None:
    assert set(EXPECTED_GROUPS.values()) <= set(GROUPS)
