"""Analyses for a long-running server (the dashboard): resources loaded once and early, work in worker threads.

- ``start()`` begins loading, in a thread of its own: first what a map
  needs (the gazetteer, the texts asked for, read from the cache when kept,
  and the warm-up steps given: the basemap, the country shapes), then spaCy
  and its model, which only a text still to analyse needs. Unless a text
  needs it, the model waits until a page has been sent (``page_sent()``,
  or ``MODEL_WAIT_SECONDS``) and ``AFTER_PAGE_SECONDS`` more, while the
  browser draws it: its two seconds of loading hold the interpreter, which
  the server needs to send the first map, and a kept analysis draws without
  it. Each step is timed
  (``timings()``) and done once per process: ``gazetteer()`` and
  ``resources()`` wait for the loading under way instead of starting another.
- ``request(documents)`` returns the Job of that text. A text is analysed
  once, however many sessions ask: each gets the same Job. The job reads the
  persistent cache (``geo.corpus.cache``) first, else analyses the text in a
  worker thread, piece by piece (``geo.pipeline``), with progress and a
  cancel, and keeps the result there. A session polls its job; the script
  that shows one user's map never does another's work.
- ``analyse_apart()`` (the dashboard's server) makes the analyses in a
  process of their own instead (``geo.analyser``): this process never loads
  spaCy, and a long text does not take turns on its interpreter with the
  scripts that draw the maps. The worker threads here only wait for it.

Nothing here imports Streamlit: the dashboard is one shell over it.
"""

from __future__ import annotations

import ast
import gc
import logging
import subprocess
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo import config, memo
from geo.analyser import Analyser, analyse_and_keep
from geo.corpus.cache import AnalysisCache, in_order, text_key
from geo.errors import AnalysisCancelled, GeoError
from geo.model import Analysis, Document

if TYPE_CHECKING:
    from geo.corpus.store import Store

log = logging.getLogger(__name__)

WORKERS = 3  # analyses at once; their parses take turns (geo.pipeline), so a short text never waits for a long one
FINISHED_KEPT = 8  # finished jobs kept in memory: their analyses are handed out again without a read
MODEL_WAIT_SECONDS = 10.0  # the longest the model's loading waits for a first page to be sent
AFTER_PAGE_SECONDS = 2.0  # and then for the browser to draw it (the server sends the map's data meanwhile)
# An analysis of this many places and dates or more is set apart from the collector's passes once made (settle)
LARGE_ANALYSIS = 5_000
WAIT_SECONDS = 3.0  # how long a session waits for its job before it shows progress and polls (the dashboard)


@dataclass(frozen=True)
class Progress:
    done: int  # work done, in characters (a text counts twice: parsed, then read for its people and routes)
    total: int
    what: str  # what is being done, for a person to read

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


class Job:
    """The analysis of one text: running, finished, failed or cancelled. Shared by the sessions watching it."""

    def __init__(self, key: str, documents: tuple[Document, ...]):
        self.key = key
        self.documents = documents
        self.chars = sum(len(d.text) for d in documents)
        self.words = sum(len(d.text.split()) for d in documents)
        self.started = time.monotonic()
        self.progress = Progress(0, 2 * self.chars, "waiting for a worker")
        self.cancel_event = threading.Event()
        self.future: Future = Future()
        self.watchers: set[str] = set()
        self.from_cache = False

    @property
    def done(self) -> bool:
        return self.future.done()

    @property
    def cancelled(self) -> bool:
        return self.done and isinstance(self.future.exception(), AnalysisCancelled)

    def result(self, timeout: float | None = None) -> Analysis:
        """The analysis; raises what the analysis raised (AnalysisCancelled, InputError...), or TimeoutError."""
        return self.future.result(timeout)

    def _tell(self, done: int, total: int, what: str) -> None:
        self.progress = Progress(done, total, what)


# --- the process's resources ------------------------------------------------------------------

_lock = threading.RLock()
_loading: Future | None = None
_gazetteer: Future = Future()
_page_sent = threading.Event()
_model_wanted = threading.Event()
_timings: dict[str, float] = {}
_executor: ThreadPoolExecutor | None = None
_jobs: OrderedDict[str, Job] = OrderedDict()
_separate = False  # analyses in a process of their own (analyse_apart())
_analyser: Analyser | None = None
_analyser_lock = threading.Lock()


def analyse_apart() -> None:
    """Make the analyses in a process of their own (``geo.analyser``), which is started in place of loading
    spaCy here: what the dashboard's server calls first, before anything starts the loading."""
    global _separate
    with _lock:
        if _loading is not None and not _separate:
            raise RuntimeError("analyse_apart() comes before start()")
        _separate = True


def start(*, warm: Sequence[Callable[[], object]] = (), texts: Sequence[Sequence[Document]] = ()) -> Future:
    """Begin loading everything an analysis needs, once per process; returns the Future of the Resources
    (of None after ``analyse_apart()``: the process that makes the analyses is started instead).

    ``warm`` are more steps to run after (each timed by its function's name),
    ``texts`` texts to have analysed (or read from the cache) before anyone asks.
    Calling it again does nothing and returns the same Future.
    """
    global _loading
    with _lock:
        if _loading is not None:
            return _loading
        _loading = Future()
    threading.Thread(target=_load, args=(tuple(warm), tuple(texts)), name="geo-warm-up", daemon=True).start()
    return _loading


def _load(warm: tuple, texts: tuple) -> None:
    """The gazetteer, the texts asked for (a kept analysis needs nothing more), the warm-up steps: what a map
    needs, then ``gazetteer()`` answers; spaCy and its model last, for the texts still to analyse."""
    try:
        with _timed("gazetteer"):
            from geo.gazetteer import Gazetteer

            gazetteer = Gazetteer(config.gazetteer_path())
    except BaseException as err:  # noqa: BLE001  every waiter gets the reason (a missing gazetteer...)
        _gazetteer.set_exception(err)
        _loading.set_exception(err)
        log.error("opening the gazetteer failed: %s", err)
        return
    for documents in texts:
        request(documents)
    for step in warm:
        try:
            with _timed(getattr(step, "__name__", "warm-up")):
                step()
        except Exception:  # noqa: BLE001  a warm-up step is an optimisation, never a failure
            log.exception("warm-up step %s", step)
    settle()
    _gazetteer.set_result(gazetteer)
    _page_sent.wait(MODEL_WAIT_SECONDS)
    _model_wanted.wait(AFTER_PAGE_SECONDS)
    if _separate:  # the analyser's child loads its model, on a core of its own; a failure is told to each job
        try:
            analyser()
        except GeoError as err:
            log.error("starting the analyser failed: %s", err)
        else:
            _say_ready()
        _loading.set_result(None)
        return
    try:
        with _timed("import spacy"):
            from geo.extraction.nlp import load_nlp
        with _timed("model"):
            load_nlp()
        from geo.pipeline import load_resources

        resources = load_resources("offline", gazetteer=gazetteer)
        settle()
        _loading.set_result(resources)
    except BaseException as err:  # noqa: BLE001
        _loading.set_exception(err)
        log.error("loading the analysis resources failed: %s", err)
        return
    _say_ready()


def _say_ready() -> None:
    log.info("ready: %s", ", ".join(f"{k} {v:.2f} s" for k, v in _timings.items()))


def settle() -> None:
    """Set what is loaded so far apart from the garbage collector's full passes: the model, the gazetteer and the
    modules live as long as the process, and a full pass over them took 80 ms, which Streamlit spends after every
    run of the page (``runner.postScriptGC``), between a filter's change and its map. So does a large analysis
    once it is kept (a 10,000-document store's millions of objects made a pass of a second, in the middle of
    drawing its map): it is freed as usual when nothing holds it, and only its cycles, which it has none of,
    would stay."""
    gc.collect()
    gc.freeze()


def _settle_if_large(analysis: Analysis) -> None:
    if len(analysis.places) + len(analysis.dates) >= LARGE_ANALYSIS:
        settle()


class _timed:
    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.t = time.perf_counter()

    def __exit__(self, *exc):
        _timings[self.name] = time.perf_counter() - self.t


def import_like(path: Path) -> None:
    """Run the import statements at the top level of the Python file ``path``, and nothing else of it: what a
    page will import, imported ahead of its first run (the page itself may not be run here)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    statements = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    exec(compile(ast.Module(body=statements, type_ignores=[]), str(path), "exec"), {"__name__": "__warm_up__"})


def timings() -> dict[str, float]:
    """Seconds each loading step took in this process, in the order they ran."""
    return dict(_timings)


def gazetteer():
    """The process's gazetteer, the one the analyses use, once the map's warm-up steps are done too (waits while
    they run, so nothing they load is loaded twice; starts the loading if need be)."""
    start()
    return _gazetteer.result()


def map_ready() -> bool:
    """Whether ``gazetteer()`` answers at once: the map's warm-up steps are done (starts the loading if need be)."""
    start()
    return _gazetteer.done()


def resources():
    """The process's Resources (waits for the loading under way; starts it if need be). None when the analyses
    are made in a process of their own (``analyse_apart()``): then ``analyser()`` makes them."""
    loading = start()
    _page_sent.set()
    _model_wanted.set()
    return loading.result()


def analyser() -> Analyser:
    """The process that makes the analyses, when they are made apart: started on first use, and anew when the
    one before has stopped (its loading steps are timed, as ``analyser model``...). Raises GeoError when it
    cannot load its model."""
    global _analyser
    with _analyser_lock:
        if _analyser is None or not _analyser.alive:
            with _timed("analyser"):
                _analyser = Analyser(cache().root, WORKERS)
                loaded = _analyser.ready()
            _timings.update({f"analyser {step}": seconds for step, seconds in loaded.items()})
        return _analyser


def page_sent() -> None:
    """A page has been sent: the model loads once the browser has had a moment to draw it."""
    _page_sent.set()


def cache() -> AnalysisCache:
    return AnalysisCache(config.cache_dir() / "analyses")


def regions(analysis: Analysis, members: Callable | None = None) -> tuple:
    """The regions of an analysis, made once (``geo.memo``); ``members`` gives a region's countries (default:
    the process's gazetteer's)."""
    from geo.geography.regions import regions_for

    return memo.once("regions", analysis,
                     lambda a: regions_for(a, members if members is not None else gazetteer().region_members))


def prepare_map(analysis: Analysis, members: Callable | None = None) -> None:
    """Make what the first map of ``analysis`` takes longest to make from the whole of it, kept in ``geo.memo``
    (a kept store carries them: ``geo.corpus.kept_store``): its regions, its reading view and its places grouped
    at their points. (The evidence its popups quote is made again: for 10,000 documents it loads from a pickle
    slower than it is made.)"""
    from geo.map.build import grouped, reading_view

    regions(analysis, members)
    reading_view(analysis)
    grouped(analysis)


_keepers: dict[str, subprocess.Popen] = {}


def read_store(store: Store) -> Analysis:
    """A batch store's whole Analysis, set apart from the collector (``settle``): kept in the cache
    (``geo.corpus.kept_store``) when it is there, else read from the store, and then, when it is worth keeping,
    kept by a process of its own for the next open (this server's users are not held up while it writes)."""
    from geo.corpus.kept_store import KeptStores, keep_elsewhere, worth_keeping
    from geo.corpus.kept_store import read as read_kept

    kept = KeptStores(config.stores_dir())
    gc.collect()  # before, not after: the millions of objects about to be made are none of them garbage
    analysis, key, from_cache = read_kept(store, kept)
    gc.freeze()
    if not from_cache and worth_keeping(store):
        with _lock:
            for done in [k for k, p in _keepers.items() if p.poll() is not None]:
                del _keepers[done]
            if key not in _keepers:
                try:
                    _keepers[key] = keep_elsewhere(store.root)
                    log.info("store %s: keeping its analysis for the next open", store.root)
                except OSError as err:
                    log.warning("store %s: its analysis cannot be kept: %s", store.root, err)
    return analysis


# --- jobs -----------------------------------------------------------------------------------


def request(documents: Sequence[Document], watcher: str | None = None) -> Job:
    """The job of this text: the one running or kept (finished or failed), else a new one (the cache first)."""
    documents = in_order(documents)
    key = text_key(documents)
    with _lock:
        job = _jobs.get(key)
        if job is None or job.cancelled:  # a failure is kept, to be shown; a cancelled text starts again
            job = Job(key, documents)
            _jobs[key] = job
            _pool().submit(_run, job)
        _jobs.move_to_end(key)
        if watcher:
            job.watchers.add(watcher)
        _forget_old()
    return job


def job(key: str) -> Job | None:
    """The job of text ``key`` if one is running or was kept."""
    with _lock:
        return _jobs.get(key)


def cancel(job: Job, watcher: str | None = None) -> None:
    """Stop watching ``job``; it stops, between two pieces, when nobody watches it any more."""
    with _lock:
        job.watchers.discard(watcher)
        if not job.watchers or watcher is None:
            job.cancel_event.set()


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="geo-analysis")
    return _executor


def _forget_old() -> None:
    finished = [k for k, j in _jobs.items() if j.done]
    for key in finished[:max(0, len(finished) - FINISHED_KEPT)]:
        del _jobs[key]


def _run(job: Job) -> None:
    """In a worker: the cached analysis of the job's text, else its analysis (then cached)."""
    from geo.pipeline import pipeline_version

    if not job.future.set_running_or_notify_cancel():
        return
    try:
        version = pipeline_version()
        store = cache()
        job._tell(0, job.progress.total, "reading the analysis kept from last time")
        try:
            found = store.get(job.key, version)
        except (GeoError, ValueError) as err:
            log.warning("analysis cache: %s", err)
            found = None
        if found is not None:
            job.from_cache = True
            log.info("text %s: its analysis read from the cache in %.2f s", job.key, time.monotonic() - job.started)
            _settle_if_large(found)
            job.future.set_result(found)
            return
        job._tell(0, job.progress.total, "loading the language model")
        res = resources()
        if job.cancel_event.is_set():
            raise AnalysisCancelled("the analysis was cancelled")
        if res is None:  # made apart (analyse_apart()), and kept in the cache there
            analysis = analyser().analyse(job.key, job.documents, progress=job._tell, cancel=job.cancel_event)
        else:
            analysis = analyse_and_keep(job.key, job.documents, res, store, progress=job._tell,
                                        cancel=job.cancel_event)
        _settle_if_large(analysis)
        job.future.set_result(analysis)
    except BaseException as err:  # noqa: BLE001  the session that polls shows it
        if not isinstance(err, (GeoError, AnalysisCancelled)):
            log.exception("analysis of %s", job.key)
        job.future.set_exception(err)
