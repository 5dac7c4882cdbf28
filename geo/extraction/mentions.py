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

from dataclasses import dataclass

from geo.extraction.parsed import text_of
from geo.extraction.dates import ParsedDate, dates_of
from geo.extraction.lexicon import (
    CONNECTORS, NOT_PLACES, PART_WORDS, PLACE_CUE_NOUNS, PLACE_PREPOSITIONS,
)
from geo.extraction.listings import listing_bodies
from geo.extraction.namespans import (
    FOREIGN_PLACE_PREPOSITIONS, PLACE_LABELS, bare_string, acronym, after_possessive, capitalised_runs, citation, credit_spans, defined_acronyms, generic,
    growable, hyphen_partner, listed, name_word, name_word_or_abbreviation, names_a_day, ngrams, not_a_name, number_sign,
    link_word, person_tokens, trim, unwrap, words_say_place,
)
from geo.gazetteer.keys import is_common
from geo.gazetteer.sources import common_words
from geo.gazetteer.subdivisions import is_subdivision_code
from geo.extraction.goals import goal_names
from geo.extraction.people import feature_name, find_person_mentions, named_with_people
from geo.model import GOAL_LABEL, DateMention, PersonMention, PlaceMention, Sentence
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

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
OWNER_TOWN = 50_000  # people: a town this big is meant when it owns a name ("Derry's Altnagelvin Hospital")
SAINTS = {"st", "st.", "saint", "ste", "ste.", "san", "santa", "sainte"}
# Labels of names that often contain a place: "Kentucky State Police", "Edmonton Oilers".
NAMED_AFTER_PLACES = {"ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


@dataclass(frozen=True)
class Extraction:
    sentences: tuple[Sentence, ...]
    places: tuple[PlaceMention, ...]
    people: tuple[PersonMention, ...]
    dates: tuple[tuple[DateMention, ParsedDate], ...]
    demonyms: tuple[PlaceMention, ...] = ()  # "Turkish", "French": kept apart, used on request


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
        if not_a_name(folded):
            return False
        cands = self.gazetteer.lookup(text)
        if not cands:
            return False
        if acronym(text):
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
        while s >= 0 and start - s < longest and (s == start or growable(doc[s])):
            e = end
            while e <= len(doc) and e - s <= longest and (e == end or growable(doc[e - 1])):
                if (e - s > best[1] - best[0] and name_word_or_abbreviation(doc[s])
                        and doc[s].lower_ not in ("the", "a", "an") and name_word_or_abbreviation(doc[e - 1])):
                    text = doc[s:e].text
                    if self.gazetteer.contains(text) and self._weighty(text, cue=True):
                        best = (s, e)
                e += 1
            s -= 1
        return best

    def _country_or_area_at(self, doc: Doc, i: int) -> int:
        """The end of a country's or a first-level area's name (or a subdivision code) starting at token i,
        else i: what names the area of a place written just before it ("Tromsø Norway", "London, ON")."""
        if i >= len(doc):
            return i
        if is_subdivision_code(doc[i].text):
            return i + 1
        for e in range(min(len(doc), i + 4), i, -1):
            if not all(name_word_or_abbreviation(t) or (t.lower_ in CONNECTORS and t.i > i) for t in doc[i:e]):
                continue
            if any(c.kind == "country" or (c.kind == "admin" and not c.id.startswith("admin2:"))
                   for c in self.gazetteer.lookup(doc[i:e].text)):
                return e
        return i

    def _qualified_next(self, doc: Doc, end: int) -> bool:
        """A country or area named right after ("Tromsø Norway", "Bangor, Maine"): the name is a place's."""
        if doc[end - 1].is_stop or doc[end - 1].lower_ in PLACE_PREPOSITIONS:
            return False  # "From Liberia": a word of the sentence, not a name
        i = end + 1 if end < len(doc) and doc[end].text == "," else end
        return self._country_or_area_at(doc, i) > i

    def _parts(self, doc: Doc, start: int, end: int) -> list[tuple[int, int, bool]]:
        """The place names inside a span the gazetteer does not know whole, each with whether the span
        itself says it is a place: "Near Bangor" is Bangor, "the Cape of Good Hope to Botany Bay" two names,
        "Los Angeles CA USA" Los Angeles and USA. A span the gazetteer knows is one part."""
        if end - start < 2 or self.gazetteer.contains(doc[start:end].text):
            return [(start, end, False)]
        if doc[start].lower_ in PLACE_PREPOSITIONS and self.gazetteer.contains(doc[start + 1:end].text):
            return [(start + 1, end, True)]
        cuts = [i for i in range(start + 1, end - 1) if doc[i].text.islower() and (
            doc[i].lower_ in ("to", "and", "via", "through", "from") or doc[i].lower_ in PLACE_PREPOSITIONS
            or doc[i].lower_ in FOREIGN_PLACE_PREPOSITIONS)]
        if cuts:
            # "Londrina no Paraná", "die zweitgrößte Stadt von Deutschland": the names between the links, each
            # one the gazetteer knows; words of the sentence (lowercase) are not names.
            bounds = [start, *cuts, end]
            pieces = [trim(doc, a + (a > start), b) for a, b in zip(bounds, bounds[1:])]
            pieces = [(a, b) for a, b in pieces if a < b and not doc[a].text.islower()]
            if pieces and all(self.gazetteer.contains(doc[a:b].text) for a, b in pieces):
                return [(a, b, True) for a, b in pieces]
        for k in range(end - 1, start, -1):
            if doc[k - 1].is_punct or not self.gazetteer.contains(doc[start:k].text):
                continue  # ("Enugu ," folds like "Enugu": the name ends before its comma)
            tail, i = [], k
            while i < end:
                at = i + 1 if doc[i].text in (",", "-", "–", "/") else i  # "Enugu, Nigeria", "EU-Canada"
                j = self._country_or_area_at(doc, at)
                if j <= at:
                    break
                if not is_subdivision_code(doc[j - 1].text):
                    tail.append((at, j, True))
                i = j
            if i == end:
                return [(start, k, True), *tail]
        return [(start, end, False)]

    def _take(self, doc: Doc, start: int, end: int, label: str, cue: bool, person_words, add, add_demonym,
              place_words: frozenset[str] = frozenset(), earlier: set[str] | frozenset[str] = frozenset()) -> None:
        """One name inside an entity the model labelled `label`: a place, a demonym, or the place in its name.
        `cue`: the words around say place."""
        text = doc[start:end].text
        single = end - start == 1
        if label in PLACE_LABELS:
            if label == "FAC" and not self.gazetteer.contains(text) and feature_name(doc, start, end):
                # The model calls a bay or a fjord a building ("set out from Disko Bay"): it is a natural
                # feature's name, a place, and the resolver places it or leaves it for the user.
                add(start, end, "LOC")
            elif label == "FAC" and not self.gazetteer.contains(text):
                # A building we cannot place is noise on a map, but the place in its name is named:
                # "the San Pedro Sula International Airport".
                self._inner_place(doc, start, end, person_words, add)
            elif (not single and not self.gazetteer.contains(text) and not feature_name(doc, start, end)
                  and doc[start].lower_ not in PART_WORDS and self._inner_place(doc, start, end, person_words, add)):
                # A name the gazetteer lacks, the model's place, that holds a prominent one: a team, a party or
                # a college called after it ("Birmingham City", "Mississippi State", "Montgomery County
                # Democrats"). A lake's or a cape's name stays whole (the resolver places features), and so
                # does a part of a place ("South Atlantic" is not the Atlantic).
                return
            elif len(text) > 1 and not not_a_name(fold(text)) and not (
                    single and fold(text) in person_words and not self._prominent(doc[start:end])):
                # (not "Shufeldt", labelled a place once, a person's name elsewhere). A one-word "building" the
                # words around call a place is a town's name, unless it names a site: "passed Óbidos", "reached
                # Funchal", but "flew to Heathrow" is the airport.
                town = label == "FAC" and single and cue and not any(
                    c.kind == "site" for c in self.gazetteer.lookup(text))
                add(start, end, "GAZ" if town else label)
        elif label == "NORP" and self.gazetteer.demonym(text) is not None:
            add_demonym(start, end)
        elif label in RELABELABLE:
            if single and (fold(text) in person_words or named_with_people(doc, start, end)):
                return
            if feature_name(doc, start, end):
                # "rowed on Coniston Water", "crossed Kirkstone Pass": a lake's or a pass's name is a place's,
                # whatever the model called it; the resolver places it or leaves it for the user.
                add(start, end, "LOC")
                return
            person = label == "PERSON"
            # A person's name is a place's with a cue; without one, only when it is the whole own name of
            # a big city, a large area, a country or a region ("Belo Horizonte hosted the final"), or a word
            # the model calls a place elsewhere in the text ("Austria registered 100,000 applications" after
            # "Austria's government": one sense per document).
            elsewhere = single and fold(text) in place_words and self._prominent(doc[start:end])
            # A name found as a place earlier in the text is one again where it does not act ("set out at 10 for
            # Keswick" after "went by Penrith to Keswick"), however small the place.
            again = single and fold(text) in earlier and doc[start].dep_ not in ("nsubj", "nsubjpass", "poss")
            cue = cue or again
            if self._weighty(text, cue=cue, own=person and single) and (cue or not person or not single or elsewhere):
                add(start, end, "GAZ")
            elif label in NAMED_AFTER_PLACES:
                self._inner_place(doc, start, end, person_words, add)

    def _prominent(self, span: Span) -> bool:
        """A place known well enough to be meant without a cue: a country, a region,
        a large admin area or city; capitalised as a name, not a common word."""
        text = span.text
        if not all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in span) or span[0].lower_ in CONNECTORS:
            return False
        return self._weighty(text, cue=False)

    def _owner_place(self, doc: Doc, start: int, mark: int, end: int, person_words, add) -> None:
        """The town that owns a building or a body by name: "Derry's Altnagelvin Hospital", "Fresno's Regional
        Airport" (`mark` is the possessive's token, `end` the name's). A town by its own name and of some size
        (OWNER_TOWN): a saint's or a founder's possessive is the usual name of a hospital ("St. Mary's
        Hospital", "Guy's Hospital"), and small towns bear those names too."""
        text, folded = doc[start:mark].text, fold(doc[start:mark].text)
        if not (start < mark and end - mark > 1 and doc[end - 1].lower_ in INSTITUTIONS | PLACE_CUE_NOUNS
                and folded not in person_words and not not_a_name(folded) and doc[start].lower_ not in SAINTS):
            return
        if any(fold(c.name) == folded and (c.kind in ("country", "admin") or c.population >= OWNER_TOWN)
               for c in self.gazetteer.lookup(text)):
            add(start, mark, "GAZ")

    def _inner_place(self, doc: Doc, start: int, end: int, person_words, add) -> bool:
        """The place inside the name of an organisation or a building: "Kentucky State Police", "University
        of Toronto", "Statistics Canada", "the San Pedro Sula International Airport". A continent in the name
        places nothing: the "Mall of Asia" is in Manila, the "Africa Cup of Nations" anywhere. Whether one
        was found."""
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1  # "The Montgomery County Democrats": the county, not a town called "The Montgomery"
        for s_, e_ in ngrams(start, end, min(end - start - 1, self.gazetteer.max_name_tokens)):
            text = doc[s_:e_].text
            if any(c.id.startswith("continent:") for c in self.gazetteer.lookup(text)):
                continue
            if self._prominent(doc[s_:e_]) and fold(text) not in person_words:
                add(s_, e_, "GAZ")
                return True
        return False

    def places(self, doc: Doc, doc_id: str, sentence_of) -> tuple[list[PlaceMention], list[PlaceMention]]:
        found: dict[tuple[int, int], PlaceMention] = {}
        demonyms: list[PlaceMention] = []
        taken = [False] * len(doc)  # tokens already inside an entity of any label
        person_words = person_tokens(doc.ents)
        place_words = frozenset(fold(e.text) for e in doc.ents if e.label_ in ("GPE", "LOC"))
        acronyms = defined_acronyms(doc)
        credits = credit_spans(doc)
        bodies = listing_bodies(text_of(doc))

        found_ends = set()  # token ends of the places found so far
        found_names: set[str] = set()  # and their folded names
        bare = bare_string(doc)  # "Kendal", "amsterdam": the text is nothing but a place's name

        def has_cue(start: int, end: int) -> bool:
            # The body of an itinerary line ("June 3: Darwin to Kupang") is all places and links.
            at = doc[start].idx
            return (bare or words_say_place(doc, start, end) or any(a <= at < b for a, b in bodies)
                    or listed(doc, start, end, found_ends) or self._qualified_next(doc, end))

        def add(start: int, end: int, label: str) -> None:
            if start >= end:
                return
            span = doc[start:end]
            key = (span.start_char, span.end_char)
            if fold(span.text) in acronyms or citation(doc, start, end):
                return
            if any(a <= span.start_char < b for a, b in credits):
                return
            if names_a_day(doc, end) or number_sign(doc, start, end):
                return
            partner = hyphen_partner(doc, start, end)
            if partner is not None and not self._prominent(doc[partner[0]:partner[1]]):
                # part of a double name the model cut at its hyphen: "Cardona" of "Cardona-Ruiz" is a surname;
                # the parts of "the London-Paris train" are places, each of them one
                return
            if key not in found:
                found[key] = PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                          sentence_of(span.start_char), label)
                found_ends.add(end)
                found_names.add(fold(span.text))

        def add_demonym(start: int, end: int) -> None:
            span = doc[start:end]
            demonyms.append(PlaceMention(doc_id, span.text, span.start_char, span.end_char,
                                         sentence_of(span.start_char), "NORP"))

        grown_to = 0  # a name grown over the next entities owns them ("Trinidad and Tobago")
        for ent in doc.ents:
            if ent.end <= grown_to:
                continue
            for t in range(ent.start, ent.end):
                taken[t] = True
            if ent.label_ in NEVER_PLACE_LABELS:
                # A date does not own a name the model ran into it: "June 5 - Kupang" leaves Kupang free.
                for t in range(ent.start, ent.end):
                    if name_word(doc[t]) and fold(doc[t].text) not in NOT_PLACES:
                        taken[t] = False
                continue
            start, end = trim(doc, ent.start, ent.end)
            owned = after_possessive(doc, start, end)
            # "Erdoğan’s Turkey" is Turkey; "St. Paul's Rocks" is one name, its last word no place alone.
            whole = generic(fold(doc[owned:end].text)) or self.gazetteer.contains(doc[start:end].text)
            if owned > start and not whole:
                self._owner_place(doc, start, owned - 1, end, person_words, add)
                start = owned
            start, end = trim(doc, start, end)
            start, end = unwrap(doc, start, end)
            if start < end and (ent.label_ in PLACE_LABELS or ent.label_ in RELABELABLE):
                grown = self._grow(doc, max(start, grown_to), end)
                if grown[1] > end:
                    grown_to = grown[1]
                start, end = grown
            for t in range(start, end):
                taken[t] = True
            if start >= end:
                continue
            for s_, e_, cued in self._parts(doc, start, end):
                self._take(doc, s_, e_, ent.label_, cued or has_cue(s_, e_), person_words, add, add_demonym,
                           place_words, found_names)

        for start, end in capitalised_runs(doc, taken, any_case=bare):
            for s, e in ngrams(start, end, self.gazetteer.max_name_tokens):
                if any(taken[s:e]) or doc[s].is_space or doc[e - 1].is_space:
                    continue
                if e - s == 1 and link_word(doc[s]):
                    continue  # a link alone is no name: "of" in "District of Massachusetts" (a town in Turkey)
                if (s > start and doc[s - 1].is_space) or (e < end and doc[e].is_space):
                    continue  # a name wrapped over two lines is one name or none: never its first line alone
                text = doc[s:e].text
                if e - s == 1 and fold(text) in person_words:
                    continue
                # "from Robinson College": the cue is the college's; a name it is called after must be prominent.
                cue = has_cue(s, e) and not (e < end and doc[e].lower_ in INSTITUTIONS)
                # Without a cue only a prominent place will do, and a sentence's first
                # word (capitalised anyway) must be one too.
                if e - s == 1 and doc[s].is_sent_start and not ((bare and not doc[s].is_stop) or
                        self._prominent(doc[s:e]) or self._qualified_next(doc, e) or words_say_place(doc, s, e)):
                    continue
                if (cue and self._weighty(text, cue=True)) or self._prominent(doc[s:e]):
                    add(s, e, "GAZ")
                    for t in range(s, e):
                        taken[t] = True
        # Names no gazetteer knows, told as where someone went ("walked to Rydal and Grasmere"): geo.extraction.goals.
        def known(start: int, end: int) -> bool:
            a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            return any(s < b and a < e for s, e in found)

        common = common_words()
        for start, end in goal_names(doc, known, person_words, lambda w: is_common(w, common) or not_a_name(w)):
            add(start, end, GOAL_LABEL)
        return sorted(found.values(), key=lambda m: m.start), demonyms


def sentences_of(doc: Doc, doc_id: str) -> tuple[Sentence, ...]:
    text = text_of(doc)  # (a slice of the text, not a Span's text built token by token)
    return tuple(Sentence(doc_id, s.start_char, s.end_char, text[s.start_char:s.end_char]) for s in doc.sents)


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
    # A name only its context calls a place may yet be a person's ("worrying about Russia and Stormy Daniels"):
    # it stays one until the route places it (geo.geocoding.between).
    spans = {(p.start, p.end) for p in places if p.label != GOAL_LABEL}
    people = find_person_mentions(doc, doc_id, sentence_of, spans)
    dates = dates_of(doc, doc_id, sentence_of, document_date=document_date, text=text)
    return Extraction(sentences, tuple(places), tuple(people), tuple(dates), tuple(demonyms))
