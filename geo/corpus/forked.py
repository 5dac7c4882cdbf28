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

# What the children analyse: set before the fork, so that they inherit it instead of being sent it.
_JOB: tuple | None = None


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
    try:
        yield from pool.imap(_analyse, range(len(documents)))
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


def _analyse(k: int) -> Analysis:
    from geo.pipeline import iter_analyses

    documents, resources, corrections = _JOB
    return next(iter_analyses([documents[k]], resources, corrections))
