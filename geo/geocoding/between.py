"""A stop the gazetteer cannot place, placed between its neighbours on the route when they are close.

The shape: a tour of villages, valleys and lakes ("we walked to Rydal and Grasmere, and over the Raise to
Keswick"), where the gazetteer, which holds towns and areas, lacks some of the stops, or knows the name only
an ocean away. A stop the text tells in order between two placed stops of the same person's route, which
lie within LOCAL_KM of each other, is somewhere on that short way: it is drawn halfway between them, and says
so (its geocoder is "route", and the popup tells how it was placed), so the route keeps every stop in its
order and the user sees which point is a guess and can place it. A stop whose neighbours are far apart
("the Sermilik Fjord", between Iceland and Godthaab) is not guessed: it stays unplaced and listed.

One sense per name: every unplaced mention of a name placed so takes the same point. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from geo.geography.distance import km
from geo.model import GOAL_LABEL, MOVEMENT_ROLES, Candidate, Place, Tie
from geo.names import fold

# Two stops this close (about a day's walk) bound the way between them well enough to draw a stop on it;
# the guess is then off by at most half of it, plus however far the road strays.
LOCAL_KM = 40.0
POINT_KINDS = ("city", "site")  # a country or a region as a neighbour bounds nothing
GEOCODER = "route"


def place_between(places: Sequence[Place], ties: Sequence[Tie]) -> tuple[tuple[Place, ...], tuple[Tie, ...]]:
    """The places, with each unplaced route stop between two close placed neighbours placed between them, and
    the ties (renumbered where places went).

    Several unplaced stops in a row ("walked to Rydal and Grasmere") are spaced along the way in their order.
    A name only its context called a place (GOAL_LABEL: geo.extraction.goals) is kept only when placed: alone,
    such a guess is as likely a firm's or an event's name ("went to the World Cup")."""
    placed = _placed_between(places, ties)
    keep = [i for i, p in enumerate(placed) if p.resolved or p.mention.label != GOAL_LABEL]
    if len(keep) == len(placed):
        return placed, tuple(ties)
    new = {old: k for k, old in enumerate(keep)}
    return (tuple(placed[i] for i in keep),
            tuple(replace(t, place=new[t.place]) for t in ties if t.place in new))


def _placed_between(places: Sequence[Place], ties: Sequence[Tie]) -> tuple[Place, ...]:
    found: dict[str, Candidate] = {}
    for person in dict.fromkeys(t.person for t in ties if t.person):
        stops = sorted((t for t in ties if t.person == person and t.role in MOVEMENT_ROLES and t.order is not None),
                       key=lambda t: t.order)
        placed = [k for k, t in enumerate(stops) if places[t.place].resolved]
        for a, b in zip(placed, placed[1:]):
            todo: dict[str, Place] = {}  # each name once, in route order
            for t in stops[a + 1:b]:
                todo.setdefault(fold(places[t.place].mention.text), places[t.place])
            todo = {n: p for n, p in todo.items() if n not in found}
            for step, (name, place) in enumerate(todo.items(), start=1):
                guess = _along(place, places[stops[a].place].chosen, places[stops[b].place].chosen,
                               step / (len(todo) + 1))
                if guess is not None:
                    found[name] = guess
    if not found:
        return tuple(places)
    return tuple(replace(p, chosen=found[fold(p.mention.text)], candidates=(), score=0.0, geocoder=GEOCODER)
                 if not p.resolved and fold(p.mention.text) in found else p for p in places)


def _along(place: Place, a: Candidate, b: Candidate, share: float) -> Candidate | None:
    """A point `share` of the way from a to b, for the place; None when a and b bound nothing."""
    if a.kind not in POINT_KINDS or b.kind not in POINT_KINDS or km(a.lat, a.lon, b.lat, b.lon) > LOCAL_KM:
        return None
    same = a.country == b.country
    return Candidate(name=place.mention.text, lat=a.lat + (b.lat - a.lat) * share,
                     lon=a.lon + (b.lon - a.lon) * share, kind="site",
                     country=a.country if same else None,
                     admin1=a.admin1 if same and a.admin1 == b.admin1 else None,
                     source=GEOCODER, id=f"{GEOCODER}:{fold(place.mention.text)}:{a.name}|{b.name}")


def neighbours(c: Candidate) -> tuple[str, str] | None:
    """The two stops a point placed by its route lies between, by name; None for any other place."""
    if c.source != GEOCODER or c.id.count(":") < 2 or "|" not in c.id:
        return None
    a, b = c.id.split(":", 2)[2].split("|", 1)
    return a, b
