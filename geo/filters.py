"""Filtering an Analysis: by person, date range, role, kind, region and document; filters <-> a URL's query.

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
from geo.isodates import parse_iso
from geo.model import KINDS, MOVEMENT_ROLES, Analysis, Person, Tie
from geo.names import fold

# What the role filter offers: movement, other ties (an attack, an arrest), plain mentions.
ROLE_GROUPS: dict[str, frozenset[str]] = {
    "movement": frozenset(MOVEMENT_ROLES),
    "event": frozenset({"event"}),
    "mention": frozenset({"mention"}),
}


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
    documents: frozenset[str] | None = None  # Document.id

    def __post_init__(self):
        object.__setattr__(self, "people", _frozen("people", self.people))
        object.__setattr__(self, "documents", _frozen("documents", self.documents))
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
    if filters == NO_FILTERS:  # everything passes: the view is the analysis itself, so that what is made from
        # an analysis once (geo.memo: its evidence, its places grouped) serves its unfiltered view, and a
        # 10,000-document corpus's first map does not copy its 100,000 places and ties (0.2 s)
        every = range(len(analysis.places))
        return View(analysis, analysis, tuple(every), _regions_in_view(regions, dict(zip(every, every)), None),
                    filters)
    in_region = _region_places(filters, regions, analysis)
    tied = {t.place for t in analysis.ties}
    passing = [t for t in analysis.ties if _tie_passes(t, filters)]
    with_passing_tie = {t.place for t in passing}
    mentions_pass = _mention_passes(filters)
    # A place tied to nobody passes or not as one, whatever place it is: when none does (a person asked for),
    # only the places of the passing ties are looked at, not a corpus's 100,000.
    candidates = enumerate(analysis.places) if mentions_pass else (
        (i, analysis.places[i]) for i in sorted(with_passing_tie))
    kept = [
        i for i, place in candidates
        if (in_region is None or i in in_region)
        and (filters.documents is None or place.mention.doc_id in filters.documents)
        and (filters.kinds is None or (place.resolved and place.chosen.kind in filters.kinds))
        and (i in with_passing_tie if i in tied else mentions_pass)
    ]
    new_index = {old: new for new, old in enumerate(kept)}
    ties = tuple(replace(t, place=new_index[t.place]) for t in passing if t.place in new_index)
    people = analysis.people if filters.people is None else tuple(
        p for p in analysis.people if p.name in filters.people)
    documents = analysis.documents if filters.documents is None else tuple(
        d for d in analysis.documents if d.id in filters.documents)
    view = Analysis(
        documents=documents,
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


# --- the URL's query <-> the filters and the view's settings ---------------------------------
#
# A query is what a URL carries: each key with a list of values (repeated keys). Reading one is
# forgiving: a value this text does not have (a person it does not name, a kind it has no place
# of, dates outside its own) is dropped, so that a link made on another text, or a filter left
# over from one, never hides this text's data. Writing one keeps only what differs from the
# defaults, so a plain view has a plain address.

Query = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Choices:
    """What one text offers to filter by: every value its filters can take, in the order they are offered."""

    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    regions: tuple[tuple[str, str], ...] = ()  # (label a person reads and a URL shows, Region.id)
    dates: tuple[date, date] | None = None  # the first and last day any tie covers
    documents: tuple[str, ...] = ()


def choices_of(analysis: Analysis, people: Sequence[str], regions: Sequence = (),
               documents: Sequence[str] | None = None) -> Choices:
    """The choices an analysis offers. ``people`` are the names a person filter lists (those tied to a place);
    ``documents`` the ids a document filter lists (default: the analysis' own)."""
    kinds = tuple(k for k in KINDS if any(p.resolved and p.chosen.kind == k for p in analysis.places))
    ids = tuple(documents) if documents is not None else tuple(d.id for d in analysis.documents)
    return Choices(tuple(people), kinds, region_labels(regions), date_range(analysis), ids)


def region_labels(regions: Iterable) -> tuple[tuple[str, str], ...]:
    """(label, region id) for each region: names a person reads, unique within the text."""
    labels: dict[str, str] = {}
    for r in regions:
        label = r.name + (" (named in the text)" if r.kind == "macro" else "")
        labels[label if label not in labels else f"{label} [{r.id}]"] = r.id
    return tuple(labels.items())


@dataclass(frozen=True)
class Selection:
    """The filters as a form shows them. An empty box is no restriction ("Everyone", "All kinds")."""

    people: tuple[str, ...] = ()
    dates: tuple[date, date] | None = None  # the slider's two ends; None when the text has no range of dates
    undated: bool = True
    roles: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # labels of Choices.regions
    documents: tuple[str, ...] = ()


def filters_from_query(query: Query, choices: Choices) -> Filters:
    """The filters a URL's query asks for, as far as this text has what it names (see above).

    Every role, kind or document chosen is no restriction; every person or
    region is one (a plain mention has no person, a place may be in no region).
    """
    def chosen(key: str, offered: Sequence[str], all_is_none: bool = False) -> frozenset[str] | None:
        values = frozenset(v for v in query.get(key, ()) if v in offered)
        return values if values and not (all_is_none and values == frozenset(offered)) else None

    labels = dict(choices.regions)
    regions = chosen("region", list(labels))
    date_from, date_to = _url_dates(query, choices.dates)
    return Filters(
        people=chosen("person", choices.people),
        date_from=date_from,
        date_to=date_to,
        undated=list(query.get("undated", ())) != ["0"],
        roles=chosen("role", list(ROLE_GROUPS), all_is_none=True),
        kinds=chosen("kind", choices.kinds, all_is_none=True),
        regions=frozenset(labels[r] for r in regions) if regions else None,
        documents=chosen("doc", choices.documents, all_is_none=True),
    )


def query_from_filters(filters: Filters, choices: Choices) -> dict[str, list[str]]:
    """The query that ``filters_from_query`` reads back as ``filters``: only what differs from no filters."""
    def listed(values: frozenset[str] | None, offered: Sequence[str]) -> list[str]:
        return [v for v in offered if v in values] if values is not None else []

    labels = [label for label, rid in choices.regions if filters.regions is not None and rid in filters.regions]
    query = {
        "person": listed(filters.people, choices.people),
        "from": [filters.date_from] if filters.date_from else [],
        "to": [filters.date_to] if filters.date_to else [],
        "undated": [] if filters.undated else ["0"],
        "role": listed(filters.roles, list(ROLE_GROUPS)),
        "kind": listed(filters.kinds, choices.kinds),
        "region": labels,
        "doc": listed(filters.documents, choices.documents),
    }
    return {k: v for k, v in query.items() if v}


def selection_of(filters: Filters, choices: Choices) -> Selection:
    """What each box of the form shows for ``filters``."""
    query = query_from_filters(filters, choices)
    dates = None
    if choices.dates and choices.dates[0] < choices.dates[1]:
        low, high = choices.dates
        dates = (date_span(filters.date_from)[0] if filters.date_from else low,
                 date_span(filters.date_to)[1] if filters.date_to else high)
    return Selection(
        people=tuple(query.get("person", ())), dates=dates, undated=filters.undated,
        roles=tuple(query.get("role", ())), kinds=tuple(query.get("kind", ())),
        regions=tuple(query.get("region", ())), documents=tuple(query.get("doc", ())),
    )


def filters_of(selection: Selection, choices: Choices) -> Filters:
    """The filters a form's boxes say; values the text does not offer are dropped, as from a URL."""
    query = {"person": selection.people, "role": selection.roles, "kind": selection.kinds,
             "region": selection.regions, "doc": selection.documents, "undated": [] if selection.undated else ["0"]}
    if selection.dates and choices.dates:
        low, high = selection.dates
        query["from"] = [low.isoformat()] if low > choices.dates[0] else []
        query["to"] = [high.isoformat()] if high < choices.dates[1] else []
    return filters_from_query(query, choices)


def _url_dates(query: Query, span: tuple[date, date] | None) -> tuple[str | None, str | None]:
    """from/to as days inside the text's own range; a date outside it, or a range that misses it, is dropped."""
    if not span or span[0] >= span[1]:
        return None, None

    def read(key: str, end: int) -> date | None:
        values = list(query.get(key, ()))
        try:
            return date_span(values[-1])[end] if values else None
        except InputError:
            return None  # a date no one could read restricts nothing

    low, high = read("from", 0), read("to", 1)
    if (low and low > span[1]) or (high and high < span[0]) or (low and high and low > high):
        return None, None
    low = low if low and low > span[0] else None
    high = high if high and high < span[1] else None
    return (low.isoformat() if low else None), (high.isoformat() if high else None)


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its centre and zoom level."""

    lat: float
    lon: float
    zoom: int

    def __str__(self) -> str:
        # Enough decimals to put the centre within a pixel at this zoom, and no more.
        digits = max(1, min(6, 1 + round(self.zoom * 0.3)))
        return f"{self.lat:.{digits}f},{self.lon:.{digits}f},{self.zoom}"

    @classmethod
    def parse(cls, text: str) -> MapView | None:
        """'41.0,29.0,6' -> MapView; None for anything that is not a centre on Earth and a zoom level."""
        try:
            lat, lon, zoom = text.split(",")
            view = cls(float(lat), float(lon), int(zoom))
        except (AttributeError, ValueError):
            return None
        ok = -90 <= view.lat <= 90 and -180 <= view.lon <= 180 and 0 <= view.zoom <= 20
        return view if ok else None


SOURCES = ("sample", "paste", "upload", "store")
TILES = ("offline", "online")
_TEXT_KEY = re.compile(r"^[0-9a-f]{16,64}$")


@dataclass(frozen=True)
class Settings:
    """The view beyond its filters: which text, which layers and basemap, which tab, where the map looks."""

    source: str = "sample"
    text: str | None = None  # the key of a pasted or uploaded text in the analysis cache
    store: str | None = None  # the folder of a batch store, as given
    layers: tuple[str, ...] | None = None  # None: every layer
    tiles: str = "offline"
    tab: str | None = None  # None: the first
    view: MapView | None = None  # None: fitted to the data


def settings_from_query(query: Query, *, layers: Sequence[str] = (), tabs: Sequence[str] = ()) -> Settings:
    """The settings a URL's query asks for; a value that is not one of the offered ones is the default."""
    def one(key: str) -> str | None:
        values = list(query.get(key, ()))
        return values[-1] if values else None

    source = one("src") if one("src") in SOURCES else "sample"
    text = one("text") if source in ("paste", "upload") and _TEXT_KEY.match(one("text") or "") else None
    chosen_layers = tuple(v for v in layers if v in query.get("layer", ()))
    return Settings(
        source=source,
        text=text,
        store=(one("store") or None) if source == "store" else None,
        layers=chosen_layers if chosen_layers and set(chosen_layers) != set(layers) else None,
        tiles=one("tiles") if one("tiles") in TILES else "offline",
        tab=one("tab") if one("tab") in tabs else None,
        view=MapView.parse(one("map") or ""),
    )


def query_from_settings(settings: Settings) -> dict[str, list[str]]:
    """The query that ``settings_from_query`` reads back as ``settings``: only what differs from the defaults."""
    query = {
        "src": [settings.source] if settings.source != "sample" else [],
        "text": [settings.text] if settings.text else [],
        "store": [settings.store] if settings.store else [],
        "layer": list(settings.layers) if settings.layers is not None else [],
        "tiles": [settings.tiles] if settings.tiles != "offline" else [],
        "tab": [settings.tab] if settings.tab else [],
        "map": [str(settings.view)] if settings.view else [],
    }
    return {k: v for k, v in query.items() if v}
