"""The data layers of a map: places (one marker per place), routes (lines, arrows, numbered stops), regions."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from html import escape

import folium
import numpy as np
import shapely
from shapely.geometry import mapping

from geo import memo
from geo.map.elements import ClusterGroup, Highlight, Points, Regions, Routes, TimeControl, safe_json
from geo.map.popups import (
    Evidence,
    leg_html,
    popup_html,
    region_html,
    route_html,
    route_tooltip,
    stop_html,
)
from geo.map.reader import Reading, point_key
from geo.map.styles import (
    ATTEMPTED_DASH,
    CLUSTER_MAX_ZOOM,
    KIND_STYLES,
    LAYER_NAMES,
    OTHER_KIND_STYLE,
    OTHER_REGION_STYLE,
    PLAY_DURATION_MS,
    REGION_DECIMALS,
    REGION_STYLES,
    ROUTE_WEIGHT,
    RouteStyle,
    leaflet_options,
)
from geo.model import Analysis, Candidate, PlaceGroup, Route, Stop, Tie
from geo.routes import epoch_ms, timeline_spans


class PopupsApart:
    """A map's popups kept apart from its data (``geo.map.build.MapParts.popups``), for a page to serve at ``url``
    as a JSON list: the data carry each popup's number and that URL, and the page fetches the list when a
    popup first opens (``L.geo.bindPopup`` in geomap.js, which waits while the list is still being made).

    The evidence in the popups was most of a large map's data: 8.5 of the 12.2 MB of a 10,000-document store's,
    for the few popups anyone opens. Each is made only when ``texts()`` is asked: making them took 1.2-1.6 s
    of that map, which the page can send first."""

    def __init__(self, url: str):
        self.url = url
        self._makers: list[Callable[[], str]] = []

    def __call__(self, make: Callable[[], str]) -> int:
        self._makers.append(make)
        return len(self._makers) - 1

    def texts(self) -> tuple[str, ...]:
        """Every popup's HTML, by its number."""
        return tuple(make() for make in self._makers)


def _inline(make: Callable[[], str]) -> str:
    return make()


def places_layer(groups: list[PlaceGroup], analysis: Analysis, evidence: Evidence, *,
                 clustered: bool, show_doc: bool, reading: Reading | None = None,
                 popups: PopupsApart | None = None) -> folium.FeatureGroup:
    """One marker per place, styled by kind, its popup the evidence of every mention and tie.

    ``reading``: the reading view beside the map; a marker names those of its mentions' sentences it shows,
    for its popup to scroll it to. A corpus's reading view shows a few of its
    documents: the others' sentences were a quarter of a 10,000-document map's data, and led nowhere.
    ``popups``: where the popups go when they are kept apart (else they are in the data)."""
    popup = _inline if popups is None else popups
    name = LAYER_NAMES["places"]
    layer = ClusterGroup(name, maxZoom=CLUSTER_MAX_ZOOM) if clustered else folium.FeatureGroup(name=name)
    ties_at: dict[int, list[tuple[int, Tie]]] = {}
    for position, tie in enumerate(analysis.ties):
        ties_at.setdefault(tie.place, []).append((position, tie))
    styles: dict[str, dict] = {}
    points = []
    for group in groups:  # each group's ties in the analysis' order, as they are told
        ties = [t for _, t in sorted(pt for i in group.indices for pt in ties_at.get(i, ()))]
        kind = group.place.chosen.kind
        style_key = kind if kind in KIND_STYLES else ""
        if style_key not in styles:
            styles[style_key] = leaflet_options(KIND_STYLES.get(kind, OTHER_KIND_STYLE))
        lat, lon = group.point
        refs = [r for r in dict.fromkeys(reading.ref(m.sentence) for m in group.mentions) if r] if reading else []
        points.append([lat, lon, style_key, popup(partial(popup_html, group, ties, evidence, show_doc=show_doc)),
                       escape(group.place.chosen.name), point_key(lat, lon), refs])
    Points(styles, points, None if popups is None else popups.url).add_to(layer)
    return layer


CANDIDATE_ICON = ("<div class='geo-candidate' style='width:22px;height:22px;line-height:20px;border-radius:11px;background:#fff;"
                  "border:2px solid #d62728;color:#d62728;font:bold 12px sans-serif;text-align:center'>{n}</div>")


def candidates_layer(candidates: Sequence[Candidate]) -> folium.FeatureGroup:
    """What a place being fixed could be, numbered 1, 2... as the dashboard's list of choices numbers them."""
    from geo.tables import describe

    layer = folium.FeatureGroup(name="Candidates", control=False)
    for n, c in enumerate(candidates, 1):
        # folium puts a tooltip in a JavaScript template literal: its own quote, "$" and "\\" escaped as well
        text = escape(f"{n}. {describe(c)}").replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
        folium.Marker([c.lat, c.lon], tooltip=text,
                      icon=folium.DivIcon(html=CANDIDATE_ICON.format(n=n), icon_size=(22, 22), icon_anchor=(11, 11)),
                      ).add_to(layer)
    return layer


def highlight_layer(points: Sequence[tuple[float, float, str]]) -> folium.FeatureGroup:
    """What the user selected in a table or the timeline: a ring around each of its points, named."""
    layer = folium.FeatureGroup(name="Selected", control=False)
    Highlight([[round(lat, 6), round(lon, 6), escape(label)] for lat, lon, label in points]).add_to(layer)
    return layer


def routes_layer(routes: Sequence[Route], analysis: Analysis, styles: dict[str, RouteStyle],
                 evidence: Evidence, *, timeline: bool = True, show_doc: bool = False,
                 reading: Reading | None = None, popups: PopupsApart | None = None) -> folium.FeatureGroup:
    """Each route: the path made, attempted legs dashed and hollow, an arrow on every leg, its stops numbered.

    With ``timeline``, and a route dated, a time control plays them: each stop appears at its date.
    ``reading`` and ``popups`` as for ``places_layer``: a stop names its sentence when the reading view
    shows it.
    """
    popup = _inline if popups is None else popups
    layer = folium.FeatureGroup(name=LAYER_NAMES["routes"])
    places = analysis.places
    drawn = [route for route in routes if route.is_line]  # one stop is not a route; its marker names the person
    data, spans, undated = [], [], 0
    beside: dict[tuple[float, float], int] = {}  # several people stopping at one point line up side by side
    for route in drawn:
        style = styles[route.person]
        times = timeline_spans(route)
        index = {stop.number: i for i, stop in enumerate(route.stops)}
        legs = route.legs
        made = [leg for leg in legs if not leg.attempted]
        path = [index[made[0].start.number]] + [index[leg.end.number] for leg in made] if made else []
        refs = [reading.ref(places[stop.place].mention.sentence) if reading else None for stop in route.stops]
        stops = [{"n": stop.number, "at": list(stop.point), "attempted": stop.attempted,
                  "ref": ref,
                  "t": [epoch_ms(span[0]), epoch_ms(span[1], end=True)] if span else None}
                 for stop, span, ref in zip(route.stops, times, refs)]
        at_point: dict[tuple[float, float], list[Stop]] = {}
        for stop in route.stops:
            at_point.setdefault(stop.point, []).append(stop)
        badges = []
        for point, here in at_point.items():
            label = "·".join(str(s.number) for s in here)
            offset = beside.get(point, 0)
            beside[point] = offset + 8 + 6 * len(label) + 2
            name = escape(places[here[0].place].chosen.name)
            badges.append({"at": list(point), "stops": [index[s.number] for s in here], "offset": offset,
                           "popup": popup(partial(stop_html, route, here, places, evidence)),
                           "tooltip": f"{escape(route.person)}: stop {label} · {name}"})
        data.append({
            "person": route.person, "colour": style.colour, "dash": style.dash, "badge": style.badge_class,
            "popup": popup(partial(route_html, route, places, evidence, show_doc=show_doc)),
            "tooltip": route_tooltip(route, places),
            "stops": stops, "path": path, "badges": badges,
            "legs": [{"from": index[leg.start.number], "to": index[leg.end.number], "attempted": leg.attempted,
                      "arrow": [round(v, 5) for v in arrow_at(leg.start.point, leg.end.point)],
                      "popup": popup(partial(leg_html, route, leg, places, evidence)) if leg.attempted else None}
                     for leg in legs],
        })
        if any(times):
            spans += [[st["t"][0], st["t"][1], style.colour,
                       f"{route.person}: {stop.number}. {places[stop.place].chosen.name}"
                       f" ({stop.date or 'undated'}{'–' + stop.date_end if stop.date_end else ''})"]
                      for stop, st in zip(route.stops, stops)]
        else:
            undated += 1
    if data:
        element = Routes({"weight": ROUTE_WEIGHT, "attemptedDash": ATTEMPTED_DASH, "routes": data,
                          "popups": None if popups is None else popups.url})
        element.add_to(layer)
        if timeline and spans:
            TimeControl(element, spans, undated, PLAY_DURATION_MS).add_to(layer)
    return layer


SHAPES_KEPT = 1024  # regions' shapes kept drawn (geo.memo): every country and macro-region, and many clusters


def regions_layer(regions: Sequence, analysis: Analysis) -> folium.FeatureGroup:
    """Each region's shape, pale and under everything, with its summary as popup."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["regions"])
    drawn = []
    for region in regions:
        style = REGION_STYLES.get(region.kind, OTHER_REGION_STYLE)
        drawn.append('{"geometry":' + memo.once("shape", region.geometry, _shape_json, most=SHAPES_KEPT)
                     + ',"style":' + safe_json(style) + ',"popup":' + safe_json(region_html(region, analysis))
                     + ',"tooltip":' + safe_json(escape(region.name)) + "}")
    if drawn:
        Regions(drawn).add_to(layer)
    return layer


def _shape_json(geometry) -> str:
    """A shape as GeoJSON text, rounded to REGION_DECIMALS: made once per shape, which is the same object in
    every view of an analysis (a corpus's 164 took 0.3 s on every map of it)."""
    return safe_json(mapping(shapely.transform(geometry, lambda xy: np.round(xy, REGION_DECIMALS))))


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
