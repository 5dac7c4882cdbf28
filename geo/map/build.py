"""An Analysis, or a filtered view of one, drawn as a folium map: the frame, the data layers, the key.

Pure: no Streamlit, no network. By default the map asks for no tiles and
shows the offline basemap (``geo.map.basemap``); online tile layers are an
option, offered in front of it in the layer control. What is drawn is read
from ``geo.routes``: places grouped at their points, and people's routes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import folium

from geo import memo
from geo.filters import View
from geo.filters import apply as apply_filters
from geo.map.basemap import add_basemaps
from geo.map.elements import Caption, FitBounds, Legend, Reader, RefitButton, Style, Title
from geo.map.layers import (
    PopupsApart,
    candidates_layer,
    highlight_layer,
    places_layer,
    regions_layer,
    routes_layer,
)
from geo.map.popups import Evidence, legend_html
from geo.map.reader import Reading, reading
from geo.map.styles import CLUSTER_THRESHOLD, LAYERS, WORLD_VIEW, person_styles
from geo.model import Analysis, Candidate
from geo.routes import group_places, routes

# Past this many popups (markers, and the routes with their stops), a page that can serve them apart
# (``popups_at``) gets them apart, fetched when one first opens: below it, they cost less than a fetch.
POPUPS_INLINE_MAX = 400


@dataclass(frozen=True)
class MapParts:
    """A map in two parts: the frame, which stays while the data changes, and the data.

    ``frame`` holds the basemap, any online tiles, the style and the Fit
    button, and depends on nothing but the tiles chosen; ``layers`` hold
    everything drawn from the data, and a last, uncontrolled one holds the
    key, the reading view and the data's bounds (fitted or only kept). The
    dashboard keeps the frame in the browser and swaps only the layers on a
    filter change, so the basemap is fetched, parsed and drawn once
    (``live_parts``); ``build_map`` joins the two into one map for a file.

    ``popups``: the popups kept apart from the layers (``live_parts(popups_at=...)``), made when their
    ``texts()`` are asked, for the page to serve as a JSON list at that URL; None when they are in the
    layers' data.
    """

    frame: folium.Map
    layers: tuple[folium.FeatureGroup, ...]
    popups: PopupsApart | None = None


def build_map(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
    fit: bool = True,
    reader: bool = True,
    timeline: bool = True,
    title: str | None = None,
    caption: str | None = None,
) -> folium.Map:
    """Draw an analysis, or a filtered view of one (``geo.filters.apply``).

    ``layers`` picks what is drawn, of LAYERS. ``tiles`` names online tile
    sets (e.g. ONLINE_TILES), fetched by the browser from the internet and
    offered first, the offline basemap staying one click away and taking
    over when they fail to load; none: the offline basemap alone.
    ``cluster`` gathers markers into bubbles when zoomed out (None: when
    there are more than CLUSTER_THRESHOLD). ``title`` is the page's
    <title>; with a ``caption`` too, both are drawn over the map. For the
    rest see ``map_parts``.
    """
    parts = map_parts(data, layers=layers, tiles=tiles, cluster=cluster, fit=fit, reader=reader,
                      timeline=timeline, title=title, caption=caption)
    m = parts.frame
    for layer in parts.layers:
        layer.add_to(m)
    if sum(1 for layer in parts.layers if layer.control) + len(tiles) > 1:
        folium.LayerControl(position="topright", collapsed=False).add_to(m)
    if title:
        Title(title).add_to(m)
    return m


def grouped(analysis: Analysis) -> list:
    """The places of a whole analysis grouped at their points, made once for it (``geo.memo``): its unfiltered
    view is the analysis itself (``geo.filters.apply``), and a corpus's 100,000 places took 0.4 s to group."""
    return memo.once("groups", analysis, lambda a: group_places(a.places))


def reading_view(analysis: Analysis) -> Reading:
    """The reading view of the whole analysis, whatever the filters: made once for it (``geo.memo``)."""
    return memo.once("reader", analysis, reading)


def live_parts(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
    fit: bool = True,
    reader: bool = True,
    timeline: bool = True,
    candidates: Sequence[Candidate] = (),
    highlight: Sequence[tuple[float, float, str]] = (),
    popups_at: str | None = None,
) -> MapParts:
    """``map_parts`` for a page that keeps its frame: the layer switches are the page's own.

    ``candidates``: what a place being fixed could be, drawn numbered over the data (``candidates_layer``).
    ``highlight``: (lat, lon, label) of what the user selected in a table or the timeline, ringed and
    brought into view (``highlight_layer``).
    ``popups_at``: the URL the page serves a large map's popups at, kept apart (``MapParts.popups``).

    The frame's layer control, when there are tiles, offers only the base
    layers: it is made once with the frame, and the data layers come after.
    Pass ``fit=False`` on a redraw that should keep the user's view (a
    filter change); ``fit=True`` on a new text. The map's own Fit button
    fits the data in view whenever the user asks.
    """
    parts = map_parts(data, layers=layers, tiles=tiles, cluster=cluster, fit=fit, reader=reader, timeline=timeline,
                      popups_at=popups_at)
    if tiles:
        folium.LayerControl(position="topright", collapsed=False).add_to(parts.frame)
    if candidates:
        parts = replace(parts, layers=(*parts.layers, candidates_layer(candidates)))
    if highlight:
        parts = replace(parts, layers=(*parts.layers, highlight_layer(highlight)))
    return parts


def map_parts(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
    fit: bool = True,
    reader: bool = True,
    timeline: bool = True,
    title: str | None = None,
    caption: str | None = None,
    popups_at: str | None = None,
) -> MapParts:
    """The frame and the data layers of ``build_map``'s map, apart (see MapParts).

    ``fit``: fit the view to the places on load (else keep it, the bounds
    kept for the Fit button). ``reader``: the text beside the map, linked
    with it (``geo.map.reader``), from the whole analysis. ``timeline``: a
    time control over the dated routes. ``title`` and ``caption`` (even
    ""): a box over the top of the map, for a picture of it. ``popups_at``: see ``live_parts``.
    """
    view = data if isinstance(data, View) else apply_filters(data)
    if isinstance(layers, str) or not set(layers) <= set(LAYERS):
        raise ValueError(f"layers must be a collection of {', '.join(LAYERS)}, e.g. {list(LAYERS)!r}; got {layers!r}")
    if isinstance(tiles, str):
        raise TypeError(f"tiles must be a collection of tile set names, e.g. [{tiles!r}], not the string {tiles!r}")
    analysis = view.analysis
    styles = person_styles(view.full)  # from the whole analysis: a style never moves when filtering
    # a filtered view's groups are made for it alone: kept, each view's would crowd the whole analysis' out
    groups = grouped(analysis) if analysis is view.full else group_places(analysis.places)
    person_routes = routes(analysis)
    # from the whole analysis: a date word the filters leave out still tells how a shown tie's date was read
    evidence = memo.once("evidence", view.full, Evidence)
    several_documents = len(analysis.documents) > 1
    reader_view = reading_view(view.full) if reader and view.full.documents else None
    popups = None
    if popups_at is not None and len(groups) + sum(len(r.stops) + 1 for r in person_routes) > POPUPS_INLINE_MAX:
        popups = PopupsApart(popups_at)

    frame = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, **WORLD_VIEW)
    Style().add_to(frame)
    add_basemaps(frame, tiles)
    RefitButton().add_to(frame)
    overlays = []
    if "regions" in layers and view.regions:
        overlays.append(regions_layer(view.regions, analysis))
    if "routes" in layers:  # lines before markers, so markers stay clickable on top
        overlays.append(routes_layer(person_routes, analysis, styles, evidence, timeline=timeline,
                                     show_doc=several_documents, reading=reader_view, popups=popups))
    if "places" in layers:
        many = len(groups) > CLUSTER_THRESHOLD if cluster is None else cluster
        overlays.append(places_layer(groups, analysis, evidence, clustered=many, show_doc=several_documents,
                                     reading=reader_view, popups=popups))

    lines = [route for route in person_routes if route.is_line]
    drawn = {route.person for route in lines}
    drawn_people = [p for p in styles if "routes" in layers and p in drawn]
    attempted = "routes" in layers and any(leg.attempted for route in lines for leg in route.legs)
    kinds = [g.place.chosen.kind for g in groups] if "places" in layers else []
    region_kinds = list(dict.fromkeys(r.kind for r in view.regions)) if "regions" in layers else []
    key = folium.FeatureGroup(name="Key", control=False)
    if title and caption is not None:
        Caption(title, caption).add_to(key)
    if reader_view:
        Reader(reader_view.html).add_to(key)
    if kinds or drawn_people or region_kinds:
        Legend(legend_html(kinds, drawn_people, styles, region_kinds, attempted=attempted)).add_to(key)
    if groups:  # last: a fit keeps clear of the boxes above, once they are drawn
        FitBounds(_bounds([g.place.chosen for g in groups]), fit=fit).add_to(key)
    if key._children:
        overlays.append(key)
    return MapParts(frame=frame, layers=tuple(overlays), popups=popups)


def _bounds(candidates) -> list[list[float]]:
    lats = [c.lat for c in candidates]
    lons = [c.lon for c in candidates]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
