"""Shapes derived from Natural Earth, built once and kept on disk beside the gazetteer.

Reading the shapefile costs most of a second (pyshp builds every ring in Python), and a macro-region's
drawn shape up to as much again (the union of its countries at full detail, then simplified): the same
for every document, process and run of one edition. So both are kept as WKB, which gives back the same
doubles in the same rings, in ``<cache>/shapes-<key>/``. The key names the Natural Earth edition, the
GEOS version and the code that derives the shapes: a change of any of the three is a new folder, so a
kept shape is always the one the code would build.

A cache that cannot be written or read costs a rebuild, nothing more. Each file is written whole
(``write_atomic``), so processes that build the same shape at once (Dask workers) just agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import GeometryCollection
from shapely.geometry.base import BaseGeometry

from geo import config
from geo.fsutil import write_atomic
from geo.geography import naturalearth

# The modules whose code decides what a kept shape is.
_DERIVING = ("naturalearth.py", "countries.py", "regions.py", "shapecache.py")


@lru_cache(maxsize=1)
def _key() -> str:
    here = Path(__file__).parent
    code = hashlib.blake2b(digest_size=6)
    for name in _DERIVING:
        code.update((here / name).read_bytes())
    return f"ne{naturalearth.edition()}-geos{shapely.geos_version_string}-{code.hexdigest()}"


def folder() -> Path:
    """Where this edition's shapes are kept (it changes with ``GEO_CACHE_DIR``)."""
    return config.cache_dir() / f"shapes-{_key()}"


def _read(path: Path) -> BaseGeometry | None:
    try:
        return shapely.from_wkb(path.read_bytes())
    except (OSError, shapely.errors.GEOSException):  # missing, unreadable or cut short: built again
        return None


def _write(path: Path, geometry: BaseGeometry) -> None:
    try:
        write_atomic(path, shapely.to_wkb(geometry))
    except OSError:
        pass  # an unwritable cache costs a rebuild in the next process, nothing more


def kept(name: str, build: Callable[[], BaseGeometry | None]) -> BaseGeometry | None:
    """The shape kept as ``name``, or ``build()``'s, kept for next time (a None is not kept: it is cheap)."""
    path = folder() / f"{name}.wkb"
    geometry = _read(path)
    if geometry is None:
        geometry = build()
        if geometry is not None:
            _write(path, geometry)
    return geometry


def kept_all(name: str, build: Callable[[], Sequence[BaseGeometry]]) -> tuple[BaseGeometry, ...]:
    """A sequence of shapes kept as ``name``, in order (as one collection), or ``build()``'s."""
    path = folder() / f"{name}.wkb"
    collection = _read(path)
    if isinstance(collection, GeometryCollection):
        return tuple(shapely.get_parts(collection))
    shapes = tuple(build())
    _write(path, GeometryCollection(list(shapes)))
    return shapes
