"""Mentions of places, people and dates in a parsed text, with character offsets.

Recognition does not trust one model's labels alone. spaCy's GPE, LOC and
FAC entities are places. A span the model labels otherwise (ORG, PERSON,
WORK_OF_ART...) or misses is a place when the gazetteer knows the name AND
the context says so: a preposition of place or motion before it ("in X",
"into X", "from X"), a place noun around it ("the border province of X",
"X, a Syrian border town", the body of an itinerary line "June 3: Darwin to
Kupang"), or, for names that are nothing but places (a country, a region), no
cue at all. A span that is part of a person's name in the same document is
not a place ("Bozkurt said", "Grace" after "Grace Hopper") unless the place is
prominent.

What is never a place: a word for a kind of place alone ("the Shore", "Sea"),
a planet or a virtue that names towns elsewhere ("Venus", "Freedom"), an
acronym the text defines for something else ("Investigations (HSI)"), capitals
matched only by a town's alternate name, a law citation ("314 U.S. 160"), a
picture credit ("Photo: Agency/Name"). A name is one span: not the blank line
after a heading, the whole of a name wrapped over two lines ("Porto\nPraya",
never "Porto"), the whole of "St. Paul's Rocks". An unknown building gives
the place in its name ("the San Pedro Sula International Airport").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re
from dataclasses import dataclass

from geo.extraction.dates import ParsedDate, dates_of
from geo.extraction.lexicon import (
    CONNECTORS, CREDIT_LINKS, CREDIT_WORDS, GENERIC_FEATURES, NAMES_OF_OTHER_THINGS, NOT_PLACES, PLACE_CUE_NOUNS,
    PLACE_PREPOSITIONS,
)
from geo.extraction.listings import listing_bodies
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

# Nouns after a name that make it the name of an institution or a building ("Robinson College", "Grey Hospital").
INSTITUTIONS = {
    "college", "university", "school", "academy", "institute", "hospital", "clinic", "church", "cathedral",
    "chapel", "abbey", "hotel", "stadium", "arena", "theatre", "theater", "museum", "library", "prison", "castle",
    "palace", "hall", "centre", "center", "company", "bank", "foundation", "society", "club",
}
# Labels of names that often contain a place: "Kentucky State Police", "Edmonton Oilers".
NAMED_AFTER_PLACES = {"ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


@dataclass(frozen=True)
class Extraction:
    sentences: tuple[Sentence, ...]
    places: tuple[PlaceMention, ...]
    people: tuple[PersonMention, ...]
    dates: tuple[tuple[DateMention, ParsedDate], ...]
    demonyms: tuple[PlaceMention, ...] = ()  # "Turkish", "French": kept apart, used on request


# A line at least this long that breaks inside a sentence was wrapped by its writer's tool, not ended:
# Gutenberg texts and e-mails wrap near 70 characters, while list items and headings are short.
WRAP_WIDTH = 40


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading article or quote and a trailing possessive, punctuation or blank lines
    ("Crossing of Greenland" and the blank line after a heading)."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].lower_ in ("'s", "’s", "'", "’")):
        end -= 1
    return start, end


def _name_word(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _wrap(doc: Doc, i: int) -> bool:
    """Token i is a hard line break inside running text: a single newline ending a long line, followed by a
    capitalised word that does not start a sentence of its own ("of Porto\nPraya was")."""
    tok = doc[i]
    if not tok.is_space or tok.text.count("\n") != 1 or i == 0 or i + 1 >= len(doc):
        return False
    line_start = doc.text.rfind("\n", 0, tok.idx) + 1
    after = doc[i + 1]
    return tok.idx - line_start >= WRAP_WIDTH and _name_word(after) and not after.is_stop


def _unwrap(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name the model cut at a hard line break, grown across it: "Porto" + "\nPraya" is "Porto\nPraya"."""
    while end < len(doc) and _wrap(doc, end):
        end += 2
        while end < len(doc) and _name_word(doc[end]):
            end += 1
    while start >= 2 and _wrap(doc, start - 1) and _name_word(doc[start - 2]):
        start -= 2
        while start >= 1 and _name_word(doc[start - 1]):
            start -= 1
    return start, end


def _generic(folded: str) -> bool:
    """A word for a kind of place alone ("Sea", "the Shore", "Rocks") names none in particular. Only one word:
    "Cape Town", "Cape Coast" and "Rock Island" are made of such words and are places."""
    words = [w for w in folded.split() if w not in ("the", "a", "an")]
    return len(words) == 1 and words[0] in GENERIC_FEATURES


def _not_a_name(folded: str) -> bool:
    return folded in NOT_PLACES or folded in NAMES_OF_OTHER_THINGS or _generic(folded) or len(folded) < 2


def _acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _citation(doc: Doc, start: int, end: int) -> bool:
    """A law report or code between a volume and a page or section: "314 U.S. 160", "42 U.S.C. § 1983"."""
    return (start > 0 and doc[start - 1].like_num and end < len(doc)
            and (doc[end].like_num or doc[end].text in ("§", "§§")))


_DEFINED = re.compile(r"(?<=\S) ?\(([A-Z][A-Z.]{1,9})\)")


def _defined_acronyms(doc: Doc) -> set[str]:
    """Acronyms the text defines for something that is not a place: "Customs Enforcement (ICE)"."""
    out = set()
    for m in _DEFINED.finditer(doc.text):
        if not _acronym(m.group(1)):
            continue
        before = doc.char_span(m.start() - 1, m.start(), alignment_mode="expand")
        named = before[-1] if before is not None and len(before) else None
        if named is not None and _name_word(named) and named.ent_type_ not in PLACE_LABELS:
            out.add(fold(m.group(1)))
    return out


_CREDIT = re.compile(r"(?im)^[ \t>*•\-]*[(\[]?(?:%s)\b[^\n:]{0,20}?(?::|\bby\b)[^\n]*|[(\[](?:%s)\b[^)\]\n]*[)\]]"
                     % ("|".join(sorted(CREDIT_WORDS)), "|".join(sorted(CREDIT_WORDS))))


def _credits(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of picture credits ("Photo: Reuters/Jane Doe", "(Photograph by Jane Doe)"): names
    only after the credit word. A caption ("Photo: Protesters march in Cairo", "Photo: the harbour of
    Valletta") has common words and is not a credit."""
    out = []
    for m in _CREDIT.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        words = [t for t in span[1:] if not (t.is_space or t.text in ":()[]")]
        if words and all(t.text[:1].isupper() or t.like_num or t.lower_ in CREDIT_LINKS for t in words):
            out.append((m.start(), m.end()))
    return out


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
    """Folded single words of multi-word person names: their given names and surnames are not places
    ("Grace" after "Grace Hopper", "Shufeldt" after "Robert Shufeldt"). A place a name says one is from
    ("Al-Bushri of Ceuta") stays a place. (Single words the model calls PERSON are not counted: it calls
    Eton, Jaffa and Godthaab so.)"""
    words = set()
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            for t in ent:
                if t.lower_ in ("of", "from"):
                    break
                if t.is_alpha and len(t.text) > 1:
                    words.add(fold(t.text))
    return words


class Recogniser:
    """Finds place mentions in a spaCy Doc with the help of a gazetteer."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer

    def _weighty(self, text: str, *, cue: bool, own: bool = False) -> bool:
        """A name found without a place label needs a candidate of some weight:
        a hamlet of 600 people named "Bozkurt" is not enough. With `own`, a place called by that very name,
        a country or region, or a town of known size called so of old ("Godthaab" for Nuuk) counts: a word
        the model took for a person's ("the Venda") is not a place because a place of unknown size has it
        among its alternate names. (A longer name may be spelt otherwise: "Incirlik Airbase".)"""
        folded = fold(text)
        if _not_a_name(folded):
            return False
        cands = self.gazetteer.lookup(text)
        if not cands:
            return False
        if _acronym(text):
            # Capitals are an acronym unless they are a place's own name or a country's: "HSI" is an agency,
            # though some town has it among its codes; "MIAMI" and "UAE" are places.
            cands = [c for c in cands if c.kind in ("country", "region") or fold(c.name) == folded
                     or c.population >= 1_000_000]
        if own:
            cands = [c for c in cands if c.kind in ("country", "region") or fold(c.name) == folded
                     or c.population >= 1000]
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

    def _grow(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """The longest place name the gazetteer has around tokens [start, end), across the model's cuts:
        "Trinidad" (GPE) "and" "Tobago" (ORG), "Boa" (GPE) "Vista" (ORG), "U.S." (GPE) "Virgin Islands"."""
        best = (start, end)
        longest = self.gazetteer.max_name_tokens
        s = start
        while s >= 0 and start - s < longest and (s == start or _growable(doc[s])):
            e = end
            while e <= len(doc) and e - s <= longest and (e == end or _growable(doc[e - 1])):
                if (e - s > best[1] - best[0] and _name_word_or_abbreviation(doc[s])
                        and doc[s].lower_ not in ("the", "a", "an") and _name_word_or_abbreviation(doc[e - 1])):
                    text = doc[s:e].text
                    if self.gazetteer.contains(text) and self._weighty(text, cue=True):
                        best = (s, e)
                e += 1
            s -= 1
        return best

    def _prominent(self, span: Span) -> bool:
        """A place known well enough to be meant without a cue: a country, a region,
        a large admin area or city; capitalised as a name, not a common word."""
        text = span.text
        if not all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in span) or span[0].lower_ in CONNECTORS:
            return False
        return self._weighty(text, cue=False)

    def _inner_place(self, doc: Doc, start: int, end: int, person_words, add) -> None:
        """The place inside the name of an organisation or a building: "Kentucky State Police", "University
        of Toronto", "Statistics Canada", "the San Pedro Sula International Airport". A continent in the name
        places nothing: the "Mall of Asia" is in Manila, the "Africa Cup of Nations" anywhere."""
        for s_, e_ in _ngrams(start, end, min(end - start - 1, self.gazetteer.max_name_tokens)):
            text = doc[s_:e_].text
            if any(c.id.startswith("continent:") for c in self.gazetteer.lookup(text)):
                continue
            if self._prominent(doc[s_:e_]) and fold(text) not in person_words:
                add(s_, e_, "GAZ")
                return

    def places(self, doc: Doc, doc_id: str, sentence_of) -> tuple[list[PlaceMention], list[PlaceMention]]:
        found: dict[tuple[int, int], PlaceMention] = {}
        demonyms: list[PlaceMention] = []
        taken = [False] * len(doc)  # tokens already inside an entity of any label
        person_words = _person_tokens(doc.ents)
        acronyms = _defined_acronyms(doc)
        credits = _credits(doc)
        bodies = listing_bodies(doc.text)

        def has_cue(start: int, end: int) -> bool:
            # The body of an itinerary line ("June 3: Darwin to Kupang") is all places and links.
            at = doc[start].idx
            return _has_cue(doc, start, end) or any(a <= at < b for a, b in bodies)

        def add(start: int, end: int, label: str) -> None:
            if start >= end:
                return
            span = doc[start:end]
            key = (span.start_char, span.end_char)
            if fold(span.text) in acronyms or _citation(doc, start, end):
                return
            if any(a <= span.start_char < b for a, b in credits):
                return
            if _names_a_day(doc, end) or _number_sign(doc, start, end):
                return
            if key not in found:
                found[key] = PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                          sentence_of(span.start_char), label)

        grown_to = 0  # a name grown over the next entities owns them ("Trinidad and Tobago")
        for ent in doc.ents:
            if ent.end <= grown_to:
                continue
            for t in range(ent.start, ent.end):
                taken[t] = True
            if ent.label_ in NEVER_PLACE_LABELS:
                # A date does not own a name the model ran into it: "June 5 - Kupang" leaves Kupang free.
                for t in range(ent.start, ent.end):
                    if _name_word(doc[t]) and fold(doc[t].text) not in NOT_PLACES:
                        taken[t] = False
                continue
            start, end = _trim(doc, ent.start, ent.end)
            owned = _after_possessive(doc, start, end)
            # "Erdoğan’s Turkey" is Turkey; "St. Paul's Rocks" is one name, its last word no place alone.
            whole = _generic(fold(doc[owned:end].text)) or self.gazetteer.contains(doc[start:end].text)
            if owned > start and not whole:
                start = owned
            start, end = _trim(doc, start, end)
            start, end = _unwrap(doc, start, end)
            if start < end and (ent.label_ in PLACE_LABELS or ent.label_ in RELABELABLE):
                grown = self._grow(doc, max(start, grown_to), end)
                if grown[1] > end:
                    grown_to = grown[1]
                start, end = grown
            for t in range(start, end):
                taken[t] = True
            if start >= end:
                continue
            text = doc[start:end].text
            if ent.label_ in PLACE_LABELS:
                if ent.label_ == "FAC" and not self.gazetteer.contains(text):
                    # A building we cannot place is noise on a map, but the place in its name is named:
                    # "the San Pedro Sula International Airport".
                    self._inner_place(doc, start, end, person_words, add)
                    continue
                if len(text) == 1 or _not_a_name(fold(text)):
                    continue
                if end - start == 1 and fold(text) in person_words and not self._prominent(doc[start:end]):
                    continue  # "Shufeldt" labelled a place once, a person's name elsewhere
                add(start, end, ent.label_)
            elif ent.label_ == "NORP" and self.gazetteer.demonym(text) is not None:
                span = doc[start:end]
                demonyms.append(PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                             sentence_of(span.start_char), "NORP"))
            elif ent.label_ in RELABELABLE:
                single = end - start == 1
                if single and fold(text) in person_words:
                    continue
                cue = has_cue(start, end)
                person = ent.label_ == "PERSON"
                if self._weighty(text, cue=cue, own=person and single) and (cue or not person):
                    add(start, end, "GAZ")
                elif ent.label_ in NAMED_AFTER_PLACES:
                    self._inner_place(doc, start, end, person_words, add)

        for start, end in _capitalised_runs(doc, taken):
            for s, e in _ngrams(start, end, self.gazetteer.max_name_tokens):
                if any(taken[s:e]) or doc[s].is_space or doc[e - 1].is_space:
                    continue
                if (s > start and doc[s - 1].is_space) or (e < end and doc[e].is_space):
                    continue  # a name wrapped over two lines is one name or none: never its first line alone
                text = doc[s:e].text
                if e - s == 1 and fold(text) in person_words:
                    continue
                # "from Robinson College": the cue is the college's; a name it is called after must be prominent.
                cue = has_cue(s, e) and not (e < end and doc[e].lower_ in INSTITUTIONS)
                # Without a cue only a prominent place will do, and a sentence's first
                # word (capitalised anyway) must be one too.
                if e - s == 1 and doc[s].is_sent_start and not self._prominent(doc[s:e]):
                    continue
                if (cue and self._weighty(text, cue=True)) or self._prominent(doc[s:e]):
                    add(s, e, "GAZ")
                    for t in range(s, e):
                        taken[t] = True
        return sorted(found.values(), key=lambda m: m.start), demonyms


def _number_sign(doc: Doc, start: int, end: int) -> bool:
    """ "No. 2", "No 10": the abbreviation of number, not a town called No."""
    if end - start != 1 or doc[start].lower_ not in ("no", "nos", "nr") or end >= len(doc):
        return False
    nxt = end + 1 if doc[end].text == "." else end
    return nxt < len(doc) and doc[nxt].like_num


def _name_word_or_abbreviation(tok) -> bool:
    return _name_word(tok) or (tok.text[:1].isupper() and tok.text.replace(".", "").isalpha())


def _growable(tok) -> bool:
    """A token a place name may run over: a capitalised word or abbreviation ("U.S."), or a connector."""
    return _name_word_or_abbreviation(tok) or tok.lower_ in CONNECTORS


def _names_a_day(doc: Doc, end: int) -> bool:
    """'St. Mark's day', 'Saint Patrick's Eve': a saint or a person whose day it is, not a place."""
    return (end + 1 < len(doc) and doc[end].tag_ == "POS"
            and doc[end + 1].lower_ in ("day", "eve", "feast", "night", "week", "mass"))


def _capitalised_runs(doc: Doc, taken):
    """Maximal runs of capitalised word tokens outside any entity, across hard line breaks."""
    start = None
    for i, tok in enumerate(doc):
        ok = not taken[i] and _name_word(tok)
        ok = ok or (start is not None and _wrap(doc, i) and not taken[i + 1])
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


def extract(doc: Doc, doc_id: str, gazetteer, *, document_date: str | None = None, text: str | None = None
            ) -> Extraction:
    """Places, people and dates of a parsed text; `document_date` (ISO) anchors "on Monday", "last week"."""
    sentences = sentences_of(doc, doc_id)
    sentence_of = sentence_finder(sentences)
    places, demonyms = Recogniser(gazetteer).places(doc, doc_id, sentence_of)
    spans = {(p.start, p.end) for p in places}
    people = find_person_mentions(doc, doc_id, sentence_of, spans)
    dates = dates_of(doc, doc_id, sentence_of, document_date=document_date, text=text)
    return Extraction(sentences, tuple(places), tuple(people), tuple(dates), tuple(demonyms))
