"""Integrity of the bundled taxonomy: labels in both languages, valid codes, no orphans."""

from __future__ import annotations

import pandas as pd
import pytest

from jobmatch.taxonomy import GROUPS, Taxonomy, load_taxonomy, split_multi


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def test_sizes(tax):
    assert len(tax.occupations) >= 200
    assert len(tax.competences) >= 800
    assert (tax.competences["kind"] == "personal").sum() >= 60


def test_validates_cleanly(tax):
    assert tax.validate() == []


def test_every_label_in_both_languages(tax):
    for col in ("title_da", "title_en"):
        assert (tax.occupations[col].str.len() > 1).all(), col
    for col in ("label_da", "label_en"):
        assert (tax.competences[col].str.len() > 1).all(), col


def test_group_codes_are_esco_codes(tax):
    assert set(tax.competences["group"]) <= set(GROUPS)
    # the taxonomy spans skills, knowledge, attitudes and languages
    prefixes = {g[0] for g in tax.competences["group"]}
    assert {"S", "K", "A", "L"} <= prefixes


def test_weighted_toward_shortage_areas(tax):
    counts = tax.occupations["industry"].value_counts()
    for industry in ("health_care", "pedagogy_education", "construction", "transport_logistics",
                     "hospitality", "retail_sales", "cleaning_property", "it_telecom", "office_finance",
                     "industry_production"):
        assert counts.get(industry, 0) >= 5, industry


def test_synonyms_are_not_shared_between_competences(tax):
    owner: dict[str, set[str]] = {}
    for row in tax.competences.itertuples(index=False):
        for form in [row.label_da, *split_multi(row.synonyms_da)]:
            owner.setdefault(form.lower(), set()).add(row.competence_id)
    shared = {form: ids for form, ids in owner.items() if len(ids) > 1}
    # a handful of genuinely ambiguous words may remain; they must stay rare
    assert len(shared) <= 0.01 * len(owner), sorted(shared.items())[:20]


def test_every_occupation_has_personal_and_professional_requirements(tax):
    kinds = tax.relations.merge(tax.competences[["competence_id", "kind"]], on="competence_id")
    per_occ = kinds.groupby("occupation_id")["kind"].agg(set)
    missing = [o for o, k in per_occ.items() if k != {"personal", "professional"}]
    assert len(missing) <= 0.05 * len(tax.occupations), missing[:10]


def test_validate_finds_problems():
    occ = pd.DataFrame([{"occupation_id": "occ_a", "isco": "12", "title_da": "A", "title_en": "",
                         "alt_titles_da": "", "alt_titles_en": "", "industry": "nowhere", "education_level": "eud"}])
    comp = pd.DataFrame([{"competence_id": "sk_x", "label_da": "x", "label_en": "x", "synonyms_da": "",
                          "synonyms_en": "", "kind": "odd", "group": "Z9"}])
    rel = pd.DataFrame([{"occupation_id": "occ_a", "competence_id": "sk_missing", "relation": "essential"}])
    ind = pd.DataFrame([{"industry": "retail_sales", "label_da": "Detail", "label_en": "Retail"}])
    problems = " ".join(Taxonomy(occ, comp, rel, ind).validate())
    for word in ("title_en", "ISCO", "group code", "kind", "industry", "unknown competences"):
        assert word in problems
