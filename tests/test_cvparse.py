"""From CV text and files to a profile: occupations and years, education, languages, licences, certificates."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jobmatch import config
from jobmatch.cv import read_cv
from jobmatch.cvparse import (
    build_profile,
    education_level,
    find_date_ranges,
    licences_of,
    make_benchmark_pdf,
    parse_file,
    profile_from_text,
    sections,
)
from jobmatch.personas import list_personas
from jobmatch.taxonomy import GROUPS


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jobmatch", *args], input=stdin, capture_output=True,
                          text=True, cwd=config.REPO_ROOT, timeout=300)


# --- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, months, ongoing",
    [
        ("03/2016 – 08/2021 Lagermedarbejder", 66, False),
        ("2016-2021", 60, False),
        ("maj 2018 – nu", None, True),
        ("jan. 2019 - present", None, True),
        ("marts 2015 til december 2017", 34, False),
        ("2019-03 – 2021-02", 24, False),
        ("siden 2019", None, True),
    ],
)
def test_date_ranges(text, months, ongoing):
    [rng] = find_date_ranges(text)
    assert rng.ongoing is ongoing
    if months is not None:
        assert rng.months == months
    else:
        assert rng.months > 12  # up to the reference date


@pytest.mark.parametrize("text", ["2650 Hvidovre", "Telefon 2016 2021", "2017 Lageroperatør", "08/2021"])
def test_no_date_range(text):
    assert find_date_ranges(text) == []


# --- occupations --------------------------------------------------------------

WORK_CV = """Erhvervserfaring
04/2021 – 09/2026 Lagermedarbejder, Nordlager A/S, Brøndby
• Pluk og pak med håndscanner
03/2016 – 03/2021 Pakkeri- og lagermedarbejder, Distribution ApS, Glostrup
2012 – 2015 | Butiksassistent, Supermarked, Valby
Periode | Stilling
09/2008 – 03/2012

Buschauffør, Linjebusser A/S
Uddannelse
2005–2008 Kokkeuddannelsen (erhvervsuddannelse)
"""


def test_occupations_with_years_from_dates():
    profile = build_profile(WORK_CV, "da")
    held = {o.title.lower(): o for o in profile.occupations}
    lager = held["lagermedarbejder"]
    # 04/2021–09/2026 (66 months) and 03/2016–03/2021 (61 months) as one occupation
    assert lager.years == pytest.approx((66 + 61) / 12, abs=0.1)
    assert lager.isco and len(lager.isco) == 4
    assert WORK_CV[lager.start:lager.end] == lager.title
    assert held["butiksassistent"].years == pytest.approx(3.0)
    assert held["buschauffør"].years == pytest.approx(43 / 12, abs=0.1)  # title on the line after the dates
    # the education section is no work history
    assert "kok" not in held


def test_sections():
    kinds = [kind for _, _, kind in sections(WORK_CV)]
    assert kinds == ["work", "education"]


# --- education ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, level",
    [
        ("Uddannelse\n1995–2005 Folkeskolens afgangsprøve", "grundskole"),
        ("Uddannelse\n2014–2017 Studentereksamen (HTX)", "gymnasial"),
        ("Uddannelse\n2010–2012 Hf-eksamen, VUC", "gymnasial"),
        ("Jeg er uddannet kok i 2011.", "eud"),
        ("Uddannelse\n2007–2011 Tømreruddannelsen (erhvervsuddannelse, svendebrev)", "eud"),
        ("Kokkeuddannelsen, 2007–2011", "eud"),
        ("Uddannelse\n2017–2019 Datamatiker, Erhvervsakademi København", "kvu"),
        ("Uddannelse\n2012–2016 Professionsbachelor i sygepleje", "mvu"),
        ("Uddannelse\n2021–2024 Bachelor i statskundskab (B.Sc.)", "mvu"),
        ("Uddannelse\n2024–2026 Cand.scient.pol., Københavns Universitet", "lvu"),
        ("Education\n2015–2017 MSc in Engineering", "lvu"),
        ("Uddannelse\n2018–2021 Ph.d. i biologi", "phd"),
        ("Education\n2011–2015 Upper secondary school with baccalaureate", "gymnasial"),
    ],
)
def test_education_levels(text, level):
    assert education_level(text) == level


def test_highest_level_wins_and_unfinished_or_ongoing_do_not_count():
    text = ("Uddannelse\n2024 – nu Kandidatuddannelse i jura\n2020–2023 Bachelor i jura\n"
            "2012–2013 Grundforløb, Transport og logistik\n2002–2012 Folkeskole")
    assert education_level(text) == "mvu"
    assert education_level("Erhvervserfaring\n2019–2021 Vi søgte en kandidat til stillingen") is None


# --- languages ----------------------------------------------------------------


def test_languages_with_levels():
    text = ("Sprog\n• Dansk: modersmål\n• Engelsk: flydende i skrift og tale\n• Tysk: middel\n"
            "• Arabisk: godt\n• Fransk: lidt (skoleniveau)")
    levels = {skill.competence_id: skill.level for skill in build_profile(text, "da").languages}
    assert levels == {"sk_dansk": "native", "sk_engelsk": "fluent", "sk_tysk": "intermediate",
                      "sk_arabisk": "good", "sk_fransk": "beginner"}


def test_english_languages_and_beginner_language_is_no_competence():
    text = "Languages\n• Romanian: native\n• English: good\n• Danish: beginner, attending language school"
    profile = build_profile(text, "en")
    levels = {skill.competence_id: skill.level for skill in profile.languages}
    assert levels["sk_engelsk"] == "good" and levels["sk_dansk"] == "beginner"
    assert "sk_dansk" not in profile.competence_ids()
    assert "sk_engelsk" in profile.competence_ids()


# --- licences -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, categories",
    [
        ("Kørekort: B, C og CE", ["B", "C", "CE"]),
        ("Jeg har kørekort kategori B.", ["B"]),
        ("B-kørekort", ["B"]),
        ("C/CE-kørekort", ["C", "CE"]),
        ("Har stort kørekort", ["C"]),
        ("Buskørekort (D)", ["D"]),
        ("Kørekort", ["B"]),
        ("Driving licence B and CE", ["B", "CE"]),
        ("Jeg har ikke kørekort.", []),
        ("Truckkørekort (B)", []),
    ],
)
def test_licences(text, categories):
    assert [c for c, _, _ in licences_of(text)] == categories


def test_licence_competences_agree_with_the_categories():
    profile = build_profile("Kurser og certifikater\n• Kørekort: C og CE", "da")
    assert profile.licences == ["C", "CE"]
    ids = profile.competence_ids()
    assert {"sk_koerekort_c", "sk_koerekort_ce"} <= ids
    assert "sk_koerekort_b" not in ids  # the bare word "Kørekort" here is no B licence


# --- certificates -------------------------------------------------------------


def test_certificates():
    text = ("Kurser og certifikater\n• Truckcertifikatet (B)\n• Hygiejnebevis\n• Kranførercertifikat\n"
            "• Førstehjælpskursus, 2023\nJeg har ingen svejsecertifikat.")
    profile = build_profile(text, "da")
    assert {"sk_truckcertifikat", "sk_hygiejnebevis", "sk_kranfoerercertifikat", "sk_foerstehjaelp"} <= set(
        profile.certificates)
    assert "sk_svejsecertifikat" not in profile.certificates  # negated


# --- whole files ----------------------------------------------------------------


@pytest.fixture(scope="module")
def persona_profiles():
    return {p.id: (p, parse_file(p.read_bytes(), p.path.name)) for p in list_personas()}


def test_every_persona_has_at_least_8_competences_2_personal(persona_profiles):
    for pid, (persona, profile) in persona_profiles.items():
        assert profile.lang == persona.lang, pid
        assert len(profile.competences) >= 8, pid
        assert len(profile.personal()) >= 2, pid
        assert profile.occupations, pid
        assert profile.education_level, pid


def test_persona_offsets_refer_to_the_original_text(persona_profiles):
    for pid, (persona, profile) in persona_profiles.items():
        original = read_cv(persona.read_bytes(), persona.path.name).text
        assert len(profile.text) == len(original)
        for m in profile.competences:
            assert original[m.start:m.end] == m.text, (pid, m.text)
            assert profile.text[m.start:m.end] == m.text, "a mention touches redacted text"
        for o in profile.occupations:
            assert original[o.start:o.end] == o.title


def test_profile_holds_no_contact_data(persona_profiles):
    import re

    for pid, (persona, profile) in persona_profiles.items():
        first_name = re.compile(rf"\b{re.escape(persona.name.split()[0])}\b")
        assert "@" not in profile.text, pid
        assert not first_name.search(profile.text), pid
        for m in profile.competences:
            assert "@" not in m.evidence and not first_name.search(m.evidence), pid


def test_mentions_inside_redacted_personal_data_are_dropped():
    text = "Navn: Jens Mødestabil Hansen\nE-mail: jens@example.com\nOm mig\nJeg er mødestabil og har kørekort B."
    profile = profile_from_text(text, "da")
    [mention] = [m for m in profile.competences if m.competence_id == "sk_moedestabil"]
    assert mention.start > text.index("Om mig")  # the one in the name line is gone
    assert "Jens" not in profile.text and "jens@example.com" not in profile.text
    assert len(profile.text) == len(text)


def test_known_facts_of_two_personas(persona_profiles):
    _, lager = persona_profiles["lagermedarbejder"]
    assert "sk_truckcertifikat" in lager.certificates
    assert lager.licences == ["B"]
    assert any(o.title.lower() == "lagermedarbejder" and o.years > 10 for o in lager.occupations)
    _, sosu = persona_profiles["sosu_assistent"]
    assert sosu.education_level == "eud"
    assert "sk_personlig_pleje" in sosu.competence_ids()


def test_benchmark_cv_is_two_pages():
    from io import BytesIO

    from pypdf import PdfReader

    pdf = make_benchmark_pdf()
    assert len(PdfReader(BytesIO(pdf)).pages) == 2
    profile = parse_file(pdf, "cv.pdf")
    assert len(profile.competences) >= 20 and profile.occupations


# --- command line ---------------------------------------------------------------


def test_parse_cli_json(tmp_path):
    persona = list_personas()[0]
    path = tmp_path / persona.path.name
    path.write_bytes(persona.read_bytes())
    result = run_cli("parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"lang", "competences", "occupations", "education_level", "languages", "licences",
            "certificates"} <= set(out)
    original = read_cv(persona.read_bytes(), persona.path.name).text
    for span in out["competences"]:
        assert {"start", "end", "text", "competence_id", "label", "group", "kind", "confidence"} <= set(span)
        assert original[span["start"]:span["end"]] == span["text"]
        assert span["group"] in GROUPS
    assert result.stderr == ""


@pytest.mark.parametrize(
    "name, data",
    [
        ("cv.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"),  # truncated
        ("cv.docx", b"PK\x03\x04 not really a zip"),
        ("cv.txt", b""),
        ("cv.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 50),
    ],
)
def test_parse_cli_refuses_bad_files_in_one_line(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("parse", str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_parse_cli_missing_file(tmp_path):
    result = run_cli("parse", str(tmp_path / "nope.pdf"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_extract_cli_jsonl():
    texts = [
        "Jeg er mødestabil og har truckcertifikat.",
        "Ingen erfaring med rengøring.",
        "",
        "I am a reliable team player.",
    ]
    stdin = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts) + "\n"
    result = run_cli("extract", "--lang", "da", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(texts)
    for text, line in zip(texts, lines):
        spans = json.loads(line)
        for span in spans:
            assert text[span["start"]:span["end"]] == span["text"]
    assert {s["competence_id"] for s in json.loads(lines[0])} >= {"sk_moedestabil", "sk_truckcertifikat"}
    assert all(s["negated"] for s in json.loads(lines[1]))
    assert json.loads(lines[2]) == []


def test_extract_cli_survives_a_bad_line_without_echoing_it():
    stdin = '{"text": "mødestabil"}\nHEMMELIG CV-TEKST\n{"text": "fleksibel"}\n'
    result = run_cli("extract", "--lang", "da", "--jsonl", stdin=stdin)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 3
    assert json.loads(result.stdout.splitlines()[1]) == []
    assert "HEMMELIG" not in result.stderr and "line 2" in result.stderr


def test_extract_quality_on_kompetencer(kompetencer_dir):
    from jobmatch.quality import extract_prf

    result = extract_prf(kompetencer_dir)
    assert result["gold_spans"] > 100
    assert result["f1"] >= 0.60, result
