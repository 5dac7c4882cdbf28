"""Places the parse missed, added by the user: the words as written and the place they name.

The user types the words as the text writes them ("the Sham", "Tal Abyad")
and picks a gazetteer entry; every occurrence of those words, as whole
words and case as written, becomes a place mention placed there, with its
sentence, as if the parse had found it. An occurrence the parse already
found a place in is left to it (a place correction changes that one).
Kept beside the place corrections (``geo.geocoding.corrections``), for one
document or for every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from geo.errors import InputError
from geo.model import Analysis, Candidate, Document, Place, PlaceMention, Sentence

PREFIX = "added:"  # of an addition's key among the corrections
LABEL = "USER"  # PlaceMention.label of a place the user added
GEOCODER = "correction"
_END = re.compile(r"[.!?](?=\s)|\n\s*\n")  # where a sentence ends when no mention of the parse gives its sentence


@dataclass(frozen=True)
class Addition:
    written: str  # the words as they appear in the text, case as written
    choice: Candidate


def key_of(addition: Addition) -> str:
    return PREFIX + addition.written


def occurrences(text: str, written: str) -> list[tuple[int, int]]:
    """The (start, end) of each time ``written`` is in ``text`` as whole words, case as written."""
    written = written.strip()
    if not written:
        return []
    pattern = re.compile(rf"(?<!\w){re.escape(written)}(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def addition_for(documents: Iterable[Document], written: str, choice: Candidate | None) -> Addition:
    """An addition of ``written`` at ``choice``, checked: InputError when the words are in none of the
    documents, or no place was chosen."""
    words = written.strip()
    if not words:
        raise InputError("Type the words of the place as the text writes them")
    if not any(occurrences(d.text, words) for d in documents):
        raise InputError(f"{words!r} is not in the text as whole words, written so (case counts)")
    if choice is None:
        raise InputError(f"Choose the place {words!r} names")
    return Addition(words, choice)


def counted(analysis: Analysis, written: str) -> tuple[int, int]:
    """(how many times ``written`` is in the documents as whole words, how many of those the parse already
    found a place in: an addition places only the others)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for p in analysis.places:
        spans.setdefault(p.mention.doc_id, []).append((p.mention.start, p.mention.end))
    occurs = found = 0
    for document in analysis.documents:
        for start, end in occurrences(document.text, written):
            occurs += 1
            found += any(s < end and start < e for s, e in spans.get(document.id, ()))
    return occurs, found


def apply_additions(analysis: Analysis, every: Iterable[Addition], by_document: dict[str, list[Addition]]
                    ) -> Analysis:
    """``analysis`` with a placed mention at each occurrence of each addition the parse did not place.

    ``by_document`` (Document.id -> additions) win over ``every`` for the same words.
    """
    every = list(every)
    if not every and not any(by_document.values()):
        return analysis
    taken: dict[str, list[tuple[int, int]]] = {}
    for p in analysis.places:
        taken.setdefault(p.mention.doc_id, []).append((p.mention.start, p.mention.end))
    added = []
    for document in analysis.documents:
        chosen = {a.written: a for a in every} | {a.written: a for a in by_document.get(document.id, ())}
        spans = list(taken.get(document.id, []))
        found: list[tuple[PlaceMention, Addition]] = []
        for addition in sorted(chosen.values(), key=lambda a: -len(a.written)):
            for start, end in occurrences(document.text, addition.written):
                if any(s < end and start < e for s, e in spans):
                    continue  # the parse found a place here (or a longer addition did)
                spans.append((start, end))
                found.append((PlaceMention(document.id, document.text[start:end], start, end,
                                           sentence_at(analysis, document, start, end), LABEL), addition))
        found.sort(key=lambda ma: ma[0].start)
        added += [Place(m, a.choice, (), 1.0, GEOCODER) for m, a in found]
    return replace(analysis, places=analysis.places + tuple(added)) if added else analysis


def sentence_at(analysis: Analysis, document: Document, start: int, end: int) -> Sentence:
    """The sentence of the parse that holds ``start:end`` (any of its mentions gives it); else the text from
    the last sentence end before it to the next after it."""
    for mention in (*(p.mention for p in analysis.places), *(d for d in analysis.dates),
                    *(m for p in analysis.people for m in p.mentions)):
        s = mention.sentence
        if s.doc_id == document.id and s.start <= start and end <= s.end:
            return s
    text = document.text
    begin = max((m.end() for m in _END.finditer(text, 0, start)), default=0)
    after = _END.search(text, end)
    finish = after.end() if after else len(text)
    while begin < start and text[begin].isspace():
        begin += 1
    return Sentence(document.id, begin, finish, text[begin:finish])


def said(addition: Addition, describe) -> str:
    return f"{addition.written} (added) → {describe(addition.choice)}"
