"""The map of suggested jobs as a pydeck deck: home, commuting range and jobs coloured by match.

:func:`build_deck` returns a :class:`pydeck.Deck` the Kort page hands to
``st.pydeck_chart``; :func:`deck_dict` is its JSON as a dict (what the tests
read). Layers, bottom to top:

``places``       every postcode point around the range, faint grey, for
                 orientation (there is no basemap offline); tooltip: the place
``range-area``   the commuting range: the convex hull of every postcode area
                 reachable within the maximum travel time (a light polygon;
                 approximate — it can reach over water)
``range-points`` those postcode areas as small dots, with their travel time
``home``         the citizen's home postcode
``jobs``         the suggested jobs, coloured by how well they match among
                 those shown (dark = best), with a tooltip: title, employer,
                 travel time

**Offline by default.** With ``basemap=False`` the deck has no map provider
and no map style, so nothing is requested from a tile server: the layers are
drawn on a plain background and everything useful — where home is, how far the
range reaches, where the jobs are — is still there. (pydeck writes the style
as the placeholder ``"__MAP_STYLE__"``; Streamlit reads that as "no basemap".
Passing ``map_style=None`` instead would make Streamlit fetch a Carto
basemap.) ``basemap=True`` adds Carto's light basemap for machines with
internet.

Jobs are placed at their postcode area (the data has no street addresses),
spread a little around it so that jobs in one area do not hide each other.
Labels are only in tooltips (HTML, so æ, ø and å show); deck.gl's TextLayer
would need a font atlas with Danish letters and is not used.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pydeck as pdk

from jobmatch import display, geo
from jobmatch.i18n import t

#: colours (RGBA)
HOME_COLOUR = [200, 30, 45, 255]
RANGE_FILL = [66, 133, 244, 40]
RANGE_LINE = [66, 133, 244, 160]
RANGE_POINT = [66, 133, 244, 90]
#: jobs: light (weaker match among those shown) to dark (best), readable for colour-blind eyes (viridis ends)
MATCH_STOPS = ([253, 231, 37], [33, 145, 140], [68, 1, 84])

JOB_RADIUS_M = 220
HOME_RADIUS_M = 320
RANGE_POINT_RADIUS_M = 260
#: how far jobs are spread around their postcode's centre
JITTER_M = 350
#: the map's size on screen (width, height in px) that the initial view is fitted to
MAP_PX = (820, 560)
#: postcode points around the range, drawn faintly for orientation (there is no basemap offline)
PLACES_MARGIN_DEG = 0.08
PLACE_COLOUR = [120, 126, 134, 110]
PLACE_RADIUS_M = 180

TOOLTIP_HTML = "<b>{title}</b><br/>{employer}<br/>{minutes_text}"
TOOLTIP_STYLE = {"backgroundColor": "#ffffff", "color": "#1f2328", "fontSize": "14px",
                 "border": "1px solid #c8ccd1", "maxWidth": "320px"}


def match_colour(share: float) -> list[int]:
    """Colour for a position 0 (weakest shown) … 1 (best shown) between the :data:`MATCH_STOPS`."""
    share = min(1.0, max(0.0, float(share))) if math.isfinite(share) else 0.0
    pos = share * (len(MATCH_STOPS) - 1)
    i = min(int(pos), len(MATCH_STOPS) - 2)
    f = pos - i
    a, b = MATCH_STOPS[i], MATCH_STOPS[i + 1]
    return [int(round(a[k] + (b[k] - a[k]) * f)) for k in range(3)] + [235]


def _shares(scores: Sequence[float]) -> list[float]:
    """Each job's position among those shown: 1 for the best score, 0 for the weakest (by rank, ties equal).

    Ranks rather than raw scores: model scores bunch up, and the colour is
    meant to say "better or worse than the others on the map".
    """
    values = np.nan_to_num(np.asarray(scores, dtype=float), nan=-np.inf)
    n = values.size
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    ordered = np.sort(values)  # ascending
    below = np.searchsorted(ordered, values, side="left")  # how many score lower
    return [float(b) / (n - 1) for b in below]


def _jitter(posting_id: str, lat: float) -> tuple[float, float]:
    """A small, stable offset (degrees) from the posting id, so jobs in one postcode do not overlap."""
    digest = hashlib.sha256(posting_id.encode()).digest()
    angle = digest[0] / 255 * 2 * math.pi
    dist = (0.35 + 0.65 * digest[1] / 255) * JITTER_M
    dlat = dist * math.cos(angle) / 111_320
    dlon = dist * math.sin(angle) / (111_320 * max(0.2, math.cos(math.radians(lat))))
    return dlat, dlon


@dataclass(frozen=True)
class _Points:
    """The postcode table folded to map points (several postcodes can share one point)."""

    lat: np.ndarray  # per point
    lon: np.ndarray
    label: list[str]  # up to three "2300 København S" names, ordinary postcodes first
    postcodes: list[list[int]]
    postcode: np.ndarray  # per postcode row
    point_of: np.ndarray  # per postcode row: its point


@lru_cache(maxsize=1)
def _points() -> _Points:
    table = geo.load_postcodes().sort_values(["street_level", "postcode"], kind="stable")
    keys = list(zip(table["lat"].to_numpy(float), table["lon"].to_numpy(float)))
    index: dict[tuple[float, float], int] = {}
    names: list[list[str]] = []
    codes: list[list[int]] = []
    point_of = np.empty(len(keys), dtype=np.int64)
    for i, (key, pc, name) in enumerate(zip(keys, table["postcode"], table["name"])):
        j = index.setdefault(key, len(index))
        if j == len(names):
            names.append([])
            codes.append([])
        names[j].append(f"{int(pc)} {name}")
        codes[j].append(int(pc))
        point_of[i] = j
    labels = [", ".join(n[:3]) + (" …" if len(n) > 3 else "") for n in names]
    lat = np.array([k[0] for k in index], dtype=float)
    lon = np.array([k[1] for k in index], dtype=float)
    return _Points(lat, lon, labels, codes, table["postcode"].to_numpy(np.int64), point_of)


def reachable_postcodes(home_postcode: int, mode: str, max_minutes: float) -> list[dict[str, Any]]:
    """Points of postcode areas within ``max_minutes`` of home, one per map point.

    Several postcodes can share one point (Copenhagen's street-level codes,
    and areas placed at a neighbour's point); each returned point lists
    them: ``postcodes``, ``place`` (up to three names, ordinary postcodes
    first), ``lat``, ``lon``, ``minutes`` (the quickest of them).
    """
    pts = _points()
    minutes = geo.commute_minutes(int(home_postcode), pts.postcode, mode)
    best = np.full(pts.lat.size, np.inf)
    np.minimum.at(best, pts.point_of, minutes)
    inside = np.flatnonzero(best <= float(max_minutes))
    return [{"postcodes": pts.postcodes[j], "place": pts.label[j], "lat": float(pts.lat[j]),
             "lon": float(pts.lon[j]), "minutes": float(best[j])} for j in inside]


def _places_around(points: Sequence[tuple[float, float]]) -> list[dict[str, Any]]:
    """Every postcode point in a box around ``points`` (lat, lon), for orientation on a map without basemap."""
    pts = _points()
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    m = PLACES_MARGIN_DEG
    inside = np.flatnonzero((pts.lat >= min(lats) - m) & (pts.lat <= max(lats) + m)
                            & (pts.lon >= min(lons) - 2 * m) & (pts.lon <= max(lons) + 2 * m))
    return [{"position": [float(pts.lon[j]), float(pts.lat[j])], "title": pts.label[j], "employer": "",
             "minutes_text": ""} for j in inside]


def convex_hull(points: Sequence[tuple[float, float]]) -> list[list[float]]:
    """The convex hull of (lon, lat) points, counter-clockwise (Andrew's monotone chain; no SciPy needed)."""
    pts = sorted(set((float(x), float(y)) for x, y in points))
    if len(pts) <= 2:
        return [list(p) for p in pts]

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return [list(p) for p in lower[:-1] + upper[:-1]]


def _circle(lat: float, lon: float, radius_m: float, n: int = 48) -> list[list[float]]:
    ring = []
    for k in range(n):
        a = 2 * math.pi * k / n
        ring.append([lon + radius_m * math.sin(a) / (111_320 * max(0.2, math.cos(math.radians(lat)))),
                     lat + radius_m * math.cos(a) / 111_320])
    return ring


def _view(points: Sequence[tuple[float, float]], home: tuple[float, float]) -> pdk.ViewState:
    """A view centred between the points that shows them all on a map of about :data:`MAP_PX` pixels."""
    lats = [p[0] for p in points] or [home[0]]
    lons = [p[1] for p in points] or [home[1]]
    lat_c, lon_c = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    span_lon = max(max(lons) - min(lons), 0.02) * 1.25
    span_lat = max(max(lats) - min(lats), 0.015) * 1.25
    # at zoom z the world is 512·2^z px wide; latitude is stretched by 1/cos(lat) (Web Mercator)
    zoom_lon = math.log2(MAP_PX[0] * 360 / (512 * span_lon))
    zoom_lat = math.log2(MAP_PX[1] * 360 * max(0.2, math.cos(math.radians(lat_c))) / (512 * span_lat))
    zoom = max(5.0, min(14.0, min(zoom_lon, zoom_lat)))
    return pdk.ViewState(latitude=round(lat_c, 5), longitude=round(lon_c, 5), zoom=round(zoom, 2), pitch=0)


def build_deck(cards: Sequence[display.JobCard], *, home_postcode: int, mode: str, max_minutes: float,
               lang: str = "da", basemap: bool = False, height: int = 600) -> pdk.Deck:
    """The deck for the Kort page (see the module docstring for the layers)."""
    home_lat_a, home_lon_a = geo.postcode_coords(np.array([int(home_postcode)]))
    home_lat, home_lon = float(home_lat_a[0]), float(home_lon_a[0])
    reach = reachable_postcodes(home_postcode, mode, max_minutes)

    range_points = [{
        "position": [p["lon"], p["lat"]],
        "title": p["place"],
        "employer": t("map.range_tooltip", lang),
        "minutes_text": display.minutes_phrase(p["minutes"], mode, lang),
    } for p in reach]
    hull = convex_hull([(p["lon"], p["lat"]) for p in reach] + [(home_lon, home_lat)])
    if len(hull) < 3:  # a range of one area: a small circle around home
        hull = _circle(home_lat, home_lon, 1500)
    range_area = [{
        "polygon": hull,
        "title": t("map.range_title", lang, minutes=int(round(float(max_minutes)))),
        "employer": t("map.range_from", lang, how=display.mode_phrase(mode, lang),
                      home=display.place_name(home_postcode)),
        "minutes_text": t("map.range_note", lang),
    }]

    shares = _shares([c.score for c in cards])
    jobs = []
    for card, share in zip(cards, shares):
        if not (math.isfinite(card.lat) and math.isfinite(card.lon)):
            continue
        dlat, dlon = _jitter(card.posting_id, card.lat)
        jobs.append({
            "position": [round(card.lon + dlon, 6), round(card.lat + dlat, 6)],
            "title": card.title,
            "employer": f"{card.employer} · {card.place}",
            "minutes_text": card.travel_text,
            "color": match_colour(share),
            "posting_id": card.posting_id,
        })
    home = [{
        "position": [home_lon, home_lat],
        "title": t("map.home", lang),
        "employer": display.place_name(home_postcode),
        "minutes_text": "",
    }]

    places = _places_around([(p["lat"], p["lon"]) for p in reach] + [(home_lat, home_lon)])
    layers = [
        pdk.Layer("ScatterplotLayer", id="places", data=places, get_position="position",
                  get_radius=PLACE_RADIUS_M, radius_min_pixels=1.5, get_fill_color=PLACE_COLOUR, pickable=True),
        pdk.Layer("PolygonLayer", id="range-area", data=range_area, get_polygon="polygon", filled=True,
                  stroked=True, get_fill_color=RANGE_FILL, get_line_color=RANGE_LINE, line_width_min_pixels=2,
                  pickable=True),
        pdk.Layer("ScatterplotLayer", id="range-points", data=range_points, get_position="position",
                  get_radius=RANGE_POINT_RADIUS_M, radius_min_pixels=2, get_fill_color=RANGE_POINT, pickable=True),
        pdk.Layer("ScatterplotLayer", id="home", data=home, get_position="position", get_radius=HOME_RADIUS_M,
                  radius_min_pixels=7, get_fill_color=HOME_COLOUR, stroked=True, get_line_color=[255, 255, 255],
                  line_width_min_pixels=2, pickable=True),
        pdk.Layer("ScatterplotLayer", id="jobs", data=jobs, get_position="position", get_radius=JOB_RADIUS_M,
                  radius_min_pixels=6, get_fill_color="color", stroked=True, get_line_color=[40, 40, 40],
                  line_width_min_pixels=1, pickable=True),
    ]
    view = _view([(p["lat"], p["lon"]) for p in reach] + [(c.lat, c.lon) for c in cards
                                                           if math.isfinite(c.lat)] + [(home_lat, home_lon)],
                 (home_lat, home_lon))
    tooltip = {"html": TOOLTIP_HTML, "style": TOOLTIP_STYLE}
    if basemap:
        return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider="carto",
                        map_style="light", height=height)
    return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None, height=height)


def deck_dict(deck: pdk.Deck) -> dict[str, Any]:
    """What Streamlit sends to the browser: the deck's JSON as a dict, plus its ``tooltip``.

    (pydeck keeps the tooltip outside the JSON; ``st.pydeck_chart`` sends it
    alongside.)
    """
    out = json.loads(deck.to_json())
    out["tooltip"] = getattr(deck, "_tooltip", None)
    return out


def legend(lang: str = "da") -> list[tuple[str, str]]:
    """(CSS colour, text) pairs explaining the map's symbols, for the page to draw."""
    def css(rgba: Sequence[int]) -> str:
        alpha = rgba[3] / 255 if len(rgba) > 3 else 1
        return f"rgba({rgba[0]}, {rgba[1]}, {rgba[2]}, {max(alpha, 0.35):.2f})"

    return [
        (css(HOME_COLOUR), t("map.legend_home", lang)),
        (css(RANGE_LINE), t("map.legend_range", lang)),
        (css(match_colour(1.0)), t("map.legend_best", lang)),
        (css(match_colour(0.5)), t("map.legend_middle", lang)),
        (css(match_colour(0.0)), t("map.legend_weaker", lang)),
    ]
