"""Where an analysis goes on a map, derived once: places grouped at their points, people's routes through them.

Pure functions of an Analysis (or of a filtered view's analysis). The map, the
tables and the GeoJSON export all read these, so a route has the same stops,
numbered alike, wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from geo.filters import iso_span
from geo.model import MOVEMENT_ROLES, Analysis, Place, PlaceGroup, Route, Stop, Tie


def routes(analysis: Analysis) -> tuple[Route, ...]:
    """Each person's resolved movement stops, in route order (unordered ones last), in order of first tie.

    A country named beside a city inside it ("to Turkey's resort of
    Antalya", "entered Turkey through an Istanbul airport") is that city's
    stop, not a stop at the country's centre (``beside_its_city``). A stop
    repeated at the same point (two sentences about the same town, or a
    country between two mentions of a city filtered out) is kept once: it is
    not a journey. A person whose every stop is unplaced has no route.
    """
    places = analysis.places
    by_person: dict[str, list[tuple[int, Tie]]] = {}
    for position, tie in enumerate(analysis.ties):
        if tie.person and tie.role in MOVEMENT_ROLES and places[tie.place].resolved:
            by_person.setdefault(tie.person, []).append((position, tie))
    result = []
    for person, told in by_person.items():
        told.sort(key=lambda pt: (pt[1].order is None, pt[1].order or 0, pt[0]))
        ties = [tie for _, tie in told]
        beside: dict[int, list[Tie]] = {}  # a city's position in ties -> the country ties drawn as it
        folded = set()
        for i, tie in enumerate(ties):
            city = next((j for j in (i + 1, i - 1) if 0 <= j < len(ties)
                         and beside_its_city(places[tie.place], tie, places[ties[j].place], ties[j])), None)
            if city is not None:
                beside.setdefault(city, []).append(tie)
                folded.add(i)
        stops: list[Stop] = []
        for i, tie in enumerate(ties):
            if i in folded:
                continue
            point = place_point(places[tie.place])
            if not stops or stops[-1].point != point:
                stops.append(Stop(place=tie.place, tie=tie, number=len(stops) + 1, point=point,
                                  beside=tuple(beside.get(i, ()))))
            elif beside.get(i):  # the same city again: what was folded into it joins the stop kept
                stops[-1] = replace(stops[-1], beside=stops[-1].beside + tuple(beside[i]))
        result.append(Route(person, tuple(stops)))
    return tuple(result)


def beside_its_city(country: Place, country_tie: Tie, city: Place, city_tie: Tie) -> bool:
    """Whether a country stop is only the country of the city stop next to it, and is drawn as the city.

    It is when the city lies in that country and the two are told together:
    in one sentence (the analysis keeps no finer clause), with no dates that
    disagree, or on the same date (their spans overlap). An attempt is not
    folded into a journey made, nor the other way round.
    """
    c, t = country.chosen, city.chosen
    if c is None or t is None or c.kind != "country" or t.kind == "country" or not c.country or c.country != t.country:
        return False
    if (country_tie.role == "attempted") != (city_tie.role == "attempted"):
        return False
    spans = iso_span(country_tie.date, country_tie.date_end), iso_span(city_tie.date, city_tie.date_end)
    if all(spans):
        (a0, a1), (b0, b1) = spans
        return a0 <= b1 and b0 <= a1
    return country.mention.sentence == city.mention.sentence


def timeline_spans(route: Route) -> tuple[tuple[date, date] | None, ...]:
    """When each stop shows on a timeline: the days its date covers, an undated stop the gap it falls in.

    An undated stop between dated ones happened somewhere from the end of
    the dated stop before it to the start of the next one; before the first
    dated stop, at its start; after the last, at its end. A route with no
    date at all has no time: every span is None.
    """
    own = [iso_span(s.date, s.date_end) for s in route.stops]
    out: list[tuple[date, date] | None] = []
    for i, span in enumerate(own):
        if span is not None:
            out.append(span)
            continue
        before = next((own[j] for j in range(i - 1, -1, -1) if own[j]), None)
        after = next((own[j] for j in range(i + 1, len(own)) if own[j]), None)
        if before and after:
            out.append((before[1], max(before[1], after[0])))
        elif before or after:
            day = before[1] if before else after[0]
            out.append((day, day))
        else:
            out.append(None)
    return tuple(out)


def epoch_ms(day: date, *, end: bool = False) -> int:
    """Milliseconds since 1970-01-01 UTC at the start of ``day`` (``end``: at the start of the day after)."""
    return ((day + timedelta(days=1) if end else day) - date(1970, 1, 1)).days * 86_400_000


def unplaced_stops(analysis: Analysis) -> tuple[Tie, ...]:
    """The movement ties of a person to a place that could not be placed, in the analysis' order: on no route."""
    return tuple(t for t in analysis.ties
                 if t.person and t.role in MOVEMENT_ROLES and not analysis.places[t.place].resolved)


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


def place_point(place: Place) -> tuple[float, float]:
    """(lat, lon) of a resolved place."""
    return (place.chosen.lat, place.chosen.lon)
