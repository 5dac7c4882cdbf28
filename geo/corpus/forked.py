"""Whole documents analysed in forked processes, the analyses handed back in order.

With spaCy's ``n_process`` only the parse leaves this process: our rules, the geocoding and the export still
run here, beside the children, and on two cores this process became the bottleneck (1.64× the one-core
time, `bench/command.py`). Forked from this process, the children start with the model, the gazetteer and
the user's corrections already loaded, and each analyses whole documents; this process only writes.

Only for the offline gazetteer: an online geocoder's one request a second is kept by one process asking
(the ``spacy`` engine). A child opens its own connection to the gazetteer, as SQLite wants after a fork.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.geocoding.corrections import Corrections
    from geo.model import Analysis, Document
    from geo.pipeline import Resources

TEXTS_A_TASK = 4  # documents a child is given at a time, at most (see forked_analyses)
# What the children analyse: set before the fork, so that they inherit it instead of being sent it.
_JOB: tuple | None = None


def available() -> bool:
    """Whether this system can fork (not Windows): the children inherit the loaded model instead of loading it."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_analyses(documents: Sequence[Document], resources: Resources, corrections: Corrections | None,
                    processes: int) -> Iterator[Analysis]:
    """The analysis of each document, in order, each made whole in one of ``processes`` forked children.

    The same analyses as ``iter_analyses`` in one process; a document that breaks the analysis raises here
    as it would there. The children end with the stream, however it ends."""
    global _JOB
    if _JOB is not None:
        raise RuntimeError("one forked analysis at a time")
    _JOB = (documents, resources, corrections)
    # The children share this process's memory until they write to it; a collection in a child would write
    # to every object it visits (their headers), so what is loaded is set apart from collections first.
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_start)
    # A few documents a task: the parse of one text at a time is 10-20% slower than of a batch, and a few keep
    # the children busy to the end (each has two tasks at least)
    step = max(1, min(TEXTS_A_TASK, len(documents) // (2 * processes)))
    try:
        for analyses in pool.imap(_analyse, [(a, min(a + step, len(documents)))
                                             for a in range(0, len(documents), step)]):
            yield from analyses
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
        _JOB = None


def _start() -> None:
    """In a child: Ctrl-C is the parent's to handle (it ends the children); a gazetteer of its own."""
    global _JOB
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from geo.gazetteer import Gazetteer
    from geo.geocoding.offline import OfflineGeocoder

    documents, resources, corrections = _JOB
    if isinstance(resources.gazetteer, Gazetteer):
        gazetteer = Gazetteer(resources.gazetteer.path)
        resources = replace(resources, gazetteer=gazetteer, geocoder=OfflineGeocoder(gazetteer))
    _JOB = (documents, resources, corrections)


def _analyse(span: tuple[int, int]) -> list[Analysis]:
    from geo.pipeline import iter_analyses

    documents, resources, corrections = _JOB
    return list(iter_analyses(documents[span[0]:span[1]], resources, corrections))
