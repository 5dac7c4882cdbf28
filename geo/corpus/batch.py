"""python -m geo batch DIR --out STORE: a folder of documents into one columnar store.

Documents are analysed in chunks; each finished chunk is written to the store
(``geo.store``) at once and whole, so a batch stopped at any point resumes
where it stopped: a document already in the store is skipped. At the end,
people are merged across documents (``geo.store.merge_people``).

Three engines (``geo.corpus.engines`` chooses by the size of the job and
``--workers``), one output:

- in this process;
- in this process with the parse in spaCy's ``n_process`` children, the
  default on several cores: one stream of documents, chunks stored as they
  complete;
- on Dask (``--scheduler tcp://host:8786`` for a running cluster, or a
  ``client``). Each worker loads the spaCy model and the gazetteer once and
  analyses whole chunks; the chunks' tables come back here and are written
  by this process, so the store needs no shared file system. The workers
  need this package and a built gazetteer (``make setup``) on their machines.

The progress bar counts documents finished (analysed, or failed to read).

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.engines import AUTO, BYTES_PER_WORD, ENGINES, Plan, forked_quietly, plan, usable_cores
from geo.corpus.work import Job, Rows, analyse_chunk, sources_of, worker_resources
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
    engine: str = "serial"  # as geo.corpus.engines names it
    processes: int = 1  # that parsed at once (on Dask: the workers' threads)

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
    workers: int | str = AUTO,
    engine: str | None = None,
    chunk_size: int | None = None,
    geocoder: str = "offline",
    demonyms: bool = False,
    progress: bool = True,
    resources=None,
    client=None,
    on_chunk: Callable[[str, int], None] | None = None,
) -> BatchResult:
    """Analyse every pending document under ``root`` into the store ``out``.

    ``workers`` (``auto`` or a number of processes) and the size of the job
    choose the engine (``geo.corpus.engines.plan``); ``engine`` forces one.
    ``scheduler`` (a Dask scheduler address) or ``client`` (a
    dask.distributed Client) run the chunks on Dask; ``engine="dask"`` alone
    starts a local cluster of ``workers`` processes. Here, ``resources`` are
    used when given. ``on_chunk`` is called with each chunk's id and size
    once it is stored.
    """
    if chunk_size is not None and chunk_size < 1:
        raise ConfigError(f"chunk size must be 1 or more, not {chunk_size}")
    from geo.corpus.store import Store, create_or_check, finalize, remove_partial_chunks, writer_lock

    out = Path(out)
    items = discover(root, patterns)
    with writer_lock(out):
        create_or_check(out, settings_of(geocoder, demonyms))
        remove_partial_chunks(out)
        done = Store(out).document_ids()
        pending, skipped, changed = [], 0, []
        for item in items:
            if item.doc_id not in done:
                pending.append(item)
                continue
            skipped += 1
            sha = file_sha1(item)  # the bytes only: a stored PDF is not read again
            if sha is not None and done[item.doc_id] and sha != done[item.doc_id]:
                changed.append(item.rel)
        job = _plan(pending, workers, engine, distributed=bool(scheduler or client is not None))
        if job.engine == "dask" and geocoder != "offline":
            raise ConfigError(
                f"--geocoder {geocoder} cannot run on Dask: Nominatim allows one request a second per "
                "client, which separate workers cannot share. Run it without --scheduler (the parse still "
                "uses every core), or use the offline geocoder"
            )
        result = BatchResult(skipped=skipped, changed=changed, engine=job.engine, processes=job.processes)
        started = time.perf_counter()
        if pending:
            if job.engine == "dask":
                _run_dask(pending, out, result, scheduler=scheduler, workers=job.processes, client=client,
                          chunk_size=chunk_size, settings=(geocoder, demonyms), progress=progress,
                          on_chunk=on_chunk)
            else:
                _run_local(pending, out, result, chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
                           settings=(geocoder, demonyms), resources=resources, progress=progress,
                           on_chunk=on_chunk, n_process=job.processes)
        result.seconds = time.perf_counter() - started
        if pending or not (out / "people.parquet").exists():
            finalize(out)
    return result


def _plan(pending: Sequence[Item], workers: int | str, engine: str | None, *, distributed: bool) -> Plan:
    """The engine for these files, by their size (reading them all first would cost a pass over them)."""
    if engine is None:
        return plan(sum(_size(item) for item in pending) // BYTES_PER_WORD, workers, scheduler=distributed)
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    return Plan("serial", 1) if engine == "serial" else Plan(engine, usable_cores() if workers == AUTO else workers)


def _size(item: Item) -> int:
    try:
        return item.path.stat().st_size
    except OSError:
        return 0


def _read_chunk(chunk: Sequence[Item]) -> tuple[list[Job], list[tuple[str, str]], list[str]]:
    """(jobs, failures, decoding notices) of a chunk's files."""
    jobs, failures, notices = [], [], []
    for item in chunk:
        try:
            text, sha, notice = read_item(item)
        except InputError as err:
            failures.append((item.rel, str(err)))
            continue
        if notice:
            notices.append(notice)
        jobs.append((item.doc_id, item.rel, sha, text))
    return jobs, failures, notices


def _read_jobs(chunk: Sequence[Item], result: BatchResult) -> list[Job]:
    jobs, failures, notices = _read_chunk(chunk)
    result.failed.extend(failures)
    result.notices.extend(notices)
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


def _run_local(pending, out, result, *, chunk_size, settings, resources, progress, on_chunk, n_process) -> None:
    """In this process, the parse in ``n_process`` children when more than 1: the documents go through
    ``iter_analyses`` as one stream (the children never wait for a chunk to be stored), and each chunk is
    stored once its last document is analysed: the same chunks as chunk after chunk would give.

    Should a document make the analysis fail, the rest of its chunk is redone one document at a time
    (only that one is lost), and the stream starts again with the next chunk.
    """
    from geo.pipeline import iter_analyses

    geocoder, demonyms = settings
    res = resources or worker_resources(geocoder, demonyms)
    chunks = list(chunked(pending, chunk_size))
    with _progress(len(pending), progress) as bar:
        on_document = lambda _id, _w: bar.update(1)  # noqa: E731
        k = 0  # the first chunk not stored
        while k < len(chunks):
            read: deque = deque()  # chunks read ahead of the analyses: (jobs, failures, notices)

            def documents(first: int) -> Iterator[Document]:
                for chunk in chunks[first:]:
                    jobs, failures, notices = _read_chunk(chunk)
                    bar.update(len(failures))
                    read.append((jobs, failures, notices))
                    yield from (Document(d, text) for d, _, _, text in jobs)

            def store(rows: Rows) -> None:
                jobs, failures, notices = read.popleft()
                result.failed.extend(failures)
                result.notices.extend(notices)
                _store_chunk(out, rows.tables(), rows.failures, list(rows.told), result, on_chunk)

            def store_unread() -> int:
                """Store the chunks ahead whose every file failed to read; how many."""
                n = 0
                while read and not read[0][0]:
                    store(Rows())
                    n += 1
                return n

            rows = Rows()
            stream = iter_analyses(documents(k), res, n_process=n_process)
            if n_process > 1:
                stream = forked_quietly(stream)
            while True:
                try:
                    analysis = next(stream, None)
                    failed = False
                except Exception:  # noqa: BLE001 - isolate the document that fails, keep the others
                    failed = True
                k += store_unread()
                if failed:
                    if not read:
                        raise
                    jobs = read[0][0]
                    rows.one_by_one(jobs[len(rows.parts):], res, sources_of(jobs), on_document)
                    bar.update(len(rows.failures))
                    store(rows)
                    k += 1
                    break  # a new stream from the next chunk
                if analysis is None:
                    return
                rows.add(analysis, sources_of(read[0][0]), on_document)
                if len(rows.parts) == len(read[0][0]):
                    store(rows)
                    rows = Rows()
                    k += 1


def dask_client(scheduler: str | None = None, workers: int = 1):
    """A Client on ``scheduler``, or on a new local cluster of ``workers`` processes; (client, cluster)."""
    try:
        from distributed import Client
    except ImportError as err:
        raise ConfigError(f"the Dask engine needs the `distributed` package ({DISTRIBUTED_PIN}); "
                          "install requirements.txt, or run without --scheduler") from err
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
        result.processes = threads
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
