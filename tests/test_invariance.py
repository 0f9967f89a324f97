"""Invariance: a CV that differs only in name, gender-coded words or age gets (almost) the same top 10.

Every demo persona and a sample of demo citizens is ranked twice by the small
trained model on the small world — once as each side of a counterfactual
pair (:func:`jobmatch.fairness.counterfactual_pairs`) — through the real
pipeline (:func:`jobmatch.cvparse.profile_from_text`, then the ranking
engine). The share of the top 10 that changes must stay within the
configured ``invariance_max_top10_change``, and the shared postings must keep
their order (Kendall's tau). The edit functions are tested on their own first,
so the invariance cannot pass because an edit silently did nothing; a control
edit that does change the CV's content shows the measure can fail.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

import pytest

from jobmatch import config, fairness
from jobmatch.cv import read_cv
from jobmatch.personas import list_personas
from tests.ranking_helpers import trained_small

PERSONAS = list_personas()
#: shared postings must keep (nearly) their order
MIN_KENDALL_TAU = 0.6
CITIZEN_SAMPLE = 6


# ---------------------------------------------------------------------------
# the edits themselves


def test_swap_gender_words_both_ways_keeps_case():
    text = "Han siger, at hun hjælper ham og hende. Hans kollega er en mand. HUN er her."
    assert fairness.swap_gender_words(text, "da") == \
        "Hun siger, at han hjælper hende og ham. Hendes kollega er en kvinde. HAN er her."
    assert fairness.swap_gender_words("She told him that he is a man.", "en") == \
        "He told her that she is a woman."
    # words that merely contain a gendered word are left alone
    assert fairness.swap_gender_words("handel og mandag", "da") == "handel og mandag"


def test_third_person_writes_the_cv_about_a_woman_or_a_man():
    text = "Peter Hansen\nJeg er en stabil kok. Mine kolleger beskriver mig som rolig."
    woman = fairness.third_person(text, "female", "da")
    man = fairness.third_person(text, "male", "da")
    assert "Hun er en stabil kok. Hendes kolleger beskriver hende som rolig." in woman
    assert "Han er en stabil kok. Hans kolleger beskriver ham som rolig." in man
    assert "Køn: kvinde" in woman and "Køn: mand" in man
    assert fairness.third_person("I am a cook. My team trusts me.", "female", "en", state_gender=False) == \
        "She am a cook. Her team trusts her."
    with pytest.raises(ValueError):
        fairness.third_person(text, "other")


def test_set_birth_date_replaces_or_adds_the_age():
    today = dt.date(2026, 11, 1)
    with_birth = "Navn: X\nFødselsdato: 21.11.1994\nAlder: 31 år\nErfaring"
    older = fairness.set_birth_date(with_birth, dt.date(1961, 5, 14), "da", today=today)
    assert "Fødselsdato: 14.05.1961" in older and "Alder: 65 år" in older and "1994" not in older
    without = "Navn: X\nErfaring"
    added = fairness.set_birth_date(without, dt.date(2001, 9, 3), "da", today=today)
    assert added.splitlines()[1] == "Fødselsdato: 03.09.2001 (25 år)"
    assert "Date of birth: 03.09.2001 (25 years)" in fairness.set_birth_date("Name\nSkills", dt.date(2001, 9, 3), "en",
                                                                           today=today)


def test_swap_name_replaces_every_spelling_but_not_the_email():
    text = "JEPPE WINTHER\nNavn: Jeppe Winther\nJeg hedder Jeppe.\nE-mail: jeppe.w@example.dk"
    out = fairness.swap_name(text, "Fatima Al-Sayed", "Jeppe Winther")
    assert "FATIMA AL-SAYED" in out and "Navn: Fatima Al-Sayed" in out and "Jeg hedder Fatima." in out
    assert "jeppe.w@example.dk" in out
    # without a known name, the spans PII redaction calls names are replaced
    found = fairness.swap_name("Maria Pedersen\n\nNavn: Maria Pedersen\nErfaring\nLager", "Lars Nielsen")
    assert "Maria" not in found and found.count("Lars Nielsen") == 2


def test_counterfactual_pairs_differ_only_in_the_attribute():
    persona = PERSONAS[0]
    text = read_cv(persona.read_bytes(), persona.path.name).text
    pairs = fairness.counterfactual_pairs(text, persona.lang, name=persona.name)
    assert [p.edit for p in pairs] == ["name", "gender_words", "age"]
    for pair in pairs:
        assert pair.a != pair.b, pair.edit
        assert persona.name not in pair.a and persona.name not in pair.b or pair.edit != "name"


def test_top_k_change_and_rank_correlation_by_hand():
    a = [f"P{i}" for i in range(10)]
    assert fairness.top_k_change(a, a) == 0.0
    assert fairness.top_k_change(a, a[:8] + ["X", "Y"]) == pytest.approx(0.2)
    assert fairness.top_k_change(a, list(reversed(a))) == 0.0  # same set
    assert fairness.top_k_change([], []) == 0.0
    assert fairness.top_k_change(["A"], []) == 1.0
    assert fairness.rank_correlation(a, a) == pytest.approx(1.0)
    assert fairness.rank_correlation(a, list(reversed(a))) == pytest.approx(-1.0)
    swapped = a[:]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert fairness.rank_correlation(a, swapped) == pytest.approx((44 - 1) / 45)  # 44 concordant, 1 discordant pair
    assert math.isnan(fairness.rank_correlation(["A", "B"], ["A", "C"]))


# ---------------------------------------------------------------------------
# the ranking is invariant


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture(scope="module")
def rank_ids(trained):
    """CV text + settings → the ranked posting ids (the app's pipeline; parsed profiles memoised)."""
    from jobmatch.cvparse import profile_from_text

    engine = trained["engine"]

    @lru_cache(maxsize=512)
    def profile(text: str, lang: str):
        return profile_from_text(text, lang)

    def run(text: str, lang: str, settings) -> list[str]:
        return [r["posting_id"] for r in engine.rank(profile(text, lang), settings, top=10).results]

    return run


def _assert_invariant(rank, text: str, lang: str, settings, name: str | None = None) -> list[int]:
    limit = config.fairness_settings().invariance_max_top10_change
    sizes = []
    for pair in fairness.counterfactual_pairs(text, lang, name=name):
        a, b = rank(pair.a, lang, settings), rank(pair.b, lang, settings)
        change = fairness.top_k_change(a, b)
        assert change <= limit, f"{pair.edit}: {change:.0%} of the top 10 changed"
        tau = fairness.rank_correlation(a, b)
        assert math.isnan(tau) or tau >= MIN_KENDALL_TAU, f"{pair.edit}: Kendall's tau {tau:.2f}"
        sizes.append(len(a))
    return sizes


def test_every_persona_keeps_its_top_10(trained, rank_ids):
    from jobmatch.retrieval import SearchSettings

    with_results = 0
    for persona in PERSONAS:
        text = read_cv(persona.read_bytes(), persona.path.name).text
        settings = SearchSettings(home_postcode=persona.postcode, max_minutes=60)
        sizes = _assert_invariant(rank_ids, text, persona.lang, settings, name=persona.name)
        with_results += min(sizes) > 0
    # the check is only worth something when the lists are not empty
    assert with_results >= len(PERSONAS) * 2 // 3


def test_a_sample_of_demo_citizens_keeps_its_top_10(trained, rank_ids):
    from jobmatch import world
    from jobmatch.retrieval import SearchSettings

    citizens = world.load_citizens(trained["world"]).sample(n=CITIZEN_SAMPLE, random_state=3)
    with_results = 0
    for row in citizens.itertuples(index=False):
        settings = SearchSettings(home_postcode=int(row.home_postcode), mode=str(row.transport_mode),
                                  max_minutes=float(row.max_minutes))
        sizes = _assert_invariant(rank_ids, str(row.cv_text), str(row.cv_lang), settings)
        with_results += min(sizes) > 0
    assert with_results >= CITIZEN_SAMPLE // 2


def test_the_measure_sees_a_change_of_content(trained, rank_ids):
    """Control: dropping the work history and skills does change the top 10 beyond the threshold."""
    from jobmatch.retrieval import SearchSettings

    limit = config.fairness_settings().invariance_max_top10_change
    changed = 0
    for persona in PERSONAS[:4]:
        text = read_cv(persona.read_bytes(), persona.path.name).text
        settings = SearchSettings(home_postcode=persona.postcode, max_minutes=60)
        stripped = "\n".join(text.splitlines()[:4])  # name, title and address only
        a, b = rank_ids(text, persona.lang, settings), rank_ids(stripped, persona.lang, settings)
        changed += fairness.top_k_change(a, b) > limit
    assert changed >= 1
