"""Exports of an Analysis. GeoJSON follows the contract in the eval README.

One Point per tie of a person to a placed mention, and one Point with role
`mention` for a placed mention tied to nobody; route lines as LineStrings
per person who goes somewhere, through the stops of ``geo.routes``. Files are written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from geo.fsutil import write_atomic
from geo.model import Analysis, Place, Tie
from geo.routes import routes


def _point(place: Place, tie: Tie | None) -> dict:
    c = place.chosen
    m = place.mention
    props = {
        "place": m.text,
        "kind": c.kind,
        "country": c.country,
        "person": tie.person if tie else None,
        "role": tie.role if tie else "mention",
        "date": tie.date if tie else None,
        "order": tie.order if tie else None,
        "date_end": tie.date_end if tie else None,
        "resolved_name": c.name,
        "doc": m.doc_id,
        "start": m.start,
        "end": m.end,
        "sentence": m.sentence.text,
        "label": m.label,
        "geocoder": place.geocoder,
        "score": place.score,
        "candidates": [
            {"name": a.name, "kind": a.kind, "country": a.country, "lat": a.lat, "lon": a.lon, "id": a.id}
            for a in place.candidates
        ],
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(c.lon, 6), round(c.lat, 6)]},
            "properties": props}


def route_lines(analysis: Analysis) -> list[dict]:
    """One LineString per person who goes somewhere, through their stops (``geo.routes``), as the map draws it."""
    return [
        {"type": "Feature",
         "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in (s.point for s in route.stops)]},
         "properties": {"person": route.person, "role": "route", "stops": len(route.stops)}}
        for route in routes(analysis) if route.is_line
    ]


def to_geojson(analysis: Analysis, regions: Sequence = ()) -> dict:
    """The contract's FeatureCollection: points, route lines, and region polygons when given."""
    from geo.geography.regions import region_features, region_of_place

    region_of = region_of_place(regions) if regions else {}
    features = []
    for i, place in enumerate(analysis.places):
        if not place.resolved:
            continue
        ties = analysis.ties_of(i) or (None,)
        for tie in ties:
            point = _point(place, tie)
            point["properties"]["region"] = region_of.get(i)
            features.append(point)
    features.extend(route_lines(analysis))
    if regions:
        features.extend(region_features(regions, analysis))
    return {"type": "FeatureCollection", "features": features}


def write_geojson(analysis: Analysis, path: Path, regions: Sequence = ()) -> None:
    write_atomic(path, json.dumps(to_geojson(analysis, regions), ensure_ascii=False, indent=1))


# --- exports of what a user sees: a filtered view, in every format -------------

EXPORT_FORMATS = ("geojson", "csv", "html", "png")
REGION_FORMATS = frozenset({"geojson", "html", "png"})  # those that draw regions: the others need none computed


def view_geojson(view, *, regions: bool = True) -> dict:
    """The contract's GeoJSON of a filtered view (``geo.filters.View``), with its region shapes if asked."""
    return to_geojson(view.analysis, view.regions if regions else ())


def export_view(view, fmt: str, stem: str, *, layers=None, tiles=()) -> dict[str, bytes]:
    """File name -> contents of ``view`` in format ``fmt`` (one of EXPORT_FORMATS).

    ``csv`` gives two files, the places and the moves. ``html`` and ``png`` are
    the map as ``geo.map.build_map`` draws it with ``layers`` and ``tiles``.
    """
    if fmt == "geojson":  # with every layer unless told: the GeoJSON needs no folium (a second to import)
        with_regions = layers is None or "regions" in layers
        text = json.dumps(view_geojson(view, regions=with_regions), ensure_ascii=False, indent=1)
        return {f"{stem}.geojson": text.encode("utf-8")}
    # Imported here: the GeoJSON functions above stay free of folium and the browser.
    from geo.map import LAYERS, build_map

    layers = LAYERS if layers is None else layers
    if fmt == "csv":
        from geo.tables import moves_csv, places_csv

        return {f"{stem}.places.csv": places_csv(view.analysis).encode("utf-8"),
                f"{stem}.moves.csv": moves_csv(view.analysis).encode("utf-8")}
    if fmt in ("html", "png"):
        from geo.map.snapshot import html_snapshot, png_snapshot

        html = html_snapshot(build_map(view, layers=layers, tiles=tiles))
        if fmt == "html":
            return {f"{stem}.html": html.encode("utf-8")}
        return {f"{stem}.png": png_snapshot(html)}
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
