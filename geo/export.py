"""Exports of an Analysis. GeoJSON follows the contract in the eval README.

One Point per tie of a person to a placed mention, and one Point with role
`mention` for a placed mention tied to nobody; route lines as LineStrings
per person who goes somewhere, through the stops of ``geo.routes``, with
per-stop times. KML says the same for Google Earth. Files are written atomically.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from geo.filters import iso_span
from geo.fsutil import write_atomic
from geo.model import Analysis, Place, Route, Stop, Tie
from geo.routes import epoch_ms, group_places, routes, timeline_spans


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
    """Per person who goes somewhere (``geo.routes``), as the map draws it: a LineString with role ``route``
    through the stops reached, and one with role ``attempted`` per leg tried and not made.

    Each carries, per vertex, ``times`` (milliseconds since 1970 UTC, when the stop
    shows on a timeline: ``geo.routes.timeline_spans``; what kepler.gl's trip layer and
    Leaflet's time plugins read; null when the route has no date at all) and the stops'
    ``dates`` and ``date_ends`` as the text gives them, with their numbers, places and roles.
    """
    features = []
    for route in routes(analysis):
        if not route.is_line:
            continue
        spans = dict(zip((s.number for s in route.stops), timeline_spans(route)))
        made = [leg for leg in route.legs if not leg.attempted]
        if made:
            features.append(_line(route, [made[0].start, *(leg.end for leg in made)], "route", spans, analysis))
        features += [_line(route, [leg.start, leg.end], "attempted", spans, analysis)
                     for leg in route.legs if leg.attempted]
    return features


def _line(route: Route, stops: list[Stop], role: str, spans: dict, analysis: Analysis) -> dict:
    timed = all(spans[s.number] for s in stops)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in (s.point for s in stops)]},
        "properties": {
            "person": route.person, "role": role, "stops": len(stops),
            "stop_numbers": [s.number for s in stops],
            "places": [analysis.places[s.place].chosen.name for s in stops],
            "roles": [s.role for s in stops],
            "dates": [s.date for s in stops],
            "date_ends": [s.date_end for s in stops],
            "times": [epoch_ms(spans[s.number][0]) for s in stops] if timed else None,
        },
    }


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
    collection = {"type": "FeatureCollection", "features": features}
    # The date the document was written (given, or read from its dateline); for a corpus, when all agree.
    dated = {d.document_date for d in analysis.documents if d.document_date}
    if len(dated) == 1 and all(d.document_date for d in analysis.documents):
        collection["document_date"] = dated.pop()
    return collection


def geojson_text(collection: Mapping) -> str:
    """A FeatureCollection as text, one feature a line: read and diffed a feature at a time, and written by
    the json module's C encoder (``indent`` has only its pure-Python one, which took a tenth of an export)."""
    head = json.dumps({k: v for k, v in collection.items() if k != "features"}, ensure_ascii=False)
    features = ",\n".join(json.dumps(f, ensure_ascii=False) for f in collection.get("features", ()))
    body = f'[\n{features}\n]' if features else "[]"
    return f'{head[:-1]}{", " if len(head) > 2 else ""}"features": {body}}}\n'


def write_geojson(analysis: Analysis, path: Path, regions: Sequence = ()) -> None:
    write_atomic(path, geojson_text(to_geojson(analysis, regions)))


# --- KML, for Google Earth ------------------------------------------------------

KML_NS = "http://www.opengis.net/kml/2.2"
# Characters XML 1.0 cannot hold at all, escaped or not: a document's control characters are dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_kml(analysis: Analysis, name: str, *, styled_by: Analysis | None = None) -> str:
    """The places and routes of ``analysis`` as a KML 2.2 document named ``name``.

    People's colours are the map's, from ``styled_by`` (the whole analysis of a
    filtered view), else from ``analysis``.

    A Placemark per place on the map, its description the sentences that name
    it, with a TimeSpan over the dates tied to it; per person, a LineString per
    leg (an attempted one in a paler, thinner style) from the date the leg
    arrives, and a Point per stop over the days of its date, so Google Earth's
    time slider plays the routes. All text goes through ElementTree, which
    escapes it.
    """
    from geo.map.styles import KIND_STYLES, OTHER_KIND_STYLE, person_styles  # colours, as on the map

    ET.register_namespace("", KML_NS)
    root = ET.Element(_k("kml"))
    doc = _sub(root, "Document")
    _sub(doc, "name", name)
    for kind, style in [*KIND_STYLES.items(), ("other", OTHER_KIND_STYLE)]:
        icon = _sub(_sub(doc, "Style", id=f"place-{kind}"), "IconStyle")
        _sub(icon, "color", _kml_colour(style["fill_color"]))
        _sub(icon, "scale", "0.9" if kind in ("city", "site") else "1.1")
    styles = person_styles(styled_by or analysis)
    for i, (person, style) in enumerate(styles.items()):
        for sid, alpha, width in ((f"route-{i}", "ff", "3"), (f"attempted-{i}", "80", "2")):
            line = _sub(_sub(doc, "Style", id=sid), "LineStyle")
            _sub(line, "color", _kml_colour(style.colour, alpha))
            _sub(line, "width", width)
    style_of = {person: i for i, person in enumerate(styles)}

    places = _sub(doc, "Folder")
    _sub(places, "name", "Places")
    for group in group_places(analysis.places):
        c = group.place.chosen
        ties = [t for t in analysis.ties if t.place in group.indices]
        mark = _sub(places, "Placemark")
        _sub(mark, "name", c.name)
        written = ", ".join(dict.fromkeys(f"“{m.text}”" for m in group.mentions))
        lines = [f"{c.kind}{', ' + c.country if c.country else ''}. Written as {written}."]
        lines += [f"{t.person}: {t.role}{', ' + _when(t) if t.date else ''}" for t in ties if t.person]
        lines += [f"“{sentence.text}”" for sentence in dict.fromkeys(m.sentence for m in group.mentions)]
        _sub(mark, "description", "\n".join(lines))
        _span(mark, [d for t in ties for d in (t.date, t.date_end) if d])
        _sub(mark, "styleUrl", f"#place-{c.kind if c.kind in KIND_STYLES else 'other'}")
        _kml_point(mark, c.lat, c.lon)

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Routes")
    for route in routes(analysis):
        if not route.is_line:
            continue
        person = _sub(folder, "Folder")
        _sub(person, "name", route.person)
        n = style_of.get(route.person, 0)
        for leg in route.legs:
            a, b = (analysis.places[s.place].chosen.name for s in (leg.start, leg.end))
            mark = _sub(person, "Placemark")
            arrow = "⇢" if leg.attempted else "→"
            _sub(mark, "name", f"{leg.start.number} {a} {arrow} {leg.end.number} {b}"
                               + (" (attempted, not made)" if leg.attempted else ""))
            _sub(mark, "description", f"{route.person}: {_stop_text(leg.end, analysis)}")
            if leg.end.date:
                _sub(_sub(mark, "TimeSpan"), "begin", leg.end.date)
            _sub(mark, "styleUrl", f"#{'attempted' if leg.attempted else 'route'}-{n}")
            line = _sub(mark, "LineString")
            _sub(line, "tessellate", "1")
            _sub(line, "coordinates", " ".join(f"{lon:.6f},{lat:.6f}" for lat, lon in (leg.start.point, leg.end.point)))
        for stop in route.stops:
            mark = _sub(person, "Placemark")
            _sub(mark, "name", f"{stop.number}. {analysis.places[stop.place].chosen.name}")
            _sub(mark, "description", _stop_text(stop, analysis))
            _span(mark, [d for d in (stop.date, stop.date_end) if d])
            _kml_point(mark, *stop.point)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _k(tag: str) -> str:
    return f"{{{KML_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, _k(tag), attrs)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _kml_point(mark: ET.Element, lat: float, lon: float) -> None:
    _sub(_sub(mark, "Point"), "coordinates", f"{lon:.6f},{lat:.6f}")


def _span(mark: ET.Element, dates: list[str]) -> None:
    """A TimeSpan over the days the dates cover, at their precision (KML reads "2015", "2015-06", "2015-06-14")."""
    spans = [(iso_span(d), d) for d in dates]
    spans = [(span, d) for span, d in spans if span]
    if spans:
        span = _sub(mark, "TimeSpan")
        _sub(span, "begin", min(spans, key=lambda sd: sd[0][0])[1])
        _sub(span, "end", max(spans, key=lambda sd: sd[0][1])[1])


def _when(tie: Tie) -> str:
    return tie.date + (f" to {tie.date_end}" if tie.date_end else "")


def _stop_text(stop: Stop, analysis: Analysis) -> str:
    place = analysis.places[stop.place]
    when = f", {_when(stop.tie)}" if stop.date else ""
    return f"stop {stop.number}, {stop.role}{when}. “{place.mention.sentence.text}”"


def _kml_colour(hex_colour: str, alpha: str = "ff") -> str:
    """'#rrggbb' as KML's aabbggrr."""
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha}{b}{g}{r}".lower()


# --- exports of what a user sees: a filtered view, in every format -------------

EXPORT_FORMATS = ("geojson", "csv", "kml", "html", "png")
REGION_FORMATS = frozenset({"geojson", "html", "png"})  # those that draw regions: the others need none computed


def view_geojson(view, *, regions: bool = True) -> dict:
    """The contract's GeoJSON of a filtered view (``geo.filters.View``), with its region shapes if asked."""
    return to_geojson(view.analysis, view.regions if regions else ())


def view_title(view) -> str:
    """The name of what a view shows: its document's, or the first ones' of a corpus."""
    names = [d.id for d in view.full.documents]
    if len(names) <= 2:
        return " and ".join(names) or "No document"
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def view_caption(view) -> str:
    """One line under a picture's title: what is drawn, over which dates, and what the filters leave out."""
    from geo.filters import date_range

    a = view.analysis
    placed = len(group_places(a.places))
    lines = sum(1 for r in routes(a) if r.is_line)
    parts = [f"{placed} place{'s' if placed != 1 else ''}", f"{lines} route{'s' if lines != 1 else ''}"]
    span = date_range(a)
    if span:
        parts.append(f"{span[0].isoformat()} to {span[1].isoformat()}")
    f = view.filters
    said = []
    if f.people is not None:
        said.append("people: " + (", ".join(sorted(f.people)) or "none"))
    if f.date_from or f.date_to:
        said.append(f"dates {f.date_from or '…'} to {f.date_to or '…'}")
    if not f.undated:
        said.append("dated only")
    if f.roles is not None:
        said.append("ties: " + ", ".join(sorted(f.roles)))
    if f.kinds is not None:
        said.append("kinds: " + ", ".join(sorted(f.kinds)))
    if f.regions is not None:
        said.append(f"{len(f.regions)} region{'s' if len(f.regions) != 1 else ''}")
    if said:
        parts.append("filtered by " + "; ".join(said))
    return " · ".join(parts)


def export_view(view, fmt: str, stem: str, *, layers=None, tiles=()) -> dict[str, bytes]:
    """File name -> contents of ``view`` in format ``fmt`` (one of EXPORT_FORMATS).

    ``csv`` gives two files, the places and the moves. ``html`` and ``png`` are
    the map as ``geo.map.build_map`` draws it with ``layers`` and ``tiles``,
    titled with the document's name; the PNG also shows the title and a
    caption (``view_caption``) over the map, and no reading view or time control.
    """
    if fmt == "geojson":  # with every layer unless told: the GeoJSON needs no folium (a second to import)
        with_regions = layers is None or "regions" in layers
        text = geojson_text(view_geojson(view, regions=with_regions))
        return {f"{stem}.geojson": text.encode("utf-8")}
    # Imported here: the GeoJSON functions above stay free of folium and the browser.
    from geo.map import LAYERS, build_map

    layers = LAYERS if layers is None else layers
    if fmt == "csv":
        from geo.tables import moves_csv, places_csv

        return {f"{stem}.places.csv": places_csv(view.analysis).encode("utf-8"),
                f"{stem}.moves.csv": moves_csv(view.analysis).encode("utf-8")}
    if fmt == "kml":
        return {f"{stem}.kml": to_kml(view.analysis, view_title(view), styled_by=view.full).encode("utf-8")}
    if fmt in ("html", "png"):
        from geo.map.snapshot import html_snapshot, png_snapshot

        title = view_title(view)
        if fmt == "html":
            html = html_snapshot(build_map(view, layers=layers, tiles=tiles, title=title))
            return {f"{stem}.html": html.encode("utf-8")}
        # A picture has no one to click: the text and the time control would only hide the map.
        m = build_map(view, layers=layers, tiles=tiles, title=title, caption=view_caption(view),
                      reader=False, timeline=False)
        return {f"{stem}.png": png_snapshot(html_snapshot(m))}
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
