"""The data of an analysis: frozen dataclasses, no I/O, no logic beyond views.

Every mention keeps the id of its document and its character span, so a
point on the map can always be traced back to the sentence that put it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("country", "admin", "city", "site", "region")
ROLES = ("origin", "stop", "transit", "destination", "attempted", "event", "mention")
MOVEMENT_ROLES = ("origin", "stop", "transit", "destination", "attempted")
# The label of a place mention only its context calls a place: where someone went (geo.extraction.goals).
GOAL_LABEL = "GOAL"


@dataclass(frozen=True)
class Candidate:
    """One place a name could be: an entry of a gazetteer or a geocoder answer."""

    name: str
    lat: float
    lon: float
    kind: str  # one of KINDS
    country: str | None = None  # ISO 3166-1 alpha-2
    population: int = 0
    admin1: str | None = None  # name of the first-level admin area, where known
    source: str = "geonames"  # geonames, country, admin, region, airport, nominatim...
    id: str = ""  # stable id within its source, e.g. "geonames:745044"


@dataclass(frozen=True)
class Document:
    id: str  # the file's stem, or "pasted"
    text: str
    document_date: str | None = None  # ISO: the date the user gave, or the one the text gives itself


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PlaceMention:
    """A span of a document that names a place, before or after resolution."""

    doc_id: str
    text: str  # as written in the document
    start: int
    end: int
    sentence: Sentence
    label: str  # the spaCy label it came with, "GAZ" when only the gazetteer
    # found it, GOAL_LABEL when only the words around it say so


@dataclass(frozen=True)
class Place:
    """A place mention with the candidate chosen for it (None: unresolved)."""

    mention: PlaceMention
    chosen: Candidate | None
    candidates: tuple[Candidate, ...] = ()  # close alternatives, best first
    score: float = 0.0
    geocoder: str = "offline"  # which geocoder answered: offline, nominatim, correction

    @property
    def resolved(self) -> bool:
        return self.chosen is not None


@dataclass(frozen=True)
class PersonMention:
    doc_id: str
    text: str
    start: int
    end: int
    sentence: Sentence


@dataclass(frozen=True)
class Person:
    """One real person, however the text names them."""

    name: str  # the fullest name the text gives
    aliases: tuple[str, ...] = ()
    mentions: tuple[PersonMention, ...] = ()


@dataclass(frozen=True)
class DateMention:
    doc_id: str
    text: str
    start: int
    end: int
    sentence: Sentence
    iso: str | None  # "2015", "2015-01" or "2015-01-02"; None when not understood
    iso_end: str | None = None  # end of a span ("6/14-6/15"), else None
    precision: str | None = None  # year, month, day


@dataclass(frozen=True)
class Tie:
    """A person tied to a place mention: a stop on a route, an event, or a mention."""

    place: int  # index into Analysis.places
    person: str | None  # Person.name, or None for a plain mention
    role: str  # one of ROLES
    date: str | None = None
    date_end: str | None = None
    order: int | None = None  # position in the person's route (movement roles only)


@dataclass(frozen=True)
class Stop:
    """One stop of a person's route: a movement tie to a placed mention, numbered along the route."""

    place: int  # index into Analysis.places
    tie: Tie
    number: int  # 1, 2, ... along the route as drawn; Tie.order skips the stops filtered out or merged
    point: tuple[float, float]  # (lat, lon) of the place's chosen candidate
    # Ties to the country this city is in, named beside it ("Turkey's resort of Antalya"), drawn as this stop.
    beside: tuple[Tie, ...] = ()

    @property
    def role(self) -> str:
        return self.tie.role

    @property
    def date(self) -> str | None:
        return self.tie.date

    @property
    def date_end(self) -> str | None:
        return self.tie.date_end

    @property
    def attempted(self) -> bool:
        """A journey tried and not made ("was stopped before reaching Syria")."""
        return self.tie.role == "attempted"


@dataclass(frozen=True)
class Leg:
    """A journey from one stop to the next: made, or only attempted (it ends at an attempted stop)."""

    start: Stop
    end: Stop

    @property
    def attempted(self) -> bool:
        return self.end.attempted


@dataclass(frozen=True)
class Route:
    """A person's stops in the order they made them (``geo.routes.routes`` derives them)."""

    person: str  # Person.name
    stops: tuple[Stop, ...]

    @property
    def legs(self) -> tuple[Leg, ...]:
        """The journeys between the stops, in order.

        A leg to a stop that was reached sets out from the last stop reached,
        never from one only attempted ("stopped before reaching Syria and
        deported to the Netherlands" leaves from where they were stopped);
        an attempt sets out from the stop before it, reached or attempted,
        so a journey tried through several places is drawn as tried. A first
        stop that was only attempted has no leg into it.
        """
        legs, reached, previous = [], None, None
        for stop in self.stops:
            start = previous if stop.attempted else reached
            if start is not None:
                legs.append(Leg(start, stop))
            if not stop.attempted:
                reached = stop
            previous = stop
        return tuple(legs)

    @property
    def is_line(self) -> bool:
        """Whether there is a journey to draw: one stop is a place, not a route."""
        return bool(self.legs)


@dataclass(frozen=True)
class PlaceGroup:
    """The resolved mentions of one place at one point: one marker, one row of the places table."""

    indices: tuple[int, ...]  # into Analysis.places
    mentions: tuple[PlaceMention, ...]
    place: Place  # the first of them, for the chosen candidate

    @property
    def point(self) -> tuple[float, float]:
        return (self.place.chosen.lat, self.place.chosen.lon)


@dataclass(frozen=True)
class Analysis:
    """Everything found in a corpus (one text is a corpus of one)."""

    documents: tuple[Document, ...]
    places: tuple[Place, ...] = ()
    people: tuple[Person, ...] = ()
    dates: tuple[DateMention, ...] = ()
    ties: tuple[Tie, ...] = ()
    notices: tuple[str, ...] = field(default=())  # things the user should know (fallbacks...)

    def ties_of(self, place_index: int) -> tuple[Tie, ...]:
        return tuple(t for t in self.ties if t.place == place_index)
