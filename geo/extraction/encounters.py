"""The people a traveller meets, and where they belong: ties of people who are not the clause's subject.

Real writing names secondary people by whom a traveller meets and where they
come from or rule:

- **met there**: "In Quanzhou he met two Persians, Burhan al-Din and Sharif
  al-Din", "he took up residence with Zahir al-Din", "was welcomed by X",
  "negotiated with X": the people met, hosted or negotiated with are at the
  place of the clause, at its date. A relative clause on a place counts as
  the place's clause ("China, where he hoped to negotiate with Li"), and the
  subject of a "where" clause, other than the traveller, is there too
  ("Madrid, where our host Lucía had left the keys").
- **came from**: "Burhan al-Din of Kazerun", "Sharif al-Din from Tabriz": the
  place named with a person. When the text also puts the person somewhere
  else they came from there (their route starts there, and where they were
  met is a stop); otherwise it is where they belong (an `event`, as for
  "Senator Aaron Sargent of California").
- **office**: "its ruler, Sultan Abdallah", "the ruler of Samudra Pasai was a
  Muslim named X", "the administrator of the city named Qurtai": a person
  holding an office of a place is tied to that place (an `event`).

Each rule makes facts in the shape of ``geo.extraction.moves.Fact``, for the
itinerary to date and order with the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from geo.extraction.attachment import belonging_noun
from geo.extraction.deixis import Whereabouts, kind_noun_place
from geo.extraction.lexicon import (
    BELONGING_NOUNS, CEREMONY_NOUNS, ENCOUNTER_OBJECT_VERBS, ENCOUNTER_WITH_VERBS, LEADERSHIP_NOUNS, MOTION, OFFICE_NOUNS,
    WORK_NOUNS,
)
from geo.extraction.moves import Fact, dates_by_head
from geo.extraction.people import describes_person
from geo.extraction.references import people_of
from geo.model import MOVEMENT_ROLES, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Refs = Mapping[int, tuple[str, ...]]


def _met(verb: Token, refs: Refs) -> tuple[str, ...]:
    """The people a verb has its subject meet: its object ("met X"), or whom it is with ("lodged with X"),
    or by whom it was done to them ("was welcomed by X")."""
    lemma = verb.lemma_.lower()
    out: list[str] = []
    for c in verb.children:
        if c.dep_ == "dobj" and lemma in ENCOUNTER_OBJECT_VERBS:
            out += people_of(c, refs)
        elif c.dep_ == "dobj" and (c.lemma_.lower() == "residence" or lemma in ENCOUNTER_WITH_VERBS):
            # "took up residence with X", "negotiated a treaty with X"
            out += [n for g in c.children if g.dep_ == "prep" and g.lower_ == "with"
                    for p in g.children if p.dep_ == "pobj" for n in people_of(p, refs)]
        elif c.dep_ == "prep" and c.lower_ == "with" and (lemma in ENCOUNTER_WITH_VERBS or any(
                d.dep_ == "dobj" and d.lemma_.lower() in ("residence", "lodging", "quarters") for d in verb.children)):
            out += [n for p in c.children if p.dep_ == "pobj" for n in people_of(p, refs)]
        elif c.dep_ == "agent" and lemma in ENCOUNTER_OBJECT_VERBS:
            out += [n for p in c.children if p.dep_ == "pobj" for n in people_of(p, refs)]
        elif c.dep_ in ("xcomp", "conj") and c.pos_ == "VERB":
            out += _met(c, refs)  # "was proud to meet X", "took up residence with X and was proud to meet Y"
    return tuple(dict.fromkeys(out))


def _companions(verb: Token, refs: Refs) -> tuple[str, ...]:
    """The people a mover takes along: "travelled to Rome with her husband Karl", "sailed to New Zealand,
    taking with him Tupaia" (a participle of taking or bringing, whose object is a person)."""
    out: list[str] = []
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "alongside"):
            out += [n for p in c.children if p.dep_ == "pobj" for n in people_of(p, refs)]
        elif c.dep_ in ("advcl", "conj") and c.tag_ == "VBG" and c.lemma_.lower() in ("take", "bring", "lead"):
            out += [n for o in c.children if o.dep_ == "dobj" for n in people_of(o, refs)]
    return tuple(dict.fromkeys(out))


def _honoured(verb: Token, refs: Refs) -> tuple[str, ...]:
    """People whose ceremony or court the clause is at: "witnessing the installation of Nicolas Moro as doge",
    "invited to the court of Togon-temür", "attended the funeral of X"."""
    out: list[str] = []
    for tok in verb.subtree:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in CEREMONY_NOUNS:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    out += refs.get(pobj.i, ())
            for poss in (c for c in tok.children if c.dep_ == "poss"):
                out += refs.get(poss.i, ())
    return tuple(dict.fromkeys(out))


def _fact(place: int, places: Sequence[Place], people: tuple[str, ...], role: str, verb: int, root: int,
          date: int | None, *, came_from: bool = False) -> Fact:
    m = places[place].mention
    return Fact(place, people, role, role, verb, root, m.start, m.sentence.start, date, birth=came_from)


def encounter_facts(doc: Doc, places: Sequence[Place], refs: Refs, facts: Sequence[Fact]) -> list[Fact]:
    """Facts for the people met, where they came from, and the offices they hold."""
    roots: dict[int, int] = {}  # token index of a place's head -> place index
    for i, p in enumerate(places):
        if p.resolved:
            span = doc.char_span(p.mention.start, p.mention.end, alignment_mode="expand")
            if span is not None and len(span):
                roots[span.root.i] = i
    out: list[Fact] = []
    seen: set[tuple[int, str]] = set()
    qualifiers = person_qualifiers(doc, places)

    def add(fact: Fact) -> None:
        people = tuple(n for n in fact.people if (fact.place, n) not in seen)
        if people:
            seen.update((fact.place, n) for n in people)
            out.append(replace(fact, people=people))

    for root, i in roots.items():
        tok = doc[root]
        for rel in (c for c in tok.children if c.dep_ == "relcl"):  # "China, where he hoped to negotiate with Li"
            host = _qualified(tok, roots)  # "Anjouan, in the present-day Comoros, where ...": Anjouan's clause
            at = host if host is not None else i
            # met when the traveller was there: the date of the traveller's move there, in this sentence
            when = next((f.date for f in facts if f.place == at and f.date is not None
                         and f.role in MOVEMENT_ROLES and f.sentence == places[at].mention.sentence.start), None)
            for verb in (t for t in rel.subtree if t.pos_ == "VERB"):
                met = _met(verb, refs)
                if met:
                    add(_fact(at, places, met, "event", verb.i, root, when))
            # "Madrid, where our host Lucía had left the keys": who does something there is there
            if any(c.lower_ == "where" for c in rel.children):
                # (not the traveller, whose move there the sentence tells: "Panama City, Panama, where he stayed")
                there = {n for f in facts if f.sentence == places[at].mention.sentence.start for n in f.people}
                subjects = [c for c in rel.children if c.dep_ in ("nsubj", "nsubjpass")]
                doers = tuple(n for c in subjects for n in people_of(c, refs) if n not in there)
                if doers:
                    add(_fact(at, places, doers, "event", rel.i, root, when))
        # "Burhan al-Din of Kazerun", "Sharif al-Din from Tabriz": the place named with a person
        if (i in qualifiers and (person := refs.get(_named_person(tok.head.head).i, ()))) and len(person) == 1:
                add(_fact(i, places, person, "origin", tok.head.head.i, root, None, came_from=True))
        # "Frank Duncan, a citizen of the United States and a resident of Texas": where a person belongs
        belongs = _belonging(tok, refs)
        if belongs:
            add(_fact(i, places, belongs, "event", tok.head.head.i, root, None))
        # "the ruler of Samudra Pasai", "its ruler, Sultan Abdallah"
        office = _office_of(tok)
        if office is not None:
            holder = _holder(office, refs)
            if holder:
                add(_fact(i, places, holder, "event", office.i, root, None))
    for f in facts:  # taken along: the companions share the move
        # (a journey's: "met with X in Y" and "stayed with X" are encounters, below)
        if f.role in MOVEMENT_ROLES and f.role != "attempted" and doc[f.verb].lemma_.lower() in MOTION:
            along = tuple(n for n in _companions(doc[f.verb], refs) if n not in f.people)
            if along:
                add(replace(f, people=along))
    for f in facts:  # met where the traveller was, or whose ceremony they saw there
        if f.role == "attempted" or f.place in qualifiers:
            continue
        met = tuple(n for n in _met(doc[f.verb], refs) + _honoured(doc[f.verb], refs) if n not in f.people)
        if met:
            add(_fact(f.place, places, met, "event", f.verb, f.root, f.date))
    where = Whereabouts(places, [*facts, *out], [sent.start_char for sent in doc.sents])
    for tok in doc:  # "the administrator of the city named Qurtai": an office of the current place
        if tok.lemma_.lower() in OFFICE_NOUNS and tok.pos_ == "NOUN":
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                for noun in (c for c in prep.children if c.dep_ == "pobj"):
                    place = kind_noun_place(noun, where)
                    holder = (_holder(tok, refs) or _holder(noun, refs)) if place is not None else ()
                    if holder:
                        add(_fact(place, places, holder, "event", tok.i, noun.i, None))
    return out


def person_qualifiers(doc: Doc, places: Sequence[Place]) -> set[int]:
    """Places that only say where a person is from: "Burhan al-Din of Kazerun", "Sharif al-Din from Tabriz"."""
    out = set()
    for i, p in enumerate(places):
        if not p.resolved:
            continue
        span = doc.char_span(p.mention.start, p.mention.end, alignment_mode="expand")
        tok = span.root if span is not None and len(span) else None
        if (tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in ("of", "from")
                and _named_person(tok.head.head) is not None
                and tok.head.head.ent_type_ not in ("GPE", "LOC", "FAC", "ORG")  # ("the University of Toronto")
                and tok.head.head.i not in {t.i for t in span}):
            out.add(i)
    return out


def _named_person(tok: Token) -> Token | None:
    """The name a place is said with: "Burhan al-Din (of Kazerun)", "Maria Santos, a nurse (from Manila)"."""
    if tok.pos_ == "PROPN":
        return tok
    if (tok.pos_ == "NOUN" and tok.dep_ == "appos" and tok.head.pos_ == "PROPN" and describes_person(tok)
            and tok.lemma_.lower() not in BELONGING_NOUNS):  # ("a citizen of X" is where one belongs)
        return tok.head
    return None


def _qualified(tok: Token, roots: Mapping[int, int]) -> int | None:
    """The place a place qualifies: Anjouan in "Anjouan, in the present-day Comoros"."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("in", "of", "near") and head.head.i in roots and head.head.i != tok.i:
        return roots[head.head.i]
    # "heading to Anjouan in the present-day Comoros": today's name of where the clause's last place is
    if any(t.lower_ in ("present", "modern", "today", "now") for t in tok.subtree if t.i < tok.i):
        before = [r for r in roots if tok.sent.start <= r < tok.i]
        if before:
            return roots[max(before)]
    return None


def _belonging(place: Token, refs: Refs) -> tuple[str, ...]:
    """Who a place is said to be the home of: "X, a resident of Y", "X is a citizen of Y and a resident of Z"
    (the noun in apposition to the person, or predicated of them)."""
    noun = belonging_noun(place)
    if noun is None:
        return ()
    if noun.dep_ == "appos":
        return tuple(refs.get(noun.head.i, ()))
    if noun.dep_ == "attr" and noun.head.lemma_.lower() == "be":
        return tuple(n for c in noun.head.children if c.dep_ == "nsubj" for n in refs.get(c.i, ()))
    return ()


def _office_of(place: Token):
    """The office noun a place is the domain of: 'the ruler of X', 'X's governor'."""
    if place.dep_ == "pobj" and place.head.lower_ == "of" and place.head.head.lemma_.lower() in OFFICE_NOUNS:
        return place.head.head
    if place.dep_ == "poss" and place.head.lemma_.lower() in OFFICE_NOUNS:
        return place.head
    return None


def _holder(office: Token, refs: Refs) -> tuple[str, ...]:
    """Who holds an office: its apposition ('its ruler, Sultan Abdallah'), 'named X', or the copula's
    other side ('the ruler of X was a pious Muslim named Y')."""
    found = people_of(office, refs)
    if found:
        return found
    noun = office
    for _ in range(3):  # "named X" may hang on the office or on a noun above it in the phrase (a parse's whim)
        for c in noun.children:
            if c.dep_ == "acl" and c.lemma_.lower() in ("name", "call"):
                for g in c.subtree:
                    if g.i in refs:
                        return refs[g.i]
        if noun.dep_ != "pobj" or noun.head.head.pos_ != "NOUN":
            break
        noun = noun.head.head
    head = office.head
    if office.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() == "be":
        for attr in (c for c in head.children if c.dep_ == "attr"):
            for g in attr.subtree:
                if g.i in refs and len(refs[g.i]) == 1:
                    return refs[g.i]
    return ()


def settle(facts: Sequence[Fact], extra: Sequence[Fact], qualifiers: set[int] = frozenset()) -> list[Fact]:
    """Where a person was met is a stop of theirs when they came from elsewhere; else where they belong.
    A place that only says where someone is from is not the clause subject's ("he met Burhan of Kazerun")."""
    travellers = {n for f in extra if f.birth for n in f.people}
    out = [f for f in facts if f.place not in qualifiers]
    kept = list(out)
    for f in extra:
        if f.role == "event" and set(f.people) <= travellers:
            out.append(replace(f, role="stop", leg="stop"))
        elif f.role == "origin" and not set(f.people) & {n for g in [*kept, *extra] if g is not f
                                                        for n in g.people}:
            out.append(replace(f, role="event", leg="event", birth=False))  # "Senator Sargent of California"
        else:
            out.append(f)
    return out


# --- works led on the ground -------------------------------------------------------------------

def _leaders(acl: Token, refs: Refs) -> tuple[str, ...]:
    """Who a work was done under or by: "commenced under Captain King", "made under the command of X",
    "carried out by X"."""
    out: list[str] = []
    for prep in acl.children:
        if not (prep.dep_ == "agent" or (prep.dep_ == "prep" and prep.lower_ == "under")):
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if pobj.lemma_.lower() in LEADERSHIP_NOUNS:  # "under the command of X"
                pobj = next((g for of in pobj.children if of.dep_ == "prep" and of.lower_ == "of"
                             for g in of.children if g.dep_ == "pobj"), pobj)
            out += people_of(pobj, refs)
    return tuple(dict.fromkeys(out))


def work_facts(doc: Doc, places: Sequence[Place], refs: Refs, dates) -> list[Fact]:
    """ "the survey of Patagonia and Tierra del Fuego, commenced under Captain King in 1826": a work that is done
    on the ground (a survey, an exploration, a conquest) puts whoever led it at its places, at its date."""
    by_head = dates_by_head(doc, dates)
    out = []
    for i, p in enumerate(places):
        span = doc.char_span(p.mention.start, p.mention.end, alignment_mode="expand") if p.resolved else None
        if span is None or not len(span):
            continue
        tok = first = span.root
        while first.dep_ == "conj" and first.head.i != first.i:  # "the survey of X and Y"
            first = first.head
        if not (first.dep_ == "pobj" and first.head.lower_ == "of" and first.head.head.lemma_.lower() in WORK_NOUNS):
            continue
        for acl in (c for c in first.head.head.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            leaders = _leaders(acl, refs)
            if leaders:
                found = [k for k in by_head.get(acl.i, ()) if dates[k][1].is_date]
                out.append(_fact(i, places, leaders, "stop", acl.i, tok.i, found[0] if found else None))
    return out
