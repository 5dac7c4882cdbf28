"""The map: an Analysis drawn with folium/Leaflet, offline.

The one package that imports folium and branca. Its modules, each one job:

- ``build``: ``build_map`` (one map, for a file) and ``live_parts`` (a frame kept in the page, data layers swapped);
- ``layers``: the places, routes and regions layers, read from ``geo.routes``;
- ``popups``: the evidence HTML (sentences with their mentions marked, how a date was worked out), route, stop
  and region summaries, the key;
- ``reader``: the reading view, the documents' text with its names marked, linked both ways with the map;
- ``elements``: our folium elements (bindings, legend, style, fit, cluster group, data layers of points and
  routes, time control, reading view, tile fallback, title and caption);
- ``styles``: marker styles by kind, route styles (20 colours, then dashes), region styles, layer names;
- ``basemap``: land and borders from Natural Earth, so the map needs no tiles;
- ``assets``: Leaflet and our script served or inlined, never from a CDN; ``verbatim``: output never compiled
  as a template; ``snapshot``: the map as a standalone HTML file or a PNG.
"""

from geo.map.basemap import BASEMAP_FILE, basemap_geojson, basemap_version
from geo.map.build import MapParts, build_map, live_parts, map_parts
from geo.map.layers import arrow_at
from geo.map.popups import highlight, legend_html
from geo.map.reader import reader_html
from geo.map.styles import (
    CLUSTER_THRESHOLD,
    KIND_STYLES,
    LAND_STYLE,
    LAYER_NAMES,
    LAYERS,
    OFFLINE_BASEMAP,
    ONLINE_TILES,
    SEA_COLOUR,
    RouteStyle,
    person_colours,
    person_styles,
    tied_people,
)

__all__ = [
    "BASEMAP_FILE",
    "CLUSTER_THRESHOLD",
    "KIND_STYLES",
    "LAND_STYLE",
    "LAYERS",
    "LAYER_NAMES",
    "OFFLINE_BASEMAP",
    "ONLINE_TILES",
    "SEA_COLOUR",
    "MapParts",
    "RouteStyle",
    "arrow_at",
    "basemap_geojson",
    "basemap_version",
    "build_map",
    "highlight",
    "legend_html",
    "live_parts",
    "map_parts",
    "person_colours",
    "person_styles",
    "reader_html",
    "tied_people",
]
