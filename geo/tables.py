"""Tables of an analysis (or a filtered view's analysis): people, places, moves; and their CSV.

Plain rows of plain values, so the dashboard shows them as they are and the
CSV says the same. Dates are ISO text at their precision; they sort as text
("2015" < "2015-06" < "2015-06-14").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from geo.filters import iso_span, tie_span
from geo.model import Analysis, Candidate
from geo.reckoning import Reckoning, reckoning
from geo.routes import group_places, routes, unplaced_stops

PLACE_COLUMNS = ("place", "written as", "mentions", "kind", "country", "lat", "lon", "people", "roles",
                 "first date", "last date", "candidates", "geocoder")
MOVE_COLUMNS = ("person", "stop", "role", "place", "written as", "kind", "country", "lat", "lon",
                "date", "date end", "date worked out", "document", "sentence")
NOT_FOUND = "(not found)"


def place_rows(analysis: Analysis) -> list[dict]:
    """One row per place on the map (its mentions grouped), then one per mention that could not be placed.

    None goes missing silently: an unplaced name is a row with no coordinates.
    """
    rows = []
    at: dict[int, list[int]] = {}  # place -> its ties' positions: a corpus has thousands of places and ties
    for k, t in enumerate(analysis.ties):
        at.setdefault(t.place, []).append(k)
    for group in group_places(analysis.places):
        c = group.place.chosen
        ties = [analysis.ties[k] for k in sorted(k for i in set(group.indices) for k in at.get(i, ()))]
        dates = sorted(d for t in ties for d in (t.date, t.date_end) if d)
        alternatives = [a for i in group.indices for a in analysis.places[i].candidates]
        rows.append({
            "place": c.name,
            "written as": ", ".join(dict.fromkeys(m.text for m in group.mentions)),
            "mentions": len(group.mentions),
            "kind": c.kind,
            "country": c.country,
            "lat": round(c.lat, 6),
            "lon": round(c.lon, 6),
            "people": ", ".join(dict.fromkeys(t.person for t in ties if t.person)),
            "roles": ", ".join(dict.fromkeys(t.role for t in ties)) or "mention",
            "first date": dates[0] if dates else None,
            "last date": dates[-1] if dates else None,
            "candidates": "; ".join(dict.fromkeys(describe(a) for a in alternatives)),
            "geocoder": group.place.geocoder,
        })
    for place in analysis.places:
        if not place.resolved:
            rows.append({**dict.fromkeys(PLACE_COLUMNS), "place": NOT_FOUND, "written as": place.mention.text,
                         "mentions": 1, "geocoder": place.geocoder})
    return rows


def move_rows(analysis: Analysis) -> list[dict]:
    """Every movement stop of every person, in route order, unplaced stops included at the end."""
    told = reckoning(analysis)
    rows = [_move_row(route.person, stop.number, analysis.places[stop.place], stop.tie, told)
            for route in routes(analysis) for stop in route.stops]
    rows += [_move_row(tie.person, None, analysis.places[tie.place], tie, told)
             for tie in unplaced_stops(analysis)]
    return rows


def timeline(analysis: Analysis) -> list[dict]:
    """The moves in time order: dated ones by their first day, undated ones last, each person's in route order."""
    rows = move_rows(analysis)
    return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", r["person"], r["stop"] or 0))


TIMELINE_PICK = "stop"  # the timeline chart's selection: the stop clicked


def timeline_chart(analysis: Analysis, colours: dict[str, str]) -> dict | None:
    """A Vega-Lite chart of the dated moves: one row per person, a bar over the days each stop covers.

    None when no move is dated. Colours are the people's route colours.
    Vega-Lite shows the values as text, never as HTML.
    """
    points = []
    for row in timeline(analysis):
        span = iso_span(row["date"], row["date end"])
        if span:
            points.append({"person": row["person"], "place": row["place"], "role": row["role"],
                           "date": "–".join(d for d in (row["date"], row["date end"]) if d),
                           "start": span[0].isoformat(), "end": span[1].isoformat(),
                           "lat": row["lat"], "lon": row["lon"]})
    if not points:
        return None
    people = list(dict.fromkeys(p["person"] for p in points))
    x = {"field": "start", "type": "temporal", "title": None}
    return {
        "data": {"values": points},
        "height": {"step": 24},
        "encoding": {
            "y": {"field": "person", "type": "nominal", "title": None, "sort": people,
                  "axis": {"labelLimit": 240}},
            "color": {"field": "person", "type": "nominal", "legend": None,
                      "scale": {"domain": people, "range": [colours.get(p, "#888888") for p in people]}},
            "tooltip": [{"field": f} for f in ("person", "place", "role", "date")],
        },
        # A bar over the days a stop covers, and a dot at its start, so that one day still shows.
        "layer": [
            {"mark": {"type": "bar", "cornerRadius": 2, "opacity": 0.6}, "encoding": {"x": x, "x2": {"field": "end"}}},
            # A click picks the stop nearest the pointer (TIMELINE_PICK): the dashboard rings it on the map.
            {"mark": {"type": "point", "filled": True, "size": 50}, "encoding": {"x": x},
             "params": [{"name": TIMELINE_PICK, "select": {"type": "point", "nearest": True,
                                                            "fields": ["person", "place", "date", "lat", "lon"]}}]},
        ],
    }


def people_rows(analysis: Analysis) -> list[dict]:
    """One row per person tied to a place: their stops, places, first and last date."""
    stops = {route.person: len(route.stops) for route in routes(analysis)}
    rows = []
    ties_of: dict[str, list] = {}  # each person's ties, in order: a corpus has thousands of people
    for t in analysis.ties:
        if t.person:
            ties_of.setdefault(t.person, []).append(t)
    aliases_of: dict[str, tuple[str, ...]] = {}
    for p in analysis.people:
        aliases_of.setdefault(p.name, p.aliases)  # the first Person of the name, as before
    for person in dict.fromkeys([p.name for p in analysis.people] + list(ties_of)):
        ties = ties_of.get(person)
        if not ties:
            continue
        # In time order by first day, then last: "2015-06" comes before "2015-06-14".
        dated = sorted(((span, t) for t in ties if (span := tie_span(t))), key=lambda st: st[0])
        first, last = (dated[0][1], dated[-1][1]) if dated else (None, None)
        aliases = aliases_of.get(person, ())
        places = dict.fromkeys(analysis.places[t.place].chosen.name for t in ties if analysis.places[t.place].resolved)
        rows.append({
            "person": person,
            "aliases": ", ".join(aliases),
            "stops": stops.get(person, 0),
            "places": ", ".join(places),
            "first date": first.date if first else None,
            "last date": (last.date_end or last.date) if last else None,
        })
    return rows


def describe(candidate: Candidate) -> str:
    """'Paris (FR, city, 48.85, 2.35)': a candidate as a person reads it."""
    facts = ", ".join(x for x in (candidate.country, candidate.admin1, candidate.kind) if x)
    return f"{candidate.name} ({facts}, {candidate.lat:.2f}, {candidate.lon:.2f})"


def places_csv(analysis: Analysis) -> str:
    return _csv(PLACE_COLUMNS, place_rows(analysis))


def moves_csv(analysis: Analysis) -> str:
    return _csv(MOVE_COLUMNS, move_rows(analysis))


def _move_row(person: str, number: int | None, place, tie, reckoning: Reckoning) -> dict:
    c = place.chosen
    return {
        "person": person,
        "stop": number,
        "role": tie.role,
        "place": c.name if c else NOT_FOUND,
        "written as": place.mention.text,
        "kind": c.kind if c else None,
        "country": c.country if c else None,
        "lat": round(c.lat, 6) if c else None,
        "lon": round(c.lon, 6) if c else None,
        "date": tie.date,
        "date end": tie.date_end,
        "date worked out": reckoning.explain(tie, place.mention) or None,
        "document": place.mention.doc_id,
        "sentence": place.mention.sentence.text,
    }


def _csv(columns: Iterable[str], rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # Text from a document that starts like a formula would run as one in a spreadsheet.
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


Point = tuple[float, float, str]  # (lat, lon, label) of something picked, to ring on the map


def picked_points(table: str, rows: list[dict], picked: Iterable[object], analysis: Analysis) -> tuple[Point, ...]:
    """Where on the map the rows ``picked`` (indices into ``rows``, the table ``table`` of ``analysis``) are:
    a place's point, a stop's, or every place a person is tied to. An index out of range is skipped (the
    browser says which rows; a table just redrawn may be shorter)."""
    out: dict[tuple[float, float], str] = {}
    for i in picked:
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(rows):
            continue
        row = rows[i]
        if table == "people":
            for tie in analysis.ties:
                place = analysis.places[tie.place]
                if tie.person == row["person"] and place.chosen is not None:
                    out.setdefault((place.chosen.lat, place.chosen.lon), f"{row['person']}: {place.chosen.name}")
        elif row.get("lat") is not None and row.get("lon") is not None:
            label = row["place"] if table == "places" else " · ".join(
                str(x) for x in (row.get("person"), row["place"], row.get("date")) if x)
            out.setdefault((row["lat"], row["lon"]), label)
    return tuple((lat, lon, label) for (lat, lon), label in out.items())


def picked_stops(picked: Iterable[object]) -> tuple[Point, ...]:
    """Where the stops picked in the timeline chart are (its selection's values, ``TIMELINE_PICK``); a value
    without a point is skipped."""
    out: dict[tuple[float, float], str] = {}
    for value in picked:
        if not isinstance(value, dict):
            continue
        lat, lon = value.get("lat"), value.get("lon")
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (lat, lon)):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        label = " · ".join(str(value[k]) for k in ("person", "place", "date") if value.get(k))
        out.setdefault((float(lat), float(lon)), label)
    return tuple((lat, lon, label) for (lat, lon), label in out.items())
