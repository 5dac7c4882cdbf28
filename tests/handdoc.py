"""Hand-built spaCy Docs, so that a rule over the parse is tested on the parse it is written for.

    doc = parse('''
        Smith   Smith   PROPN NNP nsubjpass 2
        was     be      AUX   VBD auxpass   2
        removed remove  VERB  VBN ROOT      2
        to      to      ADP   IN  prep      2
        Lima    Lima    PROPN NNP pobj      3  GPE
    ''')

One token a line: word, lemma, coarse and fine tag, dependency, the index of its head (its own index for the
root), and optionally an entity label (consecutive tokens with one label are one entity). "⏎" is a newline
token. `flat` builds a Doc whose parse does not matter (one tree), for rules that read words and entities.
"""

from __future__ import annotations

import functools

from geo.model import Candidate, Place, PlaceMention, Sentence


@functools.lru_cache(maxsize=1)
def _vocab():
    import spacy

    return spacy.blank("en").vocab


def _spaces(words: list[str]) -> list[bool]:
    """A space after every word but before punctuation, after an opening bracket, and around newlines."""
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        out.append(bool(nxt) and nxt not in (",", ".", ")", ":", "'s", "’s") and w not in ("(", "/")
                   and nxt != "/" and not w.isspace() and not nxt.isspace())
    return out


def _iob(labels: list[str | None]) -> list[str]:
    return ["O" if label is None else ("I-" if i and labels[i - 1] == label else "B-") + label
            for i, label in enumerate(labels)]


def parse(table: str):
    from spacy.tokens import Doc

    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    words = [r[0].replace("⏎", "\n") for r in rows]
    labels = [r[6] if len(r) > 6 else None for r in rows]
    return Doc(_vocab(), words=words, spaces=_spaces(words), lemmas=[r[1] for r in rows],
               pos=[r[2] for r in rows], tags=[r[3] for r in rows], deps=[r[4] for r in rows],
               heads=[int(r[5]) for r in rows], ents=_iob(labels))


def flat(text: str, ents: dict[str, str] | None = None, verbs: tuple[str, ...] = ()):
    """Words split on spaces ("⏎" a newline), every one hung on the first; `ents` maps a run of words as
    written to its label ("Paris#2": its second run); `verbs` are tagged VERB, capitalised words PROPN."""
    from spacy.tokens import Doc

    words = [w.replace("⏎", "\n") for w in text.split(" ")]
    labels: list[str | None] = [None] * len(words)
    for phrase, label in (ents or {}).items():
        phrase, _, nth = phrase.partition("#")
        part = [w.replace("⏎", "\n") for w in phrase.split(" ")]
        at = [i for i in range(len(words)) if words[i:i + len(part)] == part][int(nth or 1) - 1]
        labels[at:at + len(part)] = [label] * len(part)

    def pos(w: str) -> str:
        if w.isspace():
            return "SPACE"
        if w in verbs:
            return "VERB"
        if not w[:1].isalnum():
            return "PUNCT"
        if w[:1].isdigit():
            return "NUM"
        return "PROPN" if w[:1].isupper() else "NOUN"

    return Doc(_vocab(), words=words, spaces=_spaces(words), pos=[pos(w) for w in words],
               lemmas=[w.lower() for w in words], heads=[0] * len(words),
               deps=["ROOT"] + ["dep"] * (len(words) - 1), ents=_iob(labels))


def place(doc, start: int, end: int | None = None, *, resolved: bool = True, kind: str = "city") -> Place:
    """The tokens [start, end) as a place mention, placed somewhere unless resolved is False."""
    span = doc[start:(end if end is not None else start + 1)]
    sent = span.sent
    sentence = Sentence("t", sent.start_char, sent.end_char, sent.text)
    mention = PlaceMention("t", span.text, span.start_char, span.end_char, sentence, "GPE")
    chosen = Candidate(span.text, 0.0, 0.0, kind) if resolved else None
    return Place(mention, chosen)


def at(doc, word: str, nth: int = 1) -> int:
    """The index of the nth token written `word`."""
    return [t.i for t in doc if t.text == word][nth - 1]
