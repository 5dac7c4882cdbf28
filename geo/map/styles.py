"""How the map looks: marker styles by kind, route colours, region styles, layer names, the default view.

Plain values, and the colour each person keeps. Nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass

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

# Route colours: 20 that stay apart (CIEDE2000 over 14 between any two), saturated, mid-dark enough for the
# white numbers of the stop badges and to stand out on the pale land and sea. Past 20 people the colours come
# round again with a dash (ROUTE_DASHES) and square badges, so no two people are drawn alike.
ROUTE_PALETTE = (
    "#e6194b", "#4363d8", "#911eb4", "#f032e6", "#9a6324", "#469990", "#808000", "#0a7655", "#800033", "#6c3713",
    "#dd6f40", "#00a331", "#004080", "#3788be", "#bd210f", "#ad1f74", "#bd890f", "#2900cc", "#635c1d", "#376c13",
)
ROUTE_DASHES = (None, "10 5", "2 5", "12 4 2 4")  # one per round of the palette
ATTEMPTED_DASH = "10 7"  # an attempted leg: dashed and hollow, whoever made it
ROUTE_WEIGHT = 3  # pixels; the legend's line is as thick
PLAY_DURATION_MS = 24_000  # the time control plays the whole timeline in this long at 1x

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
# How close the map flies to a place named in the reading view.
ZOOM_BY_KIND = {"region": 4, "country": 5, "admin": 6, "city": 7, "site": 8}  # the basemap is drawn to ~5 km
MAX_FIT_ZOOM = 7  # one city alone would otherwise zoom to street level over a blank basemap
# Above this many markers, places gather into numbered bubbles while zoomed out.
CLUSTER_THRESHOLD = 40
CLUSTER_MAX_ZOOM = 7  # from here on every marker shows: a region's towns are apart by then
MARK_CLASSES = {"place": "geo-place", "person": "geo-person", "date": "geo-date"}


@dataclass(frozen=True)
class RouteStyle:
    """How one person's route is drawn: a colour, a dash past the palette's first round, a badge shape."""

    colour: str
    dash: str | None = None  # an SVG dash array; None: a solid line
    square: bool = False  # square stop badges, for the people drawn dashed

    @property
    def badge_class(self) -> str:
        return "geo-stop geo-square" if self.square else "geo-stop"


def person_styles(analysis: Analysis) -> dict[str, RouteStyle]:
    """A route style per person who moves, by their order in the analysis.

    Keyed on the whole analysis, not the filtered view, so a person keeps
    their style when others are filtered out; people who go nowhere take
    none, so the palette lasts longer before it comes round again.
    """
    movers = {t.person for t in analysis.ties if t.role in MOVEMENT_ROLES}
    names = [n for n in _names_in_order(analysis) if n in movers]
    return {name: route_style(i) for i, name in enumerate(names)}


def route_style(i: int) -> RouteStyle:
    """The style of the i-th person who moves (from 0)."""
    lap, colour = divmod(i, len(ROUTE_PALETTE))
    return RouteStyle(ROUTE_PALETTE[colour], ROUTE_DASHES[lap % len(ROUTE_DASHES)], square=lap % 2 == 1)


def person_colours(analysis: Analysis) -> dict[str, str]:
    """The colour of each person who moves (``person_styles``), for keys and charts drawn outside the map."""
    return {name: style.colour for name, style in person_styles(analysis).items()}


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
