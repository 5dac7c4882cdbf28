"""What is made from a whole analysis once, whatever the filters: kept by the analysis' identity.

The reading view, the evidence popups quote and the regions depend on the
whole analysis only; a corpus's took seconds, which every filter change paid
until they were kept here, for the last few analyses a process shows. By
identity: an Analysis's own hash would read all of it. ``made_from`` and
``seed`` carry what was made along with the analysis, as a kept batch store
does (``geo.corpus.kept_store``), so that its first map makes none of it.
Any object can own what is made from it: a region's shape owns the GeoJSON
it is drawn from, the same in every view of its analysis (``geo.map.layers``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
KEPT_MOST = 48  # of each kind (``what``): a few for each of the last analyses shown

# what -> id(owner) -> (owner, made), the most recently used last. Each kind has its own room, so that many
# small things (a map's region shapes) never push out a corpus's reading view.
_kept: dict[str, OrderedDict[int, tuple[object, object]]] = {}
_most: dict[str, int] = {}
_lock = threading.Lock()


def once(what: str, owner, make: Callable[[object], T], *, most: int = KEPT_MOST) -> T:
    """``make(owner)``, made once for this very object and kept (``what`` names what it makes; the ``most``
    recently used of that kind are kept)."""
    key = id(owner)
    with _lock:
        _most[what] = most
        kept = _kept.get(what, {}).get(key)
        if kept is not None and kept[0] is owner:
            _kept[what].move_to_end(key)
            return kept[1]
    made = make(owner)
    seed(owner, {what: made})
    return made


def made_from(owner) -> dict[str, object]:
    """Everything kept for this very object, by what it is."""
    key = id(owner)
    with _lock:
        return {what: kept[key][1] for what, kept in _kept.items() if key in kept and kept[key][0] is owner}


def seed(owner, made: Mapping[str, object]) -> None:
    """Keep ``made`` (what -> value) for ``owner``, as ``once`` would have made it."""
    key = id(owner)
    with _lock:
        for what, value in made.items():
            kept = _kept.setdefault(what, OrderedDict())
            kept.pop(key, None)
            while len(kept) >= _most.get(what, KEPT_MOST):
                kept.popitem(last=False)
            kept[key] = (owner, value)
