"""Great-circle distance on a spherical Earth: the one formula, for one pair or for arrays.

Haversine on the mean radius; `linked_within` groups points that chains of near neighbours join. ``km`` is plain ``math`` for the scoring loops
that measure a handful of pairs at a time (a NumPy call costs more than the
arithmetic there); ``metres`` is vectorised for the geometry code.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
EARTH_RADIUS_KM = EARTH_RADIUS_M / 1000


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def metres(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Metres between points given in degrees, element-wise (NumPy broadcasting)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Points given in degrees as unit vectors (x, y, z rows) from the Earth's centre."""
    lat, lon = np.radians(lats), np.radians(lons)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def linked_within(points: np.ndarray, radius_km: float) -> np.ndarray:
    """A label per point (lat, lon rows): points linked within radius_km on the sphere share theirs."""
    xyz = unit_vectors(points[:, 0], points[:, 1])
    # On unit vectors, a great-circle distance d is a chord of 2 sin(d / 2R).
    chord = 2 * np.sin(min(radius_km * 1000 / EARTH_RADIUS_M, np.pi) / 2)
    # Candidates from a tree over the vectors' x, y (never farther apart than in 3-D, so none is
    # missed), then the chord itself; shapely's tree is already loaded, where scipy's would cost an
    # import of a second or so on every command.
    xy = shapely.points(xyz[:, 0], xyz[:, 1])
    a, b = shapely.STRtree(xy).query(xy, predicate="dwithin", distance=chord * (1 + 1e-9))
    keep = a < b
    a, b = a[keep], b[keep]
    near = ((xyz[a] - xyz[b]) ** 2).sum(axis=1) <= chord * chord
    return _components(len(points), a[near], b[near])


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of n nodes with edges a[i]-b[i]: each node labelled by its component's smallest node.

    Each round hooks every edge's larger root under its smaller one, then halves paths until every
    node points at its root; a chain of n links takes about log n rounds, not n.
    """
    labels = np.arange(n)
    while True:
        la, lb = labels[a], labels[b]
        low = np.minimum(la, lb)
        hooked = labels.copy()
        np.minimum.at(hooked, np.maximum(la, lb), low)
        while True:
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, labels):
            return labels
        labels = hooked
