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

from dataclasses import dataclass

from geo.extraction.lexicon import (
    DESCRIPTION_NOUNS, FEMALE, MALE, NAMING_VERBS, PLURAL_PRONOUNS, PRONOUNS, RELATIVES, SUBJECT_DEPS,
)
from geo.extraction.people import describes_person
from geo.model import Person

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


def _mention_tokens(doc: Doc, people: tuple[Person, ...]) -> dict[int, tuple[str, ...]]:
    out = {}
    for person in people:
        for m in person.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                out[t.i] = (person.name,)
    return out


def _coordination_top(tok: Token):
    """The first conjunct of a coordination the token sits in, through appositions."""
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
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
            antecedent = _coordination_top(antecedent)
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
    while tok.dep_ in ("compound", "flat", "appos", "conj") and tok.head is not tok:
        tok = tok.head
    return tok.head.i if tok.dep_ in SUBJECT_DEPS else -1


def _gender_cues(doc: Doc, people: tuple[Person, ...], names: dict[int, tuple[str, ...]]) -> dict[str, str]:
    """Gender from words that describe a person: titles, appositions and their adjectives, kinship."""
    out: dict[str, str] = {}
    for i, (name,) in names.items():
        tok = doc[i]
        words = [doc[i - 1]] if i > 0 and doc[i - 1].pos_ != "PRON" else []
        for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else []):
            if c.dep_ == "appos" or c is tok.head:
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


def references(doc: Doc, people: tuple[Person, ...]) -> dict[int, tuple[str, ...]]:
    """Token index -> the names of the people that token stands for (names, pronouns, descriptions)."""
    refs = _mention_tokens(doc, people)
    gender = _gender_cues(doc, people, refs)
    described: dict[str, tuple[str, ...]] = {}  # appositive noun lemma -> the people it described
    history: list[_Antecedent] = []
    for s_index, sent in enumerate(doc.sents):
        for tok in sent:
            lower = tok.lower_
            if lower in PRONOUNS and tok.pos_ == "PRON":
                want = PRONOUNS[lower]
                # "joined her": an object pronoun is not the subject of its own verb
                own_verb = tok.head.i if tok.dep_ in ("dobj", "dative", "pobj") and not lower.endswith("self") else -2
                found = _pick(history, tok, s_index, lambda a: a.person and len(a.names) <= 1 and (
                    not a.names or gender.get(a.names[0], want) == want) and a.verb != own_verb)
                if found is not None and found.names:
                    refs[tok.i] = found.names
                    gender.setdefault(found.names[0], want)
            elif lower in PLURAL_PRONOUNS:
                found = _pick(history, tok, s_index, lambda a: a.subject)
                if found is not None and len(found.names) >= 2:
                    refs[tok.i] = found.names
            elif (tok.pos_ == "NOUN" and tok.i not in refs and tok.dep_ != "appos"
                  and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                          for c in tok.children)):
                lemma = tok.lemma_.lower()
                plural = tok.tag_ == "NNS"
                if lemma in described and len(described[lemma]) >= (2 if plural else 1) and not people_of(tok, refs):
                    refs[tok.i] = described[lemma]
                elif lemma in DESCRIPTION_NOUNS and not people_of(tok, refs):
                    found = _pick(history, tok, s_index, lambda a: a.person and (
                        len(a.names) >= 2 if plural else len(a.names) <= 1))
                    if found is not None and found.names:
                        refs[tok.i] = found.names
            nominal = tok.pos_ in ("NOUN", "PROPN", "PRON") or tok.i in refs  # "Amir Said" tagged a verb
            if tok.dep_ in ("compound", "flat") or not nominal:
                continue
            names = people_of(tok, refs)
            person = bool(names) or _unnamed_person(tok)
            if person or tok.dep_ in SUBJECT_DEPS:
                verb = _subject_of(tok)
                history.append(_Antecedent(tok.i, s_index, names, person, verb >= 0, verb))
            if names and tok.dep_ == "appos" and tok.pos_ == "NOUN":
                described[tok.lemma_.lower()] = names
    return refs
