"""Administrative areas, assembled from the cities and GeoNames' own areas. Pure functions.

A first-level area is every admin1 code the cities carry, named by a known
name or the name most of its cities carry, plus the first-level areas
GeoNames has that no city names. Its point is GeoNames' own where GeoNames
has the area (the point corpora and other geoparsers use), else the centre
of its cities' extent. Its population is its cities'.

A second-level area (a county) comes from GeoNames only. One named as a town
of its own first-level area is that town's municipality (Dutch gemeenten,
Portuguese concelhos, English unitary authorities such as Reading): text
naming it means the town, so it is left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from geo.gazetteer.keys import admin_keys, county_keys
from geo.gazetteer.sources import Area
from geo.names import fold

NO_AREA = ("", "00")  # GeoNames admin1 codes that mean "no admin area", not an area


class CityRow(NamedTuple):
    """What admin areas are made of, one per city (a tuple: there are 235k)."""

    num: int  # the city's entry number
    cc: str
    admin1_code: str
    lat: float
    lon: float
    population: int
    name_key: str  # fold of the city's own name
    admin2_key: str  # fold of its second-level area's name, "" when unknown


@dataclass(frozen=True)
class AdminEntry:
    id: str  # "admin:US.CA" (first level), "admin2:GB.ENG.M5" (second)
    name: str
    cc: str
    lat: float
    lon: float
    population: int
    admin1: str | None  # a second-level area's first-level area
    keys: frozenset[str]


def admin1_names(votes: Mapping[tuple[str, str], Counter], known: Mapping[tuple[str, str], str],
                 areas: Iterable[Area] = ()) -> dict[tuple[str, str], str]:
    """The name of each admin1 code: a known name, else the one most of its cities carry, else GeoNames'."""
    names = {(a.cc, a.admin1_code): a.common_name for a in areas if a.level == 1}
    names.update((code, counts.most_common(1)[0][0]) for code, counts in votes.items())
    names.update(known)
    return {code: name for code, name in names.items() if code[1] not in NO_AREA}


def extent_centre(lats: list[float], lons: list[float], trim: float = 0.02) -> tuple[float, float]:
    """The centre of the box holding a set of points, less the outlying `trim` each side.

    Used for admin areas from their cities where GeoNames has no point: the
    centre of an area's extent is near what GeoNames and Wikipedia give for a
    state or province (California ~37.2, -119.5), while a mean, weighted or
    not, is dragged to where towns cluster (the coast, the capital). Trimming
    keeps one far-flung island town from moving the box; an area straddling
    the antimeridian (Chukotka) is measured in 0..360 longitudes.
    """
    lat, _ = _span(lats, trim)
    lon, width = _span(lons, trim)
    east, east_width = _span([x + 360 if x < 0 else x for x in lons], trim)
    if east_width < width:
        lon = east - 360 if east > 180 else east
    return lat, lon


def _span(values: list[float], trim: float) -> tuple[float, float]:
    ordered = sorted(values)
    cut = int(len(ordered) * trim)
    low, high = ordered[cut], ordered[len(ordered) - 1 - cut]
    return (low + high) / 2, high - low


def admin_entries(cities: Iterable[CityRow], names: Mapping[tuple[str, str], str],
                  areas: Iterable[Area] = ()) -> list[AdminEntry]:
    """First-level areas, then second-level ones, in a stable order."""
    areas = list(areas)
    first = {(a.cc, a.admin1_code): a for a in areas if a.level == 1}
    members: dict[tuple[str, str], list[CityRow]] = defaultdict(list)
    towns: set[tuple[str, str, str]] = set()
    county_people: Counter = Counter()
    for row in cities:
        code = (row.cc, row.admin1_code)
        if code in names:
            members[code].append(row)
        towns.add((row.cc, row.admin1_code, row.name_key))
        if row.admin2_key:
            county_people[(row.cc, row.admin1_code, row.admin2_key)] += row.population
    out = []
    for code in sorted(names.keys() & (members.keys() | first.keys())):
        cc, admin1 = code
        area, rows = first.get(code), members.get(code, [])
        if area:
            lat, lon = area.lat, area.lon
        else:
            lat, lon = extent_centre([r.lat for r in rows], [r.lon for r in rows], trim=0.0)
        spellings = (names[code], *((area.name, area.common_name, *area.names) if area else ()))
        out.append(AdminEntry(
            id=f"admin:{cc}.{admin1}", name=names[code], cc=cc, lat=lat, lon=lon,
            population=sum(r.population for r in rows) or (area.population if area else 0),
            admin1=None, keys=frozenset().union(*map(admin_keys, spellings)),
        ))
    for a in areas:
        if a.level != 2:
            continue
        spellings = (a.common_name, a.name, *a.names)
        keys = frozenset().union(*map(county_keys, spellings))
        own = {fold(s) for s in spellings} | keys
        if any((a.cc, a.admin1_code, key) in towns for key in own):
            continue
        people = max(county_people.get((a.cc, a.admin1_code, key), 0) for key in own)
        out.append(AdminEntry(
            id=f"admin2:{a.cc}.{a.admin1_code}.{a.admin2_code}", name=a.common_name, cc=a.cc,
            lat=a.lat, lon=a.lon, population=people or a.population,
            admin1=names.get((a.cc, a.admin1_code)), keys=keys,
        ))
    return out
