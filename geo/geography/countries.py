"""Countries by polygon: the country a point lies in, and country shapes for regions.

The polygons are Natural Earth's 10m admin-0 countries, read by
``geo.geography.naturalearth`` (the one reader; the map's basemap draws the
same rows, simplified, while this module keeps full detail for analysis).

A point is placed by one bounding-box query of an ``STRtree`` over every
polygon part, then one vectorised ``intersects`` against the prepared parts:
no Python loop over points or polygons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pycountry
import shapely
from shapely.geometry.base import BaseGeometry

from geo.geography import distance, naturalearth, shapecache

# Natural Earth's 10m borders and coasts are drawn to about a kilometre: over the
# 243,000 GeoNames cities and sites of the gazetteer, 802 fall in another
# country's polygon than their own country code says, and 90% of those lie
# within 2.2 km of their own country (Konstanz 1.1 km, Görlitz 0.4 km, Narva
# 0.3 km, Tal Abyad on the Turkish side of the line). There the gazetteer is
# right. Beyond it the disagreement is real (Ariel 19 km, Smara 102 km) and the
# polygon wins.
BORDER_TOLERANCE_M = 2_500.0

# Natural Earth's English names, where analysts write another.
NAME_OVERRIDES = {"CN": "China", "US": "United States"}

# Natural Earth's subregions are the UN M49 ones; some are said otherwise.
SUBREGION_NAMES = {
    "South-Eastern Asia": "Southeast Asia",
    "Eastern Asia": "East Asia",
    "Southern Asia": "South Asia",
    "Northern Africa": "North Africa",
    "Western Africa": "West Africa",
    "Eastern Africa": "East Africa",
    "Middle Africa": "Central Africa",
    "Caribbean": "the Caribbean",
}
# Natural Earth's bin for remote islands: not an area anyone names.
UNNAMED_GROUPS = frozenset({"Seven seas (open ocean)"})

# Areas analysts name that M49 has not, reviewed like code. These name
# clusters of places, so they are neutral geographic terms; the gazetteer's own
# table (geo/data/regions.csv) resolves names in texts and is broader
# ("Kurdistan", "European Union").
CURATED_MACRO_REGIONS = {
    "the Caucasus": "AM AZ GE RU",
    "the Levant": "IL JO LB PS SY",
    "the Middle East": "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "the Gulf": "AE BH KW OM QA SA",
    "the Balkans": "AL BA BG GR HR ME MK RO RS SI XK",
    "Scandinavia": "DK NO SE",
    "the Baltic states": "EE LT LV",
    "the British Isles": "GB IE IM",
    "the Iberian Peninsula": "AD ES GI PT",
    "the Maghreb": "DZ EH LY MA MR TN",
    "the Sahel": "BF ML MR NE TD",
    "the Horn of Africa": "DJ ER ET SO",
}


@dataclass(frozen=True, eq=False)
class Countries:
    """Natural Earth's rows, and an STRtree over their polygon parts."""

    codes: tuple[str | None, ...]  # ISO 3166-1 alpha-2 per row; None for Akrotiri, Bir Tawil...
    names: tuple[str, ...]
    subregions: tuple[str, ...]
    continents: tuple[str, ...]
    geometries: np.ndarray  # one valid (Multi)Polygon per row
    parts: np.ndarray  # every Polygon of every row, prepared
    part_rows: np.ndarray  # the row of each part
    tree: shapely.STRtree  # over parts: a part's box is tight where a country's is not (Russia's spans 360°)


@dataclass(frozen=True)
class MacroRegion:
    name: str
    members: frozenset[str]


@lru_cache(maxsize=1)
def load_countries() -> Countries:
    """The polygons and their tree, built once per process; the polygons read once per edition (``shapecache``)."""
    records = naturalearth.records()
    shapes = shapecache.kept_all("countries", naturalearth.geometries)
    if len(shapes) != len(records):  # kept by other code, or cut short: read again
        shapes = naturalearth.geometries()
    geometries = np.array(shapes)
    parts, part_rows = shapely.get_parts(geometries, return_index=True)
    shapely.prepare(parts)
    codes = tuple(rec.iso2 for rec in records)
    return Countries(
        codes=codes,
        names=tuple(NAME_OVERRIDES.get(code) or rec.name for code, rec in zip(codes, records)),
        subregions=tuple(rec.subregion for rec in records),
        continents=tuple(rec.continent for rec in records),
        geometries=geometries,
        parts=parts,
        part_rows=part_rows,
        tree=shapely.STRtree(parts),
    )


# --- points -> countries -----------------------------------------------------


def country_of_points(lats: Sequence[float], lons: Sequence[float]) -> list[str | None]:
    """The ISO2 code of the polygon each point lies in; None at sea or in no country."""
    table = load_countries()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    # Boxes from the tree, then the predicate with the polygons prepared. The
    # tree's own predicate prepares the query points instead, and testing
    # points against unprepared 10m polygons is 60x slower.
    point_idx, part_idx = table.tree.query(points)
    hit = shapely.intersects(table.parts[part_idx], points[point_idx])
    point_idx, part_idx = point_idx[hit], part_idx[hit]
    # A point on a shared border touches two countries: the first Natural
    # Earth row wins, so the answer never depends on the tree's order.
    rows = table.part_rows[part_idx]
    order = np.lexsort((rows, point_idx))
    point_idx, rows = point_idx[order], rows[order]
    first = np.unique(point_idx, return_index=True)[1]
    answer = np.full(len(points), None, dtype=object)
    answer[point_idx[first]] = np.array(table.codes, dtype=object)[rows[first]]
    return answer.tolist()


def reconcile_countries(lats: Sequence[float], lons: Sequence[float], gazetteer_codes: Sequence[str | None],
                        tolerance_m: float = BORDER_TOLERANCE_M) -> list[str | None]:
    """The country of each point, the polygon's and the gazetteer's answers combined.

    See ``prefer_gazetteer`` for the rule. Distances are computed only for the
    few points where the two disagree, one vectorised call per country.
    """
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    polygon_codes = country_of_points(lats, lons)
    disputed: dict[str, list[int]] = {}
    for i, (polygon, gazetteer) in enumerate(zip(polygon_codes, gazetteer_codes)):
        if polygon and gazetteer and polygon != gazetteer:
            disputed.setdefault(gazetteer, []).append(i)
    distances: dict[int, float | None] = {}
    for code, idx in disputed.items():
        metres = distance_to_country_m(lats[idx], lons[idx], code)
        distances.update(zip(idx, [None] * len(idx) if metres is None else metres.tolist()))
    return [prefer_gazetteer(polygon, gazetteer, distances.get(i), tolerance_m)
            for i, (polygon, gazetteer) in enumerate(zip(polygon_codes, gazetteer_codes))]


def prefer_gazetteer(polygon_code: str | None, gazetteer_code: str | None, distance_m: float | None,
                     tolerance_m: float = BORDER_TOLERANCE_M) -> str | None:
    """Whose country code a point gets: the polygon's or the gazetteer's.

    The gazetteer's code wins when nothing contradicts it: the point is at sea
    (a coastal city's point often is, at 10m detail), or Natural Earth draws
    that country inside another (French Guiana, Réunion in France: there is
    no polygon to measure, ``distance_m`` is None), or its country lies within
    ``tolerance_m`` of the point (the border drawn in the wrong place).
    Otherwise the polygon wins.
    """
    if gazetteer_code is None:
        return polygon_code
    if polygon_code is None or polygon_code == gazetteer_code or distance_m is None:
        return gazetteer_code
    return gazetteer_code if distance_m <= tolerance_m else polygon_code


def distance_to_country_m(lats: Sequence[float], lons: Sequence[float], code: str) -> np.ndarray | None:
    """Metres from each point to the nearest point of a country; None when it has no polygon.

    The nearest point is found in degrees and measured on the sphere: a
    slight overestimate at high latitude, never an underestimate.
    """
    country = country_shape(code)
    if country is None:
        return None
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    ends = shapely.get_coordinates(shapely.shortest_line(points, country)).reshape(-1, 2, 2)
    return distance.metres(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0])


# --- countries -> shapes and names ------------------------------------------


@lru_cache(maxsize=None)
def country_shape(code: str) -> BaseGeometry | None:
    """A country's polygons (every Natural Earth row with that code), prepared; None if it has none."""
    table = load_countries()
    rows = [i for i, c in enumerate(table.codes) if c == code]
    if not rows:
        return None
    geometry = table.geometries[rows[0]] if len(rows) == 1 else shapely.union_all(table.geometries[rows])
    shapely.prepare(geometry)
    return geometry


def countries_union(codes: Iterable[str]) -> BaseGeometry | None:
    """One shape for several countries (a macro-region); None if none of them has a polygon."""
    return _union(tuple(sorted(set(codes))))


@lru_cache(maxsize=256)
def _union(codes: tuple[str, ...]) -> BaseGeometry | None:
    table = load_countries()
    wanted = set(codes)
    geometries = table.geometries[[i for i, c in enumerate(table.codes) if c in wanted]]
    if not len(geometries):
        return None
    # Natural Earth's countries are a coverage (neighbours share their border
    # vertices), so the coverage union is exact and ten times faster: Europe in
    # 0.03 s instead of 0.4 s. Where the coverage is broken, the full union.
    union = shapely.coverage_union_all(geometries)
    return union if union.is_valid else shapely.union_all(geometries)


def country_name(code: str) -> str | None:
    """The English name of a country: "Turkey", "China", "United States"; None for an unknown code.

    Natural Earth's name, else ISO's for the territories it draws inside
    another country (French Guiana, Réunion).
    """
    table = load_countries()
    name = next((name for c, name in zip(table.codes, table.names) if c == code), None)
    if name is None:
        iso = pycountry.countries.get(alpha_2=code)
        name = getattr(iso, "common_name", None) or getattr(iso, "name", None)
    return name


@lru_cache(maxsize=1)
def macro_region_table() -> tuple[MacroRegion, ...]:
    """Named groups of countries, smallest first: curated areas, NE subregions, continents."""
    table = load_countries()
    members: dict[str, set[str]] = {}
    for code, subregion, continent in zip(table.codes, table.subregions, table.continents):
        if code is None:
            continue
        for group in {SUBREGION_NAMES.get(subregion, subregion), continent} - UNNAMED_GROUPS:
            members.setdefault(group, set()).add(code)
    for name, codes in CURATED_MACRO_REGIONS.items():
        members[name] = set(codes.split())
    regions = (MacroRegion(name, frozenset(codes)) for name, codes in members.items())
    return tuple(sorted(regions, key=lambda r: (len(r.members), r.name)))


def macro_region_name(codes: Iterable[str]) -> str | None:
    """The smallest known area holding all these countries: "Western Europe", "the Caucasus"."""
    wanted = set(codes)
    return next((r.name for r in macro_region_table() if wanted <= r.members), None) if wanted else None
