"""Pair features: hand-computed values on a tiny world, protected attributes, a naive cross-check."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from jobmatch import features as F
from jobmatch.features import FEATURE_INDEX, FEATURE_NAMES, FEATURES, compute_features, encode_profile, day_number
from tests.ranking_helpers import make_profile, nan_equal, tiny_index, trained_small

AS_OF = day_number("2026-11-01")


@pytest.fixture(scope="module")
def index():
    return tiny_index()


def features_for(index, profile, ids, *, hours="full", minutes=None, max_minutes=40.0):
    rows = index.rows_of(ids)
    q = encode_profile(profile, index)
    minutes = np.full(len(rows), 20.0) if minutes is None else np.asarray(minutes, float)
    X = compute_features(index, q, rows, travel_minutes=minutes, max_minutes=max_minutes, hours=hours,
                         as_of_day=AS_OF)
    return {pid: dict(zip(FEATURE_NAMES, row)) for pid, row in zip(ids, X)}


def idf(index, cid):
    return float(index.idf[index.column_of()[cid]])


# -- the table ------------------------------------------------------------------


def test_feature_table_is_complete_and_documented():
    assert len(set(FEATURE_NAMES)) == len(FEATURES) >= 25
    for f in FEATURES:
        assert re.fullmatch(r"[a-z0-9_]+", f.name)
        assert len(f.meaning) > 20 and f.unit and f.group in F.GROUPS
    assert "| `ess_prof_coverage` |" in F.feature_table_markdown()


def test_no_protected_attribute_or_obvious_proxy_is_a_feature():
    tokens = {tok for name in FEATURE_NAMES for tok in name.split("_")}
    words = {f.meaning.lower() for f in FEATURES}
    assert not tokens & set(F.PROTECTED_TERMS)
    for term in ("gender", "køn", "nationality", "birth", "photo", "citizen_id", "home address"):
        assert not any(term in meaning for meaning in words), term


# -- hand-computed values -------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse_worker():
    return make_profile(["sk_lagerarbejde", "sk_truckcertifikat", "sk_fleksibel"],
                        occupations=(("occ_lager", "4321", 6.0), ("occ_kontor", "4110", 2.0)),
                        education="grundskole", licences=("C",), certificates=("sk_truckcertifikat",))


def test_coverage_is_weighted_by_specificity(index, warehouse_worker):
    f = features_for(index, warehouse_worker, ["P1"])["P1"]
    lag, pluk, truck = idf(index, "sk_lagerarbejde"), idf(index, "sk_plukning"), idf(index, "sk_truckcertifikat")
    assert f["ess_prof_coverage"] == pytest.approx((lag + truck) / (lag + pluk + truck), rel=1e-5)
    assert (f["ess_prof_matched"], f["ess_prof_missing"], f["ess_prof_total"]) == (2, 1, 3)
    assert f["opt_prof_coverage"] == 1.0  # kørekort B, implied by C
    assert f["ess_pers_coverage"] == 1.0 and f["ess_pers_matched"] == 1
    assert math.isnan(f["opt_pers_coverage"])  # P1 names no optional personal competence
    kb, kc = idf(index, "sk_koerekort_b"), idf(index, "sk_koerekort_c")
    assert f["cv_prof_used"] == pytest.approx((lag + truck + kb) / (lag + truck + kb + kc), rel=1e-5)


def test_credentials_and_licence_categories(index, warehouse_worker):
    f = features_for(index, warehouse_worker, ["P1", "P2"])
    assert f["P1"]["certificates_missing"] == 0 and f["P1"]["credentials_met"] == 1.0
    assert f["P2"]["licences_missing"] == 0 and f["P2"]["ess_prof_coverage"] == 1.0  # has C
    without = make_profile(["sk_lagerarbejde"], licences=("B",))
    g = features_for(index, without, ["P1", "P2"])
    assert g["P2"]["licences_missing"] == 1 and g["P2"]["credentials_met"] == 0.0
    assert g["P1"]["certificates_missing"] == 1  # no truckcertifikat
    assert g["P2"]["ess_prof_coverage"] == 0.0


def test_language_fit_counts_the_postings_own_language(index):
    danish = make_profile(["sk_excel"], languages=(("sk_dansk", "native"),))
    f = features_for(index, danish, ["P1", "P2", "P5"])
    assert f["P1"]["lang_fit"] == 1.0 and f["P1"]["lang_missing"] == 0  # written in Danish
    assert f["P2"]["lang_fit"] == 1.0  # names Danish explicitly
    assert f["P5"]["lang_fit"] == 0.0 and f["P5"]["lang_missing"] == 1  # written in English
    beginner = make_profile(["sk_excel"], languages=(("sk_dansk", "beginner"), ("sk_engelsk", "fluent")), lang="en")
    g = features_for(index, beginner, ["P1", "P2", "P5"])
    assert g["P2"]["lang_missing"] == 1 and g["P2"]["lang_fit"] == 0.0
    assert g["P1"]["lang_fit"] == 0.0
    assert g["P5"]["lang_fit"] == 1.0


def test_occupation_similarity_and_experience(index, warehouse_worker):
    f = features_for(index, warehouse_worker, ["P1", "P5", "P3"])
    assert f["P1"]["same_occupation"] == 1 and f["P1"]["isco_match_digits"] == 4
    assert f["P1"]["years_same_unit"] == 6.0 and f["P1"]["years_same_minor"] == 6.0
    assert f["P5"]["same_occupation"] == 1 and f["P5"]["years_same_unit"] == 2.0  # kontor 4110
    assert f["P3"]["isco_match_digits"] == 0 and f["P3"]["years_same_submajor"] == 0  # 9112
    nobody = make_profile(["sk_lagerarbejde"])
    assert features_for(index, nobody, ["P1"])["P1"]["isco_match_digits"] == 0


def test_education_hours_travel_and_freshness(index, warehouse_worker):
    f = features_for(index, warehouse_worker, ["P1", "P2", "P3"], hours="full", minutes=[10.0, 30.0, 20.0])
    assert f["P2"]["edu_gap"] == 2 and f["P2"]["edu_stated"] == 1  # eud stated, CV grundskole
    assert f["P1"]["edu_gap"] == 0 and f["P1"]["edu_stated"] == 0  # typical level: grundskole
    assert f["P3"]["hours_fit"] == 0 and f["P1"]["hours_fit"] == 1
    assert f["P2"]["travel_minutes"] == 30.0 and f["P2"]["travel_share"] == pytest.approx(0.75)
    assert f["P1"]["days_since_posted"] == 12 and f["P1"]["days_to_deadline"] == 19
    g = features_for(index, make_profile(["sk_lagerarbejde"]), ["P1"], hours=None)["P1"]
    assert math.isnan(g["hours_fit"]) and math.isnan(g["edu_gap"])  # no wish, no education in the CV


def test_per_row_as_of_days(index, warehouse_worker):
    rows = index.rows_of(["P1", "P1"])
    q = encode_profile(warehouse_worker, index)
    X = compute_features(index, q, rows, travel_minutes=np.zeros(2), max_minutes=30, hours=None,
                         as_of_day=np.array([AS_OF, AS_OF - 5]))
    assert list(X[:, FEATURE_INDEX["days_since_posted"]]) == [12, 7]


def test_empty_candidate_list(index, warehouse_worker):
    q = encode_profile(warehouse_worker, index)
    X = compute_features(index, q, np.array([], dtype=int), travel_minutes=np.array([]), max_minutes=30, hours=None,
                         as_of_day=AS_OF)
    assert X.shape == (0, len(FEATURE_NAMES))


def test_overlap_rule_score(index, warehouse_worker):
    q = encode_profile(warehouse_worker, index)
    rows = index.rows_of(["P1", "P3"])
    s = F.overlap_scores(index, q.has, rows)
    # P1: essential lager, pluk, truck, fleksibel (3 of 4 met) + optional kørekort B (met, weight 0.5)
    assert s[0] == pytest.approx((3 + 0.5) / (4 + 0.5))
    assert s[1] == 0.0


# -- the real parser: protected attributes do not change anything -------------------------

CV = """{name}

Navn: {name}
Adresse: {street}, 2400 København NV
Telefon: {phone}
Fødselsdato: {birth}

Om mig
{pronoun} er en mødestabil og fleksibel lagermedarbejder, der trives med travlhed.

Erhvervserfaring
03/2016 – 08/2025  Lagermedarbejder, Nord Logistik A/S, Glostrup
- Plukning og pakning af ordrer
- Truckkørsel

Uddannelse
2010–2013  Erhvervsuddannelse som lagermedarbejder

Kørekort: B

Sprog
Dansk: flydende
Engelsk: godt
"""


def test_features_identical_for_cvs_differing_only_in_name_gender_and_birth_date(small_world, tmp_path_factory):
    from jobmatch import index as ix
    from jobmatch.ranker import profile_from_cv_text

    index = ix.load_or_build(small_world, cache_root=tmp_path_factory.getbasetemp() / "ranking" / "data" / "index")
    a = profile_from_cv_text(CV.format(name="Mette Hansen", street="Bakkevej 12", phone="22 33 44 55",
                                       birth="12.03.1962", pronoun="Hun"), "da")
    b = profile_from_cv_text(CV.format(name="Mohammed Yusuf Ali", street="Nørregade 3", phone="61 72 83 94",
                                       birth="01.01.1999", pronoun="Han"), "da")
    assert a.competence_ids() == b.competence_ids() and a.competence_ids()
    rows = np.arange(min(800, len(index)))
    kwargs = dict(travel_minutes=np.full(rows.size, 20.0), max_minutes=45, hours="full", as_of_day=AS_OF)
    Xa = compute_features(index, encode_profile(a, index), rows, **kwargs)
    Xb = compute_features(index, encode_profile(b, index), rows, **kwargs)
    assert nan_equal(Xa, Xb)
    assert np.nanmax(Xa[:, FEATURE_INDEX["text_char_cosine"]]) > 0  # the text features are not just empty


def test_vectorised_features_equal_a_naive_python_implementation(small_world, tmp_path_factory):
    from jobmatch import bench, world
    from jobmatch.ranker import profile_from_cv_text
    from jobmatch.retrieval import SearchSettings

    env = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    index = env["index"]
    citizens = world.load_citizens(small_world).head(4)
    rows = np.arange(0, len(index), 7)[:300]
    naive = bench.naive_postings(index, rows)
    for c in citizens.itertuples(index=False):
        profile = profile_from_cv_text(c.cv_text, c.cv_lang)
        q = encode_profile(profile, index)
        minutes = np.linspace(5, 60, rows.size)
        settings = SearchSettings(int(c.home_postcode), c.transport_mode, 45.0, hours="part", as_of="2026-11-01")
        X = compute_features(index, q, rows, travel_minutes=minutes, max_minutes=45.0, hours="part", as_of_day=AS_OF)
        nq = bench.naive_query(index, q)
        N = np.array([bench.naive_features(p, nq, m, settings, AS_OF) for p, m in zip(naive, minutes)],
                     dtype=np.float32)
        assert np.allclose(X, N, atol=1e-4, equal_nan=True)
