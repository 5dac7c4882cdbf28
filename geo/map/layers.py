"""The data layers of a map: places (one marker per place), routes (lines, arrows, numbered stops), regions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import folium
import numpy as np
import shapely
from shapely.geometry import mapping

from geo.map.elements import Bindings, ClusterGroup, Icons, Points
from geo.map.popups import Evidence, popup_html, region_html, route_html, route_tooltip, stop_html
from geo.map.styles import (
    CLUSTER_MAX_ZOOM,
    KIND_STYLES,
    LAYER_NAMES,
    OTHER_KIND_STYLE,
    OTHER_REGION_STYLE,
    REGION_DECIMALS,
    REGION_STYLES,
    ROUTE_WEIGHT,
    leaflet_options,
)
from geo.model import Analysis, PlaceGroup, Route, Stop, Tie


def places_layer(groups: list[PlaceGroup], analysis: Analysis, evidence: Evidence, *,
                 clustered: bool, show_doc: bool) -> folium.FeatureGroup:
    """One marker per place, styled by kind, its popup the evidence of every mention and tie."""
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
        styles.setdefault(style_key, leaflet_options(KIND_STYLES.get(kind, OTHER_KIND_STYLE)))
        lat, lon = group.point
        points.append([lat, lon, style_key, popup_html(group, ties, evidence, show_doc=show_doc),
                       escape(group.place.chosen.name)])
    Points(styles, points).add_to(layer)
    return layer


def routes_layer(routes: Sequence[Route], analysis: Analysis, colours: dict[str, str],
                 evidence: Evidence) -> folium.FeatureGroup:
    """Each route: its line, an arrow on every leg, and its stops numbered in order."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["routes"])
    places = analysis.places
    drawn = [route for route in routes if route.is_line]  # one stop is not a route; its marker names the person
    icons = []  # arrows, then stop badges: one data layer, drawn in this order
    for route in drawn:
        colour = colours[route.person]
        line = folium.PolyLine([s.point for s in route.stops], color=colour, weight=ROUTE_WEIGHT, opacity=0.85)
        line.add_child(Bindings(route_html(route, places), route_tooltip(route, places)))
        line.add_to(layer)
        for a, b in zip(route.stops, route.stops[1:]):
            icons.append(_arrow(arrow_at(a.point, b.point), colour))
    # Badges last, above the arrows; several people stopping at one point line up side by side.
    beside: dict[tuple[float, float], int] = {}
    for route in drawn:
        at_point: dict[tuple[float, float], list[Stop]] = {}
        for stop in route.stops:
            at_point.setdefault(stop.point, []).append(stop)
        for point, stops in at_point.items():
            label = "·".join(str(s.number) for s in stops)
            width = 8 + 6 * len(label)
            offset = beside.get(point, 0)
            beside[point] = offset + width + 2
            tooltip = f"{escape(route.person)}: stop {label} · {escape(places[stops[0].place].chosen.name)}"
            icons.append([
                point[0], point[1], f"<div class='geo-stop' style='background:{colours[route.person]}'>{label}</div>",
                "geo-stop-icon", [width, 16], [-7 - offset, 20],
                stop_html(route, stops, places, evidence), tooltip,
            ])
    if icons:
        Icons(icons).add_to(layer)
    return layer


def regions_layer(regions: Sequence, analysis: Analysis) -> folium.FeatureGroup:
    """Each region's shape, pale and under everything, with its summary as popup."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["regions"])
    for region in regions:
        style = REGION_STYLES.get(region.kind, OTHER_REGION_STYLE)
        geometry = shapely.transform(region.geometry, lambda xy: np.round(xy, REGION_DECIMALS))
        shape_layer = folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": mapping(geometry)},
            style_function=lambda _feature, style=style: style,
            control=False,
        )
        shape_layer.add_child(Bindings(region_html(region, analysis), escape(region.name)))
        shape_layer.add_to(layer)
    return layer


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


def _arrow(at: tuple[float, float, float], colour: str) -> list:
    """An arrow as a row of Icons: not interactive (no popup, no tooltip)."""
    lat, lon, angle = at
    svg = (f"<svg width='14' height='14' viewBox='0 0 14 14' style='transform:rotate({angle:.1f}deg)'>"
           f"<path d='M2 2 L12 7 L2 12 Z' fill='{colour}' stroke='#fff' stroke-width='1'/></svg>")
    return [lat, lon, svg, "geo-arrow", [14, 14], [7, 7], None, None]
