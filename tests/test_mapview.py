"""The map deck: layers, offline (no basemap), tooltips with Danish letters, colours by match."""

from __future__ import annotations

import json
import math

import pytest

from jobmatch import geo, mapview
from jobmatch.display import JobCard


def card(pid: str, score: float, postcode: int = 2100, title: str = "Lagermedarbejder på Østerbro",
         employer: str = "Ærø Fragt A/S") -> JobCard:
    lat, lon = geo.postcode_coords([postcode])
    return JobCard(posting_id=pid, rank=1, title=title, employer=employer, postcode=postcode,
                   place=f"{postcode} København Ø", lat=float(lat[0]), lon=float(lon[0]), travel_minutes=20,
                   travel_text="ca. 20 min. på cykel", deadline="2026-12-01", deadline_text="1. dec. 2026",
                   hours_text="Fuld tid", score=score, reasons=["Transport: ca. 20 min. på cykel."])


@pytest.fixture
def deck_json() -> dict:
    cards = [card("P1", 0.9), card("P2", 0.5, 2200, "Pakkeriarbejder", "Søborg Lager"), card("P3", 0.1, 2300)]
    deck = mapview.build_deck(cards, home_postcode=2200, mode="bike", max_minutes=30, lang="da")
    return mapview.deck_dict(deck)


def test_the_deck_has_home_range_and_jobs_and_no_text_layer(deck_json):
    layers = {layer["id"]: layer for layer in deck_json["layers"]}
    assert list(layers) == ["places", "range-area", "range-points", "home", "jobs"]
    assert len(layers["places"]["data"]) >= len(layers["range-points"]["data"])
    assert all(layer["@@type"] != "TextLayer" for layer in deck_json["layers"])
    assert len(layers["jobs"]["data"]) == 3
    assert len(layers["home"]["data"]) == 1
    assert len(layers["range-points"]["data"]) >= 5
    assert len(layers["range-area"]["data"][0]["polygon"]) >= 3


def test_offline_by_default_no_basemap_is_requested(deck_json):
    # no provider, and pydeck's placeholder style, which Streamlit reads as "no basemap"
    assert "mapProvider" not in deck_json
    assert deck_json["mapStyle"] == "__MAP_STYLE__"
    assert "cartocdn" not in json.dumps(deck_json) and "mapbox" not in json.dumps(deck_json).lower()


def test_a_basemap_can_be_asked_for():
    deck = mapview.deck_dict(mapview.build_deck([card("P1", 1.0)], home_postcode=2200, mode="bike", max_minutes=20,
                                                basemap=True))
    assert deck["mapProvider"] == "carto"
    assert "cartocdn" in deck["mapStyle"]


def test_tooltips_carry_title_employer_and_minutes_with_danish_letters(deck_json):
    assert deck_json["tooltip"]["html"] == "<b>{title}</b><br/>{employer}<br/>{minutes_text}"
    jobs = next(layer for layer in deck_json["layers"] if layer["id"] == "jobs")["data"]
    first = jobs[0]
    assert first["title"] == "Lagermedarbejder på Østerbro"
    assert first["employer"].startswith("Ærø Fragt A/S")
    assert first["minutes_text"] == "ca. 20 min. på cykel"
    # every layer's rows fill the same tooltip fields, so no tooltip shows a raw {placeholder}
    for layer in deck_json["layers"]:
        for row in layer["data"]:
            assert {"title", "employer", "minutes_text"} <= set(row)


def test_jobs_are_coloured_from_weaker_to_best_match(deck_json):
    jobs = {row["posting_id"]: row for row in next(lay for lay in deck_json["layers"] if lay["id"] == "jobs")["data"]}
    assert jobs["P1"]["color"][:3] == mapview.MATCH_STOPS[-1]
    assert jobs["P3"]["color"][:3] == mapview.MATCH_STOPS[0]
    assert jobs["P2"]["color"][:3] == mapview.MATCH_STOPS[1]


def test_jobs_in_one_postcode_do_not_sit_on_top_of_each_other():
    cards = [card(f"P{i}", 0.5) for i in range(5)]
    deck = mapview.deck_dict(mapview.build_deck(cards, home_postcode=2100, mode="walk", max_minutes=20))
    positions = [tuple(r["position"]) for r in next(lay for lay in deck["layers"] if lay["id"] == "jobs")["data"]]
    assert len(set(positions)) == 5
    for lon, lat in positions:  # but they stay close to the postcode's point (within the jitter radius)
        km = geo.haversine_km(lat, lon, cards[0].lat, cards[0].lon)
        assert km <= mapview.JITTER_M / 1000 + 0.01


def test_reachable_postcodes_grow_with_the_travel_time():
    near = mapview.reachable_postcodes(2200, "bike", 15)
    far = mapview.reachable_postcodes(2200, "bike", 40)
    assert all(p["minutes"] <= 15 for p in near)
    near_codes = {pc for p in near for pc in p["postcodes"]}
    assert near_codes < {pc for p in far for pc in p["postcodes"]}
    assert 2200 in near_codes
    assert any("2200 København N" in p["place"] for p in near)
    assert len({(p["lat"], p["lon"]) for p in far}) == len(far)  # one entry per map point


def test_convex_hull():
    square = [(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5), (0.2, 0.8)]
    hull = mapview.convex_hull(square)
    assert sorted(map(tuple, hull)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert mapview.convex_hull([(1, 2)]) == [[1.0, 2.0]]


def test_a_single_area_range_still_draws_an_area():
    deck = mapview.deck_dict(mapview.build_deck([], home_postcode=3700, mode="walk", max_minutes=1))
    area = next(lay for lay in deck["layers"] if lay["id"] == "range-area")["data"][0]["polygon"]
    assert len(area) >= 3
    assert next(lay for lay in deck["layers"] if lay["id"] == "jobs")["data"] == []


def test_view_centres_on_the_points():
    deck = mapview.deck_dict(mapview.build_deck([card("P1", 1.0, 2300)], home_postcode=2200, mode="bike",
                                                max_minutes=20))
    view = deck["initialViewState"]
    assert 55.5 < view["latitude"] < 55.9 and 12.3 < view["longitude"] < 12.8
    assert 8 <= view["zoom"] <= 14


def test_match_colour_ends_and_legend():
    assert mapview.match_colour(0.0)[:3] == mapview.MATCH_STOPS[0]
    assert mapview.match_colour(1.0)[:3] == mapview.MATCH_STOPS[-1]
    assert mapview.match_colour(math.nan)[:3] == mapview.MATCH_STOPS[0]
    assert [text for _, text in mapview.legend("en")][0] == "Home"
