"""Finished analyses kept on disk: the same text is instant again after a closed tab or a server restart.

An analysis is found by two keys: the text's (``text_key``: a hash of its
documents' ids and texts, what a shared link carries) and the pipeline's
version (``geo.pipeline.pipeline_version``: it changes when the extraction
does, so an analysis made by other code is never served). The texts are kept
apart from their analyses, so a link still opens its text after the code
changed, and the text is analysed again. Analyses are stored as the batch
store's tables (``geo.corpus.rows``), one folder each::

    analyses/<text key>/documents.parquet                the texts
    analyses/<text key>/<version>/<table>.parquet        the analysis, table by table
    analyses/<text key>/<version>/manifest.json          written last: the analysis is complete

Every file is written whole or not at all (``write_atomic``). The least
recently used texts go when the folder outgrows its budget.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from geo.corpus.rows import SCHEMAS, TABLES, analysis_rows, rows_to_tables, tables_to_analysis
from geo.errors import CacheError
from geo.fsutil import natural_key, write_atomic
from geo.model import Analysis, Document

FORMAT = "geo-analysis-cache"
VERSION = 1
MANIFEST = "manifest.json"
TEXTS = "documents.parquet"
KEY = re.compile(r"^[0-9a-f]{32}$")
DEFAULT_BUDGET = 2_000_000_000  # bytes on disk for every cached text and analysis together


def in_order(documents: Sequence[Document]) -> tuple[Document, ...]:
    """Documents in the natural order of their ids: the order a corpus is analysed, stored and read back in."""
    return tuple(sorted(documents, key=lambda d: natural_key(d.id)))


def text_key(documents: Sequence[Document]) -> str:
    """The key of a text (or of several files): the same documents, in any order, have the same key."""
    digest = hashlib.sha256()
    for d in in_order(documents):
        for part in (d.id, d.text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


class AnalysisCache:
    """The analyses under ``root``. Safe to share between threads and processes: files are replaced whole."""

    def __init__(self, root: Path, budget: int = DEFAULT_BUDGET):
        self.root = Path(root)
        self.budget = budget

    def _folder(self, key: str) -> Path:
        if not isinstance(key, str) or not KEY.match(key):
            raise ValueError(f"{key!r} is not a text key (32 hexadecimal digits, as text_key makes them)")
        return self.root / key

    # --- texts ---------------------------------------------------------------------------

    def put_text(self, documents: Sequence[Document]) -> str:
        """Keep the documents of a text; returns its key."""
        documents = in_order(documents)
        key = text_key(documents)
        path = self._folder(key) / TEXTS
        if not path.exists():
            table = pa.Table.from_pylist([{"doc_id": d.id, "text": d.text} for d in documents],
                                         schema=pa.schema([("doc_id", pa.string()), ("text", pa.string())]))
            self._write(path, _parquet(table))
        return key

    def documents(self, key: str) -> tuple[Document, ...] | None:
        """The documents of a text kept under ``key``; None when there is none (never kept, or pruned)."""
        path = self._folder(key) / TEXTS
        try:
            table = pq.read_table(path)
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException) as err:
            raise CacheError(f"{path} cannot be read ({err}); remove it to analyse the text again") from err
        self._touch(key)
        return in_order([Document(i, t) for i, t in zip(table["doc_id"].to_pylist(), table["text"].to_pylist())])

    # --- analyses ------------------------------------------------------------------------

    def get(self, key: str, version: str) -> Analysis | None:
        """The analysis of text ``key`` by pipeline ``version``; None when there is none yet."""
        folder = self._folder(key) / _version(version)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise CacheError(f"{folder / MANIFEST} cannot be read ({err}); remove {folder} to analyse again") from err
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            return None
        try:
            tables = {name: pq.read_table(folder / f"{name}.parquet", schema=SCHEMAS[name]) for name in TABLES}
        except (OSError, pa.ArrowException) as err:
            raise CacheError(f"{folder} cannot be read ({err}); remove it to analyse the text again") from err
        analysis = tables_to_analysis(tables, notices=tuple(manifest.get("notices", ())))
        self._touch(key)
        return _people_in_order(analysis, manifest.get("people", []))

    def put(self, key: str, version: str, analysis: Analysis) -> None:
        """Keep ``analysis`` as the analysis of text ``key`` by pipeline ``version``, then prune to the budget."""
        ids = [d.id for d in analysis.documents]
        if ids != [d.id for d in in_order(analysis.documents)]:
            raise ValueError("an analysis is cached with its documents in natural order (geo.corpus.cache.in_order)")
        self.put_text(analysis.documents)
        folder = self._folder(key) / _version(version)
        tables = rows_to_tables(analysis_rows(analysis))
        for name in TABLES:
            self._write(folder / f"{name}.parquet", _parquet(tables[name]))
        manifest = {"format": FORMAT, "version": VERSION, "pipeline": version, "notices": list(analysis.notices),
                    # Read back, people follow their documents; a person no mention places keeps its rank here.
                    "people": [p.name for p in analysis.people]}
        self._write(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
        self.prune()

    # --- the folder ----------------------------------------------------------------------

    def prune(self) -> list[str]:
        """Remove the least recently used texts until the folder fits its budget; returns their keys."""
        if not self.root.is_dir():
            return []
        sizes = []
        for folder in self.root.iterdir():
            if folder.is_dir() and KEY.match(folder.name):
                size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
                sizes.append((folder.stat().st_mtime, folder, size))
        total, removed = sum(s for _, _, s in sizes), []
        for _, folder, size in sorted(sizes, key=lambda x: x[0]):
            if total <= self.budget:
                break
            shutil.rmtree(folder, ignore_errors=True)
            total -= size
            removed.append(folder.name)
        return removed

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_atomic(path, data)
        except OSError as err:
            raise CacheError(f"{path}: the analysis cannot be kept ({err.strerror or err})") from err

    def _touch(self, key: str) -> None:
        """Mark a text as used now (pruning goes by it); a read-only cache is still read."""
        try:
            os.utime(self._folder(key))
        except OSError:
            pass


def _version(version: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z._-]{1,64}", version or ""):
        raise ValueError(f"{version!r} is not a pipeline version (letters, digits, '.', '_', '-')")
    return version


def _parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def _people_in_order(analysis: Analysis, names: Sequence[str]) -> Analysis:
    """The analysis' people in the order they were cached in (the same names, each taken once)."""
    pool: dict[str, list] = {}
    for p in analysis.people:
        pool.setdefault(p.name, []).append(p)
    ordered = [pool[n].pop(0) for n in names if pool.get(n)]
    ordered += [p for rest in pool.values() for p in rest]
    if [p.name for p in ordered] == [p.name for p in analysis.people]:
        return analysis
    return Analysis(analysis.documents, analysis.places, tuple(ordered), analysis.dates, analysis.ties,
                    analysis.notices)
