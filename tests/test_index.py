"""The posting index: sections, requirements, specificity, text vectors, caching."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from jobmatch import index as ix
from tests.ranking_helpers import FakeExtractor, tiny_index, tiny_postings, tiny_taxonomy


# -- sections of a posting -------------------------------------------------------


def test_sections_follow_headings_and_optional_lines():
    text = ("Firma søger en kollega.\n\nDine opgaver:\n- Plukning\n\nVi forventer, at du:\n- er fleksibel\n\n"
            "Det er en fordel, hvis du har kørekort.\nVi tilbyder frokost.")
    _, sections = ix.line_sections(text)
    lines = text.split("\n")
    by_line = dict(zip(lines, sections))
    assert by_line["Firma søger en kollega."] == ix.SECTION_OTHER
    assert by_line["- Plukning"] == ix.SECTION_TASKS
    assert by_line["- er fleksibel"] == ix.SECTION_ESSENTIAL
    assert by_line["Det er en fordel, hvis du har kørekort."] == ix.SECTION_OPTIONAL
    assert by_line["Vi tilbyder frokost."] == ix.SECTION_OTHER


def test_sections_in_english():
    _, sections = ix.line_sections("Intro.\nWe expect that you:\n- are flexible\nIt is an advantage if you know SQL.")
    assert sections == [ix.SECTION_OTHER, ix.SECTION_ESSENTIAL, ix.SECTION_ESSENTIAL, ix.SECTION_OPTIONAL]


def test_text_without_headings_counts_as_requirements():
    _, sections = ix.line_sections("Lagerarbejde og truckcertifikat.\nGerne have kørekort B - det er en fordel.")
    assert sections == [ix.SECTION_ESSENTIAL, ix.SECTION_OPTIONAL]


def test_content_text_drops_introductions_and_offers():
    text = "Velkommen hos os.\nDine opgaver:\n- Plukning\nVi tilbyder frokost."
    assert ix.content_text(text) == "Dine opgaver:\n- Plukning"


@pytest.mark.parametrize("text, level", [
    ("Du har en relevant uddannelse (Professionsbachelor som pædagog).", "mvu"),
    ("Du har en bachelor- eller kandidatuddannelse.", "mvu"),
    ("Vi forventer en erhvervsuddannelse som tømrer.", "eud"),
    ("You have a relevant education (Master's degree in economics).", "lvu"),
    ("Du er glad og mødestabil.", None),
    ("Kandidat til byrådet søger hjælp.", None),  # 'kandidat' without an education context
])
def test_education_level_in_posting_text(text, level):
    assert ix.education_level_in(text) == level


def test_licence_categories_and_credentials():
    assert ix.licence_category("sk_koerekort_ce") == "CE"
    assert ix.licence_category("sk_koerekort_b") == "B"
    assert ix.licence_category("sk_kundeservice") is None
    assert ix.is_credential_id("sk_truckcertifikat") and ix.is_credential_id("sk_hygiejnebevis")
    assert not ix.is_credential_id("sk_plukning")


# -- requirements of the tiny world ------------------------------------------------------


@pytest.fixture(scope="module")
def index():
    return tiny_index()


def test_requirements_by_section(index):
    r = index.requirements(int(index.rows_of(["P1"])[0]))
    assert set(r["essential_professional"]) == {"sk_lagerarbejde", "sk_plukning"}
    assert r["essential_credentials"] == ["sk_truckcertifikat"]
    assert r["essential_personal"] == ["sk_fleksibel"]
    assert r["optional_professional"] == ["sk_koerekort_b"]
    # 'excel-kursus' in the offer paragraph is not a requirement
    assert "sk_excel" not in sum(r.values(), [])


def test_negated_mentions_are_not_requirements(index):
    r = index.requirements(int(index.rows_of(["P3"])[0]))
    assert "sk_excel" not in sum(r.values(), [])
    assert r["essential_professional"] == ["sk_rengoering"]
    assert r["optional_professional"] == ["sk_hygiejnebevis"]


def test_languages_and_english_postings(index):
    p2 = index.requirements(int(index.rows_of(["P2"])[0]))
    assert p2["essential_languages"] == ["sk_dansk"]
    p5 = index.requirements(int(index.rows_of(["P5"])[0]))
    assert p5["essential_professional"] == ["sk_excel"] and p5["essential_personal"] == ["sk_fleksibel"]
    cols = index.info["language_columns"]
    assert index.text_lang_col[index.rows_of(["P5"])[0]] == cols["en"]
    assert index.text_lang_col[index.rows_of(["P1"])[0]] == cols["da"]


def test_idf_is_specificity_over_postings(index):
    col = index.column_of()
    n = len(index)
    # lagerarbejde is asked for by P1, P4, P6; truckcertifikat by P1 only
    assert index.idf[col["sk_lagerarbejde"]] == pytest.approx(math.log((1 + n) / (1 + 3)) + 1, rel=1e-5)
    assert index.idf[col["sk_truckcertifikat"]] == pytest.approx(math.log((1 + n) / (1 + 1)) + 1, rel=1e-5)
    assert index.idf[col["sk_truckcertifikat"]] > index.idf[col["sk_lagerarbejde"]]


def test_facts(index):
    rows = index.rows_of(["P1", "P2", "P3", "P6", "nope"])
    assert rows[-1] == -1
    p1, p2, p3, p6 = rows[:4]
    assert index.isco[p1] == 4321
    assert index.edu_required[p2] == 2  # eud stated in the text
    assert index.edu_required[p1] == -1 and index.edu_typical[p1] == 0  # grundskole from the taxonomy
    assert index.part_time[p3] and not index.part_time[p1]
    assert index.is_open[p1] and not index.is_open[p6]
    assert index.posted_day[p1] == int((np.datetime64("2026-10-20") - ix.EPOCH).astype(int))
    assert not np.isnan(index.lat).any()


def test_text_vectors_are_normalised(index):
    for m in (index.word, index.char, index.title):
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        assert np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))


def test_save_and_load_round_trip(index, tmp_path):
    index.save(tmp_path / "idx")
    loaded = ix.PostingIndex.load(tmp_path / "idx")
    assert list(loaded.posting_ids) == list(index.posting_ids)
    for name in ix.PostingIndex._MATRICES:
        assert (getattr(loaded, name) != getattr(index, name)).nnz == 0
    for name in ix.PostingIndex._ARRAYS:
        assert np.array_equal(getattr(loaded, name), getattr(index, name))
    w1, c1 = index.vectorise_text("lagerarbejde og plukning")
    w2, c2 = loaded.vectorise_text("lagerarbejde og plukning")
    assert (w1 != w2).nnz == 0 and (c1 != c2).nnz == 0


def test_replicate_copies_vectors_with_new_ids(index):
    big = index.replicate(15)
    assert len(big) == 15 and len(set(big.posting_ids)) == 15
    assert big.posting_ids[0] == "P1" and big.posting_ids[6] == "P1-1"
    assert (big.essential[6] != index.essential[0]).nnz == 0
    assert (big.char[13] != index.char[1]).nnz == 0
    assert big.meta.iloc[6]["title"] == index.meta.iloc[0]["title"]


def test_query_text_is_redacted_and_neutral(index):
    a = index.vectorise_text("Navn: Mette Jensen\nFødselsdato: 01.02.1970\nHun har erfaring med lagerarbejde.")
    b = index.vectorise_text("Navn: Ali Hassan\nFødselsdato: 03.04.1995\nHan har erfaring med lagerarbejde.")
    for x, y in zip(a, b):
        assert (x != y).nnz == 0


# -- pieces -------------------------------------------------------------------------


def test_hashed_tfidf_agrees_with_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["lager og plukning", "lager og truck", "rengøring og pleje", "pleje og omsorg", "truck og lager og pleje"]
    ours = ix.HashedTfidf(analyzer="word", min_df=1, max_df=1.0)
    X = ours.fit_counts(ours.counts(docs)).weigh(ours.counts(docs))
    ref = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b").fit_transform(docs)
    assert np.allclose((X @ X.T).toarray(), (ref @ ref.T).toarray(), atol=1e-5)


def test_top_k_rows_keeps_the_largest_entries():
    m = sp.csr_matrix(np.array([[0.1, 0.5, 0.3, 0.0], [0.0, 0.2, 0.0, 0.0], [0.9, 0.8, 0.7, 0.6]], dtype=np.float32))
    out = ix._top_k_rows(m, 2).toarray()
    assert np.allclose(out, [[0, 0.5, 0.3, 0], [0, 0.2, 0, 0], [0.9, 0.8, 0, 0]])


# -- the real extractor and the cache on the small world -------------------------------


def test_small_world_index_reads_requirements_and_caches(small_world, tmp_path_factory):
    root = tmp_path_factory.getbasetemp() / "ranking" / "data" / "index"
    first = ix.load_or_build(small_world, cache_root=root)
    n = len(first)
    assert n > 1000
    assert first.essential.nnz / n >= 3  # tasks + requirements
    assert first.optional.nnz / n >= 0.5
    assert (np.asarray(first.essential.multiply(first.optional).sum()) == 0)  # an optional one is not essential
    pers = np.asarray(first.essential[:, first.is_personal].sum(axis=1)).ravel()
    assert (pers > 0).mean() > 0.8  # postings ask for personal competences
    assert (first.edu_required >= 0).mean() > 0.3
    folder = ix.index_folder(first.info["data_version"], root)
    assert (folder / "info.json").exists()
    again = ix.load_or_build(small_world, cache_root=root)
    assert again.essential.nnz == first.essential.nnz and list(again.posting_ids) == list(first.posting_ids)


def test_extractor_is_used_with_the_postings_language():
    postings = tiny_postings()
    seen = []

    class Spy(FakeExtractor):
        def __call__(self, text, lang):
            seen.append(lang)
            return super().__call__(text, lang)

    ix.build_index(postings, taxonomy=tiny_taxonomy(), extractor=Spy(), workers=1)
    assert seen.count("en") == 1 and seen.count("da") == len(postings) - 1


def test_prune_cache_keeps_the_newest(tmp_path):
    import os
    import time as _time

    for i, name in enumerate(["a", "b", "c", "d"]):
        (tmp_path / name).mkdir()
        (tmp_path / name / "info.json").write_text("{}")
        os.utime(tmp_path / name / "info.json", (_time.time() - 100 + i, _time.time() - 100 + i))
    (tmp_path / "not-an-index").mkdir()
    removed = ix.prune_cache(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["a", "b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "d", "not-an-index"]
