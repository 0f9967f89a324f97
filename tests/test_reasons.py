"""Reasons: LIX, grounding in the CV and the posting, 2–4 per job for every persona, Danish and English."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pytest

from jobmatch import explain, reasons
from jobmatch.cli import main
from jobmatch.features import FEATURE_NAMES, GROUPS, compute_features, encode_profile, profile_competence_ids
from jobmatch.profile import OccupationHeld
from jobmatch.reasons import CitizenFacts, PostingFacts, choose_reasons, lix
from jobmatch.retrieval import SearchSettings
from tests.ranking_helpers import make_profile, tiny_index

# ---------------------------------------------------------------------------
# LIX, checked by hand


def test_lix_hand_checked():
    # 7 words, 2 sentences, 2 long words (Lagermedarbejderen, arbejder; "natten" has only 6 letters)
    assert lix("Lagermedarbejderen kører truck. Han arbejder om natten.") == pytest.approx(7 / 2 + 100 * 2 / 7)
    # abbreviation periods do not end sentences: 5 words, 1 sentence, no long words
    assert lix("Ca. 25 min. på cykel.") == pytest.approx(5.0)
    # "!" and "?" end sentences: 5 words, 3 sentences, 1 long word (Hvordan)
    assert lix("Hej! Hvordan går det? Godt.") == pytest.approx(5 / 3 + 100 * 1 / 5)
    # a hyphenated compound is one word, digits are not letters
    assert lix("IT-supporter 123456789") == pytest.approx(2 / 1 + 100 * 1 / 2)
    assert lix("") == 0.0


# ---------------------------------------------------------------------------
# hand-made facts on the tiny index


@pytest.fixture(scope="module")
def tiny():
    return tiny_index()


def _reasons_for(index, profile, posting_id, shap_by_group, *, mode="bike", max_minutes=45.0, hours=None,
                 minutes=25.0):
    row = int(index.rows_of([posting_id])[0])
    settings = SearchSettings(2400, mode, max_minutes, hours=hours, as_of="2026-11-01")
    q = encode_profile(profile, index)
    day = settings.as_of_day()
    X = compute_features(index, q, np.array([row]), travel_minutes=np.array([minutes]), max_minutes=max_minutes,
                         hours=hours, as_of_day=day)
    shap = None
    if shap_by_group is not None:
        shap = np.zeros(len(FEATURE_NAMES))
        groups = explain.feature_groups()
        for g, value in shap_by_group.items():
            shap[groups.index(g)] = value  # the group's first feature carries the group's value
    return choose_reasons(X[0], shap, PostingFacts.of(index, row, minutes, day),
                          CitizenFacts.of(profile, index, settings))


def test_missing_licence_is_named_as_missing(tiny):
    profile = make_profile(["sk_lagerarbejde"])
    out = _reasons_for(tiny, profile, "P2", {"credentials": -1.0, "travel": 0.1})
    first = out[0]
    assert first.text == "Jobbet kræver kørekort C, som ikke står i dit CV."
    assert first.text_en == "The job requires driving licence C, which your CV does not show."
    assert first.direction == "-" and first.group == "credentials" and first.contribution == pytest.approx(-1.0)
    assert first.evidence["competences"][0] == {"id": "sk_koerekort_c", "label_da": "kørekort C",
                                                "label_en": "driving licence C", "in_cv": False, "cv_text": None,
                                                "required": "essential"}


def test_a_higher_licence_covers_the_required_one(tiny):
    profile = make_profile(["sk_koerekort_ce"], licences=("CE",))
    out = _reasons_for(tiny, profile, "P2", {"credentials": 0.8})
    assert out[0].text == "Dit kørekort CE dækker kørekort C, som jobbet kræver."
    assert out[0].direction == "+" and out[0].evidence["covered_by"] == "sk_koerekort_ce"


def test_met_requirements_are_named_with_the_cv_words(tiny):
    profile = make_profile(["sk_truckcertifikat", "sk_lagerarbejde", "sk_plukning"])
    out = _reasons_for(tiny, profile, "P1", {"professional": 0.9, "credentials": 0.5, "travel": -0.2})
    assert out[0].group == "professional" and out[0].direction == "+"
    assert out[0].text.startswith("Du nævner ") and out[0].text.endswith("– jobbet kræver dem.")
    named = {c["id"] for c in out[0].evidence["competences"]}
    assert named <= {"sk_lagerarbejde", "sk_plukning"} and len(named) == 2
    assert out[1].text == "Du nævner truckcertifikat – jobbet kræver det."
    assert out[1].evidence["competences"][0]["cv_text"] == "sk_truckcertifikat"  # the mention's text (hand-made)
    # the three reasons point one way until the travel reason: the other direction is added
    assert [r.direction for r in out] == ["+", "+", "-"]
    assert out[2].text == "Ca. 25 min. på cykel."


def test_hours_against_the_wish_and_years_of_experience(tiny):
    profile = make_profile(["sk_rengoering"])
    profile.occupations.append(OccupationHeld(None, "9112", "Rengøringsassistent", 6.2))
    out = _reasons_for(tiny, profile, "P3", {"hours": -0.7, "occupation": 0.6}, hours="full")
    assert out[0].text == "Jobbet er på deltid (25 timer). Du søger fuldtid."
    assert out[0].text_en == "The job is part time (25 hours). You are looking for full time."
    assert out[1].text == "Du har 6 års erfaring som rengøringsassistent."
    assert out[1].evidence["years"] == pytest.approx(6.2)


def test_travel_near_the_limit_says_so(tiny):
    out = _reasons_for(tiny, make_profile([]), "P4", {"travel": -1.0}, mode="public", max_minutes=30, minutes=28)
    assert out[0].text == "Ca. 28 min. med bus og tog. Det er tæt på din grænse."
    assert out[0].evidence["near_limit"] is True


def test_at_least_two_reasons_even_when_nothing_matters(tiny):
    out = _reasons_for(tiny, make_profile([]), "P5", {})
    assert len(out) >= reasons.MIN_REASONS
    out = _reasons_for(tiny, make_profile([]), "P5", None)  # no model: rule directions
    assert len(out) >= reasons.MIN_REASONS


def test_no_evidence_for_the_sign_means_the_next_group(tiny):
    # professional is "+" for the model, but the CV meets none of P4's requirements: no false "Du nævner ..."
    out = _reasons_for(tiny, make_profile(["sk_excel"]), "P4", {"professional": 2.0, "travel": 0.5})
    assert all(r.group != "professional" for r in out)
    assert out[0].group == "travel"


def test_inline_labels_and_lists():
    assert reasons.inline("Vareoptælling og status") == "vareoptælling og status"
    assert reasons.inline("Microsoft Excel") == "Microsoft Excel"
    assert reasons.inline("Python") == "Python"
    assert reasons.inline("EKG-optagelse") == "EKG-optagelse"
    assert reasons.inline("Forklift certificate") == "forklift certificate"
    assert reasons.join_words(["a", "b", "c"]) == "a, b og c"
    assert reasons.join_words(["pakning og emballering", "palletering"]) == "pakning og emballering samt palletering"
    assert reasons.join_words(["a", "b"], "en") == "a and b"


# ---------------------------------------------------------------------------
# every demo persona on the small world


SETTINGS_VARIANTS = (("public", 45.0, None), ("bike", 30.0, "full"))


@pytest.fixture(scope="module")
def persona_reasons(small_model):
    """(persona, settings, method, result) for every demo persona, two search settings, model and rule."""
    engine = small_model["engine"]
    out = []
    for q in explain.demo_queries():
        for mode, minutes, hours in SETTINGS_VARIANTS:
            settings = SearchSettings(q.settings.home_postcode, mode, minutes, hours=hours)
            for use_model in (True, False):
                result = reasons.rank_with_reasons(engine, q.profile, settings, top=10, use_model=use_model)
                out.append((q, settings, result.method, result))
    return out


def _all_details(persona_reasons):
    for q, settings, method, result in persona_reasons:
        for r in result.results:
            for d in r["reason_details"]:
                yield q, settings, method, r, d


def test_every_ranked_job_of_every_persona_has_two_to_four_reasons(persona_reasons):
    jobs = 0
    for q, _settings, _method, result in persona_reasons:
        assert result.results, q.persona_id
        for r in result.results:
            jobs += 1
            assert 2 <= len(r["reasons"]) <= 4, (q.persona_id, r)
            assert r["reasons"] == [d["text"] for d in r["reason_details"]]
            assert len({d["group"] for d in r["reason_details"]}) == len(r["reason_details"])  # one per group
    assert jobs >= 14 * 2 * 2 * 5


def test_reasons_are_structured_with_both_directions_available(persona_reasons):
    directions = set()
    for _q, _s, method, _r, d in _all_details(persona_reasons):
        assert set(d) == {"text", "text_en", "direction", "group", "evidence", "contribution"}
        assert d["direction"] in ("+", "-") and d["group"] in GROUPS
        directions.add(d["direction"])
        if method == "model":
            # the direction is the sign of the group's SHAP sum
            assert (d["direction"] == "+") == (d["contribution"] >= 0)
        else:
            assert d["contribution"] is None
        json.dumps(d)
    assert directions == {"+", "-"}


def test_model_reasons_follow_the_largest_shap_groups(small_model, persona_reasons):
    """The first reason explains the group with the largest |SHAP| whenever that group has evidence to show."""
    first_is_top = total = 0
    for q, settings, method, result in persona_reasons:
        if method != "model":
            continue
        ranked = small_model["engine"].rank_with_features(q.profile, settings, top=10)
        gv = explain.explain_ranking(ranked, small_model["engine"]).group_values()
        for r, row_values in zip(result.results, gv):
            contributions = [abs(d["contribution"]) for d in r["reason_details"]]
            total += 1
            first_is_top += r["reason_details"][0]["group"] == explain.GROUP_KEYS[int(np.argmax(np.abs(row_values)))]
            # the reasons taken by size come in order of |SHAP|
            k = min(reasons.FIRST_REASONS, len(contributions))
            assert contributions[:k] == sorted(contributions[:k], reverse=True)
    assert first_is_top / total > 0.8


def test_no_reason_names_a_competence_absent_from_the_cv_and_the_posting(small_model, persona_reasons):
    index = small_model["index"]
    labels = _taxonomy_labels()
    checked = 0
    for q, _settings, _method, r, d in _all_details(persona_reasons):
        row = int(index.rows_of([r["posting_id"]])[0])
        req = index.requirements(row)
        essential = {c for k, v in req.items() if k.startswith("essential") for c in v}
        optional = {c for k, v in req.items() if k.startswith("optional") for c in v}
        has = profile_competence_ids(q.profile, index)
        named = d["evidence"].get("competences", [])
        for c in named:
            checked += 1
            assert c["in_cv"] == (c["id"] in has), (d["text"], c)
            if c["required"] == "essential":
                assert c["id"] in essential, (d["text"], c)
            elif c["required"] == "optional":
                assert c["id"] in optional, (d["text"], c)
            else:  # a licence that covers the required one, or the posting's own language
                assert c["in_cv"] or c["id"] in {"sk_dansk", "sk_engelsk"}
            assert c["id"] in has or c["id"] in essential | optional or c["id"] in {"sk_dansk", "sk_engelsk"}
            assert c["label_da"] in d["text"] and c["label_en"] in d["text_en"]
            if c["cv_text"] is not None:  # the CV's own words for it, from a mention of that competence
                assert c["cv_text"] in [m.text for m in q.profile.competences if m.competence_id == c["id"]]
        # no other competence label may appear in the text
        allowed = {c["id"] for c in named} | has | essential | optional
        shown = " ".join(c["label_da"] for c in named)
        for cid in _labels_in(d["text"], labels):
            assert cid in allowed or labels[cid] in shown, (d["text"], cid)
    assert checked > 100


def _taxonomy_labels() -> dict[str, str]:
    from jobmatch.taxonomy import load_taxonomy

    comp = load_taxonomy().competences
    return {str(c): reasons.inline(str(label)) for c, label in zip(comp["competence_id"], comp["label_da"])
            if len(str(label)) >= 5}


def _labels_in(text: str, labels: dict[str, str]) -> list[str]:
    """Ids of the taxonomy labels that occur in ``text`` as whole words (one combined pattern)."""
    by_label: dict[str, list[str]] = {}
    for cid, label in labels.items():
        by_label.setdefault(label.lower(), []).append(cid)
    pattern = _label_pattern(tuple(sorted(by_label, key=len, reverse=True)))
    return [cid for m in pattern.finditer(text.lower()) for cid in by_label[m.group(1)]]


@functools.lru_cache(maxsize=2)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    # a zero-width match at every word start where a label begins (longest label first): overlapping hits too
    return re.compile(r"(?<!\w)(?=(" + "|".join(re.escape(label) for label in labels) + r")(?!\w))")


def test_danish_reasons_are_easy_to_read(persona_reasons):
    texts = [d["text"] for *_rest, d in _all_details(persona_reasons)]
    assert len(texts) > 500
    assert lix(" ".join(texts)) < 40
    assert float(np.mean([lix(t) for t in texts])) < 40


def test_english_variants_exist(persona_reasons):
    for *_rest, d in _all_details(persona_reasons):
        assert d["text_en"] and d["text_en"] != d["text"]
        assert not re.search(r"\b(jobbet|kræver|dit CV|du har|min\. på)\b", d["text_en"], re.IGNORECASE), d["text_en"]


def test_reasons_are_deterministic(small_model):
    q = explain.demo_queries()[3]
    a = reasons.rank_with_reasons(small_model["engine"], q.profile, q.settings, top=10)
    b = reasons.rank_with_reasons(small_model["engine"], q.profile, q.settings, top=10)
    assert [r["reason_details"] for r in a.results] == [r["reason_details"] for r in b.results]


def test_bad_language_is_refused(small_model):
    q = explain.demo_queries()[0]
    ranked = small_model["engine"].rank_with_features(q.profile, q.settings, top=2)
    with pytest.raises(ValueError, match="lang"):
        reasons.attach_reasons(ranked, q.profile, q.settings, engine=small_model["engine"], lang="de")


# ---------------------------------------------------------------------------
# rank --json and ranking.rank carry the reasons


def test_rank_command_results_carry_reasons(use_small_model, capsys):
    from jobmatch import personas

    persona = personas.get_persona("lagermedarbejder")
    base = ["rank", str(persona.path), "--postcode", str(persona.postcode), "--top", "8", "--json"]
    assert main(base) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"] and all(len(r["reasons"]) >= 2 for r in doc["results"])
    assert all(isinstance(t, str) for r in doc["results"] for t in r["reasons"])
    assert "reason_details" not in doc["results"][0]
    assert main([*base, "--lang", "en", "--details"]) == 0
    doc_en = json.loads(capsys.readouterr().out)
    assert [r["posting_id"] for r in doc_en["results"]] == [r["posting_id"] for r in doc["results"]]
    first = doc_en["results"][0]
    assert first["reasons"] == [d["text_en"] for d in first["reason_details"]]
    assert main([*base, "--rule"]) == 0  # the stop switch: reasons from the evidence alone
    assert all(len(r["reasons"]) >= 2 for r in json.loads(capsys.readouterr().out)["results"])


def test_ranking_rank_results_carry_reasons(small_model):
    from jobmatch import ranking

    q = explain.demo_queries()[0]
    result = ranking.rank(q.profile, q.settings, top=5, engine=small_model["engine"])
    assert result.results and all(2 <= len(r["reasons"]) <= 4 for r in result.results)
