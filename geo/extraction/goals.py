"""Names the parse tells as where someone went, whatever the model labelled them and though no gazetteer knows
them.

The shape: a tour of villages, valleys and lakes ("we walked to Rydal and Grasmere", "returned by Hawkshead and
Coniston", "lay that night at Glenridding", "reached Patterdale"), where the small model calls most of the names
PERSON or ORG and the gazetteer, which holds towns of some size, lacks them. A proper name is a place when it is

- the object of a preposition of motion or stay ("to", "from", "via", "through", "into", "at", "by"; "for" after
  a verb of setting out: "left for X") whose clause is a verb of motion, of halting or of staying the night
  ("rode on to X", "lay at X", "dined at X"), looked for a few steps up the parse, since the model hangs "the day
  following to X" on a noun;
- the object of a verb of reaching, leaving or crossing ("reached X", "left X", "crossed X");
- the object of "to", "into", "through", "via", "by", "from" in a leg told without a verb ("Thence by a rough
  road to X", "Early to X");
- joined by "and" or "or" to such a name or to a place already found ("to Ullswater and Patterdale").

What is never taken: a word of a multi-word person's name in the text, a name that is the subject of a verb
elsewhere in the text, other than of being somewhere (a person: "ran to Maria" when "Maria said"), an ordinary word ("over the Raise"), an
acronym, a building ("to Robinson College"), the agent of a passive ("was taken by Reuters"). The caller keeps
only names the gazetteer does not know at all: a known name has its own rules. Such a name has no candidate;
the route can still place it between its neighbours (geo.geocoding.between). Pure functions over the Doc.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from geo.extraction.lexicon import DEPART, HALT, MOTION, PERSON_NOUNS, REACH, SUBJECT_DEPS, TITLES, TRAVERSE
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

GOAL_PREPS = {"to", "into", "unto", "toward", "towards", "from", "via", "through", "at", "by", "for"}
SET_OUT = DEPART | {"set", "start", "head", "sail", "embark", "bound", "make"}  # the verbs "for X" is the goal of
# Stays of a night or a meal on the way, not of a life: "worked at X", "studied at X" are not a tour's stops.
ON_THE_WAY = {"lie", "lay", "sleep", "lodge", "dine", "sup", "breakfast", "lunch", "rest", "stay", "spend",
              "overnight", "camp", "bivouac", "halt", "stop", "arrive"}
GOING = MOTION | HALT | ON_THE_WAY
OBJECT_GOALS = REACH | DEPART | TRAVERSE
PLACE_VERBS = {"be", "lie", "stand", "sit", "have", "become", "remain", "look", "seem", "lay"}
LEG_WORDS = {"to", "into", "through", "via", "by", "from"}  # the prepositions of a leg told without a verb
LINKS = {"of", "de", "du", "la", "le"}  # not "and": "to Ullswater and Patterdale" are two names
CLIMB = 3  # parse steps from the preposition up to its verb
BUILDINGS = {"college", "university", "school", "hospital", "church", "hotel", "inn", "house", "hall", "station",
             "museum", "library", "prison", "office", "court", "street", "road", "lane", "square"}


def goal_names(doc: Doc, known: Callable[[int, int], bool], person_words: set[str] | frozenset[str],
               common: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Token spans [start, end) of the names told as goals of a move. `known(start, end)`: the span is (inside)
    a place found already; `common(folded)`: an ordinary word."""
    people = _people_words(doc)
    chosen: set[int] = set()
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ == "compound":
            continue
        start = _name_start(tok)
        if known(start, tok.i + 1) or not _name_like(doc, start, tok.i + 1, person_words, people, common):
            continue
        if _told_as_goal(tok) or (tok.dep_ == "conj" and (tok.head.i in chosen or _place_at(tok.head, known)
                                                          or _told_as_goal(tok.head))):
            chosen.add(tok.i)
            yield start, tok.i + 1


def _name_start(tok: Token) -> int:
    """The first token of the name ending at `tok`: the proper nouns compounded on it, next to it."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].dep_ == "compound" and tok.doc[start - 1].pos_ == "PROPN" \
            and tok.doc[start - 1].head.i == tok.i:
        start -= 1
    return start


def _name_like(doc: Doc, start: int, end: int, person_words, people, common) -> bool:
    words = doc[start:end]
    text = words.text
    folded = fold(text)
    if len(folded) < 3 or not all(t.text[:1].isupper() and t.is_alpha for t in words):
        return False
    if text.isupper() or common(folded) or folded in people:
        return False
    if any(fold(t.text) in person_words or t.lower_ in TITLES or t.lower_ in PERSON_NOUNS for t in words) \
            or words[-1].lower_ in BUILDINGS:
        return False  # a title ("Special Agent"), a building
    if _inside_longer_name(doc, start, end):
        return False  # the tail of "Immigration and Customs Enforcement"
    return not any(t.ent_type_ in ("DATE", "TIME", "NORP", "LANGUAGE") for t in words)


def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
    """The words are part of a longer capitalised name, across a link ("of") or not."""
    def capital(t) -> bool:
        return t.is_alpha and t.text[:1].isupper() and not t.is_sent_start

    before = [doc[i] for i in range(max(0, start - 2), start)]
    after = [doc[i] for i in range(end, min(len(doc), end + 2))]
    if before and capital(before[-1]) or after and capital(after[0]):
        return True
    return (len(before) == 2 and before[1].lower_ in LINKS and capital(before[0])) or \
        (len(after) == 2 and after[0].lower_ in LINKS and capital(after[1]))


def _told_as_goal(tok: Token) -> bool:
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in OBJECT_GOALS:
        return True
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in GOAL_PREPS:
        return False
    head = prep.head
    if prep.lower_ == "for" and not (head.lemma_.lower() in SET_OUT and head.pos_ == "VERB"):
        return False  # "left for X", "set out for X", but "worked for X"
    if prep.lower_ == "by" and any(c.dep_ == "auxpass" for c in head.children):
        return False  # "was taken by Reuters": the agent, not the way
    for _ in range(CLIMB + 1):
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in GOING:
            return True
        if head.head is head:
            break
        head = head.head
    return prep.lower_ in LEG_WORDS and _verbless(prep)


def _verbless(prep: Token) -> bool:
    """The preposition's words hang on no verb up to the sentence's root: a leg told without one ("Thence by a
    rough road to X", "Early to X", "To X, by the banks of the Dee")."""
    tok = prep
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and not (tok.lower_ == "following" and tok.dep_ == "acl"):
            return False
        if tok.dep_ == "ROOT":
            return True
        tok = tok.head
    return False


def _place_at(tok: Token, known: Callable[[int, int], bool]) -> bool:
    return known(_name_start(tok), tok.i + 1)


def _people_words(doc: Doc) -> set[str]:
    """Folded names that act as a person somewhere in the text: the subject of a verb that is not one of being
    somewhere ("Maria said", but not "Grasmere lies at the head of the lake")."""
    return {fold(t.text) for t in doc if t.pos_ == "PROPN" and t.dep_ in SUBJECT_DEPS
            and t.head.lemma_.lower() not in PLACE_VERBS}
