"""Reading the built gazetteer: a lookup is one indexed query on a folded name, memoised."""

from __future__ import annotations

import functools
import sqlite3
import threading
from pathlib import Path

from geo.errors import GazetteerMissing
from geo.gazetteer.schema import KIND_ORDER, SCHEMA_VERSION
from geo.model import Candidate
from geo.names import fold

_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}

_COLUMNS = "e.name, e.lat, e.lon, e.kind, e.cc, e.population, e.admin1, e.source, e.id"


def _order(candidate: Candidate) -> tuple:
    return _KIND_RANK[candidate.kind], -candidate.population, candidate.id


def _query_keys(name: str) -> list[str]:
    """The keys to try for a name from a text: as written, then without "the"."""
    key = fold(name)
    return [key, key[4:]] if key.startswith("the ") else [key]


MMAP_BYTES = 256 * 2**20  # more than the gazetteer's size (43 MB): all of it mapped


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
        # Read through a memory map: a lookup's pages are the OS's cache itself, not copied into SQLite's (the
        # queries of an analysis took a third less)
        self._conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self._max_name_tokens = int(meta["max_name_tokens"])
        self._attribution = meta.get("attribution", "")
        self._lock = threading.Lock()
        self._lookup = functools.lru_cache(self.CACHE_SIZE)(self._query_lookup)
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
        # (one memo and one query per name: a name asked both ways is asked once)
        return bool(self._lookup(name))

    def country(self, code: str) -> Candidate | None:
        return self._by_id(f"country:{code.upper()}")

    def demonym(self, word: str) -> Candidate | None:
        """The country a demonym or adjective names: "Turkish" -> Turkey; "Russians" -> Russia."""
        return self._demonym(word)

    def regions(self) -> tuple[Candidate, ...]:
        """Every multi-country region and continent it names, in the order of their ids."""
        rows = self._rows(f"SELECT {_COLUMNS} FROM entry e WHERE e.kind = 'region' ORDER BY e.id", ())
        return tuple(Candidate(*row) for row in rows)

    def region_members(self, candidate: Candidate) -> tuple[str, ...]:
        """ISO2 codes of a region's or continent's countries; () for other kinds."""
        return self._members(candidate.id)

    @property
    def max_name_tokens(self) -> int:
        """Words in the longest name of a country, region, admin area, site or city of 1000+."""
        return self._max_name_tokens

    @property
    def attribution(self) -> str:
        """What the data's licences ask a user of this file to be told, one line per source."""
        return self._attribution

    def close(self) -> None:
        for cached in (self._lookup, self._by_id, self._demonym, self._members):
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

