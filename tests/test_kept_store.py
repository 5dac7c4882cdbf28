"""A large batch store's analysis kept whole in our own cache: the same Analysis back, a new key for a changed
store, a bad file costing only a read, and what its first map needs carried along."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

from geo import memo, service
from geo.cli.main import main
from geo.corpus import kept_store
from geo.corpus.batch import run_batch
from geo.corpus.kept_store import KeptStores
from geo.corpus.store import Store
from geo.model import Analysis

TEXTS = {
    "a.txt": "On 3 March 2015, Ahmet Yilmaz flew from Istanbul to Berlin. Yilmaz stayed in Berlin for two days "
             "before he returned to Istanbul.",
    "b.txt": "In May 2016, Ahmet Yilmaz travelled from Berlin to Paris, then to Western Europe's north.",
    "c.txt": "Maria Lopez drove from Madrid to Lisbon in June 2014. Lopez later flew to London.",
}


@pytest.fixture
def store(tmp_path, resources) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in TEXTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "store"
    run_batch(docs, out, resources=resources, progress=False, chunk_size=2)
    return out


@pytest.fixture
def cache(tmp_path, monkeypatch) -> KeptStores:
    """Our own cache folder; every store worth keeping, small as these are."""
    monkeypatch.setattr(kept_store, "WORTH_KEEPING", 1)
    return KeptStores(tmp_path / "cache" / "stores")


def test_a_kept_store_comes_back_as_the_same_analysis_with_what_its_map_needs(store, cache, gazetteer):
    key, kept = kept_store.keep(Store(store), cache,
                                prepare=lambda a: service.prepare_map(a, gazetteer.region_members))
    assert kept and cache.has(key)
    read = Store(store).analysis()
    got = cache.get(key)
    assert got == read and got is not read
    made = memo.made_from(got)
    assert set(made) == {"regions", "reader", "groups"}  # handed to the memo: the first map makes none again
    assert made["regions"] == service.regions(read, gazetteer.region_members)
    assert service.regions(got) is made["regions"]
    assert gc.isenabled()
    again, _, from_cache = kept_store.read(Store(store), cache)
    assert from_cache and again == read


def test_equal_values_of_a_read_store_are_one_object(store):
    analysis = Store(store).analysis()
    berlin = [p.chosen for p in analysis.places if p.mention.text == "Berlin"]
    assert len(berlin) >= 2 and all(c is berlin[0] for c in berlin)  # one Candidate, wherever it is chosen
    ids = [p.mention.doc_id for p in analysis.places if p.mention.doc_id == "a"]
    assert len(ids) >= 2 and all(i is ids[0] for i in ids)


def test_a_store_changed_on_disk_or_other_code_is_a_new_key(store, cache, tmp_path, resources, monkeypatch):
    first = cache.key(Store(store))
    assert cache.key(Store(store)) == first  # the same store, opened again
    (tmp_path / "docs" / "d.txt").write_text("Sara Kim flew from Seoul to Tokyo in 2019.", encoding="utf-8")
    run_batch(tmp_path / "docs", store, resources=resources, progress=False, chunk_size=2)  # a chunk added
    added = cache.key(Store(store))
    assert added != first
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    assert cache.key(Store(copy)) != added  # another folder, even with the same files
    monkeypatch.setattr(kept_store, "FORMAT", "other")
    assert cache.key(Store(store)) != added


def test_a_file_that_cannot_be_read_is_removed_and_the_store_read(store, cache):
    key, _ = kept_store.keep(Store(store), cache)
    path = cache.root / f"{key}.pickle"
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert cache.get(key) is None and not path.exists()
    analysis, _, from_cache = kept_store.read(Store(store), cache)
    assert not from_cache and analysis == Store(store).analysis()


def test_only_the_most_recently_opened_stores_are_kept(tmp_path):
    for n, key in enumerate(["a", "b", "c"]):
        KeptStores(tmp_path, kept=3).put(key, Analysis((), (), (), (), ()))
        os.utime(tmp_path / f"{key}.pickle", ns=(n * 10**9, n * 10**9))  # opened in this order, long ago
    cache = KeptStores(tmp_path, kept=2)
    assert cache.get("a") == Analysis((), (), (), (), ())  # opened again: now the most recent
    cache.put("d", Analysis((), (), (), (), ()))
    assert sorted(p.stem for p in cache.root.glob("*.pickle")) == ["a", "d"]


def test_what_a_writer_stopped_half_way_left_goes_once_it_is_old(tmp_path):
    cache = KeptStores(tmp_path)
    old, new = tmp_path / ".x.pickle.0a1b.tmp", tmp_path / ".y.pickle.2c3d.tmp"
    old.write_bytes(b"half")
    new.write_bytes(b"being written")
    os.utime(old, (0, 0))
    assert cache.prune() == [old] and new.exists()  # one still being written stays


def test_a_small_store_is_read_as_it_is_not_kept(store, tmp_path):
    cache = KeptStores(tmp_path / "small")
    key, kept = kept_store.keep(Store(store), cache)  # a handful of places: below WORTH_KEEPING
    assert not kept and not cache.has(key)


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    """GEO_CACHE_DIR of its own, with the real gazetteer in it; every store worth keeping."""
    from geo import config

    real = config.gazetteer_path().resolve()
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "gazetteer.sqlite").symlink_to(real)
    monkeypatch.setenv("GEO_CACHE_DIR", str(folder))
    monkeypatch.setattr(kept_store, "WORTH_KEEPING", 1)
    return folder


def test_geo_keep_store_keeps_it_for_the_dashboards_next_open(store, tmp_path, own_cache, capsys):
    from geo import config

    assert main(["keep", "--store", str(store)]) == 0
    assert "kept" in capsys.readouterr().err
    cache = KeptStores(config.stores_dir())
    assert cache.has(cache.key(Store(store)))
    assert main(["keep", "--store", str(tmp_path / "not-a-store")]) == 1
    assert "not-a-store" in capsys.readouterr().err


def test_the_server_reads_a_large_store_once_and_has_it_kept_by_a_process_of_its_own(store, tmp_path, monkeypatch):
    monkeypatch.setattr(kept_store, "WORTH_KEEPING", 1)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    started = []
    monkeypatch.setattr(kept_store, "keep_elsewhere", lambda root: started.append(root) or _Done())
    first = service.read_store(Store(store))
    assert started == [Store(store).root] and first == Store(store).analysis()
    service.read_store(Store(store))  # still being kept: not asked again
    assert len(started) == 1


class _Done:
    def poll(self):
        return None  # still running


def test_geo_batch_keeps_a_large_store_at_its_end(tmp_path, own_cache, capsys):
    from geo import config

    docs = tmp_path / "more"
    docs.mkdir()
    for name, text in TEXTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "batch-store"
    assert main(["batch", str(docs), "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    assert "its analysis kept" in capsys.readouterr().err
    cache = KeptStores(config.stores_dir())
    assert cache.get(cache.key(Store(out))) == Store(out).analysis()
