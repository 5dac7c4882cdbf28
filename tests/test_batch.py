"""The batch command: a folder into a Parquet store, resumable, serial or on Dask, one output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from geo import config
from geo.cli.main import main
from geo.corpus.batch import discover, run_batch
from geo.errors import ConfigError
from geo.model import Document
from geo.pipeline import iter_analyses, merge
from geo.extraction.identity import merge_people, person_keys
from geo.corpus.store import Store
from geo.errors import StoreError

TEXTS = {
    "a.txt": "On 3 March 2015, Ahmet Yilmaz flew from Istanbul to Berlin. Yilmaz stayed in Berlin for two days "
             "before he returned to Istanbul.",
    "b.txt": "In May 2016, Ahmet Yilmaz travelled from Berlin to Paris. French police arrested Yilmaz in Paris "
             "on 12 May 2016.",
    "sub/c.txt": "Maria Lopez drove from Madrid to Lisbon in June 2014. Lopez later flew to London.",
}


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "docs"
    for name, text in TEXTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "seed.txt").write_text(config.SAMPLE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "notes.md").write_text("Not taken: only *.txt by default.", encoding="utf-8")
    return root


@pytest.fixture
def serial_store(corpus, tmp_path, resources) -> Path:
    out = tmp_path / "store"
    result = run_batch(corpus, out, resources=resources, progress=False, chunk_size=2)
    assert (result.analysed, result.skipped, result.failed) == (4, 0, [])
    return out


def analyses_of(corpus: Path, resources) -> list:
    items = discover(corpus)
    docs = [Document(i.doc_id, i.path.read_text(encoding="utf-8")) for i in items]
    return list(iter_analyses(docs, resources))


def test_discover_ids_are_relative_paths_without_suffix(corpus, tmp_path):
    assert [i.doc_id for i in discover(corpus)] == ["a", "b", "seed", "sub/c"]
    (corpus / "a.text").write_text("x", encoding="utf-8")
    ids = [i.doc_id for i in discover(corpus, ["*.txt", "*.text"])]
    assert "a.txt" in ids and "a.text" in ids  # same stem: the suffix tells them apart


def test_store_gives_back_each_analysis_exactly(serial_store, corpus, resources):
    store = Store(serial_store)
    parts = analyses_of(corpus, resources)
    for part in parts:
        assert store.analysis(docs=[part.documents[0].id], merge=False) == part
    assert store.analysis(merge=False) == merge(parts)
    assert store.summary()["documents"] == 4


def test_people_are_merged_across_documents(serial_store):
    store = Store(serial_store)
    corpus = store.analysis()
    (ahmet,) = [p for p in corpus.people if p.name == "Ahmet Yilmaz"]
    assert {m.doc_id for m in ahmet.mentions} == {"a", "b"}
    assert ("Ahmet Yilmaz", 2) in store.people()
    tied = {corpus.places[t.place].mention.doc_id for t in corpus.ties if t.person == "Ahmet Yilmaz"}
    assert tied == {"a", "b"}


def test_merge_people_by_full_name_or_alias_never_by_one_word():
    rows = [
        {"doc_id": "1", "seq": 0, "name": "Ahmet Yilmaz", "aliases": ["Yilmaz"], "mentions": 3},
        {"doc_id": "2", "seq": 0, "name": "President Ahmet Yilmaz", "aliases": [], "mentions": 1},
        {"doc_id": "3", "seq": 0, "name": "Yilmaz", "aliases": [], "mentions": 2},  # a surname alone
        {"doc_id": "4", "seq": 0, "name": "Yilmaz", "aliases": [], "mentions": 1},
        {"doc_id": "5", "seq": 0, "name": "Abu Omar", "aliases": ["Ahmet Yilmaz"], "mentions": 1},
        {"doc_id": "5", "seq": 1, "name": "Maria Lopez", "aliases": [], "mentions": 1},
    ]
    person = {(r["doc_id"], r["seq"]): r["person"] for r in merge_people(rows)}
    assert person[("1", 0)] == person[("2", 0)] == person[("5", 0)] == "Ahmet Yilmaz"
    assert person[("3", 0)] == person[("4", 0)] == "Yilmaz"
    assert person[("5", 1)] == "Maria Lopez"
    assert merge_people(list(reversed(rows))) == merge_people(rows), "independent of the order of the rows"
    assert person_keys("Dr. Ahmet Yılmaz", ["Yilmaz", "A. Yilmaz"]) == {"ahmet yilmaz", "a yilmaz"}


def test_resumes_after_an_interruption(corpus, tmp_path, resources, serial_store):
    out = tmp_path / "resumed"
    stored = []

    def stop_after_first(chunk, n):
        stored.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(corpus, out, resources=resources, progress=False, chunk_size=1, on_chunk=stop_after_first)
    assert Store(out).summary()["documents"] == 1
    (out / "chunks" / ".tmp-deadbeef-1").mkdir()  # what a run killed while writing leaves
    result = run_batch(corpus, out, resources=resources, progress=False, chunk_size=1)
    assert (result.analysed, result.skipped) == (3, 1)
    assert not list((out / "chunks").glob(".tmp-*"))
    assert Store(out).analysis() == Store(serial_store).analysis()
    again = run_batch(corpus, out, resources=resources, progress=False)
    assert (again.analysed, again.skipped) == (0, 4)


def test_changed_files_are_noted_not_mixed_in(corpus, serial_store, resources):
    (corpus / "a.txt").write_text("Ahmet Yilmaz flew to Rome.", encoding="utf-8")
    result = run_batch(corpus, serial_store, resources=resources, progress=False)
    assert result.changed == ["a.txt"] and result.analysed == 0


def test_cli_reports_an_unreadable_file_and_stores_the_others(corpus, tmp_path, capsys):
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "cli-store"
    assert main(["batch", str(corpus), "--out", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "broken.txt" in err and "binary" in err
    assert "4 analysed" in err and "people" in err
    assert Store(out).summary()["documents"] == 4
    # The failed file is tried again next time; the rest is skipped.
    assert main(["batch", str(corpus), "--out", str(out), "--no-progress"]) == 1
    assert "0 analysed" in capsys.readouterr().err


def test_store_reads_chosen_documents(serial_store):
    store = Store(serial_store)
    two = store.analysis(docs=["a", "b"])
    assert {d.id for d in two.documents} == {"a", "b"}
    assert {p.mention.doc_id for p in two.places} == {"a", "b"}
    with pytest.raises(TypeError, match="collection"):
        store.analysis(docs="a")


def test_reading_a_store_leaves_the_collector_as_it_found_it(serial_store):
    import gc

    store = Store(serial_store)
    assert gc.isenabled()
    whole = store.analysis()
    assert gc.isenabled(), "the collector is paused only while the objects are made"
    gc.disable()
    try:
        assert store.analysis() == whole and not gc.isenabled()
    finally:
        gc.enable()


def test_refuses_a_store_of_other_settings_and_a_folder_that_is_not_one(corpus, serial_store, tmp_path, resources):
    with pytest.raises(StoreError, match="other settings"):
        run_batch(corpus, serial_store, resources=resources, progress=False, demonyms=True)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not a batch store"):
        run_batch(corpus, tmp_path / "full", resources=resources, progress=False)
    with pytest.raises(StoreError, match="not a batch store"):
        Store(tmp_path / "nothing")


def test_nominatim_is_refused_on_dask(corpus, tmp_path):
    """Separate workers cannot share one request a second; spaCy's children only parse, so they may."""
    with pytest.raises(ConfigError, match="one request a second"):
        run_batch(corpus, tmp_path / "s", scheduler="tcp://127.0.0.1:1", geocoder="nominatim", progress=False)
    with pytest.raises(ConfigError, match="one request a second"):
        run_batch(corpus, tmp_path / "s", engine="dask", workers=2, geocoder="nominatim", progress=False)


def test_dask_cluster_of_two_worker_processes_gives_the_serial_output(corpus, serial_store, tmp_path):
    distributed = pytest.importorskip(
        "distributed", reason="the Dask engine needs distributed==2026.8.0 (add it to requirements.txt)")
    started = time.monotonic()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster:
        out = tmp_path / "dask-store"
        result = run_batch(corpus, out, scheduler=cluster.scheduler_address, progress=False, chunk_size=1)
    assert (result.engine, result.analysed, result.failed) == ("dask", 4, [])
    assert len(Store(out).chunks) == 4
    serial, dask = Store(serial_store), Store(out)
    assert dask.analysis() == serial.analysis()
    for name in ("documents", "places", "people", "person_mentions", "dates", "ties"):
        assert dask.table(name).sort_by([("doc_id", "ascending")]).equals(
            serial.table(name).sort_by([("doc_id", "ascending")])) or _same_rows(dask, serial, name), name
    assert time.monotonic() - started < 90


def _same_rows(a: Store, b: Store, name: str) -> bool:
    key = lambda r: tuple(str(v) for v in r.values())  # noqa: E731
    return sorted(a.table(name).to_pylist(), key=key) == sorted(b.table(name).to_pylist(), key=key)


# --- how batch reads files: the one reader that export uses --------------------------------


def test_batch_reads_html_markdown_pdf_and_docx_as_export_does(tmp_path, resources):
    from hostile_corpus import NEWS_PAGE, docx_bytes, minimal_pdf

    from geo.text.documents import read_document

    root = tmp_path / "mixed"
    root.mkdir()
    files = {
        "page.html": NEWS_PAGE.encode("utf-8"),
        "notes.md": b"# Trip\n\nAnna flew from *Munich* to Lisbon in May 2019.",
        "filing.pdf": minimal_pdf("Karl Weber drove from Vienna", "to Prague in 2018."),
        "memo.docx": docx_bytes("Memo", "Omar Haddad flew from Cairo to Tunis in 2017."),
        "plain.txt": b"Ali flew from <b>Ankara</b> to Rome.",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    out = tmp_path / "store"
    result = run_batch(root, out, patterns=["*.html", "*.md", "*.pdf", "*.docx", "*.txt"], resources=resources,
                       progress=False)
    assert result.failed == [] and result.analysed == 5
    store = Store(out)
    for name in files:
        stored = store.analysis(docs=[Path(name).stem], merge=False).documents[0].text
        assert stored == read_document(root / name)[0].text, name
    assert "<" not in store.analysis(docs=["page"], merge=False).documents[0].text
    assert store.analysis(docs=["plain"], merge=False).documents[0].text == files["plain.txt"].decode()


def test_batch_refuses_a_file_too_large_from_its_size_and_goes_on(tmp_path, resources, monkeypatch):
    """As export does: a .txt that cannot hold a text under the limit is never read into memory."""
    monkeypatch.setenv("GEO_MAX_CHARS", "1000")
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text(TEXTS["a.txt"], encoding="utf-8")
    with (root / "huge.txt").open("wb") as f:  # sparse: 3 GB of nothing on disk
        f.write(b"Paris is a city. ")
        f.truncate(3 * 1024**3)
    result = run_batch(root, tmp_path / "store", resources=resources, progress=False)
    assert result.analysed == 1
    ((path, reason),) = result.failed
    assert path == "huge.txt" and "3,221,225,472 bytes" in reason and "GEO_MAX_CHARS" in reason


@pytest.mark.dask
def test_batch_on_a_real_scheduler_and_two_worker_processes_gives_the_serial_store(corpus, serial_store, tmp_path,
                                                                                   capsys):
    """`dask scheduler` and two `dask worker` commands on 127.0.0.1; `geo batch --scheduler` runs on them."""
    pytest.importorskip("distributed", reason="the Dask engine needs distributed==2026.8.0")
    from dask_processes import dask_processes

    out = tmp_path / "cluster-store"
    with dask_processes(workers=2) as cluster:
        assert main(["batch", str(corpus), "--out", str(out), "--scheduler", cluster.address, "--no-progress",
                     "--chunk-size", "1"]) == 0
        pids = cluster.pids
        assert all(Path(f"/proc/{pid}").exists() for pid in pids)
    said = capsys.readouterr().err
    assert "4 analysed" in said and "on Dask, 2 worker thread(s)" in said
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()], "every process started is ended"
    serial, dask = Store(serial_store), Store(out)
    assert len(dask.chunks) == 4
    assert dask.analysis() == serial.analysis()
    for name in ("documents", "places", "people", "person_mentions", "dates", "ties"):
        assert _same_rows(dask, serial, name), name
    assert (out / "people.parquet").read_bytes() == (serial_store / "people.parquet").read_bytes()
