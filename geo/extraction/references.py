"""Who a word stands for: names, pronouns, appositions, descriptions.

References (`references`): every token that stands for people. Names stand
for their person; appositions, conjunctions, relative pronouns and "X
identified as A, B and C" carry people through the parse (`people_of`).
A pronoun (he, she, his, her...) takes the nearest compatible antecedent:
in its own sentence, a subject before it, else the nearest person before it;
then, sentence by sentence backwards (up to three), that sentence's subject
first. Compatible means the same gender when one is known: from pronouns
already resolved to the person, or a gendered word describing them ("his
brother", "the female accomplice", "Mrs"). An unnamed person ("a fourth man")
can be that antecedent too, and then the pronoun stands for nobody.
A definite description ("the suspects", "the Frenchman") stands for the last
people described so, or, for a plural, the last group of people named
together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Mapping
from dataclasses import dataclass, field

from geo.extraction.attachment import verb_lemma
from geo.extraction.lexicon import (
    KIN_NOUNS, MOTION, PERSON_NOUNS, VESSEL_NOUNS, TITLES, DESCRIPTION_NOUNS, FEMALE, MALE, NAMING_VERBS, PLURAL_PRONOUNS, PRONOUNS, RELATIVES, SUBJECT_DEPS,
)
from geo.extraction.groups import is_group_noun
from geo.extraction.people import describes_person
from geo.model import Person
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

@dataclass(frozen=True)
class _Antecedent:
    """Something earlier in the text that a pronoun or description may stand for."""

    token: int
    sentence: int
    names: tuple[str, ...]  # () for an unnamed person ("a fourth man") or a thing
    person: bool  # False for a subject that is not a person: it blocks "they", not "he"
    subject: bool
    verb: int  # the clause it is the subject of (-1: not a subject)
    group: bool = False  # several people, or a group that stands for them


def _mention_tokens(doc: Doc, people: tuple[Person, ...]) -> dict[int, tuple[str, ...]]:
    out = {}
    for person in people:
        for m in person.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                out[t.i] = (person.name,)
    return out


def coordination_top(tok: Token):
    """The first conjunct of a coordination the token sits in, through appositions."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _plural_verb(verb: Token) -> bool:
    words = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(w.lower_ in ("were", "are", "have") or w.tag_ == "VBP" for w in words)


def people_of(tok: Token, refs: dict[int, tuple[str, ...]], _seen: set[int] | None = None) -> tuple[str, ...]:
    """The people a token stands for, through names, pronouns, appositions, conjunctions,
    relative pronouns and "identified as"."""
    seen = _seen if _seen is not None else set()
    if tok.i in seen:
        return ()
    seen.add(tok.i)
    out = list(refs.get(tok.i, ()))
    if tok.lower_ in RELATIVES and tok.head.dep_ == "relcl":
        antecedent = tok.head.head
        if _plural_verb(tok.head):
            antecedent = coordination_top(antecedent)
        out += people_of(antecedent, refs, seen)
    for c in tok.children:
        if c.dep_ in ("appos", "conj"):
            out += people_of(c, refs, seen)
        elif c.dep_ == "acl" and c.lemma_.lower() in NAMING_VERBS:
            # "German citizens identified as A, B and C"
            for g in c.subtree:
                if g.i in refs and g.dep_ in ("pobj", "oprd", "attr", "dobj", "appos"):
                    out += people_of(g, refs, seen)
    if tok.dep_ == "appos" and tok.pos_ in ("NOUN", "NUM"):
        out += people_of(tok.head, refs, seen)
    return tuple(dict.fromkeys(out))


def _subject_of(tok: Token) -> int:
    """The verb a token is (part of) the subject of, or -1."""
    while tok.dep_ in ("compound", "flat", "appos", "conj") and tok.head.i != tok.i:
        tok = tok.head
    return tok.head.i if tok.dep_ in SUBJECT_DEPS else -1


def _gender_cues(doc: Doc, people: tuple[Person, ...], names: dict[int, tuple[str, ...]]) -> dict[str, str]:
    """Gender from words that describe a person: titles, appositions and their adjectives, kinship."""
    out: dict[str, str] = {}
    for i, (name,) in names.items():
        tok = doc[i]
        words = [doc[i - 1]] if i > 0 and doc[i - 1].pos_ != "PRON" else []
        for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else []):
            if c.dep_ == "appos" or c.i == tok.head.i:
                words += [c] + [g for g in c.children if g.dep_ in ("amod", "compound")]
                for rel in (g for g in c.children if g.dep_ == "relcl"):
                    for attr in (g for g in rel.children if g.dep_ == "attr"):
                        words += [attr] + [g for g in attr.children if g.dep_ == "amod"]
        lemmas = {w.lower_ for w in words} | {w.lemma_.lower() for w in words}
        if lemmas & FEMALE and not lemmas & MALE:
            out.setdefault(name, "f")
        elif lemmas & MALE and not lemmas & FEMALE:
            out.setdefault(name, "m")
    return out


def _unnamed_person(tok: Token) -> bool:
    """'a fourth man', 'a German national': a person the text does not name."""
    return (tok.pos_ == "NOUN" and tok.tag_ == "NN" and describes_person(tok)
            and any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children)
            and tok.dep_ != "appos")


def _rank_same_sentence(cands: list[_Antecedent]) -> list[_Antecedent]:
    return sorted(cands, key=lambda a: (not a.subject, -a.token))


def _rank_earlier_sentence(cands: list[_Antecedent]) -> list[_Antecedent]:
    return sorted(cands, key=lambda a: (not a.subject, a.token))


def _pick(history: list[_Antecedent], tok: Token, sentence: int, fits) -> _Antecedent | None:
    """Nearest compatible antecedent: own sentence (subjects first), then earlier sentences."""
    same = [a for a in history if a.sentence == sentence and a.token < tok.i and fits(a)]
    for a in _rank_same_sentence(same):
        return a
    for back in range(1, 4):
        earlier = [a for a in history if a.sentence == sentence - back and fits(a)]
        for a in _rank_earlier_sentence(earlier):
            return a
    return None


@dataclass(frozen=True)
class World:
    """What the walk knows before it starts: groups found in a first reading, and the narrator."""

    fixed: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # owned group nouns, vessel names
    vessel_tokens: frozenset[int] = frozenset()
    party: tuple[str, ...] = ()  # the text's one party (leader first), when it has one
    narrator: str | None = None
    first_singular: frozenset[int] = frozenset()
    first_plural: frozenset[int] = frozenset()
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "appellant" -> the caption's person
    partings: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # token -> who leaves the group there
    companions: tuple[str, ...] = ()  # the narrator's own people, named so ("my husband Tom"): in "we" from the start


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2, "pair": 2, "couple": 2, "duo": 2,
            "trio": 3}


def _last_people(history: list[_Antecedent], n: int) -> tuple[str, ...]:
    """The last n distinct people named, most recent last: "the two men", "both"."""
    out: list[str] = []
    for a in reversed(history):
        for name in reversed(a.names):
            if name not in out:
                out.append(name)
        if len(out) >= n:
            break
    return tuple(reversed(out[:n])) if len(out) >= n else ()


def _counted(tok: Token) -> int | None:
    """How many people a plural description counts: "the two men" 2, "both" 2, "the pair" 2."""
    if tok.lower_ == "both" and tok.pos_ in ("PRON", "DET", "NOUN") and tok.dep_ in SUBJECT_DEPS + ("dobj", "pobj"):
        return 2
    if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in tok.children):
        return None  # "a pair, Balto and Ravna" introduces people; "the pair" points back at them
    if tok.lemma_.lower() in ("pair", "couple", "duo", "trio"):
        return _NUMBERS[tok.lemma_.lower()]
    if tok.tag_ == "NNS" and describes_person(tok):
        for c in tok.children:
            if c.dep_ == "nummod" and c.lower_ in _NUMBERS:
                return _NUMBERS[c.lower_]
    return None


def _lead_person(doc: Doc, tok: Token, first_named: int, refs) -> tuple[str, ...]:
    """A news lead's unnamed subject is the person the next sentences name first: "A Colombian national was
    sentenced today in Miami. Jhon Restrepo, 41, ..." (a release names its subject after the lead). Only
    before anyone is named, and only a sentence or two ahead."""
    if not (tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN" and describes_person(tok)
            and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)):
        return ()
    if sum(1 for t in doc[tok.i + 1:first_named + 1] if t.is_sent_start) > 2:
        return ()
    return refs[first_named]


def references(doc: Doc, people: tuple[Person, ...], world: World | None = None) -> dict[int, tuple[str, ...]]:
    """Token index -> the names of the people that token stands for (names, pronouns, descriptions,
    groups and the narrator when ``world`` knows them)."""
    world = world or World()
    refs = _mention_tokens(doc, people)
    refs.update(world.fixed)
    gender = _gender_cues(doc, people, {i: n for i, n in refs.items() if len(n) == 1})
    described: dict[str, tuple[str, ...]] = dict(world.roles)  # noun lemma -> the people it described
    history: list[_Antecedent] = []
    group: tuple[str, ...] = world.companions  # the people the narrative last moved together: "they", "we"
    party: tuple[str, ...] = world.party  # the last party or vessel named: "the party", "the team"
    ahead: tuple[str, ...] = ()  # the last part of the party that moved on its own: "the rest of the party"
    ship: tuple[str, ...] = ()  # who the last vessel named carries: "the Endurance ... The ship called at X"
    first_named = min((i for i, n in refs.items() if len(n) == 1), default=None)
    for s_index, sent in enumerate(doc.sents):
        history = [a for a in history if a.sentence >= s_index - 3]
        for tok in sent:
            lower = tok.lower_
            group_noun = is_group_noun(tok)
            if tok.i in world.partings:  # "he left the expedition at Santarém": the party goes on without him
                gone = world.partings[tok.i]
                party = tuple(n for n in party if n not in gone)
                group = tuple(n for n in group if n not in gone)
            if tok.i in world.first_singular and world.narrator:
                refs[tok.i] = (world.narrator,)
            elif tok.i in world.first_plural and world.narrator:
                refs[tok.i] = (world.narrator,) + tuple(n for n in group if n != world.narrator)
            elif tok.i in refs:
                if tok.i in world.vessel_tokens:
                    ship = refs[tok.i]
            elif ship and tok.pos_ == "NOUN" and tok.lemma_.lower() in VESSEL_NOUNS and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
                refs[tok.i] = ship  # "The ship called at Buenos Aires": the vessel last named
            elif tok.pos_ not in ("NOUN", "PROPN", "PRON", "DET") and lower not in PLURAL_PRONOUNS:
                continue  # nothing below is about such a word, and it is no antecedent (not nominal)
            elif lower in PRONOUNS and tok.pos_ == "PRON":
                want = PRONOUNS[lower]
                # "joined her": an object pronoun is not the subject of its own verb
                own_verb = tok.head.i if tok.dep_ in ("dobj", "dative", "pobj") and not lower.endswith("self") else -2
                found = _pick(history, tok, s_index, lambda a: a.person and len(a.names) <= 1 and not a.group and (
                    not a.names or gender.get(a.names[0], want) == want) and a.verb != own_verb)
                ahead_of = _fronted_subject(tok, refs)
                if ahead_of and gender.get(ahead_of[0], want) == want:
                    refs[tok.i] = ahead_of  # "Following his visit to Anjouan, Shufeldt sailed north"
                    gender.setdefault(ahead_of[0], want)
                elif found is not None and found.names:
                    refs[tok.i] = found.names
                    gender.setdefault(found.names[0], want)
            elif lower in PLURAL_PRONOUNS:
                found = _pick(history, tok, s_index, lambda a: a.subject and a.person)
                if found is not None and (len(found.names) >= 2 or found.group):
                    refs[tok.i] = found.names
                elif found is not None and found.names and group and set(found.names) <= set(group):
                    # (an unnamed subject, "agents ... They arrested him", is no member of the group)
                    refs[tok.i] = group  # "Nansen decided to launch the boats. They were within sight of..."
            elif (count := _counted(tok)) is not None and not people_of(tok, refs):
                # a group of that many named together, else the last that many people named
                found = _pick(history, tok, s_index, lambda a, n=count: a.person and len(a.names) == n)
                found_people = found.names if found is not None else _last_people(history, count)
                if found_people:
                    refs[tok.i] = found_people
            elif first_named is not None and tok.i < first_named and (lead := _lead_person(doc, tok, first_named,
                                                                                           refs)):
                refs[tok.i] = lead
            elif group_noun and tok.i not in world.vessel_tokens and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                    or c.dep_ == "poss" and c.lower_ in ("our", "their")  # "our convoy": the party of "we"
                    for c in tok.children):
                # "the family", "the group" with no party named: the people the story last moved together
                # ("Khaled, his wife Rania and their children stepped off a train ... the family collected")
                members = party or (group if len(group) >= 2 else ())
                if members and tok.lemma_.lower() == "family":
                    members = tuple(dict.fromkeys(members + _kin_of(doc, members, refs, tok.i)))
                if _is_rest_of(tok):  # "the rest of the team": those who did not go on ahead
                    members = tuple(n for n in members if n not in ahead)
                if members:
                    refs[tok.i] = members
                    if _is_rest_of(tok):
                        refs[tok.head.head.i] = members
            elif (tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "appos" and (
                    tok.lemma_.lower() in world.roles  # "Appellant is a citizen of the United States"
                    # a case's party named by title before ("Petitioner Luis Martinez ... In 2011 petitioner")
                    or (tok.tag_ == "NN" and tok.lemma_.lower() in described and fold(tok.text) in TITLES)
                    or any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                           for c in tok.children))):
                lemma = _role_key(tok)
                plural = tok.tag_ == "NNS"
                if lemma in described and len(described[lemma]) >= (2 if plural else 1) and not _own_people(tok, refs):
                    refs[tok.i] = described[lemma]
                elif lemma in DESCRIPTION_NOUNS and not _own_people(tok, refs):
                    # "Judge Brennan ordered the defendant to serve": an object is not its own verb's subject
                    own_verb = tok.head.i if tok.dep_ in ("dobj", "dative", "pobj") else -2
                    # the same description said again is the same person: "the defendant ... The defendant"
                    again = next((a for a in reversed(history) if a.names and _role_key(doc[a.token]) == lemma
                                  and doc[a.token].tag_ == tok.tag_), None)
                    found = again or _pick(history, tok, s_index, lambda a: a.person and a.verb != own_verb and (
                        len(a.names) >= 2 if plural else len(a.names) <= 1))
                    if found is not None and found.names:
                        refs[tok.i] = found.names
                        # and it stays theirs, however far on it is said again ("the defendant" of a release)
                        described.setdefault(lemma, found.names)
            nominal = tok.pos_ in ("NOUN", "PROPN", "PRON", "DET") or tok.i in refs  # "Amir Said" tagged a verb
            if tok.dep_ in ("compound", "flat") or not nominal:
                continue
            # a roster names a group's members in apposition, with no verb: "The team: A (medic), B and C."
            roster = tuple(dict.fromkeys(n for c in tok.children if c.dep_ == "appos"
                                         for n in people_of(c, refs))) if group_noun else ()
            if len(roster) >= 2:
                refs[tok.i] = roster
            else:
                roster = ()
            names = people_of(tok, refs)
            excepted = _excepted_from(tok)
            if names and excepted is not None and excepted.i in refs:
                # "The team, except for the lead driver, flew to Adana": the team without the driver
                refs[excepted.i] = tuple(n for n in refs[excepted.i] if n not in names)
            is_group = len(names) >= 2 or tok.i in world.vessel_tokens or (
                group_noun and bool(names)) or tok.i in world.first_plural
            # "agents searched the warehouse. They arrested him": unnamed people, whom "they" stands for
            crowd = not names and tok.tag_ == "NNS" and tok.dep_ in SUBJECT_DEPS and (
                describes_person(tok) or tok.lemma_.lower() in ("police", "authority"))
            is_group = is_group or crowd
            person = bool(names) or _unnamed_person(tok) or crowd
            if person or tok.dep_ in SUBJECT_DEPS:
                verb = _subject_of(tok)
                history.append(_Antecedent(tok.i, s_index, names, person, verb >= 0, verb, is_group))
                if tok.i in world.first_singular and verb >= 0:
                    # "two of the officers and myself rode to...": the narrator goes without the ship; "my
                    # sister Anjali and I" go together, and are "we" afterwards
                    # ("I had been dreading the day" leaves the narrator with the group: only a move made alone
                    # parts them)
                    top = coordination_top(tok)
                    if top is not tok:
                        group = tuple(dict.fromkeys((*people_of(top, refs), *names)))
                    elif verb_lemma(doc[verb]) in MOTION:
                        group = names
                elif is_group and names and tok.dep_ != "conj" and (verb >= 0 or tok.i in world.vessel_tokens or roster):
                    # (from the head of a coordination: "Khaled, his wife Rania and their son Omar" moves three,
                    # not the two of its later conjuncts)
                    group = names
                    if group_noun or tok.i in world.vessel_tokens or tok.i in world.fixed:
                        party = names
                    elif set(names) < set(party):
                        ahead = names
            if names and tok.dep_ == "appos" and tok.pos_ == "NOUN":
                described[_role_key(tok)] = names
            if len(names) == 1 and tok.pos_ == "PROPN":
                # "Captain Fitz Roy", "Sultan Abdallah", "defendant Marco Ruiz": later "the captain", "the sultan"
                first = min((t for t in tok.subtree if refs.get(t.i) == names), key=lambda t: t.i, default=tok)
                title = doc[first.i - 1] if first.i > 0 else None
                if title is not None and (fold(title.text) in TITLES or (
                        title.pos_ == "NOUN" and title.lemma_.lower() in PERSON_NOUNS)):
                    described.setdefault(title.lemma_.lower(), names)
    return refs


def _own_people(tok: Token, refs) -> tuple[str, ...]:
    """The people a noun itself names, by its own reference or an apposition ("the defendant, Jhon Restrepo"),
    not those of the nouns conjoined with it ("the defendant and his co-defendant, Wilmer Cardona")."""
    # (an apposition after a conjunct is the conjunct's, wherever the parser hung it)
    conj = min((c.i for c in tok.children if c.dep_ == "conj"), default=len(tok.doc))
    return tuple(dict.fromkeys((*refs.get(tok.i, ()), *(n for c in tok.children if c.dep_ == "appos" and c.i < conj
                                                        for n in people_of(c, refs)))))


def _role_key(tok: Token) -> str:
    """The role a noun names, with the prefix the tokenizer split off: "his co-defendant" is no "defendant"."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_ \
            and not doc[tok.i - 1].whitespace_ and doc[tok.i - 2].is_alpha:
        return f"{doc[tok.i - 2].lower_}-{tok.lemma_.lower()}"
    return tok.lemma_.lower()


_EXCEPT = {"except", "excepting", "excluding", "but", "save", "bar"}


def _excepted_from(tok: Token) -> Token | None:
    """The group a person is excepted from: "the team" in "the team, except (for) the driver", "all but X"."""
    if tok.dep_ != "pobj":
        return None
    prep = tok.head
    if prep.lower_ in ("for", "from", "of") and prep.head.lower_ in _EXCEPT:
        prep = prep.head
    if prep.lower_ not in _EXCEPT or prep.dep_ not in ("prep", "cc") or prep.head.i == prep.i:
        return None
    group = prep.head
    return group if group.pos_ in ("NOUN", "PROPN", "PRON", "DET") else None


def _fronted_subject(tok: Token, refs) -> tuple[str, ...]:
    """A pronoun in a phrase fronted before its sentence's named subject stands for that subject:
    "Following his visit to Anjouan, Shufeldt sailed north", "After he left Rome, Anna flew home"."""
    root = tok.sent.root
    subjects = [c for c in root.children if c.dep_ in SUBJECT_DEPS]
    if not subjects or tok.i >= subjects[0].i or tok.i in {t.i for t in subjects[0].subtree}:
        return ()
    names = refs.get(subjects[0].i, ())
    if len(names) != 1 or subjects[0].pos_ != "PROPN":
        return ()
    t = tok
    for _ in range(40):  # the pronoun's phrase hangs on the main verb as a modifier, not as its object
        if t.head.i == root.i and t.i != root.i:  # (spaCy makes a new Token object per access: compare indices)
            return names if t.dep_ in ("prep", "advcl", "advmod", "npadvmod") and t.i < subjects[0].i else ()
        if t.head.i == t.i:
            break
        t = t.head
    return ()


def _is_rest_of(tok: Token) -> bool:
    """'the rest of the team': the group noun is the object of 'rest of' (or 'others of')."""
    head = tok.head
    return (tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in ("rest", "remainder", "other"))


def _kin_of(doc: Doc, members: tuple[str, ...], refs, before: int) -> tuple[str, ...]:
    """The children the text named as the members' before `before`: "their two children, Daniel, 9, and Sofía, 5"
    are in "the family" of the couple."""
    out: list[str] = []
    for t in doc[:before]:
        if t.lemma_.lower() in KIN_NOUNS and any(c.dep_ == "poss" and set(refs.get(c.i, ())) & set(members)
                                                 for c in t.children):
            for a in (c for c in t.children if c.dep_ == "appos"):
                out += [n for g in [a, *(x for x in a.subtree if x.dep_ == "conj")] for n in people_of(g, refs)]
    return tuple(out)
