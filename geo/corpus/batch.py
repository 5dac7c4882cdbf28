"""python -m geo batch DIR --out STORE: a folder of documents into one columnar store.

Documents are analysed in chunks; each finished chunk is written to the store
(``geo.store``) at once and whole, so a batch stopped at any point resumes
where it stopped: a document already in the store is skipped. At the end,
people are merged across documents (``geo.store.merge_people``).

Two engines, one output:

- in this process (the default), with a progress bar per document;
- on Dask (``--scheduler tcp://host:8786`` for a running cluster, or
  ``--workers N`` for a local cluster of N worker processes). Each worker
  loads the spaCy model and the gazetteer once and analyses whole chunks;
  the chunks' tables come back here and are written by this process, so the
  store needs no shared file system. The workers need this package and a
  built gazetteer (``make setup``) on their machines.

Why Dask rather than Ray: the work is coarse, independent Python tasks (a
chunk of texts in, a few small tables out), which Dask's futures API maps
onto directly; ``distributed`` is a pure-Python pip install whose
LocalCluster is plain worker processes, and whose scheduler address
(``tcp://host:8786``) is the one thing a user passes. Ray brings a large
native runtime (its object store in shared memory, a GCS server, raylets)
that this workload does not use.
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import ConfigError, InputError
from geo.model import Document
from geo.text.documents import read_bytes, text_of

# geo.store (pyarrow) is imported where it is used: registering this command
# must not slow down the start of every other one.

DEFAULT_PATTERNS = ("*.txt",)
DEFAULT_CHUNK_SIZE = 32
DISTRIBUTED_PIN = "distributed==2026.8.0"


@dataclass(frozen=True)
class Item:
    """A file of the batch: its id in the store, its path relative to the root, and where it is."""

    doc_id: str
    rel: str
    path: Path


@dataclass
class BatchResult:
    analysed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)  # stored documents whose file has changed since
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    notices: list[str] = field(default_factory=list)  # decoding fallbacks and the documents' notices, each once
    engine: str = "serial"

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


# --- what to analyse ---------------------------------------------------------


def discover(root: Path, patterns: Sequence[str] = DEFAULT_PATTERNS) -> list[Item]:
    """Files under ``root`` (recursively) matching any pattern, in natural order.

    A document's id is its path relative to the root without the suffix
    ("12", "2015/march/report"), as the export command names its files; two
    files that would share an id ("a.txt", "a.md") keep their suffix.
    """
    from geo.fsutil import natural_key

    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; give the folder that holds the documents")
    paths = sorted({p for pattern in patterns for p in root.rglob(pattern) if p.is_file()},
                   key=lambda p: natural_key(p.relative_to(root).as_posix()))
    rels = [p.relative_to(root).as_posix() for p in paths]
    stems = [r[: -len(p.suffix)] if p.suffix else r for r, p in zip(rels, paths)]
    clash = {s for s in stems if stems.count(s) > 1} if len(set(stems)) < len(stems) else set()
    return [Item(r if s in clash else s, r, p) for s, r, p in zip(stems, rels, paths)]


def read_item(item: Item) -> tuple[str, str, str | None]:
    """(text, sha1 of the bytes, decoding notice) of a file, read as ``geo export`` reads it.

    InputError, naming the file by its path under the root, when it cannot be analysed.
    """
    data = read_bytes(item.path, item.rel)
    text, notice = text_of(data, item.rel)
    return text, hashlib.sha1(data).hexdigest(), notice


def file_sha1(item: Item) -> str | None:
    """The sha1 of a file's bytes (to see whether a stored document changed), None if it cannot be read."""
    try:
        return hashlib.sha1(read_bytes(item.path, item.rel)).hexdigest()
    except InputError:
        return None


def chunked(items: Sequence, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def chunk_id(doc_ids: Iterable[str]) -> str:
    return hashlib.sha1("\n".join(doc_ids).encode("utf-8")).hexdigest()[:16]


# --- the work of one chunk (runs here or on a Dask worker) -------------------

_RESOURCES: dict[tuple, object] = {}


def worker_resources(geocoder: str = "offline", demonyms: bool = False):
    """The spaCy model, gazetteer and geocoder of this process, loaded once."""
    from geo.pipeline import load_resources

    key = (geocoder, demonyms)
    if key not in _RESOURCES:
        _RESOURCES[key] = load_resources(geocoder, demonyms=demonyms)
    return _RESOURCES[key]


def warm(geocoder: str = "offline", demonyms: bool = False) -> bool:
    worker_resources(geocoder, demonyms)
    return True


# (doc_id, rel path, sha1, text)
Job = tuple[str, str, str, str]


def analyse_chunk(jobs: Sequence[Job], geocoder: str = "offline", demonyms: bool = False, *,
                  resources=None, on_document: Callable[[str, int], None] | None = None):
    """Analyse a chunk; returns (tables of geo.store, failures as [(path, reason)], the documents' notices).

    The chunk goes through nlp.pipe in one stream. Should a document make the
    analysis fail (a bug, not bad input: that was refused when read), the
    chunk is redone one document at a time, so only that one is lost.
    """
    from geo.pipeline import iter_analyses
    from geo.corpus.rows import Source, analysis_rows, concat_rows, rows_to_tables

    res = resources or worker_resources(geocoder, demonyms)
    sources = {d: Source(rel, sha) for d, rel, sha, _ in jobs}
    documents = [Document(d, text) for d, _, _, text in jobs]
    parts, failures, told = [], [], {}
    try:
        for analysis in iter_analyses(documents, res):
            parts.append(analysis_rows(analysis, sources))
            told.update(dict.fromkeys(analysis.notices))
            if on_document:
                on_document(analysis.documents[0].id, len(analysis.documents[0].text.split()))
    except Exception:  # noqa: BLE001 - isolate the document that fails, keep the others
        done = {p["documents"][0]["doc_id"] for p in parts}
        for document in documents:
            if document.id in done:
                continue
            try:
                (analysis,) = iter_analyses([document], res)
            except Exception as err:  # noqa: BLE001
                failures.append((sources[document.id].path, f"analysis failed: {type(err).__name__}: {err}"))
                continue
            parts.append(analysis_rows(analysis, sources))
            told.update(dict.fromkeys(analysis.notices))
            if on_document:
                on_document(document.id, len(document.text.split()))
    return rows_to_tables(concat_rows(parts)), failures, list(told)


# --- the run -------------------------------------------------------------------


def settings_of(geocoder: str, demonyms: bool) -> dict:
    return {"geocoder": geocoder, "demonyms": bool(demonyms)}


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="batch", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True, smoothing=0.1)


def run_batch(
    root: Path,
    out: Path,
    *,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    scheduler: str | None = None,
    workers: int = 1,
    chunk_size: int | None = None,
    geocoder: str = "offline",
    demonyms: bool = False,
    progress: bool = True,
    resources=None,
    client=None,
    on_chunk: Callable[[str, int], None] | None = None,
) -> BatchResult:
    """Analyse every pending document under ``root`` into the store ``out``.

    ``scheduler`` (a Dask scheduler address), ``workers`` > 1 (a local Dask
    cluster) or ``client`` (a dask.distributed Client) run the chunks on Dask;
    otherwise they run here, with ``resources`` when given. ``on_chunk`` is
    called with each chunk's id and size once it is stored.
    """
    if workers < 1:
        raise ConfigError(f"workers must be 1 or more, not {workers}")
    if chunk_size is not None and chunk_size < 1:
        raise ConfigError(f"chunk size must be 1 or more, not {chunk_size}")
    distributed = bool(scheduler or client is not None or workers > 1)
    if distributed and geocoder != "offline":
        raise ConfigError(
            f"--geocoder {geocoder} cannot run on several workers: Nominatim allows one request a second "
            "per client, which separate processes cannot share. Run it without --scheduler/--workers, or "
            "use the offline geocoder"
        )
    from geo.corpus.store import Store, create_or_check, finalize, remove_partial_chunks, writer_lock

    out = Path(out)
    items = discover(root, patterns)
    result = BatchResult(engine="dask" if distributed else "serial")
    with writer_lock(out):
        create_or_check(out, settings_of(geocoder, demonyms))
        remove_partial_chunks(out)
        done = Store(out).document_ids()
        pending = []
        for item in items:
            if item.doc_id not in done:
                pending.append(item)
                continue
            result.skipped += 1
            sha = file_sha1(item)  # the bytes only: a stored PDF is not read again
            if sha is not None and done[item.doc_id] and sha != done[item.doc_id]:
                result.changed.append(item.rel)
        started = time.perf_counter()
        if pending:
            if distributed:
                _run_dask(pending, out, result, scheduler=scheduler, workers=workers, client=client,
                          chunk_size=chunk_size, settings=(geocoder, demonyms), progress=progress,
                          on_chunk=on_chunk)
            else:
                _run_serial(pending, out, result, chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
                            settings=(geocoder, demonyms), resources=resources, progress=progress,
                            on_chunk=on_chunk)
        result.seconds = time.perf_counter() - started
        if pending or not (out / "people.parquet").exists():
            finalize(out)
    return result


def _read_jobs(chunk: Sequence[Item], result: BatchResult) -> list[Job]:
    jobs = []
    for item in chunk:
        try:
            text, sha, notice = read_item(item)
        except InputError as err:
            result.failed.append((item.rel, str(err)))
            continue
        if notice:
            result.notices.append(notice)
        jobs.append((item.doc_id, item.rel, sha, text))
    return jobs


def _store_chunk(out: Path, tables, failures, notices, result: BatchResult, on_chunk) -> None:
    from geo.corpus.store import write_chunk

    result.failed.extend(failures)
    for notice in notices:
        if notice not in result.notices:
            result.notices.append(notice)
    n = tables["documents"].num_rows
    if n:
        cid = chunk_id(tables["documents"]["doc_id"].to_pylist())
        write_chunk(out, cid, tables)
        result.analysed += n
        result.words += sum(tables["documents"]["words"].to_pylist())
        if on_chunk:
            on_chunk(cid, n)


def _run_serial(pending, out, result, *, chunk_size, settings, resources, progress, on_chunk) -> None:
    geocoder, demonyms = settings
    res = resources or worker_resources(geocoder, demonyms)
    with _progress(len(pending), progress) as bar:
        for chunk in chunked(pending, chunk_size):
            jobs = _read_jobs(chunk, result)
            bar.update(len(chunk) - len(jobs))
            tables, failures, notices = analyse_chunk(jobs, resources=res,
                                                      on_document=lambda _id, _w: bar.update(1))
            bar.update(len(failures))
            _store_chunk(out, tables, failures, notices, result, on_chunk)


def dask_client(scheduler: str | None = None, workers: int = 1):
    """A Client on ``scheduler``, or on a new local cluster of ``workers`` processes; (client, cluster)."""
    try:
        from distributed import Client
    except ImportError as err:
        raise ConfigError(f"the Dask engine needs the `distributed` package ({DISTRIBUTED_PIN}); "
                          "install requirements.txt, or run without --scheduler/--workers") from err
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as err:
            raise ConfigError(f"no Dask scheduler answers at {scheduler}: {err}") from err
    return local_cluster_client(workers)


def local_cluster_client(workers: int):
    """(Client, LocalCluster) of ``workers`` single-threaded worker processes on this machine.

    Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, to give
    memory back sooner; spaCy allocates and frees so much that this cost
    15-20% of a worker's speed here, so the local cluster goes without it.
    """
    import dask
    from distributed import Client, LocalCluster

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    return Client(cluster), cluster


def _run_dask(pending, out, result, *, scheduler, workers, client, chunk_size, settings, progress,
              on_chunk) -> None:
    from distributed import as_completed

    own_client = client is None
    cluster = None
    if own_client:
        client, cluster = dask_client(scheduler, workers)
    try:
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError as err:
            raise ConfigError(f"no Dask worker joined the scheduler at {scheduler or 'the local cluster'} "
                              "within 60 s; start some with `dask worker ADDRESS`") from err
        threads = max(1, sum(client.nthreads().values()))
        # Small enough that every worker gets several chunks (the last ones finish together).
        size = chunk_size or max(1, min(DEFAULT_CHUNK_SIZE, math.ceil(len(pending) / (8 * threads))))
        chunks = iter(list(chunked(pending, size)))
        geocoder, demonyms = settings
        futures = as_completed()
        sizes = {}

        def submit() -> bool:
            for chunk in chunks:
                jobs = _read_jobs(chunk, result)
                bar.update(len(chunk) - len(jobs))
                if not jobs:
                    continue
                future = client.submit(analyse_chunk, jobs, geocoder, demonyms, pure=False,
                                       key=f"geo-batch-{chunk_id(j[0] for j in jobs)}-{time.time_ns()}")
                sizes[future.key] = len(jobs)
                futures.add(future)
                return True
            return False

        with _progress(len(pending), progress) as bar:
            for _ in range(2 * threads):  # a bounded window: texts are sent as workers free up
                if not submit():
                    break
            for future in futures:
                tables, failures, notices = future.result()
                _store_chunk(out, tables, failures, notices, result, on_chunk)
                bar.update(sizes.pop(future.key))
                future.release()
                submit()
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
