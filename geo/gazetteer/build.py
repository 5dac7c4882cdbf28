"""Writing the gazetteer: Sources in, one SQLite file out (schema in ``schema.py``).

Countries, regions, cities, the admin areas made from the cities, sites,
then reviewed aliases and demonyms, each entry with every key it is found
by. The file is written beside its target and moved into place.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from geo.gazetteer.keys import admin_keys, alternate_keys, latin_keys, name_keys, site_keys
from geo.gazetteer.schema import SCHEMA, SCHEMA_VERSION
from geo.gazetteer.sources import City, Country, Region, Sources, is_site, package_sources
from geo.names import fold


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
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;" + SCHEMA
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

