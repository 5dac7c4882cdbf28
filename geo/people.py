"""One Person per real person, however the text names them.

A later, shorter mention ("Bozkurt", "Jalilov") is the same person as an
earlier, fuller one when its words are a part of the fuller name; the
fullest name the text gives becomes the person's name. Two people who share
a surname ("Ibrahim El Bakraoui", "Khalid el-Bakraoui") stay apart because
their given names differ; a bare shared surname goes to the one mentioned
last.
"""

from __future__ import annotations

from .model import Person, PersonMention
from .names import fold

TITLES = {"mr", "mrs", "ms", "dr", "sir", "president", "minister", "general", "gen", "prof", "judge", "sheikh"}


def name_words(name: str) -> tuple[str, ...]:
    """Folded words of a name without titles; 'el-Bakraoui' and 'El Bakraoui' agree."""
    return tuple(w for w in fold(name).split() if w not in TITLES)


def _is_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Every word of the short name appears in the full one, in order."""
    it = iter(full)
    return bool(short) and all(any(w == f or (len(w) <= 2 and f.startswith(w.rstrip("."))) for f in it)
                               for w in short)


def group_people(mentions: list[PersonMention]) -> tuple[Person, ...]:
    """Group person mentions in reading order into Persons (first appearance order)."""
    people: list[dict] = []  # {"words", "name", "aliases", "mentions", "last"}
    for i, m in enumerate(sorted(mentions, key=lambda m: m.start)):
        words = name_words(m.text)
        if not words:
            continue
        match = None
        for p in people:
            if words == p["words"] or _is_part(words, p["words"]) or _is_part(p["words"], words):
                if match is None or p["last"] > match["last"]:
                    match = p
        if match is None:
            people.append({"words": words, "name": m.text, "aliases": [], "mentions": [m], "last": i})
            continue
        if len(words) > len(match["words"]):
            match["aliases"].append(match["name"])
            match["name"], match["words"] = m.text, words
        elif m.text != match["name"] and m.text not in match["aliases"]:
            match["aliases"].append(m.text)
        match["mentions"].append(m)
        match["last"] = i
    return tuple(Person(p["name"], tuple(p["aliases"]), tuple(p["mentions"])) for p in people)


def _trim_person(doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive; keep "D." of "Yusuf D."."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct):
        end -= 1
    return start, end


def find_person_mentions(doc, doc_id: str, sentence_of, place_spans: set[tuple[int, int]]) -> list[PersonMention]:
    """PERSON entities that are not already place mentions, without a leading article."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end = _trim_person(doc, ent.start, ent.end)
        if start >= end:
            continue
        span = doc[start:end]
        if any(s <= span.start_char < e for s, e in place_spans):
            continue
        out.append(PersonMention(doc_id, span.text, span.start_char, span.end_char, sentence_of(span.start_char)))
    return out
