"""Legs told without a verb: the journey goes on in the words of the one before.

The shape, common in travel writing and itineraries: "we dined at Kendal; thence to Ambleside", "The next day by
Rydal to Grasmere, and so on to Keswick", "I proceeded to Penrith, and the day following to Appleby". The place
is the object of a preposition of motion ("to", "by", "via", "through", "from", "into", "as far as") hung on no
verb of its own: walking up the parse from the preposition meets only links ("thence", "so on", "back"), time
nouns ("the next day", "the day following", whose participle the parser takes for a verb) and the places of the
same leg ("by Rydal to Grasmere"). The mover is whoever made the last move told before it; the role is the
preposition's; the date is a date on those words ("The next day"), else the clock's.

What is never such a leg: a place under a noun that owns it ("the road to X", "a letter from X"), a place
under a verb (the rules of ``geo.extraction.moves`` read it), or one told before any move. Pure functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.extraction.attachment import span_root
from geo.extraction.lexicon import DEST_PREPS, ORIGIN_PREPS, TIME_NOUNS, TRANSIT_PREPS
from geo.extraction.moves import Fact, dates_by_head, movement_leg
from geo.model import MOVEMENT_ROLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LEG_PREPS = DEST_PREPS | ORIGIN_PREPS | TRANSIT_PREPS | {"by"}
# The words a verbless leg is made of, besides its prepositions and places.
LINKS = {"thence", "hence", "whence", "then", "so", "on", "onward", "onwards", "back", "forward", "next", "after",
         "following", "and", "thereafter", "afterwards", "early", "late"}
STEPS = 6


def verbless_facts(doc: Doc, places, facts: list[Fact], dates) -> list[Fact]:
    """The facts, with the places told as legs without a verb each the move of whoever made the move before it
    (an event the parse made of one, hung on the verb before its "thence", is such a leg)."""
    taken = {f.place for f in facts if f.role != "event"}
    place_tokens = {t.i: i for i, p in enumerate(places)
                    if (t := span_root(doc, p.mention.start, p.mention.end)) is not None}
    by_head = dates_by_head(doc, dates)
    moves = sorted((f for f in facts if f.role in MOVEMENT_ROLES), key=lambda f: f.start)
    out = []
    for tok_i, i in sorted(place_tokens.items()):
        if i in taken:
            continue
        tok = doc[tok_i]
        leg = _verbless_leg(tok, place_tokens)
        if leg is None:
            continue
        prep, top, chain = leg
        start = places[i].mention.start
        before = [f for f in moves + out if f.start < start]
        if not before:
            continue
        mover = max(before, key=lambda f: f.start)
        head = doc[top].head
        if doc[top].dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            # the conjunct of a verb goes on with that verb's mover, or with no one the text names ("It wound
            # down to the border, and on into Spain": the bus)
            own = [f for f in moves if f.verb == head.i]
            if not own:
                continue
            mover = own[-1]
        # a date of those words told before the place ("The next day by X to Y"; in "To X, ... and on the 13th to
        # Y" the 13th is Y's)
        date = next((k for t in chain for k in by_head.get(t, ()) if dates[k][1].is_date
                     and dates[k][0].start < start), None)
        role = movement_leg("travel", prep)
        out.append(Fact(i, mover.people, role, role, top, tok.i, start, places[i].mention.sentence.start, date))
    legs = {f.place for f in out}
    return [f for f in facts if f.place not in legs] + out


def _verbless_leg(tok: Token, place_tokens) -> tuple[str, int, list[int]] | None:
    """(preposition, the top token of the verbless words, the tokens walked) when `tok` is the object of a
    preposition of motion on no verb; else None."""
    if tok.dep_ not in ("pobj", "conj") or tok.head.pos_ not in ("ADP", "PROPN"):
        return None
    while tok.dep_ == "conj" and tok.head.i in place_tokens:  # "by Hawkshead and Coniston"
        tok = tok.head
    prep = tok.head
    if tok.dep_ != "pobj" or prep.pos_ != "ADP" or prep.lower_ not in LEG_PREPS:
        return None
    if prep.dep_ == "ROOT":
        return prep.lower_, prep.i, [prep.i]  # "To Corwen, by the banks of the Dee."
    chain = [prep.i]
    cur = prep.head
    for _ in range(STEPS):
        if cur.pos_ in ("VERB", "AUX") and not (cur.lower_ == "following" and cur.dep_ == "acl"):
            return None  # a verb's: the rules of moves read it
        # the way or the time of the leg ("by a rough road to X", "before breakfast to X") owns nothing
        way = cur.dep_ == "pobj" and cur.head.pos_ == "ADP"
        if cur.pos_ in ("NOUN", "PROPN") and cur.i not in place_tokens and cur.lower_ not in LINKS \
                and cur.lemma_.lower() not in TIME_NOUNS and not way:
            return None  # a noun's: "the road to X"
        chain.append(cur.i)
        timed = cur.dep_ == "npadvmod" and cur.lemma_.lower() in TIME_NOUNS  # "the day following to X", hung on a verb
        if cur.dep_ == "ROOT" or (cur.dep_ == "conj" or timed) and cur.head.pos_ in ("VERB", "AUX"):
            # the top of the verbless words: the sentence's root, or a conjunct of the verb before
            if cur.i in place_tokens and cur.dep_ == "ROOT":
                return None
            return prep.lower_, cur.i, chain
        if cur.head is cur:
            return None
        cur = cur.head
    return None
