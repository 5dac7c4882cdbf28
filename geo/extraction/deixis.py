"""'There', 'here', 'ashore', 'the city': places the text points back at instead of naming.

The narrative has a current place: where its last movement took someone.
A clause of motion or staying whose place is only pointed at ("On 24 May,
Cook and Banks went ashore", "he remained there five weeks", "they camped
here") is a stop at that place, for the clause's people and at its date. So
is a clause of work that is done where it is done, with no place of its own
("the specimens retrieved by the botanists Banks and Solander", "Ames
surveyed the bay"): its doers, by name or by "by", were there. A
definite place noun without a name ("the administrator of the city named
Qurtai") is the current place when it is of that kind.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from geo.extraction.lexicon import FIELDWORK, HALT, MOTION, STAY
from geo.extraction.moves import Fact, agents
from geo.extraction.references import people_of
from geo.model import MOVEMENT_ROLES, DateMention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

POINTERS = {"there", "here", "ashore", "aboard", "inland"}
# Definite nouns that stand for the last place of their kind: "the city", "the island".
KIND_NOUNS = {"city": ("city",), "town": ("city",), "village": ("city",), "port": ("city", "site"),
              "island": ("admin", "site", "region", "city"), "country": ("country",), "province": ("admin",),
              "state": ("admin",), "region": ("region", "admin")}


# A pointer reaches back this many sentences at most: further back, the place it means may be one the
# gazetteer did not know, and a stale place would be a wrong stop.
REACH_SENTENCES = 2


class Whereabouts:
    """Where the narrative is at each point of the text: the place of the last movement before it.

    A place the gazetteer could not place is still where the narrative is ("He stopped at Bustard Bay. The
    next day they went ashore": ashore at Bustard Bay, wherever that is drawn later, geo.geocoding.between);
    only a move to a name that is no place mention at all (``blind``) leaves the narrative nowhere known.
    """

    def __init__(self, places: Sequence[Place], facts: Sequence[Fact], sentence_starts: Sequence[int],
                 blind: Sequence[int] = ()):
        moves = sorted((f.start, f.place, f.sentence, f.date) for f in facts
                       if f.role in MOVEMENT_ROLES and f.role != "attempted")
        self._starts = [m[0] for m in moves]
        self._places = [m[1] for m in moves]
        self._sentences = [bisect.bisect_right(sentence_starts, m[2]) for m in moves]
        self._dates = [m[3] for m in moves]
        self._sentence_starts = list(sentence_starts)
        self._blind = sorted(blind)  # moves to a place the text names but no one could place
        self.places = places

    def at(self, offset: int, kinds: Sequence[str] | None = None) -> int | None:
        """The current place at a character offset (of one of ``kinds`` when given), or None."""
        k = self._move(offset, kinds)
        return None if k is None else self._places[k]

    def date_at(self, offset: int) -> int | None:
        """The date (an index into the document's dates) of the move that took the narrative to its current
        place, or None."""
        k = self._move(offset, None)
        return None if k is None else self._dates[k]

    def _move(self, offset: int, kinds: Sequence[str] | None) -> int | None:
        n = bisect.bisect_left(self._starts, offset)
        here = bisect.bisect_right(self._sentence_starts, offset)
        for k in range(n - 1, -1, -1):
            if here - self._sentences[k] > REACH_SENTENCES:
                return None
            b = bisect.bisect_right(self._blind, self._starts[k])
            if b < len(self._blind) and self._blind[b] < offset:
                return None  # since then the narrative went somewhere it did not let us place
            if kinds is None:
                return k
            chosen = self.places[self._places[k]].chosen
            if chosen is None:
                return None  # a place of unknown kind: "the city" may or may not be it
            if chosen.kind in kinds:
                return k
        return None


def unplaced_moves(doc: Doc, places: Sequence[Place]) -> list[int]:
    """Offsets of names the narrative moves to that are no place mention at all ("He stopped at Qwertyx
    Cove" when the parse did not take it for a place): after one, the current place is unknown."""
    placed = [(p.mention.start, p.mention.end) for p in places]
    out = []
    for tok in doc:
        if tok.dep_ != "pobj" or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERSON", "NORP"):
            continue  # "on 27 March", "with Cook": no place
        verb = tok.head.head
        if tok.head.pos_ != "ADP" or verb.pos_ != "VERB":
            continue
        if verb.lemma_.lower() not in MOTION | STAY | HALT:
            continue
        if not any(a <= tok.idx < b for a, b in placed):
            out.append(tok.idx)
    return out


def _sentence_date(tok: Token, dates: Sequence[tuple[DateMention, object]]) -> int | None:
    """The first date expression of the verb's sentence that names a calendar date."""
    sent = tok.sent
    for k, (mention, parsed) in enumerate(dates):
        if sent.start_char <= mention.start < sent.end_char and getattr(parsed, "is_date", False):
            return k
    return None


def pointed_facts(doc: Doc, places: Sequence[Place], refs: Mapping[int, tuple[str, ...]], facts: Sequence[Fact],
                  dates: Sequence[tuple[DateMention, object]]) -> list[Fact]:
    """Stops at the current place for clauses that point at it ("went ashore", "remained there")."""
    where = Whereabouts(places, facts, [sent.start_char for sent in doc.sents], unplaced_moves(doc, places))
    own_verbs = {f.verb for f in facts}
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.i in own_verbs:
            continue
        lemma = tok.lemma_.lower()
        if lemma in FIELDWORK:  # ("collected plants in Brazil" has a fact of its own, an event there)
            who = _doers(tok, refs)
        elif lemma in MOTION or lemma in STAY:
            if not any(c.dep_ == "advmod" and c.lower_ in POINTERS for c in tok.children):
                continue
            who = agents(tok, refs)
        else:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        place = where.at(tok.idx)
        if place is None or not who:
            continue
        # at the date its sentence gives, else at the date the narrative came there ("On 29 April they landed
        # at X. ... the specimens retrieved by Banks": 29 April)
        date = _sentence_date(tok, dates)
        out.append(Fact(place, who, "stop", "stop", tok.i, tok.i, tok.idx, tok.sent.start_char,
                        date if date is not None else where.date_at(tok.idx)))
    return out


def _doers(verb: Token, refs: Mapping[int, tuple[str, ...]]) -> tuple[str, ...]:
    """Who does what a verb says: "by" whom when it is passive or a participle ("the specimens retrieved by
    Banks"), else its subject."""
    by = tuple(dict.fromkeys(n for c in verb.children if c.dep_ == "agent"
                             for p in c.children if p.dep_ == "pobj" for n in people_of(p, refs)))
    if by:
        return by
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        return ()  # "the plants collected there": by no one named
    return agents(verb, refs)


def kind_noun_place(tok: Token, where: Whereabouts) -> int | None:
    """'the city' with no name of its own: the last city the narrative was in."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or lemma not in KIND_NOUNS:
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
        return None
    if any(c.dep_ in ("compound", "appos", "prep") or c.pos_ == "PROPN" for c in tok.children):
        return None  # "the city of Fuzhou", "the island Anjouan": named
    return where.at(tok.idx, KIND_NOUNS[lemma])
