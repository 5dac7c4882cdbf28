"""A large batch store's Analysis kept whole in this machine's cache: the dashboard opens it again in a second.

Reading a store builds its Analysis from the Parquet tables, row by row: for
10,000 documents that is 2.6 s of Python, and a server's first tab waited for
it. The same objects pickled load in about a third of the time. So a store of
WORTH_KEEPING places and dates or more is kept as one pickle, in
``<cache>/stores/<key>.pickle``: by ``python -m geo keep --store STORE``, at
the end of ``geo batch``, or by the dashboard after it first read the store
(in a process of its own: a pickle of that size holds the interpreter for
seconds, which the server's users need). With it goes what its first map
would make from the whole of it (``geo.memo``: its regions and its reading
view, ``geo.service.prepare_map``), handed to the memo as it is loaded.

Only this module writes there, and only there is a pickle ever loaded from:
never from a store's folder, which may have come from anyone (a pickle runs
code as it loads). The key names the store's folder, its manifest and merged
people file, each chunk's folder (inode and time: a chunk is renamed into
place whole, so a new or rewritten one is a new key), the gazetteer file (the
regions come from it), our code and data, and Python's version. A store that changed, or
new code, is a new key; the stale pickle goes with the least recently opened
when more than KEPT are there. A pickle that cannot be read is removed and
the store read as before: the cache only ever saves time.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from geo import config, memo
from geo.corpus.rows import collector_paused
from geo.corpus.store import CHUNKS, MANIFEST, PEOPLE_FILE, Store
from geo.fsutil import tree_digest, write_atomic
from geo.model import Analysis

log = logging.getLogger(__name__)

KEPT = 4  # stores kept at once (10,000 documents are about 72 MB); the least recently opened goes
WORTH_KEEPING = 5_000  # places and dates: below this a store reads in well under a second
FORMAT = "1"
STALE_SECONDS = 3600  # a temporary file this old is what a writer stopped half-way left


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """All of our code and data: the classes pickled, how a store becomes an Analysis, what is made from it
    (geo.memo). Read once per process: a process keys what it writes by the code it runs."""
    return tree_digest(Path(__file__).resolve().parent.parent, (".",))


def worth_keeping(store: Store) -> bool:
    """Whether the store is large enough to keep, from its files' row counts (none of it read)."""
    return store.count("places") + store.count("dates") >= WORTH_KEEPING


class KeptStores:
    """Whole-store Analyses pickled in ``root`` (``<cache>/stores``), by ``key``."""

    def __init__(self, root: Path, kept: int = KEPT):
        self.root = Path(root)
        self.kept = kept

    def key(self, store: Store) -> str:
        """The key of the store as it is on disk now, read by this code (see the module's docstring)."""
        digest = hashlib.sha256()
        root = store.root.resolve()
        parts = [FORMAT, sys.version, _code(), str(root)]
        for path in (config.gazetteer_path(), root / MANIFEST, root / PEOPLE_FILE,
                     *(root / CHUNKS / c for c in store.chunks)):
            try:
                st = path.stat()
                parts.append(f"{path.name}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
            except FileNotFoundError:
                parts.append(f"{path.name}:none")
        digest.update("\n".join(parts).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.root / f"{key}.pickle"

    def has(self, key: str) -> bool:
        return self._path(key).exists()

    def get(self, key: str) -> Analysis | None:
        """The kept Analysis, or None (none kept, or one that cannot be read, which is removed)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            with collector_paused():  # millions of objects, none of them garbage (rows.tables_to_analysis)
                analysis, made = pickle.loads(data)
            if not isinstance(analysis, Analysis) or not isinstance(made, dict):
                raise TypeError("not an Analysis with what was made from it")
        except Exception as err:  # noqa: BLE001  cut short, or written by other code: read the store instead
            log.warning("the kept store %s cannot be read (%s): reading the store", path.name, err)
            path.unlink(missing_ok=True)
            return None
        try:
            os.utime(path)  # recently opened: the last to go
        except OSError:
            pass
        memo.seed(analysis, made)
        return analysis

    def put(self, key: str, analysis: Analysis) -> None:
        """Keep ``analysis``, with what was made from it so far (``geo.memo.made_from``)."""
        try:
            data = pickle.dumps((analysis, memo.made_from(analysis)), protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self._path(key), data)
        except OSError as err:  # a full or read-only cache costs the next open its read, nothing more
            log.warning("the store's analysis cannot be kept in %s: %s", self.root, err)
            return
        self.prune()

    def prune(self) -> list[Path]:
        """Remove all but the ``kept`` most recently opened, and what a writer stopped half-way left (a temporary
        file an hour old); returns what went."""
        try:
            found = sorted(self.root.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            stale = [p for p in self.root.glob(".*.tmp") if time.time() - p.stat().st_mtime > STALE_SECONDS]
        except OSError:
            return []
        gone = found[self.kept:] + stale
        for path in gone:
            path.unlink(missing_ok=True)
        return gone


def keep(store: Store, kept: KeptStores, prepare: Callable[[Analysis], object] | None = None) -> tuple[str, bool]:
    """Read ``store`` whole and keep it when it is worth keeping (and not kept yet): (its key, whether kept).
    ``prepare(analysis)`` first makes what is to go with it (into ``geo.memo``)."""
    key = kept.key(store)
    if kept.has(key):
        return key, True
    if not worth_keeping(store):
        return key, False
    analysis = store.analysis()
    if prepare is not None:
        prepare(analysis)
    kept.put(key, analysis)
    return key, kept.has(key)


def keep_elsewhere(store_root: Path) -> subprocess.Popen:
    """``python -m geo keep --store STORE`` in a process of its own, with this one's environment (its cache),
    what it says going to this one's log (its standard error): what the dashboard starts after a slow first
    read, so that the next one is quick."""
    return subprocess.Popen([sys.executable, "-m", "geo", "keep", "--store", str(store_root)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)


def read(store: Store, kept: KeptStores) -> tuple[Analysis, str, bool]:
    """The store's whole Analysis, people merged: (it, the store's key, whether it came from ``kept``)."""
    t = time.perf_counter()
    key = kept.key(store)
    analysis = kept.get(key)
    if analysis is not None:
        log.info("store %s: its analysis read from the cache in %.2f s", store.root, time.perf_counter() - t)
        return analysis, key, True
    return store.analysis(), key, False
