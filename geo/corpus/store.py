"""The batch store: a corpus of analyses as Parquet tables in a folder.

Why Parquet rather than DuckDB: pyarrow comes with Streamlit already (no new
dependency); a Parquet file is written once and never locked, so each batch
chunk lands as its own set of files, written by whoever finished it (the
serial loop or the collector of a Dask run), and a half-written chunk is
never seen; readers (the dashboard) open the folder while a batch is still
adding to it. Filters (document, country, kind) are pushed down to the
files by ``pyarrow.dataset``. DuckDB can query the same files in place
(``SELECT * FROM 'STORE/chunks/*/places.parquet'``) should SQL be wanted.

Layout::

    STORE/
      store.json                      format, version, settings, merged chunks
      people.parquet                  people merged across documents (see merge_people)
      chunks/<id>/<table>.parquet     one folder per chunk of documents, renamed into
                                      place when complete: documents, places, people,
                                      person_mentions, dates, ties

Every row carries its ``doc_id``; places, ties, people, person mentions and
dates carry ``seq``, their position in the document's own Analysis, so the
Analysis of a document comes back exactly as it was made.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from geo.extraction.identity import merge_people
from geo.corpus.rows import SCHEMAS, TABLES, tables_to_analysis
from geo.errors import StoreError
from geo.fsutil import exclusive, write_atomic
from geo.model import Analysis

FORMAT = "geo-batch-store"
VERSION = 1
MANIFEST = "store.json"
CHUNKS = "chunks"
PEOPLE_FILE = "people.parquet"


# people.parquet: each document's person -> the corpus person they are.
MERGED_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("name", pa.string()), ("person", pa.string()),
])


# --- the folder --------------------------------------------------------------


def _write_table(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")


def write_chunk(root: Path, chunk_id: str, tables: Mapping[str, pa.Table]) -> Path:
    """Write a chunk's tables into a temporary folder, then rename it into place.

    A chunk is there whole or not at all: a run stopped half-way leaves only a
    ``.tmp-`` folder, which the next run removes.
    """
    chunks = Path(root) / CHUNKS
    chunks.mkdir(parents=True, exist_ok=True)
    target = chunks / chunk_id
    tmp = chunks / f".tmp-{chunk_id}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name in TABLES:
            _write_table(tables[name], tmp / f"{name}.parquet")
        if target.exists():  # the same documents again (another writer got there first)
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _write_manifest(root: Path, manifest: dict) -> None:
    write_atomic(Path(root) / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))


def create_or_check(root: Path, settings: Mapping) -> dict:
    """Open (or start) the store at ``root`` for writing with ``settings``; returns its manifest.

    A store written with other settings (another geocoder, demonyms on) is
    refused: mixing them would make one corpus of two kinds of analysis.
    """
    root = Path(root)
    manifest_path = root / MANIFEST
    if manifest_path.exists():
        manifest = read_manifest(root)
        theirs = manifest.get("settings", {})
        diff = {k: (theirs.get(k), v) for k, v in settings.items() if k in _BINDING and theirs.get(k) != v}
        if diff:
            said = ", ".join(f"{k}: {a!r} there, {b!r} now" for k, (a, b) in diff.items())
            raise StoreError(f"{root} was written with other settings ({said}); "
                             "write to another --out, or run with the same settings")
        return manifest
    if root.exists() and any(p.name != ".lock" for p in root.iterdir()):
        raise StoreError(f"{root} is a folder that is not a batch store ({MANIFEST} missing); "
                         "choose an empty or new folder for --out")
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "version": VERSION, "settings": dict(settings), "merged_chunks": []}
    _write_manifest(root, manifest)
    return manifest


# Settings that change what an analysis holds; others (model version) are for the record.
_BINDING = ("geocoder", "demonyms")


def read_manifest(root: Path) -> dict:
    path = Path(root) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StoreError(f"{root} is not a batch store ({MANIFEST} missing); "
                         "make one with `python -m geo batch DIR --out STORE`") from err
    except (OSError, ValueError) as err:
        raise StoreError(f"{path} cannot be read: {err}") from err
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise StoreError(f"{root} is a store of another format or version "
                         f"({manifest.get('format')} {manifest.get('version')}; this code reads {FORMAT} {VERSION})")
    return manifest


def remove_partial_chunks(root: Path) -> int:
    chunks = Path(root) / CHUNKS
    removed = 0
    if chunks.is_dir():
        for p in chunks.glob(".tmp-*"):
            shutil.rmtree(p, ignore_errors=True)
            removed += 1
    return removed


def chunk_ids(root: Path) -> list[str]:
    chunks = Path(root) / CHUNKS
    if not chunks.is_dir():
        return []
    return sorted(p.name for p in chunks.iterdir() if p.is_dir() and not p.name.startswith("."))


def finalize(root: Path) -> pa.Table:
    """Merge people across every stored document into people.parquet; note which chunks it covers."""
    root = Path(root)
    store = Store(root)
    merged = store.merged_people(recompute=True)
    buffer = pa.BufferOutputStream()
    pq.write_table(merged, buffer, compression="zstd")
    write_atomic(root / PEOPLE_FILE, buffer.getvalue().to_pybytes())
    manifest = read_manifest(root)
    manifest["merged_chunks"] = store.chunks
    _write_manifest(root, manifest)
    return merged


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One batch writes a store at a time; the lock goes with the process that held it."""
    try:
        with exclusive(Path(root) / ".lock", blocking=False):
            yield
    except BlockingIOError as err:
        raise StoreError(f"another batch is writing {root}; wait for it to finish") from err


# --- reading -------------------------------------------------------------------


class Store:
    """A batch store opened for reading: its tables, and the corpus as one Analysis.

    Cheap to open (it reads the manifest and lists the chunks); tables are read
    when asked for, with filters pushed down to the Parquet files.
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.manifest = read_manifest(self.root)
        self.chunks = chunk_ids(self.root)
        self._datasets = {
            name: ds.dataset([str(self.root / CHUNKS / c / f"{name}.parquet") for c in self.chunks],
                             schema=SCHEMAS[name], format="parquet")
            for name in TABLES
        }

    def table(self, name: str, *, filter=None, columns: Sequence[str] | None = None) -> pa.Table:
        return self._datasets[name].to_table(filter=filter, columns=list(columns) if columns else None)

    def document_ids(self) -> dict[str, str]:
        """doc_id -> sha1 of every stored document."""
        t = self.table("documents", columns=["doc_id", "sha1"])
        return dict(zip(t["doc_id"].to_pylist(), t["sha1"].to_pylist()))

    def merged_people(self, *, recompute: bool = False) -> pa.Table:
        """(doc_id, seq, name) -> corpus person, from people.parquet when it covers every chunk."""
        path = self.root / PEOPLE_FILE
        if not recompute and path.exists() and self.manifest.get("merged_chunks") == self.chunks:
            return pq.read_table(path, schema=MERGED_SCHEMA)
        rows = self.table("people", columns=["doc_id", "seq", "name", "aliases", "mentions"]).to_pylist()
        return pa.Table.from_pylist(merge_people(rows), schema=MERGED_SCHEMA)

    def person_of(self) -> dict[tuple[str, str], str]:
        t = self.merged_people()
        return dict(zip(zip(t["doc_id"].to_pylist(), t["name"].to_pylist()), t["person"].to_pylist()))

    def people(self) -> list[tuple[str, int]]:
        """Corpus people with the number of documents each is in, most documents first."""
        t = self.merged_people()
        docs: dict[str, set[str]] = {}
        for doc_id, person in zip(t["doc_id"].to_pylist(), t["person"].to_pylist()):
            docs.setdefault(person, set()).add(doc_id)
        return sorted(((p, len(d)) for p, d in docs.items()), key=lambda pd: (-pd[1], pd[0]))

    def count(self, name: str) -> int:
        """Rows of table ``name``, counted from the files' metadata, none read."""
        return self._datasets[name].count_rows()

    def summary(self) -> dict[str, int]:
        return {
            "documents": self._datasets["documents"].count_rows(),
            "places": self._datasets["places"].count_rows(),
            "resolved": self._datasets["places"].count_rows(filter=ds.field("resolved")),
            "people in documents": self._datasets["people"].count_rows(),
            "people": len(set(self.merged_people()["person"].to_pylist())),
            "ties": self._datasets["ties"].count_rows(),
            "chunks": len(self.chunks),
        }

    def analysis(self, *, docs: Collection[str] | None = None, merge: bool = True) -> Analysis:
        """The stored corpus (or the documents ``docs``) as one Analysis, people merged across documents."""
        if isinstance(docs, str):
            raise TypeError(f"docs must be a collection, e.g. [{docs!r}], not the string {docs!r}")
        doc_filter = ds.field("doc_id").isin(list(docs)) if docs is not None else None
        tables = {name: self.table(name, filter=doc_filter) for name in TABLES}
        return tables_to_analysis(tables, self.person_of() if merge else None)


