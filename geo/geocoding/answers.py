"""What a service answers -> Candidates: Nominatim's JSON, Photon's and Pelias's GeoJSON.

geopy has parsed the answer into Locations and checked their coordinates;
every other field is read defensively here (a server may answer
`"name": 5` or `"address": []`): a field of the wrong type counts as
missing, it never raises. Services rank by their own measure, resolve.py by
population, so each answer's populations are capped in the service's order
(`ranked`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import pycountry
from geopy.location import Location

from geo.model import Candidate

MAX_POPULATION = 10**10  # more than anywhere has: a bigger number in an answer is garbage


# --- Nominatim's JSON -> Candidates ---------------------------------------

_KINDS = {
    "country": "country",
    **dict.fromkeys(("state", "province", "region", "county", "state_district"), "admin"),
    **dict.fromkeys(
        ("city", "town", "village", "hamlet", "suburb", "municipality", "city_district", "borough", "quarter"),
        "city",
    ),
    **dict.fromkeys(
        ("continent", "sea", "ocean", "bay", "strait", "water", "lake", "river",
         "island", "archipelago", "peninsula", "mountain_range", "desert"),
        "region",
    ),
}


def nominatim_candidates(locations: Iterable[Location], query: str) -> tuple[Candidate, ...]:
    """Candidates in Nominatim's order, their population capped by the one before.

    Nominatim ranks by importance, resolve.py by population. Each candidate
    gets its population (from extratags) or, lacking one, a stand-in from its
    importance (see `ranked`).
    """
    weigh = lambda raw: _population(raw) or _importance_population(raw)  # noqa: E731
    return ranked(locations, weigh, partial(_nominatim_candidate, query=query))


def ranked(
    locations: Iterable[Location],
    weigh: Callable[[Mapping[str, Any]], int],
    build: Callable[[Location, Mapping[str, Any], int], Candidate],
) -> tuple[Candidate, ...]:
    """Candidates in the service's order, each one's population capped by the one before.

    Services rank by their own measure, resolve.py by population: each
    candidate gets `weigh(raw)` (its population, or a stand-in), never above
    that of the candidate before it, so sorting by population keeps the
    service's order.

    geopy has checked the coordinates; every other field is read defensively
    (a server may answer `"name": 5` or `"address": []`): a field of the
    wrong type counts as missing, it never raises.
    """
    result: list[Candidate] = []
    ceiling: int | None = None
    for location in locations:
        raw = _mapping(location.raw)
        weight = weigh(raw)
        ceiling = weight if ceiling is None else min(weight, ceiling)
        result.append(build(location, raw, ceiling))
    return tuple(result)


def _nominatim_candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    address = _mapping(raw.get("address"))
    return Candidate(
        name=_text(raw.get("name")).strip() or _text(raw.get("display_name")).split(",")[0].strip() or query.strip(),
        lat=location.latitude,
        lon=location.longitude,
        kind=_kind(raw),
        country=_iso2(address.get("country_code")),
        population=population,
        admin1=_text(address.get("state") or address.get("province")).strip() or None,
        source="nominatim",
        id=_osm_id(raw),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _iso2(value: Any) -> str | None:
    code = _text(value).strip().upper()
    return code if re.fullmatch(r"[A-Z]{2}", code) else None


def _kind(raw: Mapping[str, Any]) -> str:
    # addresstype is Nominatim's own reading of class/type; type covers older servers.
    for label in (raw.get("addresstype"), raw.get("type")):
        if isinstance(label, str) and label in _KINDS:
            return _KINDS[label]
    return "site"  # aeroway, building, amenity, tourism...


def _population(raw: Mapping[str, Any]) -> int:
    return _population_from(_mapping(raw.get("extratags")).get("population"))


def _population_from(value: Any) -> int:
    # OSM's population tag is free text: "15462452", "1,234,567", "ca. 5000".
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, float)):
        return min(int(value), MAX_POPULATION) if math.isfinite(value) and value > 0 else 0
    text = re.sub(r"[\s,.'’]", "", str(value))
    digits = re.search(r"[0-9]{1,11}", text)
    return min(int(digits.group()), MAX_POPULATION) if digits else 0


def _importance_population(raw: Mapping[str, Any]) -> int:
    # importance is about log-scaled: 0.25 (a village) -> 100, 0.6 (a city) -> 63k, 0.9 -> 16M.
    try:
        importance = float(raw.get("importance") or 0.0)
    except (TypeError, ValueError):
        return 0
    if not importance > 0:  # NaN too
        return 0
    return int(10 ** (8 * min(importance, 1.25)))  # 1.25 -> MAX_POPULATION


def _osm_id(raw: Mapping[str, Any]) -> str:
    if raw.get("osm_type") and raw.get("osm_id") is not None:
        return f"nominatim:{raw['osm_type']}:{raw['osm_id']}"
    return f"nominatim:place:{raw.get('place_id')}"


# --- Photon's and Pelias's GeoJSON -> Candidates ----------------------------

def photon_candidates(locations: Iterable[Location], query: str) -> tuple[Candidate, ...]:
    """Photon's features as Candidates in its order, a stand-in population by kind where it gives none."""
    return ranked(locations, partial(_feature_population, kind=_photon_kind), partial(_photon_candidate, query=query))


def pelias_candidates(locations: Iterable[Location], query: str) -> tuple[Candidate, ...]:
    """Pelias's features as Candidates in its order, a stand-in population by kind where it gives none."""
    return ranked(locations, partial(_feature_population, kind=_pelias_kind), partial(_pelias_candidate, query=query))


# Photon's `type` (and, for places, its osm_value) and Pelias's `layer`.
_FEATURE_KINDS = {
    **_KINDS,
    **dict.fromkeys(("macroregion", "macrocounty"), "admin"),
    "dependency": "country",  # Puerto Rico, Greenland...
    **dict.fromkeys(("locality", "localadmin", "neighbourhood", "district"), "city"),
    **dict.fromkeys(("marinearea",), "region"),
}
# Neither service gives a population as a rule, nor an importance: a stand-in by
# kind, capped in order by `ranked` (sites and regions weigh in resolve.py by kind).
_STAND_IN_POPULATION = {"country": 10_000_000, "admin": 1_000_000, "city": 100_000, "region": 0, "site": 0}
_PHOTON_OSM_TYPES = {"N": "node", "W": "way", "R": "relation"}


def _feature_kind(*labels: Any) -> str:
    for label in labels:
        if isinstance(label, str) and label.lower() in _FEATURE_KINDS:
            return _FEATURE_KINDS[label.lower()]
    return "site"  # house, street, venue, address...


def _photon_kind(props: Mapping[str, Any]) -> str:
    # type is Photon's rank (house, street, city, state, country, other); a continent or a sea is
    # "other" with osm_key place/natural, so osm_value is read for those only.
    value = props.get("osm_value") if props.get("osm_key") in ("place", "natural", "water") else None
    return _feature_kind(props.get("type"), value)


def _pelias_kind(props: Mapping[str, Any]) -> str:
    return _feature_kind(props.get("layer"))


def _feature_population(raw: Mapping[str, Any], *, kind: Callable[[Mapping[str, Any]], str]) -> int:
    """The feature's population (Photon puts OSM's tag in `extra`), else a stand-in by kind."""
    props = _mapping(raw.get("properties"))
    found = _population_from(props.get("population")) or _population_from(
        _mapping(props.get("extra")).get("population"))
    return found or _STAND_IN_POPULATION[kind(props)]


def _feature_name(location: Location, props: Mapping[str, Any], query: str) -> str:
    # An address has no name: "Pariser Platz 1" from Photon's street and housenumber.
    street = " ".join(_text(props.get(k)).strip() for k in ("street", "housenumber")).strip()
    return (_text(props.get("name")).strip() or street or _text(location.address).split(",")[0].strip()
            or query.strip())


def _photon_candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    props = _mapping(raw.get("properties"))
    osm_type = _PHOTON_OSM_TYPES.get(_text(props.get("osm_type")).upper(), "place")
    return Candidate(
        name=_feature_name(location, props, query),
        lat=location.latitude,
        lon=location.longitude,
        kind=_photon_kind(props),
        country=_iso2(props.get("countrycode")),
        population=population,
        admin1=_text(props.get("state")).strip() or None,
        source="photon",
        id=f"photon:{osm_type}:{props.get('osm_id')}",
    )


def _pelias_candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    props = _mapping(raw.get("properties"))
    gid = _text(props.get("gid")).strip() or f"{_text(props.get('source'))}:{_text(props.get('id'))}"
    return Candidate(
        name=_feature_name(location, props, query),
        lat=location.latitude,
        lon=location.longitude,
        kind=_pelias_kind(props),
        country=_iso2(props.get("country_code")) or _alpha3_to_alpha2(props.get("country_a")),
        population=population,
        admin1=_text(props.get("region")).strip() or None,
        source="pelias",
        id=f"pelias:{gid}",
    )


def _alpha3_to_alpha2(value: Any) -> str | None:
    code = _text(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        return None
    country = pycountry.countries.get(alpha_3=code)
    return _iso2(getattr(country, "alpha_2", None)) if country is not None else None
