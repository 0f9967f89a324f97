"""Tests for the demo personas: the bundled CV files, their index and the generator."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import docx
import pypdf
import pytest

from jobmatch import config
from jobmatch.personas import (
    Persona,
    PersonaError,
    UnknownPersonaError,
    get_persona,
    list_personas,
    read_persona_bytes,
)

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_personas.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_personas", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_personas"] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return _load_generator()


@pytest.fixture(scope="module")
def personas() -> list[Persona]:
    return list_personas()


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _text(persona: Persona) -> str:
    data = persona.read_bytes()
    if persona.format == "pdf":
        return _pdf_text(data)
    if persona.format == "docx":
        return _docx_text(data)
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def texts(personas) -> dict[str, str]:
    return {p.id: _text(p) for p in personas}


# --------------------------------------------------------------------------- the index


def test_enough_personas_with_unique_ids(personas):
    assert len(personas) >= 10
    ids = [p.id for p in personas]
    assert len(ids) == len(set(ids))


def test_every_path_is_absolute_existing_and_matches_format(personas):
    root = config.personas_dir().resolve()
    for p in personas:
        assert p.path.is_absolute(), p.id
        assert p.path.is_file(), p.path
        assert p.path.parent == root, p.path
        assert p.path.suffix == f".{p.format}", p.path


def test_all_three_formats_present(personas):
    formats = [p.format for p in personas]
    assert set(formats) == {"pdf", "docx", "txt"}
    assert formats.count("pdf") >= 3
    assert formats.count("docx") >= 3


def test_at_least_ten_percent_english(personas):
    english = [p for p in personas if p.lang == "en"]
    assert english
    assert len(english) / len(personas) >= 0.10
    assert {p.lang for p in personas} <= {"da", "en"}


def test_postcodes_are_copenhagen_area_ints(personas):
    for p in personas:
        assert isinstance(p.postcode, int) and not isinstance(p.postcode, bool), p.id
        assert 1000 <= p.postcode <= 2999, (p.id, p.postcode)


def test_postcodes_are_in_pilot_area(personas):
    geo = pytest.importorskip("jobmatch.geo")
    if not hasattr(geo, "pilot_postcodes"):
        pytest.skip("jobmatch.geo.pilot_postcodes is not available yet")
    pilot = {int(code) for code in geo.pilot_postcodes()}
    outside = [(p.id, p.postcode) for p in personas if p.postcode not in pilot]
    assert not outside


def test_to_dict_has_exactly_the_cli_fields(personas):
    d = personas[0].to_dict()
    assert set(d) == {"id", "name", "path", "lang", "postcode", "title_da", "title_en"}
    assert d["path"] == str(personas[0].path)
    json.dumps([p.to_dict() for p in personas])  # serialisable as printed by the CLI


def test_get_persona_and_read_bytes(personas):
    first = personas[0]
    assert get_persona(first.id) == first
    assert read_persona_bytes(first.id) == first.path.read_bytes()
    magic = {"pdf": b"%PDF", "docx": b"PK"}
    for p in personas:
        if p.format in magic:
            assert read_persona_bytes(p.id).startswith(magic[p.format]), p.id


def test_unknown_persona_gives_clear_error(personas):
    with pytest.raises(UnknownPersonaError) as info:
        get_persona("no-such-person")
    message = str(info.value)
    assert "no-such-person" in message
    assert personas[0].id in message  # tells the user what exists


# --------------------------------------------------------------------------- the files


def test_pdfs_extract_danish_letters_and_fit_two_pages(personas):
    pdfs = [p for p in personas if p.format == "pdf"]
    for p in pdfs:
        reader = pypdf.PdfReader(p.path)
        assert 1 <= len(reader.pages) <= 2, (p.id, len(reader.pages))
        text = _pdf_text(p.path.read_bytes())
        assert p.name in text, p.id
        # no control characters (reportlab's "•" would come back as \x7f)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), p.id
        if p.lang == "da":
            for letter in "æøå":
                assert letter in text, (p.id, letter)


def test_docx_open_and_contain_name_table_and_bullets(personas):
    docs = [p for p in personas if p.format == "docx"]
    has_table = has_bullets = False
    for p in docs:
        document = docx.Document(p.path)
        assert p.name in _docx_text(p.path.read_bytes()), p.id
        has_table |= bool(document.tables)
        has_bullets |= any(par.style.name == "List Bullet" for par in document.paragraphs)
    assert has_table and has_bullets


def test_txt_files_are_utf8_and_contain_name(personas):
    for p in personas:
        if p.format == "txt":
            text = p.path.read_bytes().decode("utf-8")  # raises if not UTF-8
            assert p.name.casefold() in text.casefold(), p.id


def test_cvs_have_contact_details_and_dated_work_history(personas, texts):
    for p in personas:
        text = texts[p.id]
        assert re.search(r"@example\.(com|net|org)\b", text), p.id  # reserved domains only
        assert re.search(r"\+45 1\d \d\d \d\d \d\d", text), p.id  # 1xxxxxxx: no subscriber has these
        assert f"{p.postcode} " in text, p.id  # the index agrees with the address in the CV
        assert re.search(r"\b\d\d/20\d\d – \d\d/20\d\d\b", text), p.id


def test_required_roles_are_covered(personas, texts):
    everything = {p.id: texts[p.id].casefold() for p in personas}

    def some_cv_has(*needles: str) -> bool:
        return any(all(n.casefold() in t for n in needles) for t in everything.values())

    assert some_cv_has("truckcertifikat", "pluk og pak", "scanner", "lagerstyring")
    assert some_cv_has("social- og sundhedsassistent", "medicinhåndtering", "personlig pleje", "demens")
    assert some_cv_has("kok", "à la carte", "hygiejnebevis", "menuplanlægning", "råvarer")
    assert some_cv_has("kontorassistent", "bogføring", "excel", "e-conomic", "kundeservice", "journalisering")
    assert some_cv_has("helpdesk", "windows", "active directory", "itil", "netværk")
    assert some_cv_has("cand.scient.pol", "analyse", "projektstyring", "kommunikation", "spss")
    assert some_cv_has("pædagogmedhjælper")
    assert some_cv_has("tømrer", "kørekort b og c")
    english = [texts[p.id] for p in personas if p.lang == "en"]
    assert any("Danish: beginner" in t and "Sprogcenter" in t for t in english)


def test_gap_is_stated_neutrally(personas, texts):
    gap = [p.id for p in personas if "Periode uden beskæftigelse" in texts[p.id]]
    assert gap
    health_words = ("sygdom", "sygemeld", "diagnose", "depression", "stress", "handicappet", "illness")
    for p in personas:
        lowered = texts[p.id].casefold()
        assert not any(word in lowered for word in health_words), p.id


# --------------------------------------------------------------------------- the generator


def _hashes(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_generator_is_deterministic(generator, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    written = generator.main(first)
    generator.main(second)
    assert {p.name for p in written} == {f.name for f in first.iterdir()}
    assert _hashes(first) == _hashes(second)
    assert len(list_personas(first)) == len(generator.PERSONAS)


def test_bundled_files_match_the_generator(generator, tmp_path, personas):
    """Catches edits to the script that were not followed by re-running it."""
    fresh_dir = tmp_path / "fresh"
    generator.main(fresh_dir)
    bundled_dir = config.personas_dir()
    assert (fresh_dir / "personas.json").read_bytes() == (bundled_dir / "personas.json").read_bytes()
    fresh = {p.id: p for p in list_personas(fresh_dir)}
    for p in personas:
        if p.format == "txt":
            assert fresh[p.id].read_bytes() == p.read_bytes(), p.id
        else:  # PDF/DOCX bytes may differ between library versions; their text may not
            assert _text(fresh[p.id]) == _text(p), f"{p.id}: re-run scripts/make_personas.py"


# --------------------------------------------------------------------------- broken indexes


def _write_index(folder: Path, entries: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "personas.json").write_text(json.dumps(entries), encoding="utf-8")
    return folder


def _entry(**overrides) -> dict:
    entry = {
        "id": "x",
        "name": "Test Testesen",
        "path": "x.txt",
        "lang": "da",
        "postcode": 2400,
        "format": "txt",
        "title_da": "Test",
        "title_en": "Test",
        "summary_da": "Test",
    }
    entry.update(overrides)
    return entry


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(PersonaError, match="not found"):
        list_personas(tmp_path / "empty")


def test_missing_file_is_a_clear_error(tmp_path):
    folder = _write_index(tmp_path / "missing", [_entry()])
    with pytest.raises(PersonaError, match="does not exist"):
        list_personas(folder)


def test_path_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    folder = _write_index(tmp_path / "escape", [_entry(path="../secret.txt")])
    with pytest.raises(PersonaError, match="outside"):
        list_personas(folder)


@pytest.mark.parametrize(
    "override, fragment",
    [({"lang": "de"}, "lang"), ({"format": "odt"}, "format"), ({"postcode": "2400"}, "postcode")],
)
def test_invalid_fields_are_refused(tmp_path, override, fragment):
    folder = _write_index(tmp_path / "bad", [_entry(**override)])
    (folder / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PersonaError, match=fragment):
        list_personas(folder)


def test_valid_custom_folder_loads(tmp_path):
    folder = _write_index(tmp_path / "ok", [_entry()])
    (folder / "x.txt").write_text("Test Testesen", encoding="utf-8")
    (persona,) = list_personas(folder)
    assert persona.path == (folder / "x.txt").resolve()
    assert read_persona_bytes("x", folder) == b"Test Testesen"
