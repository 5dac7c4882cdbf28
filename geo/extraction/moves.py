"""Ties of people to places: who went where, and when.

For each placed mention, from the dependency parse:

- the attachment: walk up from the place to the verb it hangs from, through
  the nouns that only frame a place ("the border province of X", "an X
  airport", "Turkey's resort city of X": transparent), noting the first
  preposition ("to", "via", "from"...) or a direct object ("entered X"). A
  place that attaches to another noun ("the attacks in X", "a blast at the X
  metro") is an `event` of whoever that clause is about. A place that is a
  subject ("Belgium issued...") acts and is tied to nobody; a place inside a
  subject that stands for people ("the X bombers A and B") is their `event`.
  A bare noun of manner does not own a place ("entered X without inspection
  near Y"); a place that only qualifies another ("X (now Y)", "X in
  present-day Y") ties nobody, or stands in for X when X could not be placed;
  a new name a naming verb gives ("also known as Y") ties nobody, and "a place
  now known as Y" ties as that place.
- the people: the subject of that verb, or, for a verb without one, of the
  verb it depends on (conjoined, "before going to", "trying to cross"); a
  relative clause's subject is its antecedent; "allowed her to work" and
  "deported him to X" move the object, and "sent letters to X" nobody;
  "accompanied him to X" both. Who a word stands for (names, pronouns,
  appositions, "the suspects") is `people.references`.
- the role: verbs of motion give `origin` (from X, left X), `transit` (via,
  through, across X), `destination` (to, into, for, reached, entered X) or
  `stop` (travelled in X), told by a verb, a passive ("was removed to X"), a
  re-prefixed verb ("reentered X"), a noun of motion ("upon arrival at X") or
  a vehicle ("caught the train to X"); "born in X" is the `origin` of a life;
  being, staying, living, halting ("anchored at", "put in at", "called at"),
  custody ("was held at"), a meal or a stay ("had lunch in X") somewhere is a
  `stop`; a move only tried, about to happen or kept from happening ("tried to
  cross into X", "prevented him from reaching X") is `attempted`, and the place
  it would have left is where the person was. Anything else (an attack, an
  arrest, a court, a base, a nationality) is an `event`. Speech ("said in X"),
  negated verbs, avoidance ("to avoid X"), purposes and intents ("to make the
  pilgrimage to X", "with the intention of bringing him to X", "should take
  him to X") and counterfactuals ("instead of going to X") tie nobody.
- the date: a date attached on the way from the place to its verb, then on
  the verbs that verb depends on (not across "before"/"after", relative
  clauses or reported speech; a move in a series of moves keeps its own); an
  event may also take it from its own clause ("rammed ... and killed ... on
  April 7", "... when he blew himself up on May 22").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geo.extraction.attachment import (
    Attachment, attach, belonging_noun, is_verb, qualified, span_root, verb_lemma, way_owner,
)
from geo.extraction.lexicon import (
    SEQUENCE, SIMULTANEOUS,
    ACCOMPANY, ALONG, ARREST, LIGHT_VERBS, ATTEMPT, AVOID, CAUSED, CUSTODY, CUSTODY_AT, DEPART, DEST_PREPS, HALT, HALT_NEEDS, HALT_PREPS, LOCATIVE, MEET, MOTION, MOTION_NOUNS, ORIGIN_PREPS, PREVENT, REACH, SPEECH, STAY, SUBJECT_DEPS, TIME_NOUNS, TRANSIT_PREPS, TRAVERSE,
    SEND_AWAY, VEHICLES, NAMING,
)
from geo.extraction.people import describes_person
from geo.extraction.groups import diary_clause
from geo.extraction.untold import untold
from geo.extraction.docdate import datelines
from geo.extraction.parsed import text_of
from geo.extraction.references import people_of
from geo.model import MOVEMENT_ROLES, DateMention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Fact:
    """One place mention tied to people, before routes are numbered."""

    place: int  # index into places
    people: tuple[str, ...]
    role: str  # one of ROLES but mention
    leg: str  # the role the move would have had, for attempted ones; else the role
    verb: int  # token index of the verb the place hangs from
    root: int  # token index of the place mention's head
    start: int  # character offset of the place mention
    sentence: int  # character offset of its sentence
    date: int | None  # index into the dates of the document
    birth: bool = False
    arrest: bool = False


@dataclass(frozen=True)
class Clue:
    """A date or a duration on a verb, with the people of that verb."""

    date: int  # index into the dates of the document
    verb: int
    people: tuple[str, ...]
    position: float  # where it acts in reading order


# --- who ---------------------------------------------------------------------------------------

def _climb_to_verb(tok: Token):
    """The nearest verb at or above a token (through prepositions, adjectives, nouns)."""
    for _ in range(12):
        if is_verb(tok) or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def objects_of(verb: Token, refs) -> tuple[str, ...]:
    return tuple(n for o in verb.children if o.dep_ == "dobj" for n in people_of(o, refs))


def agents(verb: Token, refs, _depth: int = 0, caused: bool = True) -> tuple[str, ...]:
    """The people who do what a verb says: its subject, or, for caused motion, its object. A verb without
    a subject of its own shares its head's subject (`caused=False`: not what the head moved)."""
    if verb is None or _depth > 8:
        return ()
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    passive = _passive(verb)
    if caused and verb_lemma(verb) in CAUSED and not passive:
        moved = objects_of(verb, refs)
        if moved:
            return moved
        things = [o for o in verb.children if o.dep_ == "dobj" and o.pos_ == "NOUN" and not describes_person(o)]
        if things and verb_lemma(verb) in SEND_AWAY:
            return ()  # "sent letters back to X": the letters went, the sender stayed
    if subjects:
        return tuple(dict.fromkeys(n for s in subjects for n in people_of(s, refs)))
    dep, head = verb.dep_, verb.head
    if head is verb:
        return ()
    if dep == "xcomp" or (dep == "pcomp" and head.lower_ == "from" and verb_lemma(head.head) in PREVENT):
        if dep == "pcomp":  # "storms prevented them from reaching X": they would have moved
            head = head.head
        controller = [c for c in head.children if c.dep_ == "dobj"]
        if controller:  # "allowed her to work", "permit the military to fly"
            return people_of(controller[0], refs)
        return agents(head, refs, _depth + 1)
    if dep in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        if head.ent_type_ in ("GPE", "LOC", "FAC") and verb.tag_ == "VBG" and not people_of(head, refs):
            # "returned via X and then the Cape of Good Hope, arriving at Y": a place does not arrive; the
            # parser hung the participle on the nearest noun, and it is the clause's subject's
            return agents(_climb_to_verb(head), refs, _depth + 1)
        return people_of(head, refs)  # "Jalilov, born in X"; "the man arrested in X"
    if dep == "ccomp":
        return ()  # reported speech has its own subject or none
    return agents(_climb_to_verb(head), refs, _depth + 1, caused=dep != "conj")


# --- role --------------------------------------------------------------------------------------

def _unrealised(verb: Token) -> bool:
    """'tried to cross', 'was about to leave', 'planned to travel', 'prevented them from reaching': the move
    did not happen (yet)."""
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and verb_lemma(verb.head.head) in PREVENT:
        return True
    t = verb
    for _ in range(4):
        if t.dep_ == "xcomp" or (t.dep_ == "conj" and t.tag_ == "VB"):
            h = t.head
            if h.lemma_.lower() in ATTEMPT or (h.lower_ == "about" and h.pos_ == "ADJ"):
                return True
            t = h
            continue
        break
    return False


def _directional_elsewhere(verb: Token, place_tok) -> bool:
    """'drove into the market in X': the motion aims at a thing, and X is only its setting."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in DEST_PREPS | {"at"} and c.i != place_tok.head.i:
            if any(g.dep_ == "pobj" and g.ent_type_ not in ("GPE", "LOC", "FAC") for g in c.children):
                return True
    return False


def movement_leg(lemma: str, prep: str | None) -> str:
    """The role a place has under a verb of motion, from the preposition or object."""
    if prep in ORIGIN_PREPS or (lemma in DEPART and prep == "dobj"):
        return "origin"
    # "by" under a verb of motion is the way one went: "returned by Hawkshead to Ulverston".
    if prep in TRANSIT_PREPS or prep == "by" or (lemma in TRAVERSE and prep == "dobj"):
        return "transit"
    if prep in DEST_PREPS or (prep == "for" and lemma in DEPART | {"head", "set", "sail", "fly", "bound"}):
        return "destination"
    if lemma in REACH and prep in ("dobj", "in", "at", "on"):
        return "destination"
    return "stop"


def _halt(verb: Token, lemma: str, prep: str | None) -> bool:
    """'anchored at X', 'docked in X', 'put in at X', 'called at X', 'stopped at X' (not 'stopped him')."""
    if lemma not in HALT or prep not in HALT_PREPS or any(c.dep_ == "dobj" for c in verb.children):
        return False
    need = HALT_NEEDS.get(lemma)
    return need is None or prep in need or any(c.dep_ == "prt" and c.lower_ in need for c in verb.children)


def _custody(verb: Token, lemma: str, prep: str | None) -> bool:
    """'was held at X', 'was imprisoned in X', 'was detained at X', 'was booked into a jail in X': the person
    held was there."""
    if not _passive(verb) or prep not in LOCATIVE | {"into"} or prep == "dobj":
        return False
    return lemma in CUSTODY or (lemma in CUSTODY_AT and prep == "at")


def _role(att: Attachment, place_tok: Token) -> tuple[str, str] | None:
    """(role, leg) of a place from its attachment; None when it ties nobody."""
    verb = att.verb
    if verb is None:
        return None
    lemma = verb_lemma(verb)
    if lemma in SPEECH | AVOID or any(c.dep_ == "neg" for c in verb.children) or untold(verb):
        return None
    if att.subject is not None:
        return "event", "event"
    if att.noun is None and way_owner(verb) is not None:
        leg = movement_leg("travel", att.prep)
        return ("event", "event") if leg == "stop" and att.prep not in LOCATIVE else (leg, leg)
    if att.noun is not None:
        noun = att.noun.lemma_.lower()
        if noun in MOTION_NOUNS or noun in VEHICLES:
            # A nominalised verb's "of" is its object: "the crossing of X" is "crossed X"; a vehicle goes
            # where its travellers go: "caught the train to X", "the ferry from X".
            leg = movement_leg(MOTION_NOUNS.get(noun, "travel"), "dobj" if att.prep == "of" else att.prep)
            if noun in VEHICLES and leg == "stop" and att.prep not in LOCATIVE:
                return "event", "event"
            return leg, leg
        if noun in TIME_NOUNS and att.prep in LOCATIVE:
            return "stop", "stop"
        return "event", "event"
    if lemma == "bear" or verb.lower_ == "born":
        return "origin", "origin"
    if lemma not in MOTION and any(c.dep_ == "dobj" and c.lemma_.lower() in VEHICLES for c in verb.children):
        lemma = "travel"  # "caught a bus to X", "hired a car in X": travelling by it
    outing = next((c.lemma_.lower() for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in MOTION_NOUNS),
                  None) if lemma in LIGHT_VERBS else None
    if outing is not None:
        lemma = MOTION_NOUNS[outing]  # a light verb and a move: "made excursions to X", "took a trip to X"
    if _halt(verb, lemma, att.prep) or _custody(verb, lemma, att.prep):
        leg = "stop"
    elif lemma in MOTION:
        if att.prep == "by" and any(c.dep_ == "auxpass" for c in verb.children):
            return "event", "event"  # "was deported by Turkey": the agent, not the way
        leg = movement_leg(lemma, att.prep)
        if leg == "stop" and att.prep == "dobj" and any(c.dep_ == "prt" and c.lower_ in ALONG for c in verb.children):
            leg = "transit"  # "sailed up the coast of X", "drove down the valley"
        if leg == "stop" and att.prep not in LOCATIVE:
            return "event", "event"
        if leg == "stop" and _directional_elsewhere(verb, place_tok):
            return "event", "event"
    elif lemma in STAY | MEET and att.prep in LOCATIVE:
        leg = "stop"
    elif lemma in ACCOMPANY and att.prep in ORIGIN_PREPS | TRANSIT_PREPS | DEST_PREPS:
        leg = movement_leg("travel", att.prep)  # "accompanied him to X": both went
    elif att.prep in LOCATIVE and att.prep != "dobj" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in TIME_NOUNS for c in verb.children):
        leg = "stop"  # a light verb and a stay: "had lunch at X", "made a brief stop in X", "took a day in X"
    elif att.prep in ORIGIN_PREPS:
        leg = "origin"  # "From Damascus he joined a caravan"
    else:  # (what one only planned or failed to do somewhere, "planned to deliver them in X", ties nobody)
        return None if _unrealised(verb) else ("event", "event")
    if _unrealised(verb):
        if leg != "origin":
            return "attempted", leg
        # The place a person was about to leave is where they were when the main clause happened.
        root = verb.sent.root.lemma_.lower()
        return ("stop", "stop") if root in MOTION | STAY else ("event", "event")
    return leg, leg


# --- dates -------------------------------------------------------------------------------------

def _date_head(doc: Doc, mention: DateMention):
    """The token a date expression modifies: 'came ... on January 2' -> came."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    for _ in range(6):
        head = tok.head
        if head is tok:
            return tok
        inside = span.start <= head.i < span.end
        if inside or head.pos_ == "ADP" or (head.pos_ == "ADV" and head.lower_ in ("later", "earlier", "afterwards")):
            tok = head
            continue
        if (verb_lemma(head) in NAMING and head.dep_ in ("acl", "parataxis", "relcl")
                and any(c.dep_ in ("oprd", "prep", "attr") and c.i < span.start for c in head.children)):
            # "reached Belém (then called Pará) on 28 August": the date after another name is the reaching's
            tok = head.head
            continue
        return head
    return tok


def dates_by_head(doc: Doc, dates) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    lines = datelines(text_of(doc))  # (the dateline dates the document: the news rule of the routes reads it)
    for k, (mention, _) in enumerate(dates):
        head = _date_head(doc, mention)
        if head is not None and not any(s <= mention.start < e for s, e in lines):
            out.setdefault(head.i, []).append(k)
    for head, ks in list(out.items()):
        # "passed Óbidos in April and reached Manaus ... in June" with both dates hung on "passed": a later
        # date past a conjoined verb of the head's is that verb's
        first = dates[ks[0]][0].end
        for k in ks[1:]:
            at = doc.char_span(dates[k][0].start, dates[k][0].end, alignment_mode="expand")
            conj = [c for c in doc[head].children if at is not None and c.dep_ == "conj" and is_verb(c)
                    and first < c.idx and c.i < at.start]
            if conj:
                out[head].remove(k)
                out.setdefault(conj[-1].i, []).append(k)
    return out


def _climb_clause(verb: Token, movement: bool):
    """The verbs whose date a clause shares: 'trying to cross' -> trying -> (as) caught."""
    out = []
    tok = verb
    for _ in range(10):
        dep, head = tok.dep_, tok.head
        # Moves in a series are dated each by their own words ("left X on May 1 and reached Y on May 3"); a
        # move joined to another kind of clause happened then ("was found on May 1 and held at X").
        if head is tok or dep in ("relcl", "ccomp", "parataxis") or (movement and dep == "conj"
                                                                      and verb_lemma(head) in MOTION | REACH):
            break
        if dep == "advcl":
            marks = {c.lower_ for c in tok.children if c.dep_ in ("mark", "advmod")}
            if marks & SEQUENCE or (movement and marks and not marks & SIMULTANEOUS):
                break
        if dep == "pcomp" and head.lower_ in SEQUENCE:
            break
        if dep == "acl" and head.pos_ == "PROPN":
            break
        tok = head
        out.append(tok)
    return out


def _event_extras(doc: Doc, att: Attachment):
    """Where an event's date may also sit: its conjoined verbs, its 'when' clauses, relative
    clauses on the nouns it passed."""
    verb = att.verb
    group = [verb] + [c for c in verb.children if c.dep_ == "conj" and is_verb(c)]
    if verb.dep_ == "conj":
        group.append(verb.head)
    out = list(group)
    for v in group:
        for c in v.children:
            if c.dep_ == "advcl" and {g.lower_ for g in c.children if g.dep_ in ("mark", "advmod")} & SIMULTANEOUS:
                out.append(c)
    for i in att.path:
        out += [c for c in doc[i].children if c.dep_ in ("relcl", "acl")]
    return out


def _where_of_area(doc: Doc, att: Attachment) -> list:
    """ "heading to Anjouan in the present-day Comoros, where he negotiated a treaty on October 4": a 'where'
    clause on the area the clause puts the place in tells what was done at the place, and when."""
    place = att.path[0]
    areas = [t for prep in att.verb.children if prep.dep_ == "prep" and prep.lower_ == "in"
             for t in prep.children if t.dep_ == "pobj" and t.i > place]
    return [c for t in areas for c in t.children
            if c.dep_ == "relcl" and any(w.lower_ == "where" and w.dep_ == "advmod" for w in c.children)]


def _date_of(doc: Doc, att: Attachment, movement: bool, by_head, dates) -> int | None:
    """The index of the date of a place's clause, nearest first; durations are not dates."""
    if att.subject is not None or att.after:
        # A place inside the subject ("one of the X attackers who killed eight on June 3") is
        # dated by that noun phrase, not by what the subject does in the main clause; so is a
        # place before or after it ("after several weeks in X, he went on to Y in August").
        nouns = [doc[i] for i in att.path[:-1]]
        order = nouns + [c for t in nouns for c in t.children if c.dep_ in ("relcl", "acl")]
    else:
        order = [doc[i] for i in att.path] + _climb_clause(att.verb, movement)
        if not movement:
            order += _event_extras(doc, att)
        else:  # "X, where he changed planes the same day"
            order += [c for c in doc[att.path[0]].children if c.dep_ == "relcl"]
            order += _where_of_area(doc, att)
    root = att.verb.sent.root
    if not is_verb(root):  # a misparse hung the verb on the name: the fronted date is the root's
        order.append(root)
    place_at = doc[att.path[0]].idx
    for tok in order:
        found = [k for k in by_head.get(tok.i, ()) if dates[k][1].is_date or dates[k][1].relative]
        if len(found) > 1 and tok.i == att.verb.i:
            # several dates on one verb pair with its places in text order: "reached Jaffa on 18 and
            # Jerusalem on 24 June" — each place takes the first date after it, else the last before it
            after = [k for k in found if dates[k][0].start > place_at]
            return min(after, key=lambda k: dates[k][0].start) if after else max(found, key=lambda k: dates[k][0].start)
        if found:
            return found[0]
    return None


# --- facts -------------------------------------------------------------------------------------

def facts_for(doc: Doc, places: tuple[Place, ...], refs, dates, narrator: str | tuple[str, ...] | None = None
              ) -> list[Fact]:
    """What the clauses say of people and places. `narrator`: the writer of first-person text (with the writer's
    own people), who does what a clause with no subject at all does (``diary_clause``)."""
    by_head = dates_by_head(doc, dates)
    every = {i: span_root(doc, p.mention.start, p.mention.end) for i, p in enumerate(places)}
    # An unplaced name is tied too: a stop between two placed neighbours can still be placed by them
    # (geo.geocoding.between), and one that cannot is listed, not lost.
    place_tokens = frozenset(t.i for i, t in every.items() if t is not None and places[i].resolved)
    mention_tokens = frozenset(t.i for t in every.values() if t is not None)
    # ... unless a placed name qualifies it ("the monastery at Edingdon, Wiltshire"): that one stands in.
    stood_in = {w.i for i, t in every.items() if t is not None and places[i].resolved
                for w in (qualified(t, mention_tokens),) if w is not None}
    roots = {i: t for i, t in every.items() if places[i].resolved or (t is not None and t.i not in stood_in)}
    out = []
    for i, place in enumerate(places):
        m = place.mention
        tok = roots.get(i)
        if tok is None:
            continue
        start = tok
        whole = qualified(tok, mention_tokens)
        if whole is not None:
            if whole.i in place_tokens:
                continue  # "Batavia (modern Jakarta)": Batavia is the stop, Jakarta only says where it is
            start = whole  # a place we could not place, or a noun ("a town in present-day Iraq"): Y stands in
        home = belonging_noun(start)
        if home is not None and home.dep_ == "appos":
            continue  # "his cousin X, a resident of Y": Y is X's home (encounters), not where the clause goes
        att = attach(start, place_tokens)
        if att is None or att.verb is None:
            continue
        role_leg = _role(att, start)
        if role_leg is None:
            continue
        role, leg = role_leg
        if att.subject is not None:
            who = people_of(att.subject, refs)
        else:  # "her trip to X" is hers; otherwise the clause's
            owners = [c for c in att.noun.children if c.dep_ == "poss"] if att.noun is not None else []
            owner = way_owner(att.verb) if att.noun is None else None
            if owner is not None:
                owners = [owner]
            who = tuple(n for c in owners for n in people_of(c, refs)) or agents(att.verb, refs)
            together = role == "event" or att.verb.lemma_.lower() in MEET | ACCOMPANY
            if together and att.noun is None:  # "joined her in X", "police arrested him in X"
                who = tuple(dict.fromkeys(who + objects_of(att.verb, refs)))
        if not who and narrator and att.noun is None and diary_clause(att.verb):
            who = (narrator,) if isinstance(narrator, str) else narrator
        if not who:
            continue
        movement = role in MOVEMENT_ROLES
        date = _date_of(doc, att, movement, by_head, dates)
        verb = att.verb
        out.append(Fact(i, who, role, leg, verb.i, tok.i, m.start, m.sentence.start, date,
                        birth=verb.lower_ == "born",
                        arrest=(role == "event" and att.noun is None and att.subject is None
                                and verb.lemma_.lower() in ARREST)))
    return _attempts_from_arrests(doc, out)


def _attempts_from_arrests(doc: Doc, facts: list[Fact]) -> list[Fact]:
    """'detained in X when he attempted to travel to Y': X is where the tried journey began."""
    out = []
    for f in facts:
        if f.arrest:
            arrest_verb = doc[f.verb]
            began = any(g.role == "attempted" and set(g.people) & set(f.people)
                        and arrest_verb.is_ancestor(doc[g.verb]) for g in facts)
            if began:
                f = replace(f, role="origin", leg="origin")
        out.append(f)
    return out


def clues_for(doc: Doc, dates, refs, facts: list[Fact]) -> list[Clue]:
    """Every date and duration with the verb it sits on and that verb's people."""
    last_on_verb: dict[int, int] = {}
    for f in facts:
        last_on_verb[f.verb] = max(last_on_verb.get(f.verb, -1), f.start)
    out = []
    for k, (mention, parsed) in enumerate(dates):
        head = _date_head(doc, mention)
        if head is None:
            continue
        verb = _climb_to_verb(head)
        people = agents(verb, refs) if is_verb(verb) else ()
        if not people:
            continue
        position = float(mention.start)
        if parsed.duration_days:
            # A duration acts after the stops of its own clause: "spent four days in X".
            position = max(position, last_on_verb.get(verb.i, -1) + 0.5)
        out.append(Clue(k, verb.i, people, position))
    return out
