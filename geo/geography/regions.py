"""Regions: the few areas an analyst reads a map of many places by.

- Clusters: point places (cities, sites, admin areas) within ``radius_km`` of
  one another on the globe, linked in chains (single linkage). A cluster's
  shape is the hull of its places, buffered by a sixth of the radius, drawn in
  an azimuthal equidistant projection centred on the cluster, so that it has
  the same shape at any latitude. Its name comes from its countries: one
  country, a border zone of two ("Turkey–Syria border"), or the smallest known
  area that holds them all ("Western Europe", "the Caucasus").
- Macro-regions: regions the text names ("Central Asia"), drawn as the union
  of their member countries' polygons, less the far parts of a member that is
  only partly in the region (Siberia is not in the Caucasus).

Every function is pure: the same analysis gives the same regions, with the
same ids, in the same order, whatever the order of its places. Shapes are in
lon/lat (WGS84) and never cross the antimeridian: a region astride it is a
MultiPolygon split there, as RFC 7946 asks of GeoJSON.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.geography import distance, shapecache
from geo.geography.countries import (
    countries_union, country_name, country_shape, distance_to_country_m, macro_region_name, reconcile_countries,
)
from geo.model import Analysis, Candidate, Tie

DEFAULT_RADIUS_KM = 300.0
# A country's or a region's point is a marker for an area, not a location:
# clustered, "Turkey" at 39N 35E would chain Antalya to Gaziantep.
POINT_KINDS = frozenset({"city", "site", "admin"})
BUFFER_FRACTION = 1 / 6  # of the radius: at 300 km a region extends 50 km beyond its outer places
CONCAVITY = 0.5  # shapely's concave_hull ratio: 1 is the convex hull; lower follows an L or a C of places
SEGMENT_M = 25_000.0  # a straight edge in the projection is a curve on the globe: densified before going back
# The projection is one-to-one up to 180° from its centre but stretches shapes
# by 1.57 at 90°; a cluster wider than this is drawn as its places' disks.
MAX_HULL_SPREAD_DEG = 80.0
DISK_VERTICES = 16
# Two countries make a border zone when their places lie, on average, this
# close to the other country: Gaziantep, Şanlıurfa, Tal Abyad, Raqqa and
# Incirlik 59 km (a border zone); Paris and Brussels 130 km (Western Europe).
BORDER_ZONE_KM = 100.0
# Macro-regions are drawn over a map, not measured: ~5 km of detail, as the basemap.
MACRO_SIMPLIFY_DEG = 0.05
# A member country reaching more than twice as far from a region's point as
# any other member is only partly in the region (Russia in the Caucasus, in
# Europe, in Eastern Europe): the region is clipped to a cap around its point
# as wide as its other members reach. A region of one country (the North
# Caucasus) reaches this far from its point.
PARTIAL_MEMBER_FACTOR = 2.0
SINGLE_MEMBER_REACH_KM = 400.0
CSV_COLUMNS = ("id", "name", "kind", "countries", "places", "people", "first_date", "last_date", "lon", "lat")

_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class Region:
    """An area of the map and what the text says happened in it."""

    id: str  # "cluster:<hash of its points>" or "macro:<gazetteer id>": stable across runs
    name: str
    kind: str  # "cluster" or "macro"
    geometry: BaseGeometry  # Polygon or MultiPolygon, lon/lat
    places: tuple[int, ...]  # indices into Analysis.places, ascending
    people: tuple[str, ...]  # Person.name of everyone tied to those places, sorted
    first_date: str | None  # earliest tie date (ISO, at its precision)
    last_date: str | None  # latest tie date or end date
    countries: tuple[str, ...]  # ISO2; for a cluster, the most places first


# --- the country of every place ---------------------------------------------


def place_countries(analysis: Analysis) -> tuple[str | None, ...]:
    """The country of every place (None: unresolved, a multi-country region, or at sea).

    A country is its own code; points are placed by polygon, the gazetteer's
    code winning near borders and coasts (``geo.geography.countries.prefer_gazetteer``).
    """
    located = [i for i, p in enumerate(analysis.places) if p.resolved and p.chosen.kind not in ("country", "region")]
    chosen = [analysis.places[i].chosen for i in located]
    found = reconcile_countries([c.lat for c in chosen], [c.lon for c in chosen], [c.country for c in chosen])
    codes: list[str | None] = [
        p.chosen.country if p.resolved and p.chosen.kind == "country" else None for p in analysis.places
    ]
    for i, code in zip(located, found):
        codes[i] = code
    return tuple(codes)


# --- clusters ----------------------------------------------------------------


def cluster_places(analysis: Analysis, radius_km: float = DEFAULT_RADIUS_KM) -> tuple[Region, ...]:
    """Point places grouped into regions: a place joins a region when it is within radius_km of one of its places.

    Ordered by size (most places first), then name, then id.
    """
    if not 0 < radius_km < float("inf"):
        raise InputError(f"radius_km must be a positive number of kilometres, got {radius_km!r}; try 300")
    members = [i for i, p in enumerate(analysis.places) if p.resolved and p.chosen.kind in POINT_KINDS]
    if not members:
        return ()
    coords = np.array([(analysis.places[i].chosen.lat, analysis.places[i].chosen.lon) for i in members])
    # Sorted unique points: neither the order of the places nor a place
    # mentioned twice changes the graph, the hulls or the ids.
    points, point_of = np.unique(coords, axis=0, return_inverse=True)
    labels = distance.linked_within(points, radius_km)
    groups: dict[int, list[int]] = {}
    for place, point in zip(members, point_of.ravel()):
        groups.setdefault(int(labels[point]), []).append(place)
    codes = place_countries(analysis)
    ties = _ties_by_place(analysis)
    regions = [_cluster(analysis, tuple(places), codes, ties, radius_km * BUFFER_FRACTION)
               for places in groups.values()]
    return tuple(sorted(_disambiguate(regions, analysis), key=lambda r: (-len(r.places), r.name, r.id)))


def _cluster(analysis: Analysis, places: tuple[int, ...], codes: Sequence[str | None],
             ties: Mapping[int, list[Tie]], buffer_km: float) -> Region:
    chosen = [analysis.places[i].chosen for i in places]
    points = np.unique(np.array([(c.lat, c.lon) for c in chosen]), axis=0)
    counts = Counter(codes[i] for i in places if codes[i])
    countries = tuple(sorted(counts, key=lambda c: (-counts[c], country_name(c) or c)))
    people, first, last = _summary(ties, places)
    key = "|".join(f"{lat:.6f},{lon:.6f}" for lat, lon in points)
    return Region(
        id="cluster:" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest(),
        name=_cluster_name(countries, chosen, [codes[i] for i in places]) or _landmark(analysis, places),
        kind="cluster",
        geometry=cluster_shape(points[:, 0], points[:, 1], buffer_km),
        places=tuple(sorted(places)),
        people=people,
        first_date=first,
        last_date=last,
        countries=countries,
    )


def _cluster_name(countries: tuple[str, ...], chosen: Sequence[Candidate],
                  codes: Sequence[str | None]) -> str | None:
    """A name from the countries: "Turkey", "Turkey–Syria border", "Western Europe", "Russia and United States".

    None when no place has a country.
    """
    names = [country_name(c) or c for c in countries]
    if len(countries) <= 1:
        return names[0] if names else None
    if len(countries) == 2 and _is_border_zone(countries, chosen, codes):
        return f"{names[0]}–{names[1]} border"
    return macro_region_name(countries) or _enumerate(names)


def _is_border_zone(pair: tuple[str, str], chosen: Sequence[Candidate], codes: Sequence[str | None]) -> bool:
    """Whether the places of two countries lie, on average, within BORDER_ZONE_KM of the other country."""
    distances = []
    for here, there in (pair, pair[::-1]):
        mine = [c for c, code in zip(chosen, codes) if code == here]
        metres = distance_to_country_m([c.lat for c in mine], [c.lon for c in mine], there)
        if metres is None:
            return False
        distances.extend(metres)
    return float(np.mean(distances)) <= BORDER_ZONE_KM * 1000


def _enumerate(names: Sequence[str]) -> str:
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _landmark(analysis: Analysis, places: Iterable[int]) -> str:
    """The place a region is best known by: the most mentioned, then the most populous."""
    chosen = [analysis.places[i].chosen for i in places]
    mentions = Counter(c.name for c in chosen)
    population: dict[str, int] = {}
    for c in chosen:
        population[c.name] = max(population.get(c.name, 0), c.population)
    return min(mentions, key=lambda name: (-mentions[name], -population[name], name))


def _disambiguate(regions: Sequence[Region], analysis: Analysis) -> list[Region]:
    """Regions that would share a name get their landmark too: "Turkey (Istanbul)", "Turkey (İzmir)"."""
    seen = Counter(r.name for r in regions)
    return [replace(r, name=f"{r.name} ({_landmark(analysis, r.places)})") if seen[r.name] > 1 else r
            for r in regions]


# --- shapes ------------------------------------------------------------------


def cluster_shape(lats: Sequence[float], lons: Sequence[float], buffer_km: float) -> BaseGeometry:
    """The area around a group of points: their hull buffered by buffer_km, in lon/lat.

    Hull and buffer are made in an azimuthal equidistant projection centred on
    the points, then the outline goes back to lon/lat, split at the
    antimeridian and closed over a pole where it goes round one.
    """
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    xyz = distance.unit_vectors(lats, lons)
    centre = xyz.mean(axis=0)
    norm = np.linalg.norm(centre)
    spread = np.degrees(np.arccos(np.clip(xyz @ centre / norm, -1, 1))).max() if norm > 1e-9 else 180.0
    if spread > MAX_HULL_SPREAD_DEG:
        return _disks(lats, lons, buffer_km)
    lat0, lon0 = np.degrees([np.arcsin(centre[2] / norm), np.arctan2(centre[1], centre[0])])
    projection = pyproj.Proj(proj="aeqd", lat_0=lat0, lon_0=lon0, ellps="WGS84")
    x, y = projection(lons, lats)
    hull = shapely.concave_hull(shapely.multipoints(np.column_stack([x, y])), ratio=CONCAVITY)
    area = shapely.orient_polygons(shapely.segmentize(hull.buffer(buffer_km * 1000), SEGMENT_M))
    # The outline only: a hole in a buffered hull is an artefact of the buffer, not a gap in the region.
    ring = shapely.get_coordinates(area.exterior)
    lon, lat = projection(ring[:, 0], ring[:, 1], inverse=True)
    return _lonlat_polygon(np.asarray(lon), np.asarray(lat))


def _disks(lats: np.ndarray, lons: np.ndarray, buffer_km: float) -> BaseGeometry:
    """The union of geodesic disks around the points: the shape of a cluster too wide for one hull."""
    azimuths = np.linspace(0.0, 360.0, DISK_VERTICES, endpoint=False)
    n = len(lats)
    lon, lat, _ = _GEOD.fwd(np.repeat(lons, len(azimuths)), np.repeat(lats, len(azimuths)),
                            np.tile(azimuths, n), np.full(n * len(azimuths), buffer_km * 1000))
    lon, lat = lon.reshape(n, -1), lat.reshape(n, -1)
    # Most disks cross neither the antimeridian nor a pole: built in one call;
    # the few others one by one, each a cluster of one.
    simple = np.ptp(lon, axis=1) < 180.0
    disks = list(shapely.polygons(np.stack([lon[simple], lat[simple]], axis=-1)))
    disks += [cluster_shape([la], [lo], buffer_km) for la, lo in zip(lats[~simple], lons[~simple])]
    return _polygonal(shapely.union_all(disks))


def _lonlat_polygon(lon: np.ndarray, lat: np.ndarray) -> BaseGeometry:
    """A closed, dense, counter-clockwise ring whose longitudes may jump at ±180°, as a valid (Multi)Polygon."""
    # Open the ring and close it again from exact values: an unwrapped last
    # vertex can miss the first by 1e-13, and that is a self-intersection.
    lon, lat = lon[:-1], lat[:-1]
    turns = _turns(lon)
    if turns == 0:
        return _split_at_antimeridian(Polygon(np.column_stack([np.unwrap(lon, period=360.0), lat])))
    # The ring goes once round a pole. Counter-clockwise, the inside is on the
    # left: going east, that is the north pole.
    pole = 90.0 * turns
    # Closed over the pole from the vertex nearest to it: the two meridians
    # down to the pole then cross nothing.
    start = int(np.argmax(lat * turns))
    lon, lat = np.unwrap(np.roll(lon, -start), period=360.0), np.roll(lat, -start)
    end = lon[0] + 360.0 * turns
    ring = np.column_stack([np.append(lon, [end, end, lon[0]]), np.append(lat, [lat[0], pole, pole])])
    return _split_at_antimeridian(Polygon(ring))


def _turns(lon: np.ndarray) -> int:
    """How often an open ring's longitudes go round the globe: 0, or ±1 round a pole."""
    closed = np.unwrap(np.append(lon, lon[0]), period=360.0)
    return round((closed[-1] - closed[0]) / 360.0)


def _split_at_antimeridian(polygon: Polygon) -> BaseGeometry:
    """A polygon in continuous longitudes (170° to 190°, say) cut at ±180° and brought back into range."""
    west, _, east, _ = polygon.bounds
    if west >= -180.0 and east <= 180.0:
        return polygon
    pieces = [
        translate(polygon.intersection(shapely.box(360.0 * k - 180.0, -90.0, 360.0 * k + 180.0, 90.0)), -360.0 * k)
        for k in (-1, 0, 1)
        if west < 360.0 * k + 180.0 and east > 360.0 * k - 180.0
    ]
    return _polygonal(shapely.union_all(pieces))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the areas of an overlay's result: a cut along ±180° can leave a stray line or point."""
    polygons = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon)]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


# --- macro-regions -----------------------------------------------------------


def macro_regions(analysis: Analysis, members: Callable[[Candidate], tuple[str, ...]]) -> tuple[Region, ...]:
    """One region per multi-country region the text names, shaped as the union of its countries.

    ``members`` gives a region's ISO2 country codes (``Gazetteer.region_members``).
    A region with no member countries (a sea) or none with a polygon has no shape
    and is left out. Its places are the mentions of the region itself.
    Ordered by name, then id.
    """
    mentions: dict[Candidate, list[int]] = {}
    for i, place in enumerate(analysis.places):
        if place.resolved and place.chosen.kind == "region":
            mentions.setdefault(place.chosen, []).append(i)
    ties = _ties_by_place(analysis)
    regions = []
    for candidate, places in mentions.items():
        codes = _member_codes(members, candidate)
        geometry = drawn_macro_shape(candidate.lat, candidate.lon, codes)
        if geometry is None:
            continue
        people, first, last = _summary(ties, places)
        regions.append(Region(
            id=f"macro:{candidate.id or candidate.name}",
            name=candidate.name,
            kind="macro",
            geometry=geometry,
            places=tuple(places),
            people=people,
            first_date=first,
            last_date=last,
            countries=codes,
        ))
    return tuple(sorted(regions, key=lambda r: (r.name, r.id)))


@lru_cache(maxsize=1024)
def drawn_macro_shape(lat: float, lon: float, codes: tuple[str, ...]) -> BaseGeometry | None:
    """A macro-region's shape as drawn (``macro_shape``, simplified), built once per edition and kept.

    The same for every document that names the region; building it is a union at full detail, up to
    a second for a continent, so it is kept in this process and on disk (``geo.geography.shapecache``).
    """
    key = hashlib.blake2b(f"{lat!r},{lon!r},{','.join(codes)}".encode(), digest_size=10).hexdigest()

    def build() -> BaseGeometry | None:
        union = macro_shape(lat, lon, codes)
        return None if union is None else shapely.simplify(union, MACRO_SIMPLIFY_DEG, preserve_topology=True)

    return shapecache.kept(f"macro-{key}", build)


def keep_macro_shapes(candidates: Iterable[Candidate], members: Callable[[Candidate], tuple[str, ...]]) -> int:
    """Build and keep the drawn shape of each region in ``candidates`` (``Gazetteer.regions()``: every one it
    names, which ``make setup`` does once, in seconds), so that no text's or store's first map waits for a
    union of countries; returns how many have a shape. Those kept already are read, not built again."""
    return sum(drawn_macro_shape(c.lat, c.lon, _member_codes(members, c)) is not None for c in candidates)


def _member_codes(members: Callable[[Candidate], tuple[str, ...]], candidate: Candidate) -> tuple[str, ...]:
    return tuple(sorted(set(members(candidate))))


MACRO_DETAIL_DEG = 0.1  # about 10 km: the outline of a drawn macro-region
MACRO_MIN_PART_DEG2 = 0.1  # islands smaller than about 30 x 30 km are left out of it


def macro_shape(lat: float, lon: float, codes: Iterable[str]) -> BaseGeometry | None:
    """The union of a region's countries, a member far larger than the rest clipped to the rest's reach.

    (lat, lon) is the region's point. None when no member has a polygon.
    """
    codes = tuple(codes)
    union = countries_union(codes)
    if union is None:
        return None
    reaches = sorted(_reach_km(lat, lon, shape) for shape in map(country_shape, codes) if shape is not None)
    others = reaches[-2] if len(reaches) > 1 else SINGLE_MEMBER_REACH_KM
    shape = union
    if reaches[-1] > PARTIAL_MEMBER_FACTOR * others:
        clipped = _polygonal(union.intersection(cluster_shape([lat], [lon], others)))
        # Empty only when a region's point lies far from its one country: bad data; draw the whole country.
        shape = union if clipped.is_empty else clipped
    # A region of many countries at 10 m detail is thousands of vertices that every
    # map redraw resends (Europe: 6,500); a few km of detail is plenty for an area.
    return _outline(shape)


def _outline(shape: BaseGeometry) -> BaseGeometry:
    """A region's drawn outline: islets dropped, the rest at a few km of detail."""
    parts = list(getattr(shape, "geoms", [shape]))
    kept = [p for p in parts if p.area >= MACRO_MIN_PART_DEG2] or parts
    return _polygonal(shapely.simplify(shapely.union_all(kept), MACRO_DETAIL_DEG, preserve_topology=True))


def _reach_km(lat: float, lon: float, country: BaseGeometry) -> float:
    """How far a country's main part (its largest polygon: not Réunion for France) reaches from a point."""
    parts = shapely.get_parts(country)
    ring = shapely.get_coordinates(parts[np.argmax(shapely.area(parts))])
    return float(distance.metres(lat, lon, ring[:, 1], ring[:, 0]).max()) / 1000


# --- summaries and exports ---------------------------------------------------


def _ties_by_place(analysis: Analysis) -> dict[int, list[Tie]]:
    by_place: dict[int, list[Tie]] = {}
    for tie in analysis.ties:
        by_place.setdefault(tie.place, []).append(tie)
    return by_place


def _summary(ties: Mapping[int, list[Tie]], places: Iterable[int]) -> tuple[tuple[str, ...], str | None, str | None]:
    """People tied to the places, and the first and last date of those ties.

    ISO dates at any precision compare as text: "2015" < "2015-06" < "2015-06-14".
    """
    found = [t for i in places for t in ties.get(i, ())]
    starts = [t.date for t in found if t.date]
    ends = [t.date_end or t.date for t in found if t.date_end or t.date]
    people = tuple(sorted({t.person for t in found if t.person}))
    return people, min(starts, default=None), max(ends, default=None)


def region_properties(region: Region, analysis: Analysis) -> dict:
    """What the export says about a region: names rather than indices."""
    return {
        "id": region.id,
        "name": region.name,
        "kind": region.kind,
        "places": sorted({analysis.places[i].chosen.name for i in region.places}),
        "people": list(region.people),
        "first_date": region.first_date,
        "last_date": region.last_date,
        "countries": list(region.countries),
    }


def region_features(regions: Iterable[Region], analysis: Analysis) -> list[dict]:
    """GeoJSON Features (Polygon or MultiPolygon) with a ``region`` property."""
    return [
        {
            "type": "Feature",
            "id": region.id,
            "geometry": mapping(shapely.transform(region.geometry, lambda xy: np.round(xy, 6))),
            "properties": {"region": region_properties(region, analysis)},
        }
        for region in regions
    ]


def regions_csv(regions: Iterable[Region], analysis: Analysis) -> str:
    """One row per region; lists joined by "; "; lon/lat of a point inside the region."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for region in regions:
        props = region_properties(region, analysis)
        point = region.geometry.representative_point()
        writer.writerow([
            *(_cell(props[k]) for k in ("id", "name", "kind")),
            *(_cell("; ".join(props[k])) for k in ("countries", "places", "people")),
            props["first_date"] or "", props["last_date"] or "", round(point.x, 6), round(point.y, 6),
        ])
    return out.getvalue()


def _cell(text: str) -> str:
    # A name from a document that starts like a formula would run as one in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def region_of_place(regions: Iterable[Region]) -> dict[int, str]:
    """Place index -> the name of its region (the first region listing it wins)."""
    found: dict[int, str] = {}
    for region in regions:
        for i in region.places:
            found.setdefault(i, region.name)
    return found


def regions_for(analysis: Analysis, members: Callable[[Candidate], tuple[str, ...]],
                radius_km: float = DEFAULT_RADIUS_KM) -> tuple[Region, ...]:
    """All regions of an analysis: clusters of nearby places, then the macro-regions it names."""
    return cluster_places(analysis, radius_km) + macro_regions(analysis, members)
