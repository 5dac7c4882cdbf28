"""Moves a clause names but does not tell as made: what was not done, what was meant, what was charged.

"instead of going to Y" and "without reaching X" (counterfactual); "left X to make the pilgrimage to Y",
"with the intention of bringing him back to X", "agreed that he should take him to X" (purpose); "was
sentenced for illegally re-entering the United States" (the charge: a deed the court names at the date of
its sentence, told elsewhere as a move of its own date, or not at all); "the bazaar reminded him of Istanbul"
(a likeness).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.extraction.attachment import prep_word, verb_lemma
from geo.extraction.lexicon import COUNTERFACTUAL, INTENT_NOUNS, IRREALIS, JUDGE_VERBS, LIKENING

if TYPE_CHECKING:
    from spacy.tokens import Token


def untold(verb: Token) -> bool:
    """A move the clause of `verb` names and does not tell."""
    return _counterfactual(verb) or _purpose(verb) or _charged(verb) or verb_lemma(verb) in LIKENING


def _counterfactual(verb: Token) -> bool:
    """'instead of going to Y', 'rather than going to Y', 'without reaching X': a move that is not told."""
    return verb.dep_ == "pcomp" and prep_word(verb.head) in COUNTERFACTUAL


def _purpose(verb: Token) -> bool:
    """What the person meant to do, not what the text tells was done: an infinitive of purpose ("left X to
    make the pilgrimage to Y", "sailed north to avoid Z"), a noun of intent ("with the intention of bringing
    him back to X"), a modal of what is not done ("agreed that he should take him to X")."""
    if verb.dep_ == "advcl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return True
    if verb.dep_ in ("pcomp", "acl") and verb.head.lemma_.lower() in INTENT_NOUNS | {"of", "to"}:
        owner = verb.head if verb.dep_ == "acl" else verb.head.head
        if owner.lemma_.lower() in INTENT_NOUNS:
            return True
    return any(c.dep_ == "aux" and c.lower_ in IRREALIS for c in verb.children)


def _charged(verb: Token) -> bool:
    """'sentenced for re-entering X', 'charged with smuggling people into Y', 'pleaded guilty to flying to
    Z': the deed a court or the police name, under the verb that judges it."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:  # "for conspiring to ... and re-entering X"
        verb = verb.head
    if verb.dep_ != "pcomp" or prep_word(verb.head) not in ("for", "with", "to", "of"):
        return False
    prep = verb.head
    while prep.dep_ == "conj" and prep.head.i != prep.i:  # "for conspiring ... and for re-entering X"
        prep = prep.head
    judged = prep.head
    return judged.pos_ in ("VERB", "AUX", "ADJ") and judged.lemma_.lower() in JUDGE_VERBS
