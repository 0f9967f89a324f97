"""Tests for jobmatch.cv: reading CV files and refusing bad ones clearly."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from jobmatch import config, cv, messages
from jobmatch.cv import CVReadError, CVText, normalise_text, read_cv, read_cv_text, sniff_format
from tests import cv_corpus
from tests.cv_corpus import CANARY, Case

REFUSAL_CODES = ("empty", "too_large", "unsupported_format", "corrupt", "encrypted", "no_text", "zip_bomb", "binary")
NOTICE_CODES = ("truncated", "format_mismatch", "ocr_used")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Case]:
    cases = cv_corpus.build_corpus(tmp_path_factory.mktemp("cv_corpus"))
    return {case.name: case for case in cases}


def _names(kind: str) -> list[str]:
    """Case names of the corpus without building it (for parametrize ids)."""
    # Kept in step with build_corpus; a missing or extra name fails test_corpus_is_complete.
    good = ["pdf", "docx", "odt", "txt_utf8", "txt_utf8_bom", "txt_cp1252", "txt_utf16",
            "pdf_named_docx", "docx_named_pdf", "pdf_owner_password_only", "txt_long"]
    bad = ["empty", "empty_txt_whitespace", "truncated_pdf", "truncated_docx", "corrupt_docx",
           "corrupt_pdf_header_only", "encrypted_pdf", "encrypted_docx", "image_only_pdf", "exe", "png",
           "png_named_pdf", "text_named_exe", "legacy_doc", "xlsx_named_docx", "too_large", "docx_zip_bomb",
           "odt_zip_bomb", "docx_many_members", "odt_entity_expansion", "binary_txt", "binary_unknown_ext"]
    return good if kind == "good" else bad


def _read(case: Case) -> CVText:
    # OCR off, so the result does not depend on whether Tesseract is installed.
    return read_cv(case.path.read_bytes(), case.path.name, allow_ocr=False)


def test_corpus_is_complete(corpus):
    assert sorted(corpus) == sorted(_names("good") + _names("bad"))
    # Every refusal code the issue asks for is exercised by at least one file.
    assert {case.code for case in corpus.values() if case.code} == set(REFUSAL_CODES)


def test_corpus_zip_bombs_are_small_on_disk(corpus):
    assert corpus["docx_zip_bomb"].path.stat().st_size < 2 * 1024 * 1024
    assert corpus["too_large"].path.stat().st_size > 10 * 1024 * 1024


# --- good files ---------------------------------------------------------------


@pytest.mark.parametrize("name", _names("good"))
def test_good_file_is_read(corpus, name):
    case = corpus[name]
    result = _read(case)
    assert result.source_format == case.source_format
    for expected in case.contains:
        assert expected in result.text, f"{expected!r} missing from {name}"
    assert set(case.notices) <= set(result.notices)
    assert result.text == unicodedata.normalize("NFC", result.text)
    assert result.text == result.text.strip()


def test_pdf_keeps_pages_order_and_danish_letters(corpus):
    result = _read(corpus["pdf"])
    assert result.pages == 2
    assert result.notices == []
    assert not result.truncated
    text = result.text
    assert "æ" in text and "ø" in text and "å" in text and "Æ" in text and "Ø" in text
    # page 1 before page 2, and each drawn line is still its own line
    assert text.index("Ærøskøbing") < text.index("Uddannelse")
    assert "• Truckkørsel og vareindlevering" in text.splitlines()


def test_docx_reads_in_document_order(corpus):
    result = _read(corpus["docx"])
    assert result.pages is None
    lines = result.text.splitlines()
    # the header comes first, then the body in order: heading, table, bullets, numbered list
    assert lines[0] == "Kontakt: birthe@example.org"
    order = [
        "Erhvervserfaring",
        "Periode | Stilling",
        "2018–2024 | Social- og sundhedsassistent, Plejecenter Søholm",
        "2014–2018 | Social- og sundhedshjælper, Hjemmeplejen Østerbro",
        "Kompetencer",
        "• Medicinhåndtering og dokumentation",
        "• Forflytning med lift",
        "• Rolig under pres",
        "1. Fast stilling",
        "2. Efteruddannelse i demens",
        "Kørekort B – bil til rådighed.",
    ]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)


def test_docx_template_features():
    text = read_cv(cv_corpus.make_tricky_docx(), "skabelon.docx").text
    lines = text.splitlines()
    assert "Synlig tekst og indsat" in lines
    assert "SLETTET" not in text  # tracked deletion
    assert text.count("Tekst i tekstboks") == 1  # text box read once, not again from the legacy fallback
    assert lines.index("Anker") < lines.index("Tekst i tekstboks")
    assert "Fra indholdskontrol" in lines and "Inline kontrol" in lines
    assert "Linktekst og portfolio" in lines
    assert "HYPERLINK" not in text  # field code, not field result
    assert "• Symbolpunkt" in lines
    assert "Linje et" in lines and "Linje to" in lines
    assert "2015–2020 | Job et" in lines and "Job to" in lines
    assert text.count("2015–2020") == 1  # vertically merged cell not repeated


def test_odt_structure(corpus):
    lines = _read(corpus["odt"]).text.splitlines()
    assert lines[0] == f"Jørgen {CANARY}"
    assert lines[1:3] == ["Tømrer og snedker", "Bor i Ølstykke"]  # tab/space runs collapsed, line break kept
    assert lines.index("• Tagarbejde og renovering") < lines.index("• Læsning af tegninger")
    assert lines.index("• Læsning af tegninger") < lines.index("• Også CAD-tegninger")
    assert lines[-1] == "Kørekort B"


@pytest.mark.parametrize("name", ["txt_utf8", "txt_utf8_bom", "txt_cp1252", "txt_utf16"])
def test_text_encodings_give_the_same_text(corpus, name):
    assert _read(corpus[name]).text == _read(corpus["txt_utf8"]).text


def test_latin1_bytes_that_cp1252_lacks_still_decode():
    data = "Rødgrød med fløde og kartofler".encode("latin-1") + b" \x81"
    assert read_cv(data, "cv.txt").text == "Rødgrød med fløde og kartofler"


def test_long_text_is_truncated_not_refused(corpus):
    result = _read(corpus["txt_long"])
    assert result.truncated
    assert "truncated" in result.notices
    assert len(result.text) <= config.settings().max_cv_chars
    assert len(result.text) > config.settings().max_cv_chars - 500
    assert result.text.endswith("Ølby Lager")  # cut at a line end, not mid-word


def test_max_chars_parameter():
    result = read_cv(cv_corpus.TXT_BODY.encode(), "cv.txt", max_chars=40)
    assert result.truncated and len(result.text) <= 40
    assert result.text.splitlines()[0] == f"Søren {CANARY}"
    assert not read_cv(cv_corpus.TXT_BODY.encode(), "cv.txt").truncated


def test_text_without_filename_is_sniffed_as_text():
    assert sniff_format(cv_corpus.TXT_BODY.encode(), None) == "txt"
    assert read_cv(cv_corpus.TXT_BODY.encode(), "").source_format == "txt"


def test_read_cv_text_for_pasted_text():
    result = read_cv_text("  Lagermedarbejder\r\n\r\n\r\n\r\n● Truck  ")
    assert result.text == "Lagermedarbejder\n\n• Truck"
    assert result.source_format == "txt"
    with pytest.raises(CVReadError) as err:
        read_cv_text(" \n ")
    assert err.value.code == "empty"


# --- bad files ----------------------------------------------------------------


@pytest.mark.parametrize("name", _names("bad"))
def test_bad_file_is_refused_with_code_and_messages(corpus, name):
    case = corpus[name]
    with pytest.raises(CVReadError) as err:
        _read(case)
    error = err.value
    assert error.code == case.code
    da, en = error.message("da"), error.message("en")
    assert da and en and da != en
    assert "\n" not in da and "\n" not in en
    assert error.message() == da  # Danish is the default
    for text in (da, en, str(error), repr(error), error.detail or ""):
        assert CANARY not in text and "Birthe" not in text and "Ærøskøbing" not in text


def test_lying_zip_headers_are_stopped_by_bounded_stream():
    with pytest.raises(CVReadError) as err:
        read_cv(cv_corpus.make_lying_zip_bomb(), "cv.docx")
    assert err.value.code in ("zip_bomb", "corrupt")


def test_size_limit_is_a_parameter(corpus):
    data = corpus["pdf"].path.read_bytes()
    with pytest.raises(CVReadError) as err:
        read_cv(data, "cv.pdf", max_bytes=len(data) - 1)
    assert err.value.code == "too_large"
    assert read_cv(data, "cv.pdf", max_bytes=len(data)).source_format == "pdf"


def test_too_large_message_names_the_limit():
    error = CVReadError("too_large", params={"max_mb": 1.5})
    assert "1,5 MB" in error.message("da")
    assert "1.5 MB" in error.message("en")
    limit_mb = config.settings().max_upload_bytes // (1024 * 1024)
    assert f"{limit_mb} MB" in CVReadError("too_large").message("da")


def test_legacy_doc_gets_its_own_advice(corpus):
    with pytest.raises(CVReadError) as err:
        _read(corpus["legacy_doc"])
    assert ".docx" in err.value.message("da") and ".doc)" in err.value.message("da")
    with pytest.raises(CVReadError) as err:
        _read(corpus["encrypted_docx"])
    assert err.value.message("da").startswith("Word-filen")


def test_scanned_pdf_message_explains():
    error = CVReadError("no_text")
    assert "scannet" in error.message("da") and "scanned" in error.message("en")


def test_messages_exist_for_every_code_in_both_languages():
    for code in REFUSAL_CODES + NOTICE_CODES:
        entry = messages.MESSAGES[code]
        assert entry["da"].strip() and entry["en"].strip()
        assert entry["da"] != entry["en"]
    for key, entry in messages.MESSAGES.items():
        assert set(entry) == {"da", "en"}, key
    assert messages.message("no_such_code", "en")  # unknown codes still give a sentence
    assert messages.message("empty", "xx") == messages.message("empty", "da")


def test_sniff_format_uses_content_not_name(corpus):
    assert sniff_format(corpus["pdf"].path.read_bytes(), "cv.docx") == "pdf"
    assert sniff_format(corpus["docx"].path.read_bytes(), "cv.txt") == "docx"
    assert sniff_format(corpus["odt"].path.read_bytes(), "cv") == "odt"
    with pytest.raises(CVReadError) as err:
        sniff_format(cv_corpus.garbage(1000, seed=9), None)
    assert err.value.code == "binary"
    with pytest.raises(CVReadError) as err:
        sniff_format(cv_corpus.make_png(), "cv.txt")
    assert err.value.code == "unsupported_format"


def test_non_bytes_input_is_a_programming_error():
    with pytest.raises(TypeError):
        read_cv("Mette Hansen", "cv.txt")  # type: ignore[arg-type]
    assert read_cv(bytearray(b"Hej med dig"), "cv.txt").text == "Hej med dig"


def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    """Damaged copies: cut short, bytes flipped, a slice deleted or duplicated."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        buf = bytearray(data)
        kind = i % 4
        if kind == 0:
            buf = buf[: rng.randrange(1, len(buf))]
        elif kind == 1:
            for _ in range(rng.randrange(1, 20)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif kind == 2:
            start = rng.randrange(len(buf))
            del buf[start : start + rng.randrange(1, 200)]
        else:
            start = rng.randrange(len(buf))
            buf[start:start] = buf[start : start + rng.randrange(1, 200)]
        out.append(bytes(buf))
    return out


@pytest.mark.parametrize("name", ["pdf", "docx", "odt", "txt_utf8"])
def test_damaged_files_never_raise_anything_but_cvreaderror(corpus, name):
    data = corpus[name].path.read_bytes()
    for damaged in _mutations(data, seed=len(name), count=40):
        try:
            result = read_cv(damaged, corpus[name].path.name, allow_ocr=False)
        except CVReadError as err:
            assert err.code in REFUSAL_CODES
            assert err.message("da") and err.message("en")
        else:
            assert isinstance(result.text, str)


# --- OCR (optional extra) -----------------------------------------------------


def test_scanned_pdf_uses_ocr_when_available(corpus, monkeypatch):
    """The OCR path is wired up: with a (fake) Tesseract, scanned pages are recognised."""
    seen: list[tuple[bytes, str]] = []

    def fake_tesseract(png: bytes, langs: str) -> str:
        seen.append((png, langs))
        return "Birthe Hansen\nLagermedarbejder med truckcertifikat\n"

    monkeypatch.setattr(cv, "ocr_available", lambda: True)
    monkeypatch.setattr(cv, "_ocr_image", fake_tesseract)
    data = corpus["image_only_pdf"].path.read_bytes()
    result = read_cv(data, "scannet.pdf")
    assert "Lagermedarbejder med truckcertifikat" in result.text
    assert "ocr_used" in result.notices
    assert len(seen) == 1 and seen[0][0].startswith(b"\x89PNG") and seen[0][1].startswith("dan")
    # ... and can be switched off
    with pytest.raises(CVReadError) as err:
        read_cv(data, "scannet.pdf", allow_ocr=False)
    assert err.value.code == "no_text"


def test_ocr_that_finds_nothing_still_refuses(corpus, monkeypatch):
    monkeypatch.setattr(cv, "ocr_available", lambda: True)
    monkeypatch.setattr(cv, "_ocr_image", lambda png, langs: "  \n")
    with pytest.raises(CVReadError) as err:
        read_cv(corpus["image_only_pdf"].path.read_bytes(), "scannet.pdf")
    assert err.value.code == "no_text"


def test_ocr_detection_without_tesseract(monkeypatch):
    monkeypatch.setattr(cv.shutil, "which", lambda name: None)
    cv.ocr_languages.cache_clear()
    try:
        assert cv.ocr_languages() == frozenset()
        assert not cv.ocr_available()
    finally:
        cv.ocr_languages.cache_clear()


# --- normalisation and privacy ------------------------------------------------


def test_normalise_text():
    raw = (
        "  Proﬁl\u00a0 og\u2003ﬂair\r\n"
        "Ga\u030ardejer\u00adlærling\u200b\r\n"  # decomposed å, soft hyphen, zero-width space
        "\uf0b7\tTruck\n"  # Symbol-font bullet from Word/PDF
        "-  Lager\n"
        "*\tKasse\n"
        "-5 grader på frost\n"
        "\n\n\n\n"
        "Sidste\x00 linje\x0c"
    )
    assert normalise_text(raw) == (
        "Profil og flair\n"
        "Gårdejerlærling\n"
        "• Truck\n"
        "• Lager\n"
        "• Kasse\n"
        "-5 grader på frost\n"
        "\n"
        "Sidste linje"
    )


def test_cvtext_repr_does_not_leak_text(corpus):
    result = _read(corpus["txt_utf8"])
    assert CANARY not in repr(result) and CANARY not in str(result)
    assert "chars=" in repr(result)


def test_bundled_personas_are_read():
    """The demo CV files shipped with the app all pass through the reader."""
    files = [p for p in sorted(Path(config.personas_dir()).glob("*")) if p.suffix in cv.EXTENSIONS]
    if not files:
        pytest.skip("no persona CV files bundled yet")
    for path in files:
        result = read_cv(path.read_bytes(), path.name, allow_ocr=False)
        assert result.source_format == cv.EXTENSIONS[path.suffix]
        assert "format_mismatch" not in result.notices
        assert len(result.text) > 200, path.name
