"""The persistent answer cache of online geocoders: one SQLite file, and the wrapper that uses it.

`CachedGeocoder` wraps any geocoder the way geopy's RateLimiter wraps a
call, with the store (`GeocodeCache`) passed in.

Nominatim allows one request a second, so an answer, "not found" included,
is asked once and kept. The file is shared by the dashboard and the CLI,
possibly at the same time: WAL lets readers and one writer work together and
the busy timeout makes a writer wait its turn instead of failing. Each put is
its own committed transaction, so a process killed at any moment loses at
most the answer it was writing. A cache is never worth a crash: a corrupt
file is moved aside (to ``<name>.corrupt-<time>``, never deleted) and a fresh
one started, one process at a time (``<name>.lock``).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from geo.errors import CacheError
from geo.fsutil import exclusive
from geo.geocoding import notices
from geo.geocoding.protocol import Geocoder, country_codes
from geo.model import Candidate
from geo.names import fold

BUSY_TIMEOUT_SECONDS = 5.0
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,  -- JSON list of Candidate fields
    created REAL NOT NULL  -- Unix time
)
"""


class GeocodeCache:
    """Answers (tuples of Candidates) by key. Thread-safe; each put is committed at once."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = _open_or_replace(self.path)
        except (OSError, sqlite3.Error) as err:
            raise CacheError(f"cannot open the geocoder cache {self.path}: {err}") from err

    def get(self, key: str) -> tuple[Candidate, ...] | None:
        """The stored answer, or None when `key` was never answered."""
        with self._lock, _translated(self.path):
            row = self._conn.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else _decode(row[0])

    def put(self, key: str, candidates: Sequence[Candidate]) -> None:
        value = json.dumps([dataclasses.asdict(c) for c in candidates], ensure_ascii=False)
        with self._lock, _translated(self.path), self._conn:  # the connection commits on exit
            self._conn.execute(
                "INSERT OR REPLACE INTO answers (key, value, created) VALUES (?, ?, ?)",
                (key, value, time.time()),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedGeocoder:
    """Any geocoder, with its answers kept in `store`, "not found" included; errors never.

    The key is the inner geocoder's name and its `options` (everything
    besides the query that changes the answer, such as the server's URL),
    the folded query, and the countries. A cache is never worth a run: a
    store that fails is worked around, and the user told (through
    geo.geocoding.notices), for the answer in hand matters more than
    keeping it. With no store at all (`open_cached` could not open one)
    every name is asked of the inner geocoder, and each analysis is told why.
    """

    recording = staticmethod(notices.recording)

    def __init__(self, inner: Geocoder, store: GeocodeCache | None, *, uncached_because: str = ""):
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.options = inner.options
        self.uncached_because = uncached_because
        self._miss_lock = threading.Lock()

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        if self.store is None:
            notices.tell(self.uncached_because)
            return self.inner.candidates(query, countries=countries)
        key = self.key(query, countries)
        found = self._get(key)
        if found is not None:
            return found
        # Misses go one at a time so two threads asking one name ask the service once;
        # a throttled service could not answer them faster anyway.
        with self._miss_lock:
            found = self._get(key)
            if found is None:
                found = self.inner.candidates(query, countries=countries)
                self._put(key, found)
        return found

    def cached(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...] | None:
        """The stored answer, or None: never asks the inner geocoder."""
        return None if self.store is None else self._get(self.key(query, countries))

    def key(self, query: str, countries: Sequence[str] = ()) -> str:
        parts = [self.inner.name, self.inner.options, fold(query), list(country_codes(countries))]
        return json.dumps(parts, ensure_ascii=False, sort_keys=True)

    def _get(self, key: str) -> tuple[Candidate, ...] | None:
        try:
            return self.store.get(key)
        except CacheError as err:
            notices.tell(f"{err}; asking {self.name} instead")
            return None

    def _put(self, key: str, found: tuple[Candidate, ...]) -> None:
        try:
            self.store.put(key, found)
        except CacheError as err:
            notices.tell(f"{err}; the answer was not kept")


def open_cached(inner: Geocoder, path: Path | str, *, label: str = "") -> CachedGeocoder:
    """`inner`, cached in the file at `path`; uncached, saying so, when that file cannot be opened.

    A cache folder that is read-only, full or not a folder must not stop an
    online run: it only costs asking again. `label` names the service in the message.
    """
    try:
        return CachedGeocoder(inner, GeocodeCache(path))
    except CacheError as err:
        because = (f"{err}; running without the cache: every name is asked of {label or inner.name} "
                   "again, and no answer is kept")
        return CachedGeocoder(inner, None, uncached_because=because)


def _open_or_replace(path: Path) -> sqlite3.Connection:
    try:
        return _open(path)
    except sqlite3.DatabaseError as err:
        if not _is_corrupt(err):
            raise
    # Processes that find the file corrupt at the same moment take turns: the
    # first moves it aside and starts a new one, the others then find that one
    # sound. Without the turn, a second process would move aside (or fail to
    # find) the fresh cache the first has just started writing into.
    with exclusive(path.with_name(path.name + ".lock")):
        try:
            return _open(path)
        except sqlite3.DatabaseError as err:
            if not _is_corrupt(err):
                raise
        moved = _move_aside(path)
        conn = _open(path)
    warnings.warn(
        f"the geocoder cache {path} was corrupt; moved it to {moved} and started an empty one",
        RuntimeWarning,
        stacklevel=3,  # the caller of GeocodeCache()
    )
    return conn


def _open(path: Path) -> sqlite3.Connection:
    # timeout is SQLite's busy timeout; check_same_thread=False because
    # GeocodeCache serialises use of the connection with its own lock.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # Garbage fails on the first statement; a damaged page only when it is read.
        (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise _Damaged(verdict)
        with conn:
            conn.execute(_SCHEMA)
    except BaseException:
        conn.close()
        raise
    return conn


class _Damaged(sqlite3.DatabaseError):
    """PRAGMA quick_check found damage that reading had not (yet) tripped on."""


def _is_corrupt(err: sqlite3.DatabaseError) -> bool:
    # "database is locked" is a DatabaseError too: another process is busy,
    # and its live file must never be moved aside.
    return isinstance(err, _Damaged) or getattr(err, "sqlite_errorcode", None) in _CORRUPT_CODES


def _move_aside(path: Path) -> Path:
    # The failed connection is closed by now, and closing let SQLite fold in and
    # delete its -wal and -shm files: the database file alone is the whole of it.
    moved = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%dT%H%M%S%f}")
    path.replace(moved)
    return moved


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn sqlite3 errors met while reading or writing into CacheError."""
    try:
        yield
    except sqlite3.Error as err:
        raise CacheError(f"the geocoder cache {path} failed: {err}") from err


def _decode(value: str) -> tuple[Candidate, ...] | None:
    # A row written by an older Candidate (fields since renamed) is a miss, not a crash.
    try:
        return tuple(Candidate(**fields) for fields in json.loads(value))
    except (TypeError, ValueError):
        return None
