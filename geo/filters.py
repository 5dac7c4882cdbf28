"""Filtering an Analysis: by person, date range, role, kind and region.

Pure: the dashboard, the CLI and the exports all see the same view of the
same filters. The unit being filtered is an *item*: a tie of a person to a
place, or a place tied to nobody (a plain mention). An item is kept when it
passes every filter; a place is kept when one of its items is; a route runs
through the stops that are kept, in their order.

``None`` for a filter means "no restriction", which is not the same as an
empty set: ``people=None`` shows everyone, ``people=frozenset()`` nobody
(and, a person filter being set, no plain mention either, since a plain
mention belongs to no one).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import shapely

from geo.errors import InputError
from geo.model import KINDS, MOVEMENT_ROLES, Analysis, Person, Tie
from geo.names import fold

# What the role filter offers: movement, other ties (an attack, an arrest), plain mentions.
ROLE_GROUPS: dict[str, frozenset[str]] = {
    "movement": frozenset(MOVEMENT_ROLES),
    "event": frozenset({"event"}),
    "mention": frozenset({"mention"}),
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _frozen(name: str, values: Collection[str] | None, allowed: Collection[str] | None = None) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise TypeError(f"{name} must be a collection, e.g. [{values!r}], not the string {values!r}")
    values = frozenset(values)
    if allowed is not None and not values <= set(allowed):
        bad = sorted(values - set(allowed))
        raise InputError(f"unknown {name}: {', '.join(map(repr, bad))}; choose from {', '.join(allowed)}")
    return values


@dataclass(frozen=True)
class Filters:
    """What to show. Validated at the door: a bad value is refused with the fix."""

    people: frozenset[str] | None = None  # Person.name
    date_from: str | None = None  # ISO at any precision: "2015", "2015-06", "2015-06-14"
    date_to: str | None = None
    undated: bool = True  # keep items with no date
    roles: frozenset[str] | None = None  # keys of ROLE_GROUPS
    kinds: frozenset[str] | None = None  # of model.KINDS
    regions: frozenset[str] | None = None  # Region.id

    def __post_init__(self):
        object.__setattr__(self, "people", _frozen("people", self.people))
        object.__setattr__(self, "roles", _frozen("roles", self.roles, ROLE_GROUPS))
        object.__setattr__(self, "kinds", _frozen("kinds", self.kinds, KINDS))
        object.__setattr__(self, "regions", _frozen("regions", self.regions))
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                parse_iso(value)  # refuses a bad date with its fix
        if self.date_from and self.date_to and date_span(self.date_from)[0] > date_span(self.date_to)[1]:
            raise InputError(f"the date range starts ({self.date_from}) after it ends ({self.date_to}); swap them")

    @property
    def active(self) -> bool:
        """Whether anything at all is filtered out."""
        return self != Filters()


NO_FILTERS = Filters()


@dataclass(frozen=True)
class View:
    """An analysis as filtered: the same data model, so every map, table and export reads it alike."""

    full: Analysis  # what was filtered: colours and the date range come from it
    analysis: Analysis  # the filtered analysis; its ties index its own places
    places: tuple[int, ...] = ()  # for each place of `analysis`, its index in `full`
    regions: tuple = ()  # the regions with a place in view, their `places` reindexed to `analysis`
    filters: Filters = field(default=NO_FILTERS)


# --- dates ------------------------------------------------------------------


def parse_iso(value: str) -> tuple[int, int | None, int | None]:
    """'2015-06' -> (2015, 6, None); anything else is refused with the accepted forms."""
    m = _ISO.match(value.strip()) if isinstance(value, str) else None
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            date(year, month or 1, day or 1)
            return year, month, day
        except ValueError:
            pass
    raise InputError(f"{value!r} is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2015-06-14")


def date_span(value: str) -> tuple[date, date]:
    """The first and last day an ISO date at its precision covers: '2015' -> 2015-01-01..2015-12-31."""
    year, month, day = parse_iso(value)
    if day is not None:
        d = date(year, month, day)
        return d, d
    if month is not None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def tie_span(tie: Tie) -> tuple[date, date] | None:
    """The days a tie's date covers (a span when it has an end); None when undated or unreadable."""
    return iso_span(tie.date, tie.date_end)


def iso_span(start: str | None, end: str | None = None) -> tuple[date, date] | None:
    """The days from ISO date ``start`` to ``end`` (or to the end of ``start``); None when undated or unreadable."""
    if not start:
        return None
    try:
        first, last = date_span(start)[0], date_span(end or start)[1]
    except InputError:
        return None  # a date the extractor could not normalise counts as undated
    return first, max(first, last)


def date_range(analysis: Analysis) -> tuple[date, date] | None:
    """The first and last day any tie covers; None when no tie is dated."""
    spans = [s for t in analysis.ties if (s := tie_span(t))]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


# --- people -------------------------------------------------------------------


def match_people(analysis: Analysis, names: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Names as a user types them -> (the Person.names they mean, the names that match nobody).

    A name matches a person by full name or alias, ignoring case and accents
    ("hayat boumeddiene", "Erdogan"), else by a unique partial name ("Abedi").
    """
    people = {p.name: p for p in analysis.people}
    for t in analysis.ties:  # someone only a tie names is still someone
        if t.person and t.person not in people:
            people[t.person] = Person(t.person)
    keys = {name: {fold(n) for n in (name, *p.aliases)} for name, p in people.items()}
    found, unknown = set(), []
    for raw in names:
        key = fold(raw)
        exact = [name for name, ks in keys.items() if key in ks]
        partial = [name for name, ks in keys.items() if any(key in k.split() for k in ks)]
        if exact or len(partial) == 1:
            found.update(exact or partial)
        else:
            unknown.append(raw)
    return frozenset(found), tuple(unknown)


# --- regions ----------------------------------------------------------------------


def region_members(regions: Iterable, analysis: Analysis) -> dict[str, frozenset[int]]:
    """Region id -> the places in it: those the region lists, and those whose point lies inside its shape.

    The shape counts too, so that "the Middle East" holds the towns in it, not
    only the mentions of its name.
    """
    resolved = [i for i, p in enumerate(analysis.places) if p.resolved]
    points = shapely.points([(analysis.places[i].chosen.lon, analysis.places[i].chosen.lat) for i in resolved])
    members = {}
    for region in regions:
        inside = shapely.contains_xy(region.geometry, *shapely.get_coordinates(points).T) if resolved else []
        members[region.id] = frozenset(region.places) | {i for i, hit in zip(resolved, inside) if hit}
    return members


# --- the filter ----------------------------------------------------------------------


def apply(analysis: Analysis, filters: Filters = NO_FILTERS, regions: Sequence = ()) -> View:
    """The view of ``analysis`` that ``filters`` let through.

    ``regions`` are ``geo.regions.Region``s computed on ``analysis``; they are
    needed when ``filters.regions`` is set, and are carried into the view:
    those with a place still in view, their places reindexed.
    """
    in_region = _region_places(filters, regions, analysis)
    tied = {t.place for t in analysis.ties}
    passing = [t for t in analysis.ties if _tie_passes(t, filters)]
    with_passing_tie = {t.place for t in passing}
    kept = [
        i for i, place in enumerate(analysis.places)
        if (in_region is None or i in in_region)
        and (filters.kinds is None or (place.resolved and place.chosen.kind in filters.kinds))
        and (i in with_passing_tie if i in tied else _mention_passes(filters))
    ]
    new_index = {old: new for new, old in enumerate(kept)}
    ties = tuple(replace(t, place=new_index[t.place]) for t in passing if t.place in new_index)
    people = analysis.people if filters.people is None else tuple(
        p for p in analysis.people if p.name in filters.people)
    view = Analysis(
        documents=analysis.documents,
        places=tuple(analysis.places[i] for i in kept),
        people=people,
        dates=analysis.dates,
        ties=ties,
        notices=analysis.notices,
    )
    return View(analysis, view, tuple(kept), _regions_in_view(regions, new_index, filters.regions), filters)


def _tie_passes(tie: Tie, filters: Filters) -> bool:
    if filters.people is not None and tie.person not in filters.people:
        return False
    if filters.roles is not None and not any(tie.role in ROLE_GROUPS[g] for g in filters.roles):
        return False
    return _date_passes(tie_span(tie), filters)


def _mention_passes(filters: Filters) -> bool:
    """A place tied to nobody: no person, no date, role "mention"."""
    return (filters.people is None
            and (filters.roles is None or "mention" in filters.roles)
            and _date_passes(None, filters))


def _date_passes(span: tuple[date, date] | None, filters: Filters) -> bool:
    if span is None:
        return filters.undated
    start, end = span
    if filters.date_from and end < date_span(filters.date_from)[0]:
        return False
    if filters.date_to and start > date_span(filters.date_to)[1]:
        return False
    return True


def _region_places(filters: Filters, regions: Sequence, analysis: Analysis) -> frozenset[int] | None:
    if filters.regions is None:
        return None
    known = {r.id for r in regions}
    unknown = sorted(filters.regions - known)
    if unknown:
        raise InputError(f"unknown regions: {', '.join(unknown)}; this analysis has "
                         f"{', '.join(sorted(known)) or 'no regions'}")
    members = region_members([r for r in regions if r.id in filters.regions], analysis)
    return frozenset().union(*members.values())


def _regions_in_view(regions: Sequence, new_index: Mapping[int, int], selected: frozenset[str] | None) -> tuple:
    """The regions drawn with the view, their places reindexed to it.

    Those selected, when the view is of some regions; else those that still
    hold a place in view.
    """
    out = []
    for region in regions:
        places = tuple(sorted(new_index[i] for i in region.places if i in new_index))
        if (region.id in selected) if selected is not None else places:
            out.append(replace(region, places=places))
    return tuple(out)
