"""Language detection, tokens with offsets, stemming and compound splitting."""

from __future__ import annotations

import unicodedata

import pytest

from jobmatch import textnorm
from jobmatch.textnorm import CompoundSplitter, detect_language, stem, token_key, tokenize


def test_tokens_point_into_the_original_text():
    text = "• Truck-certifikat B, TCP/IP og C#\r\nSocial- og sundhedsassistent (2016–2021)."
    tokens = tokenize(text)
    assert [t.text for t in tokens][:4] == ["Truck-certifikat", "B", "TCP/IP", "og"]
    for tok in tokens:
        assert text[tok.start:tok.end] == tok.text


def test_decomposed_letters_stay_in_one_token_and_compare_equal():
    nfd = unicodedata.normalize("NFD", "Kørekort og rengøring på lageret")
    assert nfd != unicodedata.normalize("NFC", nfd)
    tokens = tokenize(nfd)
    assert [t.norm for t in tokens] == ["kørekort", "og", "rengøring", "på", "lageret"]
    for tok in tokens:
        assert nfd[tok.start:tok.end] == tok.text  # offsets into the NFD text


@pytest.mark.parametrize(
    "a, b",
    [
        ("Truck-certifikat", "truckcertifikat"),
        ("idérig", "iderig"),
        ("ADR", "adr"),
    ],
)
def test_token_key_joins_and_folds(a, b):
    assert token_key(a) == token_key(b)


@pytest.mark.parametrize(
    "inflected, base",
    [
        ("truckcertifikatet", "truckcertifikat"),
        ("personlige", "personlig"),
        ("selvstændigt", "selvstændig"),
        ("overblikket", "overblik"),
        ("hygiejnebeviset", "hygiejnebevis"),
    ],
)
def test_danish_stems_meet(inflected, base):
    assert stem(inflected, "da") == stem(base, "da")


def test_english_stems_meet():
    assert stem("cleaning", "en") == stem("clean", "en")


def test_pronouns_in_every_person_stem_alike():
    # a job ad says "udvikle dig", a CV "udvikle mig", a label "udvikle sig"
    assert stem("dig", "da") == stem("mig", "da") == stem("sig", "da")
    assert stem("din", "da") == stem("min", "da")
    assert stem("lager", "da") != stem("sig", "da")


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Jeg er mødestabil og har erfaring med lager og logistik.", "da"),
        ("I am a reliable housekeeper with seven years of experience in hotels.", "en"),
        ("Erhvervserfaring\n2016–2021 Lagermedarbejder\nSprog: dansk (modersmål)", "da"),
        ("Work experience\n2016–2021 Warehouse worker\nLanguages: English (native)", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_detect_language_falls_back_to_default_without_evidence():
    assert detect_language("12345 67890", default="da") == "da"
    assert detect_language("", default="en") == "en"


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    return CompoundSplitter(["lager", "truck", "certifikat", "arbejdsmiljø", "kursus", "område", "kunde",
                             "service", "råde", "arbejdsom", "sår", "pleje"])


@pytest.mark.parametrize(
    "word, parts",
    [
        ("lagerarbejde", ("lager", "arbejde")),
        ("lagerarbejdet", ("lager", "arbejdet")),  # the head may be inflected
        ("truckcertifikatet", ("truck", "certifikatet")),
        ("arbejdsmiljøkursus", ("arbejdsmiljø", "kursus")),
        ("kundeservice", ("kunde", "service")),
        ("sårplejen", ("sår", "plejen")),
        # "arbejd|s|område" beats "arbejdsom|råde": the shortest part is longer
        ("arbejdsområde", ("arbejd", "område")),
    ],
)
def test_compound_splitting(splitter, word, parts):
    assert splitter.split(word) == parts


@pytest.mark.parametrize("word", ["samarbejde", "lager", "xyzqwerty", "kørekort"])
def test_words_that_are_no_known_compound(splitter, word):
    assert splitter.split(word) is None


def test_words_and_stems_helpers():
    assert textnorm.words("Personlig pleje, sårpleje!") == ["personlig", "pleje", "sårpleje"]
    assert textnorm.stems("personlige plejen") == textnorm.stems("personlig pleje")
