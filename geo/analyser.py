"""Analyses in a process of their own, for the dashboard's server: a long text never holds the interpreter
that draws everyone's maps.

Python runs one thread of a process at a time. With the analyses in threads of the server, a filter change took
330-350 ms while another tab analysed a long text, against 170-184 ms alone (``bench/bench.py --only
dashboard``): the script that draws the map waited for its turns. The server now hands its texts to one child,
``python -m geo.analyser``, and never loads spaCy itself.

The child loads the gazetteer and the model, then analyses the texts it is sent, several at once in threads
(their parses take turns, ``geo.pipeline``, so a short text never waits for a long one). It keeps each
analysis in the persistent cache as it is made (``analyse_and_keep``, the same function the server uses when
it analyses in-process), says how far each has got, stops one when told, and hands each analysis back. It
ends when the server does: its end of the socket closes.

The two talk over a socket pair, in pickled tuples (``multiprocessing.connection``):
    server -> child: ("analyse", n, key, documents), ("cancel", n)
    child -> server: ("ready", timings) or ("unready", error), then ("progress", n, done, total, what), ("done", n, analysis),
                     ("failed", n, error), ("cancelled", n)
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import AnalysisCancelled, GeoError

if TYPE_CHECKING:
    from geo.corpus.cache import AnalysisCache
    from geo.model import Analysis, Document
    from geo.pipeline import Resources

log = logging.getLogger(__name__)

# The child's niceness, above the server's: on two cores, an analysis beside the server and the browser took the
# core they shared, and a filter change waited 430 ms for it. What a user is looking at comes first; the
# analysis, which shows a progress bar, takes what is left.
NICENESS = 10
START_SECONDS = 120.0  # the longest the child may take to load its model before the server gives up on it
POLL_SECONDS = 0.2  # how often a waiting analysis looks whether it was cancelled


def analyse_and_keep(key: str, documents: Sequence[Document], resources: Resources, cache: AnalysisCache,
                     progress: Callable[[int, int, str], None] | None = None,
                     cancel: threading.Event | None = None) -> Analysis:
    """Analyse the text ``key`` and keep its analysis in ``cache`` (a cache that cannot be written is only
    logged: the analysis is still good)."""
    from geo.pipeline import analyse, pipeline_version

    t = time.monotonic()
    analysis = analyse(list(documents), resources, progress=progress, cancel=cancel)
    try:
        cache.put(key, pipeline_version(), analysis)
    except (GeoError, ValueError) as err:
        log.warning("analysis cache: %s", err)
    words = sum(len(d.text.split()) for d in documents)
    log.info("text %s: %d words analysed in %.1f s", key, words, time.monotonic() - t)
    return analysis


# --- the server's side ----------------------------------------------------------------------------------


class Analyser:
    """The child process, seen from the server: ``analyse`` blocks its caller (a worker thread) until the
    analysis comes back, telling its progress on the way; ``alive`` says whether the child still answers."""

    def __init__(self, cache_root: Path, workers: int):
        """Start the child; it makes ``workers`` analyses at once, and keeps them in the cache at ``cache_root``."""
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "geo.analyser", str(theirs.fileno()), str(cache_root), str(workers)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                start_new_session=True)  # a Ctrl-C in the server's terminal is the server's to handle
        finally:
            theirs.close()
        self._conn = Connection(ours.detach())
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._waiting: dict[int, queue.SimpleQueue] = {}
        self._numbers = itertools.count()
        self._ready: Future = Future()
        self._ended = threading.Event()
        threading.Thread(target=self._listen, name="geo-analyser-listen", daemon=True).start()

    def ready(self, timeout: float | None = START_SECONDS) -> dict[str, float]:
        """Wait for the child to have loaded its model; its loading steps' seconds. Raises GeoError if it
        stopped or took longer than ``timeout``."""
        try:
            return self._ready.result(timeout)
        except TimeoutError:
            self.close()
            raise GeoError(f"the analyser did not load its model in {timeout:.0f} s") from None

    @property
    def alive(self) -> bool:
        return not self._ended.is_set()

    def analyse(self, key: str, documents: Sequence[Document],
                progress: Callable[[int, int, str], None] | None = None,
                cancel: threading.Event | None = None) -> Analysis:
        """The analysis of text ``key``, made and kept by the child; raises what the analysis raised there
        (AnalysisCancelled once ``cancel`` is set, InputError...), or GeoError if the child stopped."""
        answers: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            if not self.alive:
                raise GeoError("the analyser has stopped")
            n = next(self._numbers)
            self._waiting[n] = answers
        try:
            self._send(("analyse", n, key, tuple(documents)))
            told = False
            while True:
                if cancel is not None and cancel.is_set() and not told:
                    self._send(("cancel", n))
                    told = True
                try:
                    answer = answers.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                kind = answer[0]
                if kind == "progress":
                    if progress is not None:
                        progress(*answer[2:])
                elif kind == "done":
                    return answer[2]
                elif kind == "cancelled":
                    raise AnalysisCancelled("the analysis was cancelled")
                else:  # "failed", or "ended" from the listener
                    raise answer[2]
        finally:
            with self._lock:
                self._waiting.pop(n, None)

    def close(self) -> None:
        """End the child (it stops at once: an analysis half made is not kept)."""
        self._conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def _send(self, message: tuple) -> None:
        try:
            with self._send_lock:
                self._conn.send(message)
        except (OSError, ValueError) as err:  # ValueError: the connection was closed here
            raise GeoError(f"the analyser has stopped: {err}") from err

    def _listen(self) -> None:
        """Hand each of the child's messages to the analysis it is about; when the child ends, every waiting
        analysis fails with the reason."""
        try:
            while True:
                message = self._conn.recv()
                if message[0] in ("ready", "unready"):
                    (self._ready.set_result if message[0] == "ready" else self._ready.set_exception)(message[1])
                    continue
                with self._lock:
                    answers = self._waiting.get(message[1])
                if answers is not None:
                    answers.put(message)
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001  a message that cannot be read ends the child, not the server
            log.exception("the analyser's message could not be read")
        with self._lock:
            self._ended.set()
            waiting = list(self._waiting.items())
        code = self.process.poll()
        if code is None:
            self.process.kill()
            code = self.process.wait()
        reason = GeoError(f"the analyser stopped (exit code {code}); ask again to start it anew")
        if not self._ready.done():
            self._ready.set_exception(reason)
        for n, answers in waiting:
            answers.put(("ended", n, reason))


# --- the child --------------------------------------------------------------------------------------------


class _Child:
    """The child's loop: texts analysed in threads, what they say sent back under one lock."""

    def __init__(self, conn: Connection, resources: Resources, cache: AnalysisCache, workers: int):
        self.conn = conn
        self.resources = resources
        self.cache = cache
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="geo-analysis")
        self.cancels: dict[int, threading.Event] = {}
        self.send_lock = threading.Lock()

    def send(self, message: tuple) -> None:
        with self.send_lock:
            self.conn.send(message)

    def serve(self) -> None:
        while True:
            message = self.conn.recv()  # EOFError once the server has gone
            if message[0] == "analyse":
                _, n, key, documents = message
                self.cancels[n] = threading.Event()
                self.pool.submit(self.run, n, key, documents)
            elif message[0] == "cancel" and message[1] in self.cancels:
                self.cancels[message[1]].set()

    def run(self, n: int, key: str, documents: tuple[Document, ...]) -> None:
        try:
            analysis = analyse_and_keep(key, documents, self.resources, self.cache,
                                        progress=lambda done, total, what: self.send(("progress", n, done, total,
                                                                                      what)),
                                        cancel=self.cancels[n])
            self.send(("done", n, analysis))
        except AnalysisCancelled:
            self.send(("cancelled", n))
        except GeoError as err:
            self.send(("failed", n, err))
        except Exception as err:  # noqa: BLE001  any failure reaches the session that waits, as a GeoError
            log.exception("analysis of %s", key)
            self.send(("failed", n, GeoError(f"the analysis failed: {type(err).__name__}: {err}")))
        finally:
            self.cancels.pop(n, None)


def main(argv: Sequence[str]) -> int:
    """``python -m geo.analyser FD CACHE WORKERS``: what ``Analyser`` starts."""
    fd, cache_root, workers = int(argv[0]), Path(argv[1]), int(argv[2])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    os.nice(NICENESS)
    conn = Connection(fd)
    timings = {}
    t = time.perf_counter()
    from geo import config
    from geo.corpus.cache import AnalysisCache
    from geo.gazetteer import Gazetteer

    try:
        gazetteer = Gazetteer(config.gazetteer_path())
        timings["gazetteer"] = time.perf_counter() - t
        t = time.perf_counter()
        from geo.extraction.nlp import load_nlp
        timings["import spacy"] = time.perf_counter() - t
        t = time.perf_counter()
        load_nlp()
        timings["model"] = time.perf_counter() - t
        from geo.pipeline import load_resources

        resources = load_resources("offline", gazetteer=gazetteer)
    except GeoError as err:  # a gazetteer not built, a model not installed: the server says why
        conn.send(("unready", err))
        return 1
    gc.collect()
    gc.freeze()  # the model lives as long as this process: out of the collector's full passes
    conn.send(("ready", timings))
    try:
        _Child(conn, resources, AnalysisCache(cache_root), workers).serve()
    except (EOFError, OSError):
        pass  # the server has gone
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # at once: the analyses still running in threads are the server's, and it has gone
