"""The citizen's job list: CSV and PDF bytes in plain words, æøå intact, no internal scores."""

from __future__ import annotations

import csv
import datetime as dt
import io

from pypdf import PdfReader

from jobmatch.display import JobCard
from jobmatch.shortlist import ShortlistItem, to_csv, to_pdf, winansi

SCORE = 0.987654


def card(pid: str = "P000171", title: str = "Lagermedarbejder på Østerbro") -> JobCard:
    return JobCard(posting_id=pid, rank=1, title=title, employer="Ærø Fragt A/S", postcode=2100,
                   place="2100 København Ø", lat=55.7, lon=12.56, travel_minutes=23,
                   travel_text="ca. 23 min. på cykel", deadline="2026-12-19", deadline_text="19. dec. 2026 (om 48 dage)",
                   hours_text="Fuld tid, 37 timer om ugen", score=SCORE,
                   reasons=["Du har 4 af jobbets 6 faglige krav, bl.a. truckkørsel.", "Transport: ca. 23 min. på cykel."])


def items() -> list[ShortlistItem]:
    return [ShortlistItem.from_card(card(), note="Søg før jul – ring til Søren først"),
            ShortlistItem.from_card(card("P000002", "Pakkeriarbejder i Søborg"))]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_csv_is_semicolon_separated_utf8_with_bom_and_danish_letters():
    data = to_csv(items(), "da")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Stilling", "Arbejdsgiver", "Sted", "Transport", "Ansøgningsfrist", "Arbejdstid",
                       "Hvorfor dette job", "Note", "Jobnummer"]
    assert rows[1][0] == "Lagermedarbejder på Østerbro"
    assert rows[1][1] == "Ærø Fragt A/S"
    assert rows[1][7] == "Søg før jul – ring til Søren først"
    assert "truckkørsel" in rows[1][6]
    assert rows[2][0] == "Pakkeriarbejder i Søborg" and rows[2][7] == ""
    assert len(rows) == 3


def test_csv_in_english_has_english_headers():
    rows = list(csv.reader(io.StringIO(to_csv(items(), "en").decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Job", "Employer", "Place"]


def test_pdf_is_readable_and_keeps_danish_letters():
    data = to_pdf(items(), "da", made_on=dt.date(2026, 11, 1))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Min jobliste" in text
    assert "1. nov. 2026" in text
    for phrase in ("Lagermedarbejder på Østerbro", "Ærø Fragt A/S", "2100 København Ø", "Søg før jul",
                   "Pakkeriarbejder i Søborg", "Ansøgningsfrist", "ca. 23 min. på cykel"):
        assert phrase in text, phrase
    assert PdfReader(io.BytesIO(data)).metadata.title == "Min jobliste"


def test_no_internal_scores_in_either_file():
    for data in (to_csv(items(), "da"), to_pdf(items(), "da")):
        text = data.decode("utf-8-sig") if not data.startswith(b"%PDF") else pdf_text(data)
        assert "0.98" not in text and "0,98" not in text and "98,7" not in text
        assert "score" not in text.lower()


def test_pdf_in_english_and_empty_list():
    text = pdf_text(to_pdf(items(), "en", made_on=dt.date(2026, 11, 1)))
    assert "My job list" in text and "Application deadline" in text
    assert "There are no jobs on the list." in pdf_text(to_pdf([], "en"))


def test_characters_helvetica_cannot_draw_are_replaced_not_boxed():
    assert winansi("Østerbro → Ærø ✓ ﬁ") == "Østerbro ? Ærø ? fi"
    assert winansi("æøå ÆØÅ – “citat” €") == "æøå ÆØÅ – “citat” €"
    text = pdf_text(to_pdf([ShortlistItem.from_card(card(title="Kok → køkkenchef ✓"))], "da"))
    assert "Kok ? køkkenchef ?" in text


def test_markup_in_texts_is_not_interpreted():
    text = pdf_text(to_pdf([ShortlistItem.from_card(card(title="<b>Tømrer</b> & snedker"))], "da"))
    assert "<b>Tømrer</b> & snedker" in text
