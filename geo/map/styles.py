"""How the map looks: marker styles by kind, route colours, region styles, layer names, the default view.

Plain values, and the colour each person keeps. Nothing here draws.
"""

from __future__ import annotations

from geo.model import MOVEMENT_ROLES, Analysis

# Markers by kind: broad places are big and hollow, precise ones small and solid,
# so a country never hides the city inside it.
KIND_STYLES: dict[str, dict] = {
    "country": {"radius": 12, "color": "#1f3b73", "fill_color": "#1f3b73", "fill_opacity": 0.12, "weight": 2},
    "region": {"radius": 14, "color": "#6a3d9a", "fill_color": "#6a3d9a", "fill_opacity": 0.08, "weight": 2,
               "dash_array": "5 4"},
    "admin": {"radius": 9, "color": "#2b7bb9", "fill_color": "#2b7bb9", "fill_opacity": 0.25, "weight": 2},
    "city": {"radius": 6, "color": "#8b1a1a", "fill_color": "#d7301f", "fill_opacity": 0.9, "weight": 1.5},
    "site": {"radius": 5, "color": "#7f4a00", "fill_color": "#f0a30a", "fill_opacity": 0.95, "weight": 1.5},
}
OTHER_KIND_STYLE = {"radius": 6, "color": "#444444", "fill_color": "#888888", "fill_opacity": 0.8, "weight": 1.5}

# Route colours: saturated, and none of them a marker colour above.
ROUTE_PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
    "#42d4f4", "#f032e6", "#9a6324", "#469990", "#808000",
)
ROUTE_WEIGHT = 3  # pixels; the legend's line is as thick

# Region shapes: pale, under everything, a cluster dashed (drawn from the
# places) and a named region solid (drawn from its countries).
REGION_STYLES: dict[str, dict] = {
    "cluster": {"color": "#b35806", "weight": 1.5, "dashArray": "6 4", "fillColor": "#fdb863", "fillOpacity": 0.18},
    "macro": {"color": "#542788", "weight": 1.5, "fillColor": "#b2abd2", "fillOpacity": 0.15},
}
OTHER_REGION_STYLE = {"color": "#555555", "weight": 1.5, "fillColor": "#aaaaaa", "fillOpacity": 0.15}
REGION_LABELS = {"cluster": "area of places", "macro": "region named"}
REGION_DECIMALS = 4  # ~10 m: finer than any region is drawn

# The offline basemap: sea behind, land on top, thin grey borders.
SEA_COLOUR = "#dbe8f1"
LAND_STYLE = {"fillColor": "#f6f3ea", "fillOpacity": 1.0, "color": "#a39e93", "weight": 0.7}

LAYERS = ("places", "routes", "regions")  # what build_map can draw; the layer control toggles each
LAYER_NAMES = {"places": "Places", "routes": "Routes", "regions": "Regions"}
# Online tile sets offered beside the offline basemap (folium's names; CARTO's now want an API key).
ONLINE_TILES = ("OpenStreetMap", "OpenTopoMap")
OFFLINE_BASEMAP = "Offline basemap"

WORLD_VIEW = {"location": (20.0, 10.0), "zoom_start": 2}
MAX_FIT_ZOOM = 7  # one city alone would otherwise zoom to street level over a blank basemap
# Above this many markers, places gather into numbered bubbles while zoomed out.
CLUSTER_THRESHOLD = 40
CLUSTER_MAX_ZOOM = 7  # from here on every marker shows: a region's towns are apart by then
MARK_CLASSES = {"place": "geo-place", "person": "geo-person", "date": "geo-date"}


def person_colours(analysis: Analysis) -> dict[str, str]:
    """A colour per person who moves, by their order in the analysis.

    Keyed on the whole analysis, not the filtered view, so a person keeps their
    colour when others are filtered out; people who go nowhere take no colour,
    so the palette lasts longer before it repeats.
    """
    movers = {t.person for t in analysis.ties if t.role in MOVEMENT_ROLES}
    names = [n for n in _names_in_order(analysis) if n in movers]
    return {name: ROUTE_PALETTE[i % len(ROUTE_PALETTE)] for i, name in enumerate(names)}


def tied_people(analysis: Analysis) -> list[str]:
    """The people the map can say something about: those tied to a place."""
    tied = {t.person for t in analysis.ties}
    return [n for n in _names_in_order(analysis) if n in tied]


def _names_in_order(analysis: Analysis) -> list[str]:
    """Everyone the analysis names: its people first, then anyone only a tie names."""
    return list(dict.fromkeys([p.name for p in analysis.people] + [t.person for t in analysis.ties if t.person]))


def leaflet_options(style: dict) -> dict:
    """KIND_STYLES' folium-style keys (fill_color) as Leaflet's options (fillColor)."""
    def camel(key: str) -> str:
        head, *rest = key.split("_")
        return head + "".join(w.title() for w in rest)

    return {"fill": True, **{camel(k): v for k, v in style.items()}}
