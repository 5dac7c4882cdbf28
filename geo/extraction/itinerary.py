"""Each person's route: their facts in order, dated along a clock, merged and numbered.

A route is then built per person (`_route`): their movement in text order,
the places of one clause as origin, transits, destination (a country before
the places in it that the same clause names), sorted by date where dates are
known. Relative dates ("three days later") are anchored to that person's
last date; a stop without a date takes the route's clock when the clock was
set in the same sentence, or moved since by a duration ("stayed in X for two
days" ends that stay two days later, and the next stop starts then).
Leaving the place one is in, or stopping again where one already is, closes
or extends that stop instead of adding one. A detention place where a tried
move began ("detained in X when he attempted to travel to Y") is on the
route, as its origin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from dataclasses import dataclass, replace

from geo.extraction.deixis import pointed_facts
from geo.extraction.encounters import encounter_facts, person_qualifiers, settle, work_facts
from geo.extraction.groups import NARRATOR, where_the_writer_was, writer
from geo.extraction.lexicon import DEPART, MOMENT_NOUNS, SIMULTANEOUS
from geo.extraction.listings import listing_facts
from geo.extraction.dates import ParsedDate, shift, to_date
from geo.extraction.ellipsis import verbless_facts
from geo.extraction.moves import Clue, Fact, clues_for, facts_for
from geo.extraction.cast import Cast
from geo.model import MOVEMENT_ROLES, DateMention, Person, Place, Tie
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc

_LEG_RANK = {"origin": 0, "transit": 1, "stop": 2, "destination": 2}


def _same_place(a: Place, b: Place) -> bool:
    ca, cb = a.chosen, b.chosen
    if ca is None or cb is None:  # an unplaced name is the same place as another by its name alone
        return ca is cb and fold(a.mention.text) == fold(b.mention.text)
    return (ca.id and ca.id == cb.id) or (ca.name, ca.kind, ca.country) == (cb.name, cb.kind, cb.country)


def _inside(inner: Place, outer: Place) -> bool:
    """A place within a country ('an Istanbul airport' within Turkey) or within its own first-level area
    (Spur within Texas)."""
    i, o = inner.chosen, outer.chosen
    if i is None or o is None or i.country is None or i.country != o.country or i is o:
        return False
    if o.kind == "country":
        return i.kind != "country"
    return (o.kind == "admin" and i.kind in ("city", "site") and i.admin1 is not None
            and fold(i.admin1) == fold(o.name))


def _journey_end(doc: Doc | None, f: Fact, facts: list[Fact]) -> int | None:
    """Where the last leg of a journey told in one sentence is, when `f` is its end: "returned to England via
    Batavia and the Cape, arriving at Saint Helena on 12 July" reaches England after Saint Helena. The verb has
    a destination and a transit of its own ("via"), and a participle hung on it ("arriving at", "calling at")
    moves too: those moves are on the way. None otherwise."""
    if doc is None or f.leg != "destination" or f.verb < 0:
        return None
    if not any(g.verb == f.verb and g.leg == "transit" for g in facts):
        return None
    verb = doc[f.verb]
    # (The model hangs the participle on the verb, or on the last place named: "the Cape, arriving at".)
    legs = [g.verb for g in facts if g.verb > f.verb and g.leg in ("stop", "destination")
            and doc[g.verb].tag_ == "VBG" and doc[g.verb].dep_ in ("advcl", "acl") and verb in doc[g.verb].ancestors]
    return max(legs) if legs else None


def _clause_order(facts: list[Fact], places, doc: Doc | None = None) -> list[Fact]:
    """Text order, and within one clause: origin, transits, stop or destination; a country
    before the places in it that the same clause names ("entered X through an airport in X");
    a journey's end after the stops its sentence tells on the way (`_journey_end`)."""
    def key(f: Fact):
        rank = _LEG_RANK.get(f.leg, 2)
        at = f.verb if f.verb >= 0 else f.start
        country = next((g for g in facts if g.verb == f.verb and g is not f and g.leg == "destination"
                        and _inside(places[f.place], places[g.place])), None)
        if country is not None:
            rank = 3
        end = _journey_end(doc, f, facts)
        if end is not None:
            at, rank = end, 3
        return (-1 if f.birth else 0, at, rank, f.start)
    return sorted(facts, key=key)


@dataclass(frozen=True)
class Visit:
    """A stop while its route is being built: the fact, its date, and when the stay ended."""

    fact: Fact
    date: ParsedDate | None
    date_end: str | None = None


class _Clock:
    """A person's route clock while reading: the date an undated stop of the same sentence takes, moved on by
    the durations they stay. Relative dates ("three days later") are not this clock's: the date reader has
    counted them from the narrative's own time (geo.extraction.clock), which another person's sentence may
    have set."""

    def __init__(self, dates):
        self.dates = dates
        self.clock: ParsedDate | None = None
        self.clock_sentence: int | None = None
        self.moved = False

    def date(self, k: int | None) -> ParsedDate | None:
        """A date mention as the reader dated it."""
        if k is None:
            return None
        parsed = self.dates[k][1]
        return parsed if parsed.is_date else None

    def saw(self, date: ParsedDate | None) -> None:
        """(kept for the clues' reading order; the narrative clock is the date reader's)"""


def _route(doc: Doc, person: str, facts: list[Fact], clues: list[Clue], places, dates,
           now: ParsedDate | None = None, entries: tuple[tuple[int, int, int], ...] = ()) -> list[Tie]:
    """One person's ties: events dated, movement ordered, dated along the clock (or by the journal entry they are
    told in: `entries`, see ``Listing.entries``), merged, numbered."""
    clock = _Clock(dates)
    items = sorted([(float(f.start), 1, f) for f in facts] + [(c.position, 0, c) for c in clues],
                   key=lambda x: (x[0], x[1]))
    stops: list[Visit] = []
    events: list[Tie] = []
    for _, _, item in items:
        if isinstance(item, Clue):
            parsed = dates[item.date][1]
            if parsed.duration_days:
                _advance(clock, stops, parsed.duration_days, _stayed(doc, item, stops))
            else:
                clock.saw(clock.date(item.date))
            continue
        f = item
        date = clock.date(f.date)
        if f.leg == "destination" and doc[f.verb].lemma_.lower() in DEPART:
            # "left Marysville for Spur in December": the date is the leaving; the arrival is later, when unsaid
            stops.append(Visit(f, None))
            continue
        if f.role not in MOVEMENT_ROLES:
            clock.saw(date)
            events.append(Tie(f.place, person, f.role, date.iso if date else None, date.iso_end if date else None))
            continue
        fresh = clock.clock is not None and (clock.clock_sentence == f.sentence or clock.moved)
        if date is None and fresh and not f.birth:
            date = clock.clock
        if date is None and not f.birth:
            date = next((clock.date(k) for s, e, k in entries if s <= f.start < e), None)
        if date is not None and not f.birth:
            clock.clock, clock.clock_sentence, clock.moved = date, f.sentence, False
            clock.saw(date)
        stops.append(Visit(f, date))
    ordered = _retold(_in_clause_order(stops, places, doc), places, doc)
    return events + _number(person, _between(_sort_by_date(_merge(ordered, places), now, doc)))


def _stayed(doc: Doc, clue: Clue, stops: list[Visit]) -> int | None:
    """Which stop a duration is the length of: one of its own clause ("stayed in X for two days"),
    the place its clause describes ("X, where she spent four days"), or the last ("spent a year
    there"); None when the clause is about something else ("detained for three months")."""
    verb = doc[clue.verb]
    described = verb.head
    while described.dep_ == "appos" and described.head.i != described.i:  # "Panama City, Panama, where"
        described = described.head
    for n in range(len(stops) - 1, -1, -1):
        f = stops[n].fact
        if f.verb == clue.verb or (verb.dep_ == "relcl" and described.i == f.root):
            return n
    if stops and any(c.lower_ == "there" for c in verb.children):
        return len(stops) - 1
    return None


def _advance(clock: _Clock, stops: list[Visit], days: int, stayed: int | None) -> None:
    """Time spent: the stop it belongs to ends, and the clock moves, that many days later."""
    if clock.clock is None:
        return
    moved = shift(clock.clock, days)
    if stayed is not None and stops[stayed].date is not None:
        stops[stayed] = replace(stops[stayed], date_end=moved.iso)
    clock.clock, clock.moved = moved, True


def _in_clause_order(stops: list[Visit], places, doc: Doc | None = None) -> list[Visit]:
    by_fact = {id(s.fact): s for s in stops}
    return [by_fact[id(f)] for f in _clause_order([s.fact for s in stops], places, doc)]


def _background(verb) -> bool:
    """A clause that sets the time of another ("when he left Texas, Duncan had $20", "by the time he reached
    Marysville"), not one that tells a move."""
    if verb.dep_ == "advcl":
        return any(c.dep_ in ("mark", "advmod") and c.lower_ in SIMULTANEOUS | {"once"} for c in verb.children)
    return verb.dep_ == "relcl" and verb.head.lemma_.lower() in MOMENT_NOUNS


def _retold(stops: list[Visit], places, doc: Doc | None) -> list[Visit]:
    """A move told again is no new stop: after "they left Spur ... and reached Marysville", "when he left
    Texas" and "by the time he reached Marysville" are the same journey seen from its end; so is an undated
    leaving of a place left before ("the narrative is detailed after Wey's departure from Venice"): one
    leaves only where one is. The place, or the area holding it, is on the route already, before the last
    stop (leaving the last stop is `_merge`'s: it closes that stop). A leaving told with where it led, in the
    same clause, is a new leg from a place come back to: a tour's "From Keswick I proceeded to Penrith" after
    an excursion from Keswick."""
    if doc is None:
        return stops
    led = {s.fact.verb for s in stops if s.fact.verb >= 0 and s.fact.leg in ("transit", "destination")}
    out: list[Visit] = []
    for s in stops:
        f = s.fact
        again = (f.leg == "origin" and not f.birth and f.verb not in led
                 or f.verb >= 0 and _background(doc[f.verb]))
        if f.role in MOVEMENT_ROLES and s.date is None and again:
            here = places[f.place]
            if any(_same_place(places[o.fact.place], here) or _inside(places[o.fact.place], here)
                   for o in out[:-1]):
                continue
        out.append(s)
    return out


def _merge(stops: list[Visit], places) -> list[Visit]:
    """Leaving where one is, or stopping again where one is, closes or extends that stop; the country one came
    from yields to the town in it that the route leaves."""
    out: list[Visit] = []
    for s in stops:
        if out:
            last = out[-1]
            here, there = places[s.fact.place], places[last.fact.place]
            same = _same_place(here, there)
            leaving = s.fact.leg == "origin" and not s.fact.birth and (same or _inside(there, here))
            # "reached Spur ... when he arrived in Texas": arriving in the area one is already in is no new stop
            # (unless both are dated apart: a return to the country on another date is a new trip)
            around = (s.fact.leg in ("stop", "destination") and _inside(there, here)
                      and (s.date is None or last.date is None or s.date.iso == last.date.iso))
            if last.fact.birth and s.fact.leg == "origin" and _inside(here, there):
                # "a scholar from Morocco, left his home town of Tangier": the town is where the route starts
                out[-1] = replace(s, date=s.date or last.date)
                continue
            if same or leaving or around:
                date = last.date or s.date
                end = last.date_end
                if leaving and s.date is not None:
                    end = s.date.iso
                out[-1] = replace(last, date=date, date_end=end)
                continue
        out.append(s)
    return out


def _before_the_news(doc: Doc | None, stops: list[Visit], n: int) -> bool:
    """An undated move told as earlier than the news: in the past perfect ("who had lived in Lyon"), as a
    childhood ("grew up in Ohio"), or in a sentence that dates a later move of the same person ("spent three
    years in Kabul before returning to Islamabad in 2019")."""
    if doc is None or stops[n].fact.verb < 0:
        return False
    verb = doc[stops[n].fact.verb]
    if verb.tag_ in ("VBN", "VBD") and any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
        return True
    if verb.lemma_.lower() == "grow" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
        return True
    return any(o.date is not None and o.fact.sentence == stops[n].fact.sentence for o in stops[n + 1:])


def _sort_by_date(stops: list[Visit], now: ParsedDate | None = None, doc: Doc | None = None) -> list[Visit]:
    """Time order where dates are known; an undated stop comes after all that was read before it. In a text
    with a date of its own (a news report), the undated moves it tells before any date are its news, of about
    that date: "X was removed to Honduras on a flight" before "he had been removed in 2006" is the later move;
    but not a move told as earlier than the news (`_before_the_news`)."""
    keyed = []
    last = dt.date.min
    news = now is not None  # no stop of the route dated yet
    for n, s in enumerate(stops):
        if s.fact.birth:
            key = dt.date.min
        elif s.date is not None:
            key = to_date(s.date.iso)
            news = False
        elif news and _before_the_news(doc, stops, n):
            key = last
        elif news:
            key = to_date(now.iso)
            # ... and dated so: a press release's "X was removed to Y on a flight" is the news of its date.
            s = replace(s, date=now)
        else:
            key = last
        last = max(last, key)
        keyed.append((key, n, s))
    return [s for _, _, s in sorted(keyed, key=lambda x: (x[0], x[1]))]


def _between(stops: list[Visit]) -> list[Visit]:
    """An undated stop between two dated ones was made between those dates: "May 21: they leave Oakland for
    Miami. June 1: they depart Miami for San Juan. June 2: stops at Caripito" puts San Juan between June 1
    and June 2. Its date is that span, from the end of the stop before to the date of the stop after."""
    out = list(stops)
    for n, s in enumerate(out):
        if s.date is not None or s.fact.birth or s.fact.role not in MOVEMENT_ROLES:
            continue
        before = next((b for b in reversed(out[:n]) if b.date is not None and b.date.iso), None)
        after = next((a for a in out[n + 1:] if a.date is not None and a.date.iso), None)
        if before is None or after is None:
            continue
        start, end = before.date_end or before.date.iso, after.date.iso
        if to_date(start) > to_date(end):
            continue
        precision = {4: "year", 7: "month"}.get(len(start), "day")
        out[n] = replace(s, date=ParsedDate(start, precision=precision), date_end=end if end != start else None)
    return out


def _number(person: str, stops: list[Visit]) -> list[Tie]:
    return [Tie(s.fact.place, person, s.fact.role, s.date.iso if s.date else None,
                s.date_end or (s.date.iso_end if s.date else None), n)
            for n, s in enumerate(stops, 1)]


def ties_for(doc: Doc, places: tuple[Place, ...], cast: Cast,
             dates: list[tuple[DateMention, ParsedDate]], document_date: str | None = None) -> tuple[Tie, ...]:
    """Every tie of a mover to a place in one parsed document, routes numbered per mover."""
    now = (ParsedDate(document_date[:10], precision={4: "year", 7: "month"}.get(len(document_date), "day"))
           if document_date and document_date[:4].isdigit() else None)
    refs, people = cast.refs, cast.people
    facts = facts_for(doc, places, refs, dates, cast.companions or cast.narrator) + work_facts(doc, places, refs, dates)
    facts += pointed_facts(doc, places, refs, facts, dates)
    facts = where_the_writer_was(doc, verbless_facts(doc, places, facts, dates), cast.narrator)
    facts = settle(facts, encounter_facts(doc, places, refs, facts), person_qualifiers(doc, places))
    # Itineraries written as lists ("June 3: Darwin to Kupang") are the route of the text's main traveller:
    # its narrator, else the person the text ties to most places.
    counts: dict[str, int] = {}
    for f in facts:
        for name in f.people:
            counts[name] = counts.get(name, 0) + 1
    traveller = cast.narrator or writer(doc) or (max(counts, key=counts.get) if counts else NARRATOR)
    listing = listing_facts(doc, places, dates, (traveller, *companions(facts, traveller)))
    if listing.facts:
        facts = [f for f in facts if f.place not in listing.places] + list(listing.facts)
        dates = list(listing.dates)
        if all(p.name != traveller for p in people):
            people = (*people, Person(traveller))
    clues = clues_for(doc, dates, refs, facts)
    ties = []
    for person in people:
        mine = [f for f in facts if person.name in f.people]
        if not mine:
            continue
        my_clues = [c for c in clues if person.name in c.people]
        ties += _route(doc, person.name, mine, my_clues, places, dates, now, listing.entries)
    ties = _met_at_the_stop(ties, facts)
    return tuple(sorted(ties, key=lambda t: (t.place, t.person or "")))


def companions(facts, traveller: str) -> tuple[str, ...]:
    """The people who made every move the text tells of the traveller, and no other: "Earhart and Noonan
    leave Oakland for Miami. June 1: They depart Miami for San Juan." The list's lines are theirs too."""
    moves = {(f.place, f.verb) for f in facts if f.role in MOVEMENT_ROLES and traveller in f.people}
    if not moves:
        return ()
    others = dict.fromkeys(n for f in facts for n in f.people if n != traveller)
    return tuple(n for n in others
                 if {(f.place, f.verb) for f in facts if f.role in MOVEMENT_ROLES and n in f.people} == moves)


def _met_at_the_stop(ties: list[Tie], facts: list[Fact]) -> list[Tie]:
    """People met at a traveller's stop are there when the traveller is: "he remained there five weeks,
    witnessing the installation of Nicolas Moro as doge" dates Moro at Venice by Wey's arrival there. An
    undated event of the clause of a traveller's move takes the date the traveller's route gives that place."""
    dated = {(t.place, t.person): t for t in ties if t.role in MOVEMENT_ROLES and t.date}
    hosts = {}  # (place, verb) of a move -> its movers
    for f in facts:
        if f.role in MOVEMENT_ROLES:
            hosts.setdefault((f.place, f.verb), set()).update(f.people)
    met = {(f.place, n): hosts[(f.place, f.verb)] for f in facts
           if f.role == "event" and f.date is None and (f.place, f.verb) in hosts
           for n in f.people if n not in hosts[(f.place, f.verb)]}
    out = []
    for t in ties:
        stop = next((dated[(t.place, h)] for h in sorted(met.get((t.place, t.person), ()))
                     if (t.place, h) in dated), None) if t.role == "event" and t.date is None else None
        out.append(replace(t, date=stop.date, date_end=stop.date_end) if stop is not None else t)
    return out
