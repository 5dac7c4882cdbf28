"""Who is in a text: its people, parties, vessels and narrator, read twice (`cast_of`).

The first reading (`geo.extraction.references`) finds names and pronouns; from it come the text's parties,
vessels and narrator; the second reading, with those known, lets "the party", "they", "we" and a ship's name
stand for the people they carry. A vessel nobody is put aboard carries the text's party, else the person the
text is about: a biography's "Endeavour ran aground" is Cook's voyage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.extraction.groups import (
    NARRATOR, case_roles, first_person_tokens, is_group_noun, owner_of, partings, recruits, vessels, writer,
)
from geo.extraction.lexicon import COMPANION_NOUNS, VESSEL_NOUNS
from geo.extraction.parsed import text_of
from geo.extraction.references import World, coordination_top, people_of, references
from geo.names import fold
from geo.model import Person

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Cast:
    """Who is in a text: the token -> people map, and every mover (named people, the narrator, and groups
    that move without a named member)."""

    refs: dict[int, tuple[str, ...]]
    people: tuple[Person, ...]
    narrator: str | None = None  # the writer of first-person text, when it has one
    companions: tuple[str, ...] = ()  # the writer with the writer's own people ("my friend Edward Lloyd")


def cast_of(doc: Doc, people: tuple[Person, ...]) -> Cast:
    """Read the text twice: once for names and pronouns, to find its parties, vessels and narrator; once more
    with them known, so that "the party", "they", "we" and a ship's name stand for the people they carry."""
    first = references(doc, people)
    recruited = recruits(doc, first)
    fixed: dict[int, tuple[str, ...]] = {}
    for tok in doc:
        if is_group_noun(tok) and (owner := owner_of(tok, first) or _family_named(doc, tok, people, first)):
            fixed[tok.i] = owner + tuple(n for o in owner for n in recruited.get(o, ()) if n not in owner)
    party = max(fixed.values(), key=len, default=())
    for tok in doc:  # "her plane landed at Karachi": the owner's vehicle carries the owner (not a party)
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in VESSEL_NOUNS and (owner := owner_of(tok, first)):
            fixed.setdefault(tok.i, owner)
    ships = vessels(doc, {**first, **fixed})
    vessel_tokens: set[int] = set()
    movers = []
    for ship in ships:
        members = ship.members or _carried(doc, people, party, min(ship.tokens)) or (ship.name,)
        for i in ship.tokens:
            fixed[i] = members
        vessel_tokens |= ship.tokens
        if members == (ship.name,):
            movers.append(Person(ship.name))
    parted = dict(partings(doc, first, frozenset(vessel_tokens)))
    for k, gone in sorted(parted.items()):
        for i in [i for i in fixed if i > k]:
            fixed[i] = tuple(n for n in fixed[i] if n not in gone)
    named = tuple(p for p in people if not _all_inside(doc, p, vessel_tokens))
    singular, plural = first_person_tokens(doc)
    # A narrator tells what they did: a first-person subject ("Connect with us" has none).
    subjects = sum(doc[i].dep_ in ("nsubj", "nsubjpass") for i in singular + plural)
    narrator = (writer(doc) or NARRATOR) if subjects else None
    if narrator and not any(p.name == narrator for p in named):
        movers.append(Person(narrator))
    companions = _companions_of(doc, first) if narrator else ()
    if companions:
        companions = (narrator, *(n for n in companions if n != narrator))
    roles = case_roles(text_of(doc), named)
    if not (fixed or vessel_tokens or narrator or roles or parted or plural) and named == people:
        # nothing the second reading would know that the first did not: its words stand for the same people
        return Cast(first, named + tuple(movers), narrator, companions)
    world = World(fixed, frozenset(vessel_tokens), party, narrator, frozenset(singular), frozenset(plural),
                  roles, parted, companions)
    return Cast(references(doc, named, world), named + tuple(movers), narrator, companions)


def _family_named(doc: Doc, tok: Token, people: tuple[Person, ...], refs) -> tuple[str, ...]:
    """'The Hassan family fled Aleppo ... Karim Hassan, his wife Layla and their children crossed into
    Lebanon': the people the text names with the family's surname, and those named together with them."""
    if tok.lemma_.lower() != "family":
        return ()
    surnames = {fold(c.text) for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"}
    members = [p.name for p in people if len(p.name.split()) >= 2 and fold(p.name.split()[-1]) in surnames]
    if not members:
        return ()
    out = list(members)
    for i, names in refs.items():
        if set(names) & set(members):
            top = coordination_top(doc[i])
            out += [n for n in people_of(top, refs) if n not in out]
    return tuple(out)


def _carried(doc: Doc, people: tuple[Person, ...], party: tuple[str, ...], at: int) -> tuple[str, ...]:
    """Whom a vessel nobody is put aboard carries: the text's party, else the person the text is about (named
    most, twice at least before the vessel): a biography's "Endeavour ran aground" is Cook's voyage."""
    if party:
        return party
    if not people:
        return ()
    most = max(people, key=lambda p: len(p.mentions))
    rivals = [p for p in people if len(p.mentions) == len(most.mentions)]
    before = sum(m.start < doc[at].idx for m in most.mentions)
    return (most.name,) if before >= 2 and len(rivals) == 1 else ()


def _companions_of(doc: Doc, refs) -> tuple[str, ...]:
    """The people first-person writing names as the writer's own ("my husband Tom", "with my friend Edward
    Lloyd", "our son Omar"): the writer's "we" holds them before any move has shown it."""
    out: list[str] = []
    for tok in doc:
        if tok.lemma_.lower() in COMPANION_NOUNS and any(c.dep_ == "poss" and c.lower_ in ("my", "our")
                                                          for c in tok.children):
            out += [n for c in tok.children if c.dep_ == "appos" for n in people_of(c, refs)]
    return tuple(dict.fromkeys(out))


def _all_inside(doc: Doc, person: Person, tokens: set[int]) -> bool:
    """A "person" every mention of whom is a vessel's name ("the sealer Jason")."""
    if not person.mentions or not tokens:
        return False
    for m in person.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not all(t.i in tokens for t in span):
            return False
    return True
