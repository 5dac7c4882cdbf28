"""What is on disk survives: concurrent writers, a process killed mid-write, a corrupt file,
and exports and corrections that are replaced whole or not at all.

Processes here are real (subprocess), killed with SIGKILL: no cleanup code runs.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

from geo import config

from geo.geocoding import corrections
from geo.errors import CacheError
from geo.export import write_geojson
from geo.fsutil import write_atomic
from geo.geocoding.cache import GeocodeCache
from geo.model import Analysis, Candidate, Document

WRITER = textwrap.dedent("""
    import sys, time
    from geo.geocoding.cache import GeocodeCache
    from geo.model import Candidate

    path, tag, count, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    time.sleep(max(0.0, start - time.time()))  # every writer opens and starts at the same moment
    store = GeocodeCache(path)
    for i in range(count):
        store.put(f"{tag}:{i}", (Candidate(f"{tag}-{i}", i % 90, i % 180, "city", population=i),))
        print(f"{tag}:{i}", flush=True)  # printed once put() has returned: committed
""")


def spawn(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, *args], cwd=config.REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def stored(path) -> dict[str, list]:
    with sqlite3.connect(path) as conn:
        return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM answers")}


def opened_cleanly(path) -> GeocodeCache:
    """GeocodeCache(path), failing on any warning (a cache moved aside would warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return GeocodeCache(path)


# --- the geocoder cache -----------------------------------------------------------


def test_two_processes_writing_thousands_of_entries_at_once_lose_none(tmp_path):
    path = tmp_path / "geocode.sqlite"
    GeocodeCache(path).close()  # created first, so the writers race on writes, not on creation
    start = str(time.time() + 0.8)
    writers = [spawn(str(path), tag, "3000", start) for tag in ("a", "b")]
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]

    rows = stored(path)
    assert len(rows) == 6000
    for tag in ("a", "b"):
        for i in (0, 1234, 2999):
            assert rows[f"{tag}:{i}"][0]["name"] == f"{tag}-{i}"
    store = opened_cleanly(path)
    assert store.get("b:2999")[0] == Candidate("b-2999", 2999 % 90, 2999 % 180, "city", population=2999)


def test_a_process_killed_mid_write_leaves_a_cache_that_opens_with_every_committed_entry(tmp_path):
    path = tmp_path / "geocode.sqlite"
    committed: list[str] = []
    for round_, kill_after in enumerate((400, 900)):
        writer = spawn(str(path), f"r{round_}", "1000000", "0")
        for line in writer.stdout:
            committed.append(line.strip())
            if len(committed) >= kill_after:
                break
        os.kill(writer.pid, signal.SIGKILL)  # mid-loop, most likely mid-transaction
        rest, _ = writer.communicate(timeout=30)
        committed += rest.split()  # printed before the kill: committed too
        assert writer.returncode == -signal.SIGKILL

    store = opened_cleanly(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = stored(path)
    missing = [k for k in committed if k not in rows]
    assert not missing, f"{len(missing)} committed entries lost, e.g. {missing[:3]}"
    store.put("after", ())
    assert store.get("after") == ()


CORRUPTIONS = {
    "garbage": lambda data: b"not a database\x00\xff" * 300,
    "cut in half": lambda data: data[: len(data) // 2],
    "zeroed pages": lambda data: data[:8192] + bytes(len(data) - 8192),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_cache_is_moved_aside_with_a_warning_and_rebuilt(tmp_path, corrupt):
    path = tmp_path / "geocode.sqlite"
    store = GeocodeCache(path)
    for i in range(500):
        store.put(f"k{i}", (Candidate(f"p{i}", 1.0, 2.0, "city"),))
    store.close()
    broken = corrupt(path.read_bytes())
    path.write_bytes(broken)

    with pytest.warns(RuntimeWarning, match="corrupt"):
        store = GeocodeCache(path)

    (moved,) = tmp_path.glob("geocode.sqlite.corrupt-*")
    assert moved.read_bytes() == broken  # kept for whoever wants to look, never deleted
    store.put("k1", ())
    assert store.get("k1") == () and store.get("k2") is None
    store.close()
    opened_cleanly(path)  # and the next run finds a sound cache


def test_processes_that_find_the_same_corrupt_cache_at_once_move_it_aside_once_and_lose_nothing(tmp_path):
    path = tmp_path / "geocode.sqlite"
    path.write_bytes(b"not a database\x00" * 500)
    start = str(time.time() + 0.8)
    writers = [spawn(str(path), tag, "50", start) for tag in "abcd"]
    outputs = [w.communicate(timeout=60) for w in writers]
    assert [w.returncode for w in writers] == [0] * 4, [err for _, err in outputs]

    assert len(list(tmp_path.glob("geocode.sqlite.corrupt-*"))) == 1
    rows = stored(path)
    committed = [k for out, _ in outputs for k in out.split()]
    assert len(committed) == 200
    assert [k for k in committed if k not in rows] == []


def test_a_cache_that_stays_locked_by_another_process_costs_a_warning_not_the_answer(tmp_path, monkeypatch):
    from geo.geocoding import cache as geocache
    from geo.geocoding import CachedGeocoder

    monkeypatch.setattr(geocache, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = tmp_path / "geocode.sqlite"
    store = GeocodeCache(path)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # a writer that never lets go (in WAL: blocks writers)

    class Inner:
        name = "inner"
        options: dict = {}

        def candidates(self, query, *, countries=()):
            return (Candidate(query, 1.0, 2.0, "city"),)

    with pytest.warns(RuntimeWarning, match="not kept"):
        assert CachedGeocoder(Inner(), store).candidates("Kobani")[0].name == "Kobani"
    other.rollback()
    other.close()


# --- exports and corrections: replaced whole, or not at all ------------------------------


def test_a_failed_export_leaves_the_previous_file_whole_and_no_temp_file(tmp_path, monkeypatch):
    from geo import fsutil

    target = tmp_path / "out" / "trip.geojson"
    write_geojson(Analysis((Document("trip", "x"),)), target)
    before = target.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "replace", disk_full)
    with pytest.raises(OSError):
        write_geojson(Analysis((Document("trip", "y"),)), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["trip.geojson"]


REWRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from geo.fsutil import write_atomic

    target = Path(sys.argv[1])
    versions = [("[" + ",".join([str(n)] * 400_000) + "]") for n in (1, 2)]
    n = 0
    while True:
        write_atomic(target, versions[n % 2])
        n += 1
        if n == 3:
            print("writing", flush=True)
""")


def test_an_export_killed_mid_write_leaves_a_whole_file(tmp_path):
    target = tmp_path / "big.json"
    for _ in range(3):
        with subprocess.Popen([sys.executable, "-c", REWRITER, str(target)], cwd=config.REPO_ROOT,
                              stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout.readline() == "writing\n"
            time.sleep(0.05)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        data = json.loads(target.read_text())  # never half a file
        assert len(data) == 400_000 and data[0] in (1, 2) and data[-1] == data[0]


def test_corrections_are_written_atomically(tmp_path, monkeypatch):
    from geo import fsutil

    path = tmp_path / "corrections.json"
    paris = Candidate("Paris", 48.85, 2.35, "city", "FR")
    corrections.save(corrections.choose({}, "Paris", paris), path)

    def interrupted(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fsutil.os, "replace", interrupted)
    with pytest.raises(CacheError, match="cannot be written"):
        corrections.save(corrections.choose({}, "Paris", None), path)
    assert corrections.load(path)["paris"].choice == paris
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrections.json"]


def test_write_atomic_replaces_a_file_that_a_reader_holds_open(tmp_path):
    target = tmp_path / "map.html"
    write_atomic(target, "old")
    with target.open() as reader:
        write_atomic(target, "new")
        assert reader.read() == "old"  # the reader keeps the whole old file
    assert target.read_text() == "new"
