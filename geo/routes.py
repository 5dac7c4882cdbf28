"""Where an analysis goes on a map, derived once: places grouped at their points, people's routes through them.

Pure functions of an Analysis (or of a filtered view's analysis). The map, the
tables and the GeoJSON export all read these, so a route has the same stops,
numbered alike, wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.model import MOVEMENT_ROLES, Analysis, Place, PlaceGroup, Route, Stop, Tie


def routes(analysis: Analysis) -> tuple[Route, ...]:
    """Each person's resolved movement stops, in route order (unordered ones last), in order of first tie.

    A stop repeated at the same point (two sentences about the same town, or
    a country between two mentions of a city filtered out) is kept once: it
    is not a journey. A person whose every stop is unplaced has no route.
    """
    places = analysis.places
    by_person: dict[str, list[tuple[int, Tie]]] = {}
    for position, tie in enumerate(analysis.ties):
        if tie.person and tie.role in MOVEMENT_ROLES and places[tie.place].resolved:
            by_person.setdefault(tie.person, []).append((position, tie))
    result = []
    for person, told in by_person.items():
        told.sort(key=lambda pt: (pt[1].order is None, pt[1].order or 0, pt[0]))
        stops: list[Stop] = []
        for _, tie in told:
            point = place_point(places[tie.place])
            if not stops or stops[-1].point != point:
                stops.append(Stop(place=tie.place, tie=tie, number=len(stops) + 1, point=point))
        result.append(Route(person, tuple(stops)))
    return tuple(result)


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
