"""The attachment of a place to its clause: walk up the parse from a place to the verb it hangs from.

Through the nouns that only frame a place ("the border province of X", "an X airport": transparent),
noting the first preposition ("to", "via", "from"...) or a direct object ("entered X"). A place that
attaches to another noun ("the attacks in X") is that noun's; a place that is a subject acts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.extraction.lexicon import (
    ALONG, SEQUENCE,
    BELONGING_NOUNS, CAUSED, COUNTERFACTUAL, FRAMING_NOUNS,
    FRAMING_PREPS, MANNER_PREPS, MOTION, NAMING,
    QUALIFIERS, STAY, SUBJECT_DEPS, TITLES, WAY_NOUNS, WAY_VERBS,
)
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def span_root(doc: Doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def is_verb(tok: Token) -> bool:
    """A verb, unless the model tagged a name as one ("Amir Said": said)."""
    return tok.pos_ in ("VERB", "AUX") and tok.ent_type_ != "PERSON"


@dataclass(frozen=True)
class Attachment:
    verb: object | None  # the spaCy token of the governing verb
    prep: str | None  # first preposition on the way, "dobj", or None
    noun: object | None  # first non-transparent noun on the way: the place is that noun's
    subject: object | None  # the subject noun phrase the place sits in, if any
    path: tuple[int, ...]  # token indices from the place up to the verb
    after: bool = False  # reached through "after", "before"...: the verb's date is not the place's


def prep_word(adp: Token) -> str:
    """'out of', 'by way of', 'instead of', 'rather than', 'as far as' as one preposition."""
    if adp.lower_ == "of" and adp.head.lower_ in ("out", "way") and adp.head.i == adp.i - 1:
        return "out of" if adp.head.lower_ == "out" else "by way of"
    before = adp.doc[adp.i - 1].lower_ if adp.i > 0 else ""
    if adp.lower_ == "as" and before == "far" and adp.head.lower_ == "far":
        return "as far as"  # "went by the coast as far as Whitby": a destination
    if (adp.lower_, before) in (("of", "instead"), ("than", "rather")):
        return f"{before} {adp.lower_}"
    return adp.lower_


def verb_lemma(tok: Token) -> str:
    """The lemma the rules read. Where the lemmatiser does not know a verb of the rules' lexicon, its
    surface form is undone by hand: a verb re-prefixed without a hyphen moves like its stem ("reentered",
    "recrossed" as "enter", "cross"; spaCy splits "re-entered" itself), and an inflection the lemmatiser
    cut wrongly is read back ("dined" comes out as "din": it is "dine")."""
    lemma = tok.lemma_.lower()
    if lemma == "run" and any(c.lower_ == "aground" for c in tok.children):
        return "ground"  # "ran aground off X": a ship's halt there, not a run
    if lemma in MOTION | STAY | CAUSED:
        return lemma
    word, known = tok.lower_, MOTION
    if lemma.startswith("re"):
        word = word[2:].lstrip("-")
    elif tok.pos_ == "VERB":
        known = MOTION | STAY
    else:
        return lemma
    for suffix in ("", "s", "es", "ed", "d", "ing"):
        if not word.endswith(suffix):
            continue
        base = word[:len(word) - len(suffix)]
        for stem in (base, base + "e", base[:-1]):  # "entered", "revisited"; "moved", "dined"; "stopped"
            if len(stem) >= 4 and stem in known:
                return stem
    return lemma


def way_owner(verb: Token) -> Token | None:
    """The owner of the way that is the verb's subject ("our" of "our road lay through X"), or None."""
    if verb_lemma(verb) not in WAY_VERBS:
        return None
    for s in verb.children:
        if s.dep_ == "nsubj" and s.lemma_.lower() in WAY_NOUNS:
            return next((c for c in s.children if c.dep_ == "poss"), None)
    return None


def _manner(tok: Token) -> bool:
    """A bare noun that says how one moved ("by car", "without inspection", "on foot"), or the way along which
    ("down the dale"): a place hung on it by the parser belongs to the verb ("entered X without inspection near
    Y", "walked down the dale to Y")."""
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ALONG and tok.head.head.pos_ == "VERB":
        return True  # the way one went: "walked down the dale to X", "rode along the shore to X"
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "dobj" and any(
            c.dep_ == "prt" and c.lower_ in ALONG and c.i == tok.left_edge.i - 1 for c in tok.head.children):
        return True  # the same, with the parser's particle: "took the last stretch up | the valley to X", "walked
        # up | the Vale of Conway to X"
    return (tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in MANNER_PREPS
            and not any(c.dep_ in ("det", "poss", "nummod") for c in tok.children))


def _renamed(verb: Token, prep: str | None, below: Token) -> bool:
    """Reached as the name a naming verb gives: "known as Y", "referred to the city as Y", "named Y",
    "referred to himself as the ambassador from the Y Sultanate"."""
    as_name = below.dep_ == "pobj" and below.head.lower_ == "as" and below.head.head == verb
    return verb_lemma(verb) in NAMING and (prep in ("as", "dobj") or as_name)


def attach(tok: Token, place_tokens: frozenset[int] = frozenset()) -> Attachment | None:
    """The verb a place hangs on: walking up from its head token (`_walk_up`), or, where that finds no
    verb of motion or stay of its own, the relative clause that tells what was done to it ("..., and so to Glasgow,
    which we reached on the 2d")."""
    found = _walk_up(tok, place_tokens)
    if (found is not None and found.verb is not None and found.noun is None
            and verb_lemma(found.verb) in MOTION | STAY):
        return found
    return _relative_move(tok) or found


def _relative_move(tok: Token) -> Attachment | None:
    """ "X, which we reached", "X, which they left in May": the relative pronoun is the object of a verb of
    motion, so X is that verb's object."""
    for verb in tok.children:
        if verb.dep_ == "relcl" and verb_lemma(verb) in MOTION and any(
                c.dep_ == "dobj" and c.lower_ in ("which", "that") for c in verb.children):
            return Attachment(verb, "dobj", None, None, (tok.i, verb.i))
    return None


def _in_a_title(tok: Token) -> bool:
    """A place inside the title before a person's name: "U.S. Attorney Whitcomb", "Assistant U.S. Attorney
    Carla Medina", "Texas Governor Greg Abbott"."""
    head = tok
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head
        if head.ent_type_ == "PERSON":
            between = tok.doc[tok.i + 1:head.i]
            return any(fold(t.text) in TITLES for t in between)
    return False


def _walk_up(tok: Token, place_tokens: frozenset[int] = frozenset()) -> Attachment | None:
    """Walk up from a place's head token to its verb; None when the place acts, is predicated, or
    only qualifies another place ("Miami, Florida"; "Sabha, a town in southern Libya")."""
    prep = noun = None
    path = [tok.i]
    after = False
    own = True  # still inside the place's own noun phrase ("the border province of X")
    for _ in range(16):
        dep, head = tok.dep_, tok.head
        if head is tok:
            return Attachment(None, prep, noun, None, tuple(path))
        if dep in SUBJECT_DEPS:
            if own:
                return None  # the place acts: "Belgium issued a warrant"
            return Attachment(head, prep, noun, tok, tuple(path + [head.i]))
        if own and dep in ("attr", "oprd", "csubj"):
            return None  # "the main route was X"
        nominal_head = head.pos_ in ("NOUN", "PROPN")
        if own and dep == "appos" and head.i in place_tokens:
            return None
        if own and dep in ("pobj", "conj") and head.pos_ == "ADP" and prep_word(head) in COUNTERFACTUAL:
            return None  # "went to Quito instead of Lima", "rather than Lima": no tie to Lima
        if dep == "pobj" and head.pos_ == "ADP":
            if own and head.lower_ in FRAMING_PREPS and head.head.lemma_.lower() in FRAMING_NOUNS:
                tok = head.head
            else:
                if own:
                    prep, own = prep_word(head), False
                after = after or head.lower_ in SEQUENCE
                tok = head.head
        elif dep == "dobj" and own:
            prep, own = "dobj", False
            tok = head
        elif own and dep == "compound" and _in_a_title(tok):
            return None  # "U.S. District Judge Harold Brennan": the place names the office, not where one was
        elif dep in ("compound", "poss", "nmod", "amod", "appos", "conj") and nominal_head:
            # A conjunct of a name shares its relation ("sailed to India, Borneo and Japan"), whatever the
            # model took that name for.
            framing = (head.lemma_.lower() in FRAMING_NOUNS or head.i in place_tokens
                       or head.ent_type_ in ("GPE", "LOC", "FAC") or (dep == "conj" and head.pos_ == "PROPN"))
            if own and not framing:
                own = False
                noun = head
            tok = head
        else:
            own = False
            tok = head
        path.append(tok.i)
        if is_verb(tok):
            if _renamed(tok, prep, tok.doc[path[-2]]):
                # "X (now known as Y)": Y is another name of X, no tie; "a place now known as Y": Y is that
                # place, and ties as the noun it names.
                named = tok.head
                if tok.dep_ not in ("acl", "relcl") or named.pos_ not in ("NOUN", "PROPN") or named.i in place_tokens:
                    return None
                tok, prep, noun, own = named, None, None, True
                path.append(tok.i)
                continue
            return Attachment(tok, prep, noun, None, tuple(path), after)
        if (not own and noun is None and tok.pos_ in ("NOUN", "PROPN") and tok.i not in place_tokens
                and not _manner(tok)):
            noun = tok  # the place is this noun's: "the attacks in X" (not "from A, B to C" misparsed)
    return None


def qualified(tok: Token, place_tokens: frozenset[int]) -> Token | None:
    """The word a place only qualifies, in "X (modern Y)", "X (now Y)", "X, in present-day Y", "a town in
    today's Y"; None when the place is not marked so. For a place hung on the verb ("travelled to X in
    present-day Y"), the place before it in the clause. A place near which another is ("İslahiye, near
    Gaziantep") only says where that one is."""
    near = tok.head
    if (tok.dep_ == "pobj" and near.lower_ == "near" and near.dep_ == "prep" and near.i >= 2
            and near.doc[near.i - 1].text == ","):
        # set off by its comma, whether the parser hangs it on the place or on the verb; without one ("crossed
        # the Rio Grande near Hidalgo") Y is where the crossing was
        before = near.doc[near.i - 2]
        if near.head.i in place_tokens and near.head.i == before.i or before.i in place_tokens:
            return before
    marked = any(t.lower_ in QUALIFIERS for c in tok.lefts for t in c.subtree)
    if not marked:
        return None
    head = tok.head
    if tok.dep_ == "appos" and head is not tok:
        return head
    if tok.dep_ == "pobj" and head.lower_ in ("in", "of") and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    verb = head.head
    if tok.dep_ == "pobj" and is_verb(verb):
        earlier = [t for t in verb.subtree if t.i < tok.i and t.i in place_tokens]
        if not earlier:  # "travelled to a town in present-day Iraq": the town
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            objects += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            earlier = sorted((g for g in objects if g.i < tok.i), key=lambda g: g.i)
        return earlier[-1] if earlier else None
    return None


def belonging_noun(place: Token):
    """The noun that makes a place someone's home: "a resident of Y", "a citizen of A and a resident of B"
    (the first of the conjoined nouns, which carries their relation to the person); None otherwise."""
    if not (place.dep_ == "pobj" and place.head.lower_ == "of" and place.head.head.lemma_.lower() in BELONGING_NOUNS):
        return None
    noun = place.head.head
    while noun.dep_ == "conj" and noun.head.pos_ == "NOUN":
        noun = noun.head
    return noun
