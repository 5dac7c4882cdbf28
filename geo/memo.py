"""What is made from a whole analysis once, whatever the filters: kept by the analysis' identity.

The reading view, the evidence popups quote and the regions depend on the
whole analysis only; a corpus's took seconds, which every filter change paid
until they were kept here, for the last few analyses a process shows. By
identity: an Analysis's own hash would read all of it. ``made_from`` and
``seed`` carry what was made along with the analysis, as a kept batch store
does (``geo.corpus.kept_store``), so that its first map makes none of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
KEPT_MOST = 48  # (what, analysis) pairs: a few of each kind for the last analyses shown

_kept: dict[tuple[str, int], tuple[object, object]] = {}
_lock = threading.Lock()


def once(what: str, analysis, make: Callable[[object], T]) -> T:
    """``make(analysis)``, made once for this very object and kept (``what`` names what it makes)."""
    key = (what, id(analysis))
    with _lock:
        kept = _kept.get(key)
    if kept is not None and kept[0] is analysis:
        return kept[1]
    made = make(analysis)
    seed(analysis, {what: made})
    return made


def made_from(analysis) -> dict[str, object]:
    """Everything kept for this very object, by what it is."""
    with _lock:
        return {what: made for (what, _), (owner, made) in _kept.items() if owner is analysis}


def seed(analysis, made: Mapping[str, object]) -> None:
    """Keep ``made`` (what -> value) for ``analysis``, as ``once`` would have made it."""
    with _lock:
        for what, value in made.items():
            _kept.pop((what, id(analysis)), None)
            while len(_kept) >= KEPT_MOST:
                _kept.pop(next(iter(_kept)))
            _kept[(what, id(analysis))] = (analysis, value)
