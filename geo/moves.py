"""Ties of people to places: who went where, and when.

For each placed mention, from the dependency parse:
- the person: the nearest person named before it in its sentence, or, when
  the sentence speaks of "he"/"she", the person the story is following;
  people who only speak ("Bozkurt said", "according to X") are not movers;
- the role: the verb the place hangs from decides. A verb of motion makes it
  a route stop (origin after "from"/"left", transit after "via"/"through",
  destination after "to"/"into"), wrapped in "tried to"/"attempted to" it is
  `attempted`; being or staying somewhere is a `stop`; any other verb (an
  attack, an arrest, a birth) is an `event`;
- the date: a date attached to the same verb, else the nearest in the same
  clause; durations ("stayed for two days") move the person's clock, so the
  next undated stop is dated two days later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import ParsedDate, iso_of, to_date
from .model import MOVEMENT_ROLES, DateMention, Person, Place, Tie

MOTION = {
    "go", "come", "travel", "fly", "move", "cross", "enter", "return", "leave", "arrive", "reach",
    "flee", "head", "deport", "drive", "sail", "walk", "smuggle", "transfer", "relocate", "emigrate",
    "migrate", "journey", "ride", "escape", "extradite", "send", "take", "bring", "march", "board",
    "depart", "land", "visit", "tour", "trek", "hike", "pass", "continue", "proceed", "expel", "repatriate",
}
STAY = {"be", "stay", "spend", "remain", "live", "settle", "hide", "wait", "reside", "base", "train", "study", "born"}
ATTEMPT = {"try", "attempt", "seek", "plan", "intend", "want"}
SPEECH = {"say", "add", "tell", "accuse", "tweet", "write", "claim", "note", "argue", "state", "explain", "report"}
ORIGIN_PREPS = {"from", "out"}
TRANSIT_PREPS = {"via", "through", "across"}
DEST_PREPS = {"to", "into", "for", "toward", "towards", "onto"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


@dataclass(frozen=True)
class Link:
    """One place mention tied to a person, before routes are numbered."""

    place: int
    person: str
    role: str
    date: ParsedDate | None
    start: int


def _token_at(doc, offset: int):
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _governing_verb(tok):
    """Walk up from a place token to the verb it hangs from, and the preposition on the way."""
    prep = None
    hops = 0
    while tok.head is not tok and hops < 8:
        if tok.dep_ == "pobj" and tok.head.pos_ == "ADP":
            prep = prep or tok.head.lower_
        if tok.dep_ in ("dobj", "nsubj", "nsubjpass") and prep is None:
            prep = tok.dep_
        tok = tok.head
        hops += 1
        if tok.pos_ in ("VERB", "AUX"):
            return tok, prep
    return (tok if tok.pos_ in ("VERB", "AUX") else None), prep


def _attempted(verb) -> bool:
    """'trying to cross', 'attempted to travel', 'was caught as he tried'."""
    t = verb
    for _ in range(3):
        if t.lemma_ in ATTEMPT:
            return True
        if t.head is t:
            break
        t = t.head
    return any(c.lemma_ in ATTEMPT for c in verb.children if c.dep_ in ("advcl", "aux"))


def role_of(doc, place: Place) -> str:
    tok = _token_at(doc, place.mention.end - 1)
    if tok is None:
        return "mention"
    verb, prep = _governing_verb(tok)
    if verb is None:
        return "event"
    lemma = verb.lemma_.lower()
    if verb.text.lower() == "born":
        return "origin"
    if lemma in MOTION:
        if _attempted(verb):
            return "attempted"
        if lemma == "leave" and prep in (None, "dobj") or prep in ORIGIN_PREPS:
            return "origin"
        if prep in TRANSIT_PREPS:
            return "transit"
        if prep in DEST_PREPS or prep == "dobj" or lemma in ("enter", "reach", "visit", "cross"):
            return "destination"
        return "stop"
    if lemma in STAY:
        return "stop"
    return "event"


def _speaker_mentions(doc, people: tuple[Person, ...]) -> set[int]:
    """Start offsets of person mentions that only speak: subjects of 'said', 'according to X'."""
    out = set()
    for person in people:
        for m in person.mentions:
            tok = _token_at(doc, m.end - 1)
            if tok is None:
                continue
            if tok.dep_ in ("nsubj",) and tok.head.lemma_ in SPEECH:
                out.add(m.start)
            elif tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
                out.add(m.start)
            elif tok.head.lemma_ in SPEECH and tok.dep_ in ("dobj", "pobj"):
                out.add(m.start)
    return out


def movers(doc, people: tuple[Person, ...]) -> dict[int, str]:
    """Start offset of each mention of a person who does more than speak -> that person's name."""
    speaking = _speaker_mentions(doc, people)
    out = {}
    for person in people:
        if all(m.start in speaking for m in person.mentions):
            continue
        for m in person.mentions:
            if m.start not in speaking:
                out[m.start] = person.name
    return out


def _date_for(doc, place: Place, dates: list[tuple[DateMention, ParsedDate]]) -> ParsedDate | None:
    """The date of the clause a place is in: same verb first, then the nearest in the sentence."""
    sent = place.mention.sentence
    here = [(d, p) for d, p in dates if sent.start <= d.start < sent.end and p.is_date]
    if not here:
        return None
    tok = _token_at(doc, place.mention.end - 1)
    verb = _governing_verb(tok)[0] if tok is not None else None
    if verb is not None:
        for d, p in here:
            dtok = _token_at(doc, d.end - 1)
            if dtok is not None and _governing_verb(dtok)[0] is verb:
                return p
    after = [(d.start - place.mention.end, p) for d, p in here if d.start >= place.mention.end]
    before = [(place.mention.start - d.end, p) for d, p in here if d.end <= place.mention.start]
    best = min(after + before, key=lambda x: x[0], default=None)
    return best[1] if best and best[0] < 60 else None


def _durations_between(dates, start: int, end: int) -> int:
    return sum(p.duration_days or 0 for d, p in dates if start <= d.start < end and p.duration_days)


def link_people(doc, places: tuple[Place, ...], people: tuple[Person, ...],
                dates: list[tuple[DateMention, ParsedDate]]) -> list[Link]:
    mover_at = movers(doc, people)
    starts = sorted(mover_at)
    links = []
    focus: str | None = None  # the person the story is following
    last_sentence = None
    for i, place in enumerate(places):
        if not place.resolved:
            continue
        m = place.mention
        if m.sentence.start != last_sentence:
            # the focus moves to the first mover named in a new sentence
            in_sentence = [s for s in starts if m.sentence.start <= s < m.sentence.end]
            last_sentence = m.sentence.start
            pronoun = any(t.lower_ in PRONOUNS for t in doc.char_span(m.sentence.start, m.sentence.end,
                                                                      alignment_mode="expand") or ())
            if not in_sentence and not pronoun:
                focus = None
        before = [s for s in starts if m.sentence.start <= s < m.start]
        if before:
            person = mover_at[before[-1]]
            focus = person
        elif focus is not None and m.sentence.start <= m.start:
            person = focus
        else:
            continue
        role = role_of(doc, place)
        if role == "mention":
            continue
        links.append(Link(i, person, role, _date_for(doc, place, dates), m.start))
    return links


def number_routes(links: list[Link], dates) -> list[Tie]:
    """Order each person's movement in text order, carrying the clock along the route."""
    ties = []
    clock: dict[str, ParsedDate | None] = {}
    last_end: dict[str, int] = {}
    order: dict[str, int] = {}
    for link in sorted(links, key=lambda k: k.start):
        date = link.date
        if link.role in MOVEMENT_ROLES:
            current = clock.get(link.person)
            if date is None and current is not None and current.precision == "day":
                days = _durations_between(dates, last_end.get(link.person, 0), link.start)
                if days:
                    d = to_date(current.iso) + dt.timedelta(days=days)
                    date = ParsedDate(iso_of(d, "day"), precision="day", relative=True)
            if date is not None:
                clock[link.person] = date
            last_end[link.person] = link.start
            order[link.person] = order.get(link.person, 0) + 1
            n = order[link.person]
        else:
            n = None
        ties.append(Tie(link.place, link.person, link.role,
                        date.iso if date else None, date.iso_end if date else None, n))
    return ties


def ties_for(doc, places, people, dates) -> tuple[Tie, ...]:
    links = link_people(doc, places, people, dates)
    return tuple(number_routes(links, dates))
