"""What a document says about where it is, read once before any name is resolved: the countries and
states its sure places are in, the areas named right after a place ("Paris, Texas", "London, ON"), and the
words around a name that say area or city ("Homs province", "the city of X"). Pure functions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from geo.gazetteer.keys import is_common
from geo.gazetteer.sources import common_words
from geo.gazetteer.subdivisions import subdivision_codes
from geo.geography.distance import km
from geo.model import Candidate, Place
from geo.names import fold

BIG_CITY = 100_000  # a city this large is what its name means, before its namesake province


@dataclass(frozen=True)
class Context:
    """What the document says about where it is."""

    countries: dict  # ISO2 -> share of the document's place evidence (sums to 1)
    admins: dict  # (ISO2, folded admin name) of states and provinces named -> offsets of their mentions
    qualifiers: dict  # (start, end) of a mention -> candidates of the area named right after it
    anchors: tuple = ()  # (offset, lat, lon, folded name, population) of the first pass's local places, in order
    cues: dict = field(default_factory=dict)  # (start, end) of a mention -> "area" or "city", what the words around say


def is_county(c: Candidate) -> bool:
    """A second-level admin area ("Suffolk", "Scott County"), by the gazetteer's id for them."""
    return c.kind == "admin" and c.id.startswith("admin2:")


DOMINANT = 5  # an area this many times as populous as every other place of its name is what the name means


def _unambiguous(cands: tuple[Candidate, ...]) -> Candidate | None:
    """The candidate a name surely means: a country, the only country it could be in, or a state or
    province that dwarfs every other place of its name ("Montana", not the Bulgarian province or town)."""
    if not cands:
        return None
    top = cands[0]
    if top.kind == "country" or len({c.country for c in cands}) == 1:
        return top
    if top.kind == "admin" and not is_county(top) and all(
            c.population * DOMINANT <= top.population for c in cands[1:]):
        return top
    return None


NATIONALITY_WEIGHT = 0.5  # a nationality word ("a Colombian national", "the Scottish hills") is half a sure place


def document_context(mentions, lookups, nationalities: Mapping[str, int] | None = None) -> tuple[dict, dict]:
    """Where the document is: the share of each country among its sure places and its nationality words
    (ISO2 code -> how many), and its admin areas.

    `lookups` maps a mention's folded text to its candidates.
    """
    codes: Counter = Counter({cc: n * NATIONALITY_WEIGHT for cc, n in (nationalities or {}).items()})
    admins: dict[tuple[str, str], list[int]] = {}
    for m in mentions:
        if is_common(fold(m.text), common_words()):
            continue  # "Man" does not vouch for Côte d'Ivoire
        sure = _unambiguous(lookups.get(fold(m.text), ()))
        if sure is None or not sure.country:
            continue
        codes[sure.country] += 1
        if sure.kind == "admin":
            admins.setdefault((sure.country, fold(sure.name)), []).append(m.start)
    total = sum(codes.values())
    return {cc: n / total for cc, n in codes.items()}, admins


def big_city(candidates) -> bool:
    """The name is also a big city of the area it names (New York), so it may be a list item."""
    areas = {c.country for c in candidates if c.kind in ("country", "admin")}
    return any(c.kind == "city" and c.population >= BIG_CITY and c.country in areas for c in candidates)


# What goes on from one item of a list of places to the next: ", ", " and ", ", or ".
LIST_GO_ON = re.compile(r",? (?:and|or) |, ")


_CODE_AFTER = re.compile(r",? ([A-Z]{2,3})\b(?![.'’-]?\w)")


def qualifiers_of(text: str, mentions, lookups, areas_of_code=None) -> dict:
    """Mention span -> candidates of the area named right after it: with a comma ("Paris, Texas"), after a
    space in a bare address ("Tromsø Norway"), or by its ISO 3166-2 code ("London, ON", "Houston TX USA";
    `areas_of_code` gives a code's candidate areas)."""
    by_start = {m.start: m for m in mentions}
    out = {}
    for m in mentions:
        if any(c.kind == "country" for c in lookups.get(fold(m.text), ())):
            continue  # "Russia, U.S. agree": a list of countries, not a qualified name
        code = _CODE_AFTER.match(text, m.end)
        if (code and code.start(1) not in by_start and areas_of_code is not None
                and (areas := areas_of_code(code[1]))):
            out[(m.start, m.end)] = areas
            continue
        rest = text[m.end:m.end + 3]
        if rest.startswith(", "):
            nxt = by_start.get(m.end + 2)
        elif rest.startswith(" ") and (nxt := by_start.get(m.end + 1)) is not None:
            # "Tromsø Norway": a bare address names a country or a state, nothing else, after the town
            if not any(c.kind == "country" or (c.kind == "admin" and not is_county(c))
                       for c in lookups.get(fold(nxt.text), ())):
                continue
        else:
            continue
        if nxt is None:
            continue
        after = LIST_GO_ON.match(text, nxt.end)
        if after and after.end() in by_start and big_city(lookups.get(fold(nxt.text), ())):
            # "stops in Washington, New York and Boston": a list of cities. ("Richmond,
            # Virginia, Fort Lauderdale and Orlando, Florida" still qualifies: no US city is Virginia.)
            continue
        cands = tuple(c for c in lookups.get(fold(nxt.text), ()) if c.kind in ("country", "admin"))
        if cands:
            out[(m.start, m.end)] = cands
    return out


_AREA_NOUN = r"(?:states?|provinces?|governorates?|regions?|count(?:y|ies)|oblasts?|prefectures?|departments?)"
# "Homs province", "the Homs and Aleppo governorates", "New York state"
AREA_AFTER = re.compile(r"(?:(?:,\s*|\s+and\s+|\s+or\s+)(?:[A-Z][\w'’.-]*\s*)+)*\s+" + _AREA_NOUN + r"\b")
AREA_BEFORE = re.compile(r"\b(?:state|province|governorate|region|county|oblast|prefecture|department) of\s+$", re.I)
CITY_AFTER = re.compile(r"(?:['’]s)?\s+(?:city\b|mayor|city council|city hall)")
CITY_BEFORE = re.compile(r"\b(?:(?:city|town) of|downtown|mayor of)\s+$", re.I)


def cues_of(text: str, mentions) -> dict:
    """Mention span -> "area" or "city" where the words around it say which ("Homs province", "the city of X")."""
    out = {}
    for m in mentions:
        after, before = text[m.end:m.end + 80], text[max(0, m.start - 30):m.start]
        if AREA_AFTER.match(after) or AREA_BEFORE.search(before):
            out[(m.start, m.end)] = "area"
        elif CITY_AFTER.match(after) or CITY_BEFORE.search(before):
            out[(m.start, m.end)] = "city"
    return out


def code_areas(geocoder):
    """A code's first-level areas ("ON": Ontario), as the geocoder knows them by their names."""
    def areas(code: str) -> tuple[Candidate, ...]:
        out = []
        for cc, name in subdivision_codes().get(code, ()):
            out.extend(c for c in geocoder.candidates(name) if c.kind == "admin" and c.country == cc
                       and not is_county(c))
        return tuple(out)
    return areas


# A place this close to the story's other places is among them: the village among a walk's other stops.
BESIDE_KM = 100.0


def story_points(places: list[Place], name: str) -> list[Candidate]:
    """The story's other located places: towns, sites and areas, not countries or regions."""
    return [p.chosen for p in places if p.chosen is not None and fold(p.mention.text) != name
            and p.chosen.kind in ("city", "site", "admin")]


def nearest_km(c: Candidate, points: list[Candidate]) -> float:
    return min(km(c.lat, c.lon, o.lat, o.lon) for o in points)
