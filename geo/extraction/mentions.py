"""Mentions of places, people and dates in a parsed text, with character offsets.

Recognition does not trust one model's labels alone. spaCy's GPE, LOC and
FAC entities are places. A span the model labels otherwise (ORG, PERSON,
WORK_OF_ART...) or misses is a place when the gazetteer knows the name AND
the context says so: a preposition of place or motion before it ("in X",
"into X", "from X"), a place noun around it ("the border province of X",
"X, a Syrian border town"), or, for names that are nothing but places (a
country, a region), no cue at all. A span that is part of a person's name
in the same document is not a place ("Bozkurt said").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

from geo.extraction.dates import ParsedDate, dates_of
from geo.extraction.lexicon import CONNECTORS, NOT_PLACES, PLACE_CUE_NOUNS, PLACE_PREPOSITIONS
from geo.extraction.people import find_person_mentions
from geo.model import DateMention, PersonMention, PlaceMention, Sentence
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NEVER_PLACE_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LANGUAGE", "LAW"}
# Labels the model gives places by mistake (measured on the seed: Şanlıurfa and
# the Caucasus as ORG, Incirlik Airbase as PERSON, Tal Abyad as WORK_OF_ART).
RELABELABLE = {"ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "EVENT", "NORP"}

# Labels of names that often contain a place: "Kentucky State Police", "Edmonton Oilers".
NAMED_AFTER_PLACES = {"ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


@dataclass(frozen=True)
class Extraction:
    sentences: tuple[Sentence, ...]
    places: tuple[PlaceMention, ...]
    people: tuple[PersonMention, ...]
    dates: tuple[tuple[DateMention, ParsedDate], ...]
    demonyms: tuple[PlaceMention, ...] = ()  # "Turkish", "French": kept apart, used on request


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading article or quote and a trailing possessive or punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s", "'", "’")):
        end -= 1
    return start, end


def _after_possessive(doc: Doc, start: int, end: int) -> int:
    """'Erdoğan’s Turkey' -> the token after the last possessive marker."""
    for i in range(end - 1, start - 1, -1):
        if doc[i].tag_ == "POS" or doc[i].lower_ in ("'s", "’s"):
            return i + 1
    return start


def _has_cue(doc: Doc, start: int, end: int) -> bool:
    """Does the context around tokens [start, end) say this is a place?"""
    i = start - 1
    while i >= 0 and (doc[i].lower_ in ("the", "a", "an") or doc[i].is_quote):
        i -= 1
    if i >= 0:
        prev = doc[i].lower_
        if prev in PLACE_PREPOSITIONS:
            return True
        if prev == "of" and i >= 1 and doc[i - 1].lower_ in PLACE_CUE_NOUNS:
            return True  # "the border province of X"
        if prev in PLACE_CUE_NOUNS:
            return True  # "the border town X"
    if end < len(doc):
        nxt = doc[end].lower_
        if nxt in PLACE_CUE_NOUNS and nxt not in ("state", "republic"):
            return True  # "X province", "X airport"
        if nxt == ",":
            # "X, a Syrian border town" / "X, Turkey"
            window = [t.lower_ for t in doc[end + 1:end + 7]]
            if window and window[0] in ("a", "an", "the") and any(w in PLACE_CUE_NOUNS for w in window):
                return True
    return False


def _person_tokens(ents) -> set[str]:
    """Folded single words of multi-word person names: their surnames are not places."""
    words = set()
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            words.update(fold(t.text) for t in ent if t.is_alpha and len(t.text) > 1)
    return words


class Recogniser:
    """Finds place mentions in a spaCy Doc with the help of a gazetteer."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer

    def _weighty(self, text: str, *, cue: bool) -> bool:
        """A name found without a place label needs a candidate of some weight:
        a hamlet of 600 people named "Bozkurt" is not enough."""
        folded = fold(text)
        if folded in NOT_PLACES or len(folded) < 2:
            return False
        cands = self.gazetteer.lookup(text)
        if not cands:
            return False
        for c in cands:
            if c.kind in ("country", "region"):
                return True
            if cue and (c.kind in ("admin", "site") or c.population >= 1000 or c.population == 0):
                return True
            # Without a cue, a city or admin area must be called by its own name:
            # "White House" is an alternate name of Casablanca, not a mention of it.
            own_name = fold(c.name) == folded
            if not cue and own_name and c.kind == "admin" and c.population >= 500_000:
                return True
            if not cue and own_name and c.kind == "city" and c.population >= 200_000:
                return True
        return False

    def _prominent(self, span: Span) -> bool:
        """A place known well enough to be meant without a cue: a country, a region,
        a large admin area or city; capitalised as a name, not a common word."""
        text = span.text
        if not all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in span) or span[0].lower_ in CONNECTORS:
            return False
        return self._weighty(text, cue=False)

    def places(self, doc: Doc, doc_id: str, sentence_of) -> tuple[list[PlaceMention], list[PlaceMention]]:
        found: dict[tuple[int, int], PlaceMention] = {}
        demonyms: list[PlaceMention] = []
        taken = [False] * len(doc)  # tokens already inside an entity of any label
        person_words = _person_tokens(doc.ents)

        def add(start: int, end: int, label: str) -> None:
            if start >= end:
                return
            span = doc[start:end]
            key = (span.start_char, span.end_char)
            if key not in found:
                found[key] = PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                          sentence_of(span.start_char), label)

        for ent in doc.ents:
            for t in range(ent.start, ent.end):
                taken[t] = True
            if ent.label_ in NEVER_PLACE_LABELS:
                continue
            start, end = _trim(doc, ent.start, ent.end)
            start = _after_possessive(doc, start, end)
            start, end = _trim(doc, start, end)
            if start >= end:
                continue
            text = doc[start:end].text
            if ent.label_ in PLACE_LABELS:
                if ent.label_ == "FAC" and not self.gazetteer.contains(text):
                    continue  # a building we cannot place is noise on a map
                if len(text) == 1 or fold(text) in NOT_PLACES:
                    continue
                add(start, end, ent.label_)
            elif ent.label_ == "NORP" and self.gazetteer.demonym(text) is not None:
                span = doc[start:end]
                demonyms.append(PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                             sentence_of(span.start_char), "NORP"))
            elif ent.label_ in RELABELABLE:
                single = end - start == 1
                if single and fold(text) in person_words:
                    continue
                cue = _has_cue(doc, start, end)
                if self._weighty(text, cue=cue) and (cue or ent.label_ != "PERSON"):
                    add(start, end, "GAZ")
                elif ent.label_ in NAMED_AFTER_PLACES:
                    # "Kentucky State Police", "University of Toronto", "Statistics Canada":
                    # the place inside an organisation's name is a mention of the place.
                    for s_, e_ in _ngrams(start, end, min(end - start - 1, self.gazetteer.max_name_tokens)):
                        if self._prominent(doc[s_:e_]) and fold(doc[s_:e_].text) not in person_words:
                            add(s_, e_, "GAZ")
                            break

        for start, end in _capitalised_runs(doc, taken):
            for s, e in _ngrams(start, end, self.gazetteer.max_name_tokens):
                if any(taken[s:e]):
                    continue
                text = doc[s:e].text
                if e - s == 1 and fold(text) in person_words:
                    continue
                cue = _has_cue(doc, s, e)
                # Without a cue only a prominent place will do, and a sentence's first
                # word (capitalised anyway) must be one too.
                if e - s == 1 and doc[s].is_sent_start and not self._prominent(doc[s:e]):
                    continue
                if (cue and self._weighty(text, cue=True)) or self._prominent(doc[s:e]):
                    add(s, e, "GAZ")
                    for t in range(s, e):
                        taken[t] = True
        return sorted(found.values(), key=lambda m: m.start), demonyms


def _capitalised_runs(doc: Doc, taken):
    """Maximal runs of capitalised word tokens outside any entity."""
    start = None
    for i, tok in enumerate(doc):
        ok = not taken[i] and tok.is_alpha and tok.text[:1].isupper()
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(doc)


def _ngrams(start: int, end: int, longest: int):
    """Sub-spans of [start, end), longest first, left to right."""
    for n in range(min(longest, end - start), 0, -1):
        for s in range(start, end - n + 1):
            yield s, s + n


def sentences_of(doc: Doc, doc_id: str) -> tuple[Sentence, ...]:
    return tuple(Sentence(doc_id, s.start_char, s.end_char, s.text) for s in doc.sents)


def sentence_finder(sentences: tuple[Sentence, ...]):
    """A function from a character offset to its sentence (bisect on sentence starts)."""
    import bisect

    starts = [s.start for s in sentences]

    def find(offset: int) -> Sentence:
        return sentences[max(0, bisect.bisect_right(starts, offset) - 1)]

    return find


def extract(doc: Doc, doc_id: str, gazetteer) -> Extraction:
    sentences = sentences_of(doc, doc_id)
    sentence_of = sentence_finder(sentences)
    places, demonyms = Recogniser(gazetteer).places(doc, doc_id, sentence_of)
    spans = {(p.start, p.end) for p in places}
    people = find_person_mentions(doc, doc_id, sentence_of, spans)
    dates = dates_of(doc, doc_id, sentence_of)
    return Extraction(sentences, tuple(places), tuple(people), tuple(dates), tuple(demonyms))
