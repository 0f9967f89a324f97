"""Competence extraction: offsets, inflection, compounds, layout, negation, overlaps, free text."""

from __future__ import annotations

import pytest

from jobmatch import competences
from jobmatch.competences import extract, get_extractor, inflection_ok
from jobmatch.cv import read_cv
from jobmatch.personas import list_personas
from jobmatch.taxonomy import GROUPS, load_taxonomy


def ids(mentions) -> set[str | None]:
    return {m.competence_id for m in mentions}


def by_id(mentions, competence_id):
    found = [m for m in mentions if m.competence_id == competence_id]
    assert found, f"{competence_id} not found in {[(m.text, m.competence_id) for m in mentions]}"
    return found[0]


@pytest.fixture(scope="module")
def persona_texts() -> dict[str, tuple[str, str]]:
    return {p.id: (read_cv(p.read_bytes(), p.path.name).text, p.lang) for p in list_personas()}


def test_offsets_are_exact_on_every_persona(persona_texts):
    for pid, (text, lang) in persona_texts.items():
        mentions = extract(text, lang)
        assert mentions, pid
        for m in mentions:
            assert text[m.start:m.end] == m.text, (pid, m)
            assert m.group in GROUPS
            assert m.kind in ("personal", "professional")
            assert 0 < m.confidence <= 1
            assert m.evidence and m.text in m.evidence or m.text.replace("\n", " ") in m.evidence


def test_offsets_survive_crlf_and_decomposed_letters():
    import unicodedata

    text = unicodedata.normalize("NFD", "Om mig\r\nJeg er mødestabil og har kørekort B.\r\n• Førstehjælp")
    mentions = extract(text, "da")
    assert {"sk_moedestabil", "sk_foerstehjaelp"} <= ids(mentions)
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_inflected_forms_match():
    mentions = extract("Jeg har truckcertifikatet og har givet personlige pleje til borgerne.", "da")
    truck = by_id(mentions, "sk_truckcertifikat")
    assert truck.text == "truckcertifikatet"
    pleje = by_id(mentions, "sk_personlig_pleje")
    assert pleje.text == "personlige pleje"


def test_stemmer_conflations_are_refused():
    # "grund" and "grundig" share a Snowball stem but are different words
    assert "sk_grundig" not in ids(extract("Det er på grund af travlhed.", "da"))
    assert not inflection_ok("grund", "grundig")
    assert inflection_ok("selvstændigt", "selvstændig")
    assert inflection_ok("overblikket", "overblik")
    assert not inflection_ok("position", "positive", "en")


def test_compound_words_match_on_their_parts():
    splitter = get_extractor("da").splitter
    assert splitter.split("kundeserviceafdelingen") is not None  # not a taxonomy word itself
    mention = by_id(extract("Jeg har arbejdet i kundeserviceafdelingen.", "da"), "sk_kundeservice")
    assert mention.text == "kundeserviceafdelingen"
    assert mention.confidence == competences.CONF_COMPOUND


def test_hyphenated_and_spaced_compounds():
    assert "sk_truckcertifikat" in ids(extract("Truck-certifikat B (2016)", "da"))


def test_bullets_and_table_rows_give_line_evidence():
    text = (
        "Kurser og certifikater\n"
        "• Truckcertifikat B, AMU, 2016\n"
        "• Førstehjælp, 12 timer\n"
        "Sprog | Niveau\n"
        "Dansk | modersmål\n"
    )
    mentions = extract(text, "da")
    assert by_id(mentions, "sk_truckcertifikat").evidence == "Truckcertifikat B, AMU, 2016"
    assert by_id(mentions, "sk_foerstehjaelp").evidence == "Førstehjælp, 12 timer"
    assert by_id(mentions, "sk_dansk").evidence == "Dansk | modersmål"


def test_phrases_do_not_run_across_lines_or_cells():
    # "personlig" ends one table cell, "pleje" starts the next: no "personlig pleje"
    assert "sk_personlig_pleje" not in ids(extract("Personlig | pleje af have", "da"))
    assert "sk_personlig_pleje" not in ids(extract("Personlig\n\npleje", "da"))


def test_pdf_line_wrap_does_not_cut_a_sentence():
    text = ("Jeg er vant til at arbejde i et travlt køkken og har ansvar for den daglige drift, og jeg er\n"
            "mødestabil og struktureret i mit arbejde.")
    mention = by_id(extract(text, "da"), "sk_moedestabil")
    assert mention.evidence.startswith("Jeg er vant til") and mention.evidence.endswith("arbejde.")


@pytest.mark.parametrize(
    "text, competence_id",
    [
        ("Jeg har ingen erfaring med truckkørsel.", "sk_truckcertifikat"),
        ("Jeg har ikke kørekort.", "sk_koerekort_b"),
        ("Truckcertifikat: nej", "sk_truckcertifikat"),
    ],
)
def test_negation(text, competence_id):
    assert by_id(extract(text, "da"), competence_id).negated


def test_negation_in_english():
    mentions = extract("I have no experience with forklift trucks, but I am punctual.", "en")
    negated = [m for m in mentions if m.negated]
    assert negated and all("forklift" in m.text.lower() for m in negated)
    assert not by_id(mentions, "sk_moedestabil").negated  # "but" ends the negation


def test_negation_scope_is_the_clause():
    mentions = extract("Jeg er ikke bange for hårdt arbejde og er mødestabil.", "da")
    assert not by_id(mentions, "sk_moedestabil").negated
    assert not by_id(mentions, "sk_arbejdsom").negated  # the whole phrase is the competence
    assert not by_id(extract("Ikke kun truckkørsel, men også lager.", "da"), "sk_truckcertifikat").negated


def test_longest_match_wins_overlaps():
    mentions = extract("Jeg giver personlig pleje og sårpleje.", "da")
    pleje = by_id(mentions, "sk_personlig_pleje")
    assert pleje.text == "personlig pleje"
    # no other mention inside the same words
    assert not [m for m in mentions if m is not pleje and m.start < pleje.end and pleje.start < m.end]


def test_a_word_may_be_skipped_inside_a_phrase():
    mention = by_id(extract("Oplæring af nye kolleger og vikarer", "da"), "sk_oplaering_af_kolleger")
    assert mention.text == "Oplæring af nye kolleger"
    assert mention.confidence < competences.CONF_SYNONYM_EXACT


def test_confidence_orders_label_synonym_stem():
    label = by_id(extract("Jeg er ansvarsbevidst.", "da"), "sk_ansvarsbevidst").confidence
    synonym = by_id(extract("Jeg er ansvarsfuld.", "da"), "sk_ansvarsbevidst").confidence
    stem = by_id(extract("Ansvarsbevidstheden er stor.", "da"), "sk_ansvarsbevidst").confidence
    assert label > synonym > stem > competences.CONF_COMPOUND


def test_qualities_of_other_people_are_not_the_writers():
    assert not extract("Du får engagerede kolleger og en fleksibel arbejdstid.", "da")
    assert {"sk_fleksibel", "sk_engageret"} <= ids(extract("Jeg er fleksibel og engageret.", "da"))


def test_short_capitalised_names_match_only_as_written():
    assert "sk_excel" in ids(extract("Jeg bruger Excel og Word dagligt.", "da"))
    assert "sk_excel" not in ids(extract("I excel at finding the right word.", "en"))
    assert "sk_word" not in ids(extract("I excel at finding the right word.", "en"))


def test_free_text_after_cue_phrases():
    mentions = extract("Jeg har kendskab til origami og kalligrafi.", "da")
    free = [m for m in mentions if m.competence_id is None]
    assert [m.text for m in free] == ["origami", "kalligrafi"]
    for m in free:
        assert m.group in GROUPS
        assert m.kind == competences.kind_of_group(m.group)
        assert m.confidence == competences.CONF_FREE_TEXT


def test_free_text_is_not_reported_for_taxonomy_competences_or_junk():
    mentions = extract("Jeg har erfaring med truckkørsel og mange forskellige opgaver.", "da")
    assert [m.competence_id for m in mentions] == ["sk_truckcertifikat"]


def test_english_cv_text():
    text = ("I am a reliable and hard-working housekeeper. I am flexible about shifts and a good team player.\n"
            "• Cleaning of rooms and public areas, laundry and ironing\n• First aid, 2024")
    mentions = extract(text, "en")
    assert {"sk_paalidelig", "sk_arbejdsom", "sk_fleksibel", "sk_teamplayer", "sk_foerstehjaelp"} <= ids(mentions)
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_language_is_detected_when_not_given():
    assert "sk_teamplayer" in ids(extract("I am a good team player with experience in cleaning."))


def test_empty_text():
    assert extract("", "da") == []
    assert extract("   \n ", "da") == []


def test_every_extra_competence_is_valid_and_new():
    tax = load_taxonomy()
    assert not tax.validate()
    assert tax.competences["competence_id"].is_unique
