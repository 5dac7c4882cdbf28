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

from geo.gazetteer.admins import AdminEntry, CityRow, admin1_names, admin_entries
from geo.gazetteer.keys import alternate_keys, folded_name_keys, is_common, latin_keys, name_keys, site_keys
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
    populations = _add_countries(writer, sources.countries, sources.common_words)
    _add_regions(writer, sources.regions, populations)
    cities, votes = _add_cities(writer, sources.cities, sources.common_words)
    areas = list(sources.areas)
    admin_names = admin1_names(votes, sources.admin1_names, areas)
    _add_admins(writer, admin_entries(cities, admin_names, areas))
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
        ("attribution", "\n".join(sources.attribution)),
    ])
    conn.commit()
    rows = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    names = conn.execute("SELECT count(*) FROM name").fetchone()[0]
    return rows, names


def _add_countries(writer: _Writer, countries: Iterable[Country], common: frozenset[str]) -> dict[str, int]:
    populations = {}
    for c in countries:
        keys = name_keys(c.name, common).union(*(latin_keys(n, common) for n in c.names if not _common(n, common)))
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
        # A region inside one country (an island, a province's old name) is in that country.
        cc = r.members[0] if len(r.members) == 1 else None
        num = writer.add(r.id, r.name, r.kind, cc, r.lat, r.lon, population, None,
                         r.id.split(":")[0], keys)
        members.extend((num, cc) for cc in r.members)
    writer.conn.executemany("INSERT OR IGNORE INTO member VALUES (?, ?)", members)


def _common(name: str, common: frozenset[str]) -> bool:
    return is_common(fold(name), common)


def _add_cities(writer: _Writer, cities: Iterable[City], common: frozenset[str]) -> tuple[list[CityRow], dict]:
    rows: list[CityRow] = []
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    counties: dict[str, str] = {}  # a few thousand names shared by 120k cities: folded once each
    for c in cities:
        own = fold(c.name)
        keys = folded_name_keys(own, common).union(*(alternate_keys(a, common) for a in c.alternate_names))
        num = writer.add(f"geonames:{c.geonameid}", c.name, "city", c.cc, c.lat, c.lon,
                         c.population, None, "geonames", keys)
        county = ""
        if c.admin2:
            county = counties.get(c.admin2) or counties.setdefault(c.admin2, fold(c.admin2))
        rows.append(CityRow(num, c.cc, c.admin1_code, c.lat, c.lon, c.population, own, county))
        if c.admin1 and c.admin1_code:
            votes[(c.cc, c.admin1_code)][c.admin1] += 1
    return rows, votes


def _add_admins(writer: _Writer, entries: Iterable[AdminEntry]) -> None:
    for a in entries:
        writer.add(a.id, a.name, "admin", a.cc, a.lat, a.lon, a.population, a.admin1, "admin", a.keys)


def _set_city_admin1(conn: sqlite3.Connection, cities: list[CityRow],
                     names: Mapping[tuple[str, str], str]) -> None:
    conn.executemany("UPDATE entry SET admin1 = ? WHERE num = ?", (
        (names[(row.cc, row.admin1_code)], row.num) for row in cities if (row.cc, row.admin1_code) in names
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
