"""Hand-built spaCy Docs, so that a rule over the parse is tested on the parse it is written for.

    doc = parse('''
        Smith   Smith   PROPN NNP nsubjpass 2
        was     be      AUX   VBD auxpass   2
        removed remove  VERB  VBN ROOT      2
        to      to      ADP   IN  prep      2
        Lima    Lima    PROPN NNP pobj      3  GPE
    ''')

One token a line: word, lemma, coarse and fine tag, dependency, the index of its head (its own index for the
root), and optionally an entity label (consecutive tokens with one label are one entity). A sentence ends
after a token whose head is itself only when the next token starts a new tree; the parse decides.
"""

from __future__ import annotations

import functools

from geo.model import Candidate, Place, PlaceMention, Sentence


@functools.lru_cache(maxsize=1)
def _vocab():
    import spacy

    return spacy.blank("en").vocab


def parse(table: str):
    from spacy.tokens import Doc

    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    words = [r[0] for r in rows]
    labels = [r[6] if len(r) > 6 else None for r in rows]
    ents = []
    for i, label in enumerate(labels):
        if label is None:
            ents.append("O")
        else:
            ents.append(("I-" if i and labels[i - 1] == label else "B-") + label)
    spaces = [not (i + 1 < len(words) and words[i + 1] in (",", ".", ")", "'s")) and words[i] != "("
              for i in range(len(words))]
    return Doc(_vocab(), words=words, spaces=spaces, lemmas=[r[1] for r in rows], pos=[r[2] for r in rows],
               tags=[r[3] for r in rows], deps=[r[4] for r in rows], heads=[int(r[5]) for r in rows], ents=ents)


def place(doc, start: int, end: int | None = None, *, resolved: bool = True, kind: str = "city") -> Place:
    """The tokens [start, end) as a place mention, placed somewhere unless resolved is False."""
    span = doc[start:(end if end is not None else start + 1)]
    sent = span.sent
    sentence = Sentence("t", sent.start_char, sent.end_char, sent.text)
    mention = PlaceMention("t", span.text, span.start_char, span.end_char, sentence, "GPE")
    chosen = Candidate(span.text, 0.0, 0.0, kind) if resolved else None
    return Place(mention, chosen)
