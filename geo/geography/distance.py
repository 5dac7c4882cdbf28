"""Great-circle distance on a spherical Earth: the one formula, for one pair or for arrays.

Haversine on the mean radius. ``km`` is plain ``math`` for the scoring loops
that measure a handful of pairs at a time (a NumPy call costs more than the
arithmetic there); ``metres`` is vectorised for the geometry code.
"""

from __future__ import annotations

import math

import numpy as np

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
