"""Which place a click on the map means: the marker nearest the click, in pixels at the zoom it was made at.

The browser tells where the pointer was (streamlit-folium's ``last_object_clicked``), not which marker:
a marker is a few pixels wide, so the nearest place within a marker's reach of the click is the one meant.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from geo.model import PlaceGroup

REACH = 14  # pixels from a marker's centre that still click it (a place marker's radius, and a finger's slack)


def pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at ``zoom`` (256-pixel tiles)."""
    scale = 256 * 2 ** zoom
    lat = max(-85.0511, min(85.0511, lat))
    s = math.sin(math.radians(lat))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def clicked(groups: Iterable[PlaceGroup], lat: float, lon: float, zoom: float, reach: float = REACH
            ) -> PlaceGroup | None:
    """The place marker nearest a click at (lat, lon) on a map at ``zoom``; None when none is within reach."""
    x, y = pixel(lat, lon, zoom)
    best, distance = None, reach
    for group in groups:
        gx, gy = pixel(*group.point, zoom)
        d = math.hypot(gx - x, gy - y)
        if d <= distance:
            best, distance = group, d
    return best
