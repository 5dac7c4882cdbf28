"""Movers that are not one named person: vessels, parties, the narrator.

Real writing moves people in groups and in vehicles: "the sealer Jason picked
up Nansen's party", "the party reached Umivik Bay", "Her Majesty's ship
Beagle, under the command of Captain Fitz Roy, sailed from Devonport", "the
Ticonderoga arrived in Liberia", "we anchored at Porto Praya". A ship is not a
person; the people aboard or in charge are the ones who move.

- **Vessels**: a proper name after a vessel noun ("the sealer Jason", "Her
  Majesty's ship Beagle", "the Danish ship Hvidbjørnen") or a ship prefix
  ("U.S.S. Ticonderoga", "HMS Beagle"), or the object of "aboard"; every later
  mention of the same name is the same vessel. Its members are whoever the
  text puts in charge of it or aboard it: "under the command of X",
  "commanded/captained by X", "X commanded the V", "the V picked up/carried X",
  "X boarded/sailed aboard the V".
- **Parties**: a group noun ("party", "expedition", "team", "crew", "family"...)
  owned by someone ("Nansen's party", "his expedition", "the party of X") is
  that person's party. Its members are the owner and the people the text has
  the owner gather: "X recruited A and B", "A joined X", "A accompanied X",
  and a team's places going to people ("the remaining places went to A, B and
  C"). A group noun without an owner ("the party", "the team") is the party of
  the text, when it has one.
- **The narrator**: in first-person writing "I", "me", "we", "us" outside
  quotations are the writer, named by the byline ("by Thomas West") or "the
  narrator". "We" is the narrator with the group the narrative travels with
  (the last vessel or party it moved), so a ship's voyage told as "we reached
  Teneriffe" is the ship's too. A clause with no subject at all, in the active
  voice, is the writer's too: a journal's "set out at 10 for Keswick".

Pure functions over a parsed Doc and the token -> names map of
``geo.extraction.references``; nothing here decides places or dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geo.extraction.parsed import text_of
from geo.extraction.lexicon import (
    ARREST,
    CUSTODY,
    GROUP_NOUNS,
    PLURAL_GROUP_NOUNS,
    RECRUIT_VERBS,
    SEAT_NOUNS,
    SHIP_ONLY_VERBS,
    SHIP_VERBS,
    TITLES,
    SHIP_PREFIXES,
    SPEECH,
    SUBJECT_DEPS,
    VESSEL_NOUNS,
    VESSEL_VERBS,
)
from geo.model import Person
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Refs = Mapping[int, tuple[str, ...]]
NARRATOR = "the narrator"
FIRST_SINGULAR = {"i", "me", "my", "mine", "myself"}
FIRST_PLURAL = {"we", "us", "our", "ours", "ourselves"}
_BYLINE = re.compile(r"^\s*(?:by|written by|text by|words by)\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$",
                     re.IGNORECASE | re.MULTILINE)
# Only the first line: further down, a hard-wrapped line may end "... we came back by Keswick".
_TITLE_BY = re.compile(r"\s*[^\n]{3,150}?,?\s+(?:by|written by)\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})[ \t]*(?:\n|$)")
# A blog's or a paper's dated line that names its writer: "Posted 19 September 2023 by Claire Whitfield".
_POSTED_BY = re.compile(r"^[ \t]*(?i:posted|published|updated|written)\b[^\n]{0,60}?\b(?i:by)[ \t]+"
                        r"([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})[ \t]*$", re.MULTILINE)
_QUOTES = (("“", "”"), ('"', '"'), ("«", "»"))


@dataclass(frozen=True)
class Group:
    """A mover standing for several people, or for none the text names."""

    name: str  # "Jason", "Nansen's party"
    kind: str  # "vessel" or "party"
    members: tuple[str, ...]  # the people's names, in the order the text gave them
    tokens: frozenset[int] = frozenset()  # the tokens that name it


# --- the narrator --------------------------------------------------------------------------


def byline(text: str) -> str | None:
    """The writer's name from a byline near the top ("By Thomas West"), from a title line that ends
    with one ("A Tour to the Lakes, by John Harden"), or from a dated line that names the writer ("Posted 19
    September 2023 by Claire Whitfield"); None without any."""
    head = text[:600]
    m = _BYLINE.search(head) or _TITLE_BY.match(head) or _POSTED_BY.search(head)
    return m.group(1).strip() if m else None


def writer(doc: Doc) -> str | None:
    """The writer's name: a byline, else a line under the title that is a person's full name and nothing
    else, as books and letters print their author ("Letters of S. T. Coleridge\nSamuel Taylor Coleridge")."""
    text = text_of(doc)
    found = byline(text)
    if found or not text.strip():
        return found
    lines = text[:600].split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    offset = sum(len(line) + 1 for line in lines[:first + 1])
    for line in lines[first + 1:first + 3]:
        stripped = line.strip()
        start = offset + line.find(stripped) if stripped else offset
        offset += len(line) + 1
        if not stripped:
            continue
        span = doc.char_span(start, start + len(stripped))
        if span is not None and len(span) >= 2 and len(span.ents) == 1 and span.ents[0].label_ == "PERSON" \
                and span.ents[0].start == span.start and span.ents[0].end == span.end:
            return stripped
        return None
    return None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside double quotation marks: someone else's words, not the narrator's.
    A quotation left open ends at the paragraph's end."""
    spans = []
    for open_, close in _QUOTES:
        i = 0
        while (start := text.find(open_, i)) >= 0:
            end = text.find(close, start + 1)
            paragraph = text.find("\n\n", start + 1)
            if paragraph >= 0 and (end < 0 or paragraph < end):
                spans.append((start, paragraph))
                i = paragraph + 1
            elif end >= 0:
                spans.append((start, end + 1))
                i = end + 1
            else:
                spans.append((start, len(text)))
                break
    return sorted(spans)


def first_person_tokens(doc: Doc) -> tuple[list[int], list[int]]:
    """(singular, plural) first-person pronouns outside quotations, in reading order."""
    quotes = quoted_spans(text_of(doc))
    singular, plural = [], []
    q = 0
    for tok in doc:
        if tok.pos_ != "PRON" and tok.tag_ not in ("PRP", "PRP$"):
            continue
        lower = tok.lower_
        if lower not in FIRST_SINGULAR and lower not in FIRST_PLURAL:
            continue
        while q < len(quotes) and quotes[q][1] <= tok.idx:
            q += 1
        if q < len(quotes) and quotes[q][0] <= tok.idx < quotes[q][1]:
            continue
        (singular if lower in FIRST_SINGULAR else plural).append(tok.i)
    return singular, plural


# --- a case's parties ----------------------------------------------------------------------

_CAPTION = re.compile(r"^[ \t]*([A-Z][^\n]{0,80}?)\s+v(?:s)?\.\s+([A-Z][^\n]{0,80}?)[ \t]*$", re.MULTILINE)
# Who each side of a caption is called in the opinion: "Edwards v. California" -> Edwards is the appellant.
FIRST_PARTY_ROLES = ("appellant", "petitioner", "plaintiff", "claimant", "complainant", "applicant")
SECOND_PARTY_ROLES = ("appellee", "respondent", "defendant", "accused")


def caption(text: str) -> tuple[str, str] | None:
    """The two parties of a court case's caption ("Edwards v. California"), from the top of the text."""
    m = _CAPTION.search(text[:2000])
    return (m.group(1).strip(), m.group(2).strip(" ,.;")) if m else None


def case_roles(text: str, people: Sequence[Person]) -> dict[str, tuple[str, ...]]:
    """Role noun -> the person it names, when a caption names the parties: the side that is a person the text
    names takes its side's roles; when only one side is a person, every role noun is that person (a state or
    a government is not called "the appellant" in its own opinion's narrative of the facts)."""
    parties = caption(text)
    if parties is None:
        return {}

    def person(party: str) -> str | None:
        key = fold(party)
        for p in people:
            if key in {fold(p.name), *map(fold, p.aliases)} or key.split()[-1:] == fold(p.name).split()[-1:]:
                return p.name
        return None

    first, second = (person(p) for p in parties)
    if first and not second:
        return {r: (first,) for r in FIRST_PARTY_ROLES + SECOND_PARTY_ROLES}
    if second and not first:
        return {r: (second,) for r in FIRST_PARTY_ROLES + SECOND_PARTY_ROLES}
    out = {r: (first,) for r in FIRST_PARTY_ROLES if first}
    out.update({r: (second,) for r in SECOND_PARTY_ROLES if second})
    return out


# --- vessels -------------------------------------------------------------------------------


def _name_run(doc: Doc, i: int) -> tuple[int, int] | None:
    """The run of capitalised proper-noun tokens starting at i."""
    j = i
    while j < len(doc) and doc[j].text[:1].isupper() and doc[j].pos_ in ("PROPN", "NOUN", "ADJ") \
            and doc[j].is_alpha:
        j += 1
    return (i, j) if j > i else None


def _vessel_names(doc: Doc) -> dict[str, list[tuple[int, int]]]:
    """Folded vessel name -> token spans of its introductions (read once per document: the places and the
    people both ask)."""
    kept = doc.user_data.get("geo.vessel_names")
    if kept is None:
        kept = doc.user_data["geo.vessel_names"] = _read_vessel_names(doc)
    return kept


def _read_vessel_names(doc: Doc) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for tok in doc:
        lower = tok.lower_.replace(".", "")
        start = None
        # the tagger often calls the vessel noun before a name an adjective ("the schooner Albatross")
        if (tok.lemma_.lower() in VESSEL_NOUNS or tok.lower_ in VESSEL_NOUNS) and tok.is_lower and tok.i + 1 < len(doc):
            start = tok.i + 1  # "the sealer Jason", "Her Majesty's ship Beagle"
        elif lower in SHIP_PREFIXES and tok.text.replace(".", "").replace("&", "").isupper() and tok.i + 1 < len(doc):
            start = tok.i + 1  # "U.S.S. Ticonderoga", "HMS Beagle", "MS Estonia" (but "Ms. Ramírez" is a woman)
        elif tok.lower_ in ("aboard", "board") and tok.i + 1 < len(doc):
            k = tok.i + 1 + (doc[tok.i + 1].lower_ in ("the", "her", "his", "their"))
            start = k if k < len(doc) else None
        elif _named_by_a_ships_verb(tok):
            start = tok.i  # "the Beagle anchored at Bahia": the name is the subject and its compounds before it
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == tok.i:
                start -= 1
        if start is None:
            continue
        run = _name_run(doc, start)
        if run is None or doc[run[0]].lower_ in ("the", "of"):
            continue
        name = doc[run[0]:run[1]].text
        found.setdefault(fold(name), []).append(run)
    return found


def _named_by_a_ships_verb(tok: Token) -> bool:
    """A name only a vessel bears, told by what it does: "the Beagle anchored at Bahia" (a person is never
    "the Beagle"), "Endeavour ran aground on a shoal" (only a vessel runs aground)."""
    if (tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or tok.tag_ != "NNP" or fold(tok.text) in TITLES
            or tok.ent_type_ in ("GPE", "LOC", "FAC", "NORP")):
        return False
    verb = tok.head
    lemma = verb.lemma_.lower()
    ships_only = lemma in SHIP_ONLY_VERBS or any(c.lower_ == "aground" for c in verb.children)
    the = tok.left_edge.lower_ == "the" and tok.left_edge.i < tok.i
    return (ships_only and tok.ent_type_ != "PERSON") or (the and lemma in SHIP_VERBS)


def _vessel_mentions(doc: Doc, names: Mapping[str, list[tuple[int, int]]]) -> dict[str, set[int]]:
    """Every token that names one of the vessels: its introductions and later bare mentions."""
    out: dict[str, set[int]] = {key: set() for key in names}
    lengths = {key: runs[0][1] - runs[0][0] for key, runs in names.items()}
    for key, n in lengths.items():
        for i in range(len(doc) - n + 1):
            if fold(doc[i:i + n].text) == key and doc[i].text[:1].isupper():
                # "Endeavour River" is a place named after the ship, not the ship
                if i + n < len(doc) and doc[i + n].text[:1].isupper() and doc[i + n].is_alpha:
                    continue
                out[key].update(range(i, i + n))
    return out


def _commanders(doc: Doc, tokens: set[int], refs: Refs) -> list[str]:
    """The people a text puts in charge of a vessel or aboard it."""
    out: list[str] = []

    def add(tok: Token | None) -> None:
        if tok is not None:
            for t in [tok, *[c for c in tok.subtree]]:
                for name in refs.get(t.i, ()):
                    if name not in out:
                        out.append(name)

    for i in tokens:
        tok = doc[i]
        # "the V, under the command of X" / "commanded by X" / "captained by X"
        for c in [*tok.children, *tok.head.children]:
            if c.dep_ == "prep" and c.lower_ == "under":
                for g in c.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() in ("command", "captaincy", "charge"):
                        for of in g.children:
                            if of.dep_ == "prep" and of.lower_ == "of":
                                for pobj in of.children:
                                    if pobj.dep_ == "pobj":
                                        add(pobj)
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in ("command", "captain", "skipper", "pilot"):
                for g in c.children:
                    if g.dep_ == "agent":
                        for pobj in g.children:
                            add(pobj)
        head = tok.head
        lemma = head.lemma_.lower()
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if tok.dep_ == "dobj" and lemma in ("command", "captain", "skipper", "pilot", "board", "charter"):
            for s in subjects:
                add(s)  # "Commodore Shufeldt commanded the U.S.S. Ticonderoga"
        if tok.dep_ in ("nsubj",) and lemma in ("pick", "carry", "take", "embark", "ferry", "bring"):
            for o in objects:
                add(o)  # "the sealer Jason picked up Nansen's party"
        if tok.dep_ == "pobj" and head.lower_ in ("aboard", "on", "in") and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
            if verb.lemma_.lower() in VESSEL_VERBS or head.lower_ == "aboard":
                for s in (c for c in verb.children if c.dep_ == "nsubj"):
                    add(s)  # "Cook sailed aboard the Endeavour"
    return out


LEAVE_GROUP = {"leave", "quit", "abandon", "desert"}
JOURNEY_NOUNS = {"voyage", "journey", "expedition", "trip", "tour", "crossing"}


def partings(doc: Doc, refs: Refs, vessel_tokens: frozenset[int] = frozenset()) -> list[tuple[int, tuple[str, ...]]]:
    """(token index, people) where people leave the group they travelled with: "he left the expedition at
    Santarém", "Fenwick quit the ship", "she gave up the voyage". From there on the party and the ship go on
    without them."""
    out = []
    for verb in doc:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in LEAVE_GROUP | {"give"} or any(c.dep_ == "neg" for c in verb.children):
            continue
        given_up = lemma == "give" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)
        if lemma not in LEAVE_GROUP and not given_up:
            continue
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not any(o.i in vessel_tokens or is_group_noun(o) or (o.lemma_.lower() in JOURNEY_NOUNS and (
                given_up or any(d.dep_ in ("det", "poss") for d in o.children))) for o in objects):
            continue
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        head = verb
        while not subjects and head.dep_ == "conj" and head.head.i != head.i:  # "... and left the party"
            head = head.head
            subjects = [c for c in head.children if c.dep_ == "nsubj"]
        names: list[str] = []
        for subject in subjects:
            names += [n for n in refs.get(subject.i, ()) if n not in names]
            for c in subject.children:
                if c.dep_ == "conj":
                    names += [n for n in refs.get(c.i, ()) if n not in names]
        if names:
            out.append((verb.i, tuple(names)))
    return out


def vessel_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of every mention of a vessel's name: they name no place and no person."""
    names = _vessel_names(doc)
    out = []
    for tokens in _vessel_mentions(doc, names).values():
        for i in sorted(tokens):
            out.append((doc[i].idx, doc[i].idx + len(doc[i].text)))
    return out


def vessels(doc: Doc, refs: Refs) -> list[Group]:
    """The named vessels of a text, with the people in charge of or aboard each."""
    names = _vessel_names(doc)
    if not names:
        return []
    mentions = _vessel_mentions(doc, names)
    out = []
    for key, runs in names.items():
        tokens = mentions[key] | {i for s, e in runs for i in range(s, e)}
        heads = {doc[i] for i in tokens if not (doc[i].head.i in tokens and doc[i].head.i != i)}
        members = _commanders(doc, {t.i for t in heads}, refs)
        s, e = runs[0]
        out.append(Group(doc[s:e].text, "vessel", tuple(members), frozenset(tokens)))
    return out


# --- parties -------------------------------------------------------------------------------


def is_group_noun(tok: Token) -> bool:
    """'the party', 'his expedition', 'the two brothers' (a plural: 'his brother' is one man)."""
    if tok.pos_ != "NOUN":
        return False
    lemma = tok.lemma_.lower()
    return lemma in GROUP_NOUNS or (lemma in PLURAL_GROUP_NOUNS and tok.tag_ == "NNS")


def owner_of(tok: Token, refs: Refs) -> tuple[str, ...]:
    """'Nansen's party', 'his expedition', 'the party of Nansen': the people a group noun belongs to."""
    out: list[str] = []
    for c in tok.children:
        if c.dep_ == "poss":
            out += refs.get(c.i, ())
        elif c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    out += refs.get(g.i, ())
    return tuple(dict.fromkeys(out))


def recruits(doc: Doc, refs: Refs) -> dict[str, list[str]]:
    """Leader -> the people the text has them gather ("X recruited A and B", "A joined X",
    "the remaining places went to A, B and C": the last leader named)."""
    out: dict[str, list[str]] = {}
    leader: str | None = None

    def named(tok: Token) -> list[str]:
        """People named in a phrase by their names (not by a description of them)."""
        names: list[str] = []
        for t in tok.subtree:
            if t.pos_ == "PROPN":
                for n in refs.get(t.i, ()):
                    if n not in names:
                        names.append(n)
        return names

    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        lemma = tok.lemma_.lower()
        if lemma not in RECRUIT_VERBS and lemma not in ("join", "accompany", "go"):
            continue
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        subject_names = [n for s in subjects for n in refs.get(s.i, ())]
        if lemma in RECRUIT_VERBS and subject_names:
            leader = subject_names[0]
            # the recruits: the object, and names the parser hung on the verb beside it ("a pair, A and B")
            for o in (c for c in tok.children if c.dep_ in ("dobj", "dative", "npadvmod", "appos")):
                out.setdefault(leader, []).extend(n for n in named(o) if n != leader)
        elif lemma in ("join", "accompany") and subject_names:
            for o in (c for c in tok.children if c.dep_ == "dobj"):
                for n in named(o):
                    out.setdefault(n, []).extend(s for s in subject_names if s != n)
                    leader = n
        elif lemma == "go" and leader and any(s.lemma_.lower() in SEAT_NOUNS for s in subjects):
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"):
                out.setdefault(leader, []).extend(n for n in named(prep) if n != leader)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def diary_clause(verb: Token) -> bool:
    """A clause with no subject anywhere up its chain of coordinated verbs (a date heading aside), in the active
    voice: a journal's "set out at 10 for Keswick", "October 3: rose at seven, & walked out to Borrowdale", or the
    second half of "I went by Penrith to Keswick; then came slowly by Ambleside to Kendal". In first-person
    writing the writer did it."""
    top = verb
    for _ in range(8):
        # a journal's date heading is no subject, though the parser makes it one: "October 3: rose at seven"
        if any((c.dep_ in SUBJECT_DEPS and c.ent_type_ not in ("DATE", "TIME")) or c.dep_ in ("expl", "csubj")
               for c in top.children) or any(c.dep_ in ("nsubjpass", "auxpass") for c in top.children):
            return False
        # ("Rose at six, and set out": the parser's advcl; "rode to Keswick; thence to Penrith": its ccomp of a
        # verbless root)
        if not (top.dep_ in ("conj", "advcl") or top.dep_ == "ccomp" and top.head.pos_ not in ("VERB", "AUX")):
            break
        top = top.head
    return top.dep_ == "ROOT" and verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBN", "VB", "VBP")


def where_the_writer_was(doc: Doc, facts: Sequence, narrator: str | None) -> list:
    """First-person writing places its writer by what they did: "we were drinking coffee by the river in
    Trebinje", "we picked up the car in Split". A clause of the writer's own ("I", "we") in or at a place is a
    stop of the writer's route, not an event, unless its verb is one of what is done to people (an arrest)."""
    if not narrator:
        return list(facts)
    out = []
    for f in facts:
        verb, place = doc[f.verb], doc[f.root]
        if (f.role == "event" and narrator in f.people and place.dep_ == "pobj" and place.head.lower_ in ("in", "at")
                and _on_the_verb(place.head, verb) and verb.lemma_.lower() not in ARREST | CUSTODY | SPEECH
                and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in verb.children)
                and not any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "would", "will", "might") for c in verb.children)):
            # (not what was planned or done before the story: "we had pencilled in a night in Granada")
            f = replace(f, role="stop", leg="stop")
        out.append(f)
    return out


def _on_the_verb(prep, verb) -> bool:
    """The preposition hangs on the verb, or on what the verb did it to ("picked up the car in Split", "drinking
    coffee by the river in Trebinje")."""
    tok = prep.head
    for _ in range(4):
        if tok.i == verb.i:
            return True
        if not (tok.pos_ in ("NOUN", "ADP") and tok.dep_ in ("dobj", "pobj", "prep")):
            return False
        tok = tok.head
    return False
