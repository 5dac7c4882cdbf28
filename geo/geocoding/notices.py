"""What geocoders tell the user while they answer, collected per block (one document's analysis, say).

A geocoder deep in a stack (the cache inside the fallback) cannot hand a
message up through `candidates`, whose answer is places. It calls `tell`,
and every `recording()` block open in this thread (or context) collects the
notice, once; threads never see each other's, so sessions of the dashboard
that share one geocoder are each told of their own names. Told outside any
block, where no one would read it, a notice is a RuntimeWarning instead:
never lost silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_open: ContextVar[tuple[list[str], ...]] = ContextVar("geocoder notices", default=())


@contextmanager
def recording() -> Iterator[list[str]]:
    """The notices told in this block, in this thread (or context) only; blocks may nest."""
    collected: list[str] = []
    token = _open.set((*_open.get(), collected))
    try:
        yield collected
    finally:
        _open.reset(token)


def tell(notice: str) -> None:
    blocks = _open.get()
    if not blocks:
        warnings.warn(notice, RuntimeWarning, stacklevel=3)
    for collected in blocks:
        if notice not in collected:
            collected.append(notice)
