"""Display helpers: words for times, dates and places; CV evidence as safe HTML; job cards and basic reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmatch import display
from jobmatch.profile import CompetenceMention

REQ = {
    "essential_professional": ["sk_lagerarbejde", "sk_lagerstyring", "sk_reachtruck"],
    "essential_personal": ["sk_moedestabil"],
    "essential_credentials": ["sk_truckcertifikat"],
    "essential_languages": [],
    "optional_professional": ["sk_lagerstyringssystem"],
    "optional_personal": ["sk_samarbejdsvillig"],
    "optional_languages": [],
}


def mention(start: int, end: int, text: str, cid: str, kind: str = "professional", **kw) -> CompetenceMention:
    return CompetenceMention(start, end, text, cid, cid, "S1", kind, 0.9, **kw)


def test_words_for_minutes_dates_and_hours():
    assert display.minutes_phrase(24.6, "bike") == "ca. 25 min. på cykel"
    assert display.minutes_phrase(10, "public", "en") == "about 10 min by public transport"
    assert display.minutes_phrase(10, "teleport", "da") == "ca. 10 min. med offentlig transport"
    assert display.date_text("2026-12-19") == "19. dec. 2026"
    assert display.date_text(pd.Timestamp("2026-05-03"), "en") == "3 May 2026"
    assert display.date_text(None) == "" and display.date_text("not a date") == ""
    assert display.deadline_text("2026-12-19", "2026-11-01") == "19. dec. 2026 (om 48 dage)"
    assert display.deadline_text("2026-11-02", "2026-11-01", "en") == "2 Nov 2026 (tomorrow)"
    assert display.deadline_text("2026-11-01", "2026-11-01") == "1. nov. 2026 (i dag)"
    assert display.deadline_text("2026-10-01", "2026-11-01") == "1. okt. 2026 (fristen er overskredet)"
    assert display.deadline_text(None, "2026-11-01") == "ingen frist angivet"
    assert display.hours_text("part", 22) == "Deltid, 22 timer om ugen"
    assert display.hours_text("full", np.nan, "en") == "Full time"


def test_place_names():
    assert display.place_name(2300) == "2300 København S"
    assert display.place_name("8000") == "8000 Aarhus C"
    assert display.place_name(9999) == "9999"
    assert display.place_name(None) == ""


def test_evidence_marks_competences_where_the_cv_says_them_and_escapes_everything():
    text = "Jeg har <b>truckcertifikat</b> & er mødestabil.\nIngen erfaring med svejsning."
    def at(word: str) -> tuple[int, int]:
        return text.index(word), text.index(word) + len(word)

    truck = at("truckcertifikat")
    mentions = [
        mention(*truck, "truckcertifikat", "sk_truckcertifikat"),
        mention(*at("mødestabil"), "mødestabil", "sk_moedestabil", kind="personal"),
        mention(*at("svejsning"), "svejsning", "sk_svejsning", negated=True),
        mention(-1, -1, "", "sk_manual", source="manual"),
        mention(truck[0], truck[0] + 5, "truck", "sk_truck"),  # overlaps the longer mention: dropped
    ]
    out = display.highlight_evidence(text, mentions)
    assert out.startswith('<div class="jm-cv">') and out.endswith("</div>")
    assert '<mark class="jm-professional" title="sk_truckcertifikat">truckcertifikat</mark>' in out
    assert '<mark class="jm-personal" title="sk_moedestabil">mødestabil</mark>' in out
    assert "&lt;b&gt;" in out and "&amp;" in out and "<b>" not in out
    assert out.count("<mark") == 2  # negated, manual and overlapping mentions are not marked
    assert "svejsning" in out and "\n" in out  # the rest of the text is all there
    # stripping the markup gives back exactly the (escaped) CV text
    import html
    import re
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_evidence_survives_bad_offsets_and_hostile_labels():
    out = display.highlight_evidence("kort tekst", [mention(5, 99, "x", "a"),
                                                   CompetenceMention(0, 4, "kort", "b", '"><script>', "S1",
                                                                     "professional", 1.0)])
    assert "<script>" not in out and "&quot;&gt;&lt;script&gt;" in out
    assert out.count("<mark") == 1


def test_basic_reasons_are_grounded_in_the_cv_and_the_posting():
    has = {"sk_lagerarbejde", "sk_lagerstyring", "sk_moedestabil", "sk_svejsning"}
    reasons = display.basic_reasons(REQ, has, 24.6, "bike", "da")
    assert 2 <= len(reasons) <= display.MAX_REASONS
    assert reasons[0] == "Du har 2 af jobbets 3 faglige krav, bl.a. lagerarbejde og lagerstyring."
    assert "Dine personlige kompetencer passer: mødestabil." in reasons
    assert "Jobbet kræver truckcertifikat, som ikke står i dit CV." in reasons
    assert reasons[-1] == "Transport: ca. 25 min. på cykel."
    # a competence neither asked for nor missing is never named
    assert not any("svejsning" in r for r in reasons)


def test_basic_reasons_with_nothing_in_common_still_give_two_reasons_in_english():
    reasons = display.basic_reasons(REQ, set(), 40, "car", "en")
    assert reasons == ["The job requires Forklift certificate, which your CV does not show.",
                       "Travel: about 40 min by car."]


class StubIndex:
    """The parts of a PostingIndex that job_cards reads."""

    def __init__(self) -> None:
        self.posting_ids = np.array(["P1", "P2"], dtype=object)
        self.meta = pd.DataFrame({"title": ["Lagerarbejder", "Kok"], "employer": ["Ærø A/S", "Kro"],
                                  "deadline": pd.to_datetime(["2026-12-19", "2026-11-10"]),
                                  "hours": ["full", "part"], "weekly_hours": [37, 20]})
        self.lat = np.array([55.70, 55.66])
        self.lon = np.array([12.55, 12.50])
        self.postcode = np.array([2100, 2450])

    def rows_of(self, ids):
        lookup = {pid: i for i, pid in enumerate(self.posting_ids)}
        return np.array([lookup.get(str(i), -1) for i in ids])

    def requirements(self, row):
        return REQ if row == 0 else {}


def test_job_cards_combine_the_ranking_and_the_index():
    results = [{"posting_id": "P1", "title": "Lagerarbejder", "employer": "Ærø A/S", "postcode": 2100,
                "travel_minutes": 23, "score": 0.8, "reasons": []},
               {"posting_id": "P2", "title": "Kok", "employer": "Kro", "postcode": 2450, "travel_minutes": 31,
                "score": 0.4, "reasons": ["Given reason one.", "Given reason two."]}]
    cards = display.job_cards(results, StubIndex(), mode="bike", as_of="2026-11-01", lang="da",
                              has={"sk_lagerarbejde"})
    first, second = cards
    assert (first.rank, first.place, first.travel_text) == (1, "2100 København Ø", "ca. 23 min. på cykel")
    assert first.deadline == "2026-12-19" and first.deadline_text == "19. dec. 2026 (om 48 dage)"
    assert first.hours_text == "Fuld tid, 37 timer om ugen"
    assert first.reasons[0].startswith("Du har 1 af jobbets 3 faglige krav")  # basic reasons when none given
    assert second.reasons == ["Given reason one.", "Given reason two."]  # the ranking's own reasons win
    assert second.hours_text == "Deltid, 20 timer om ugen"
    assert (second.lat, second.lon) == (55.66, 12.50)


def test_match_band_is_relative_to_the_jobs_shown():
    scores = [0.1, 0.5, 0.9]
    assert [display.match_band(s, scores) for s in scores] == ["low", "medium", "high"]
    assert display.match_band(3.0, [3.0]) == "high"
