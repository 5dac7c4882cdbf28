"""How many processes a job gets, and which engine runs them: one decision for ``export`` and ``batch``.

- ``serial``: this process parses and analyses.
- ``spacy``: spaCy's own ``n_process`` children parse; forked from this process, they start with the
  model already loaded. Everything after the parse (geocoding included) stays here, so an online
  geocoder's one request a second still holds.
- ``forked``: forked children analyse whole documents (``geo.corpus.forked``) and this process only
  writes: for ``export`` of several documents with the offline gazetteer, where this process would
  otherwise run our rules beside the parsing children and hold them back.
- ``dask``: a local Dask cluster of worker processes, each loading the model and the gazetteer and
  analysing whole chunks. It starts in seconds, not a fraction of one.

``--workers auto`` (the default) takes every usable core, but a job too small to repay starting other
processes stays in this one. Measured by ``bench/engines.py`` (2 cores; see the figures there):
spaCy's children start in about a tenth of a second and beat the local Dask cluster at every size
measured; Dask is chosen only when asked for with ``--scheduler``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from geo.errors import ConfigError

AUTO = "auto"
# Below this many words a job stays in one process: 2 children take ~0.3 s to start and
# hand back their first documents, which is what one process parses of ~1,500 words.
SMALL_JOB_WORDS = 3_000
ENGINES = ("serial", "spacy", "dask")
# To size a batch from its files before reading them: English news runs at about 6 bytes a word.
BYTES_PER_WORD = 6


@dataclass(frozen=True)
class Plan:
    engine: str  # one of ENGINES
    processes: int  # that parse at once

    def __str__(self) -> str:
        return "one process" if self.engine == "serial" else f"{self.processes} processes ({self.engine})"


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which a container or taskset narrows)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def workers_option(value: str) -> int | str:
    """An argparse type: ``auto`` or a number of processes, 1 or more."""
    if value == AUTO:
        return AUTO
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give auto, or a number of processes (1 or more)")
    return n


def plan(words: int, workers: int | str = AUTO, *, cores: int | None = None, scheduler: bool = False,
         documents: int = 0, whole: bool = False) -> Plan:
    """The engine and processes for a job of ``words`` words, with ``--workers`` ``workers``.

    ``scheduler``: a Dask scheduler was named, so Dask runs the job on the processes it has there.
    ``whole``: the caller can take whole analyses from forked children (the offline gazetteer, all the
    ``documents`` at hand); they are, when there are at least two documents for each child.
    """
    if scheduler:
        return Plan("dask", 0 if workers == AUTO else int(workers))
    if workers == AUTO:
        cores = usable_cores() if cores is None else cores
        if cores < 2 or words < SMALL_JOB_WORDS:
            return Plan("serial", 1)
        workers = cores
    if not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"workers must be {AUTO!r} or a number of processes (1 or more), not {workers!r}")
    if workers == 1:
        return Plan("serial", 1)
    # One long document is one child's work: its parse is better spread over the children by spaCy.
    return Plan("forked", workers) if whole and documents >= 2 * workers else Plan("spacy", workers)


T = TypeVar("T")


def forked_quietly(stream: Iterator[T]) -> Iterator[T]:
    """``stream``'s items, where the stream parses in spaCy's children: they end with it, whatever ends it.

    spaCy forks its ``n_process`` children when the first document is asked for. Two things it leaves:

    - Ctrl-C reaches every process of the terminal's group, and each child would print a traceback. The
      children inherit this process's handler, which ends a child without a word and interrupts this one.
    - When this process stops reading early (interrupted, or a document that breaks the analysis), spaCy
      waits for its children, and a child blocked writing its parsed batch to the pipe waits forever: every
      child holds the pipe's other end too, so the write never fails. They are ended first, by their ids,
      and spaCy's warning that they did not finish is not shown.
    """
    if threading.current_thread() is not threading.main_thread():  # signals belong to the main thread
        yield from stream
        return
    parent = os.getpid()
    before = set(multiprocessing.active_children())

    def end_children() -> None:
        from geo.pipeline import end_children as end  # not at import: the CLI reads its options first

        end(before)

    def interrupt(signum, frame):
        if os.getpid() != parent:
            os._exit(128 + signum)
        end_children()
        raise KeyboardInterrupt

    warnings.filterwarnings("ignore", message=r"\[W127\]", category=UserWarning)
    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        first = next(stream, _END)
        if first is _END:
            return
        yield first
        yield from stream
    except BaseException:  # GeneratorExit too: the caller stopped reading
        end_children()
        raise
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
        stream.close()


_END = object()
