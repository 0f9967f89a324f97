"""Candidate retrieval: reach, plausibility, focus, the cap, and settings validation."""

from __future__ import annotations

import numpy as np
import pytest

from jobmatch import geo
from jobmatch.features import encode_profile
from jobmatch.retrieval import RetrievalConfig, SearchSettings, SearchSettingsError, retrieve, travel_minutes_all
from tests.ranking_helpers import make_profile, tiny_index

HOME = SearchSettings(home_postcode=2400, mode="bike", max_minutes=30, as_of="2026-11-01")


@pytest.fixture(scope="module")
def index():
    return tiny_index()


def ids(index, cands) -> set[str]:
    return {str(index.posting_ids[r]) for r in cands.rows}


def everything():
    return make_profile(["sk_lagerarbejde", "sk_rengoering", "sk_excel", "sk_koerekort_c"])


def test_travel_minutes_match_the_commute_model(index):
    minutes = travel_minutes_all(index, 2400, "bike")
    expected = geo.commute_minutes(2400, index.postcode, "bike")
    assert np.allclose(minutes, expected)


def test_reach_drops_far_closed_and_unpublished_postings(index):
    cands = retrieve(index, encode_profile(everything(), index), HOME.checked())
    minutes = travel_minutes_all(index, 2400, "bike")
    in_reach = {str(p) for p, m, open_ in zip(index.posting_ids, minutes, index.is_open) if m <= 30 and open_}
    assert ids(index, cands) == in_reach
    assert "P6" not in in_reach  # closed
    assert "P4" not in in_reach  # Roskilde by bike
    assert np.all(cands.travel_minutes <= 30)
    early = SearchSettings(2400, "bike", 30, as_of="2026-10-10").checked()  # P1 and P2 are not yet posted
    assert not {"P1", "P2"} & ids(index, retrieve(index, encode_profile(everything(), index), early))


def test_a_longer_reach_by_car_includes_roskilde(index):
    car = SearchSettings(2400, "car", 60, as_of="2026-11-01").checked()
    assert "P4" in ids(index, retrieve(index, encode_profile(everything(), index), car))


def test_plausible_through_competence_overlap(index):
    cleaner = make_profile(["sk_rengoering"])
    assert ids(index, retrieve(index, encode_profile(cleaner, index), HOME.checked())) == {"P3"}


def test_plausible_through_isco_group(index):
    clerk = make_profile([], occupations=(("occ_other", "4399", 3.0),))
    assert ids(index, retrieve(index, encode_profile(clerk, index), HOME.checked())) == {"P1"}  # ISCO 43xx


def test_plausible_through_the_title(index):
    texty = make_profile([], text="Jeg har arbejdet som lagermedarbejder i mange år.")
    assert ids(index, retrieve(index, encode_profile(texty, index), HOME.checked())) == {"P1"}


def test_empty_profile_keeps_everything_in_reach(index):
    cands = retrieve(index, encode_profile(make_profile([]), index), HOME.checked())
    assert len(cands) == cands.in_range > 0


def test_cap_keeps_the_best_prescore(index):
    settings = SearchSettings(2400, "car", 60, as_of="2026-11-01").checked()
    q = encode_profile(make_profile(["sk_lagerarbejde", "sk_plukning", "sk_rengoering"]), index)
    full = retrieve(index, q, settings)
    one = retrieve(index, q, settings, RetrievalConfig(max_candidates=1))
    assert len(one) == 1 and one.plausible == full.plausible
    assert one.rows[0] == full.rows[np.argmax(full.prescore)]
    assert ids(index, one) == {"P4"}  # its only professional requirement (lagerarbejde) is met


def test_focus_on_sectors_and_isco_groups(index):
    q = encode_profile(everything(), index)
    sector = SearchSettings(2400, "car", 60, focus_sectors=("cleaning_property",), as_of="2026-11-01").checked()
    assert ids(index, retrieve(index, q, sector)) == {"P3"}
    group = SearchSettings(2400, "car", 60, focus_occupations=("43",), as_of="2026-11-01").checked()
    assert ids(index, retrieve(index, q, group)) == {"P1", "P4"}
    occ = SearchSettings(2400, "car", 60, focus_occupations=("occ_chauffoer",), as_of="2026-11-01").checked()
    assert ids(index, retrieve(index, q, occ)) == {"P2"}


def test_word_cosines_come_with_the_candidates(index):
    q = encode_profile(make_profile(["sk_lagerarbejde"], text="lagermedarbejder med plukning"), index)
    cands = retrieve(index, q, HOME.checked())
    assert np.allclose(cands.word_cosine, index.word[cands.rows] @ q.word_dense)


def test_replicated_index_returns_every_copy(index):
    big = index.replicate(len(index) * 3)
    small = retrieve(index, encode_profile(everything(), index), HOME.checked())
    large = retrieve(big, encode_profile(everything(), big), HOME.checked())
    assert len(large) == 3 * len(small)


@pytest.mark.parametrize("kwargs, word", [
    ({"home_postcode": 12}, "postnummer"),
    ({"home_postcode": "abc"}, "postnummer"),
    ({"mode": "rocket"}, "transport"),
    ({"max_minutes": 0}, "max_minutes"),
    ({"max_minutes": float("nan")}, "max_minutes"),
    ({"hours": "night"}, "hours"),
    ({"as_of": "yesterday"}, "as_of"),
])
def test_bad_settings_are_refused_clearly(kwargs, word):
    base = {"home_postcode": 2400, "mode": "bike", "max_minutes": 30}
    with pytest.raises(SearchSettingsError, match=word):
        SearchSettings(**{**base, **kwargs}).checked()


def test_settings_are_normalised():
    s = SearchSettings(home_postcode="2400", mode="bike", max_minutes=30, hours="any").checked()
    assert s.home_postcode == 2400 and s.hours is None and s.max_minutes == 30.0
