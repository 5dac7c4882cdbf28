"""Rules over the tokens of a parsed text for place names: where a name starts and ends, what around it
says place, and what is never a place (a number sign, a citation, a picture credit, a saint's day). Pure
functions of a spaCy Doc; the recogniser (``mentions``) applies them with the gazetteer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.extraction.parsed import text_of
from geo.extraction.lexicon import (
    CONNECTORS, CREDIT_LINKS, CREDIT_WORDS, GENERIC_FEATURES, NAMES_OF_OTHER_THINGS, MOTION, NOT_PLACES, PLACE_CUE_NOUNS,
    PLACE_PREPOSITIONS,
)
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Prepositions of place in the other languages geoparsers' own tests are written in (Portuguese, Spanish,
# French, German, Italian): "em Campinas", "nach Hamburg". A cue only for a capitalised name the gazetteer has.
FOREIGN_PLACE_PREPOSITIONS = {
    "em", "no", "na", "nos", "nas", "para", "pelo", "pela", "en", "desde", "hacia", "à", "au", "aux", "vers",
    "nach", "aus", "bei", "im", "nel", "nella", "per", "da",
}
# Lowercase words inside a place name, across languages: "Rio Grande do Sul", "Stratford-upon-Avon".
# ("of": a feature named for what it is of, "the Cape of Good Hope", "the Bay of Biscay", "the Isle of Skye")
NAME_LINKS = {"de", "do", "da", "dos", "das", "del", "di", "du", "des", "la", "le", "el", "al", "upon", "on",
              "von", "van", "der", "den", "y", "-", "of"}

# A line at least this long that breaks inside a sentence was wrapped by its writer's tool, not ended:
# Gutenberg texts and e-mails wrap near 70 characters, while list items and headings are short.
WRAP_WIDTH = 40


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading article or quote and a trailing possessive, punctuation or blank lines
    ("Crossing of Greenland" and the blank line after a heading)."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].lower_ in ("'s", "’s", "'", "’")):
        end -= 1
    return start, end


def name_word(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def wrap(doc: Doc, i: int) -> bool:
    """Token i is a hard line break inside running text: a single newline ending a long line, followed by a
    capitalised word that does not start a sentence of its own ("of Porto\nPraya was")."""
    tok = doc[i]
    if not tok.is_space or tok.text.count("\n") != 1 or i == 0 or i + 1 >= len(doc):
        return False
    line_start = text_of(doc).rfind("\n", 0, tok.idx) + 1
    after = doc[i + 1]
    return tok.idx - line_start >= WRAP_WIDTH and name_word(after) and not after.is_stop


def unwrap(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name the model cut at a hard line break, grown across it: "Porto" + "\nPraya" is "Porto\nPraya"."""
    while end < len(doc) and wrap(doc, end):
        end += 2
        while end < len(doc) and name_word(doc[end]):
            end += 1
    while start >= 2 and wrap(doc, start - 1) and name_word(doc[start - 2]):
        start -= 2
        while start >= 1 and name_word(doc[start - 1]):
            start -= 1
    return start, end


def generic(folded: str) -> bool:
    """A word for a kind of place alone ("Sea", "the Shore", "Rocks") names none in particular. Only one word:
    "Cape Town", "Cape Coast" and "Rock Island" are made of such words and are places."""
    words = [w for w in folded.split() if w not in ("the", "a", "an")]
    return len(words) == 1 and words[0] in GENERIC_FEATURES


def not_a_name(folded: str) -> bool:
    return folded in NOT_PLACES or folded in NAMES_OF_OTHER_THINGS or generic(folded) or len(folded) < 2


def acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def citation(doc: Doc, start: int, end: int) -> bool:
    """A law report or code between a volume and a page or section: "314 U.S. 160", "42 U.S.C. § 1983"."""
    return (start > 0 and doc[start - 1].like_num and end < len(doc)
            and (doc[end].like_num or doc[end].text in ("§", "§§")))


_DEFINED = re.compile(r"(?<=\S) ?\(([A-Z][A-Z.]{1,9})\)")


def defined_acronyms(doc: Doc) -> set[str]:
    """Acronyms the text defines for something that is not a place: "Customs Enforcement (ICE)"."""
    out = set()
    for m in _DEFINED.finditer(text_of(doc)):
        if not acronym(m.group(1)):
            continue
        before = doc.char_span(m.start() - 1, m.start(), alignment_mode="expand")
        named = before[-1] if before is not None and len(before) else None
        if named is not None and name_word(named) and named.ent_type_ not in PLACE_LABELS:
            out.add(fold(m.group(1)))
    return out


_CREDIT = re.compile(r"(?im)^[ \t>*•\-]*[(\[]?(?:%s)\b[^\n:]{0,20}?(?::|\bby\b)[^\n]*|[(\[](?:%s)\b[^)\]\n]*[)\]]"
                     % ("|".join(sorted(CREDIT_WORDS)), "|".join(sorted(CREDIT_WORDS))))


def credit_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of picture credits ("Photo: Reuters/Jane Doe", "(Photograph by Jane Doe)"): names
    only after the credit word. A caption ("Photo: Protesters march in Cairo", "Photo: the harbour of
    Valletta") has common words and is not a credit."""
    out = []
    for m in _CREDIT.finditer(text_of(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        words = [t for t in span[1:] if not (t.is_space or t.text in ":()[]")]
        if words and all(t.text[:1].isupper() or t.like_num or t.lower_ in CREDIT_LINKS for t in words):
            out.append((m.start(), m.end()))
    return out


def hyphen_partner(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The capitalised word a name is joined to by a hyphen with no space, outside the name: "Ruiz" for
    "Cardona" in "Cardona-Ruiz", "Paris" for "London" in "the London-Paris train"; None when there is none."""
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_ \
            and doc[end + 1].text[:1].isupper():
        return end + 1, end + 2
    if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ \
            and not doc[start - 1].whitespace_ and doc[start - 2].text[:1].isupper():
        return start - 2, start - 1
    return None


def after_possessive(doc: Doc, start: int, end: int) -> int:
    """'Erdoğan’s Turkey' -> the token after the last possessive marker."""
    for i in range(end - 1, start - 1, -1):
        if doc[i].tag_ == "POS" or doc[i].lower_ in ("'s", "’s"):
            return i + 1
    return start


def _place_cue(tok) -> bool:
    """A preposition of place, or "by" as the way a verb of motion went ("returned by Hawkshead"; not the
    agent of a passive, "was stopped by Turkey")."""
    word = tok.lower_
    if word in PLACE_PREPOSITIONS or word in FOREIGN_PLACE_PREPOSITIONS:
        return True
    if word == "as" and tok.i >= 2 and tok.doc[tok.i - 1].lower_ == "far" and tok.doc[tok.i - 2].lower_ == "as":
        return True  # "as far as Whitby"
    head = tok.head
    return (word == "by" and head.pos_ == "VERB" and head.lemma_.lower() in MOTION
            and not any(c.dep_ == "auxpass" for c in head.children))


DASHES = {"-", "--", "–", "—", "―"}


def dateline_name(doc: Doc, start: int, end: int, qualifier_words: int = 4) -> bool:
    """A name in capitals that opens a line, then a dash or an agency, maybe after its state: the dateline of a
    news story or a release ("IMMOKALEE – Congressman ...", "BEIRUT (AP) —", "PLEASANTON, Calif.--"). Only in
    capitals: a heading in ordinary case before a dash ("Summary – ...") is not a place."""
    span = doc[start:end]
    if not all(t.is_alpha and t.text.isupper() and len(t.text) > 1 or t.is_punct for t in span):
        return False
    if start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        return False
    i = end
    if i < len(doc) and doc[i].text == ",":  # "PLEASANTON, Calif." / "DUBLIN, Ohio,"
        i += 1
        while i < len(doc) and i <= end + qualifier_words and (doc[i].text[:1].isupper() or doc[i].text == "."):
            i += 1
        i += i < len(doc) and doc[i].text == ","
    return i < len(doc) and (doc[i].text in DASHES or doc[i].text == "(")


def words_say_place(doc: Doc, start: int, end: int) -> bool:
    """Does the context around tokens [start, end) say this is a place?"""
    if dateline_name(doc, start, end):
        return True
    i = start - 1
    # A hard-wrapped text (a journal set at 70 columns) may break its line between the cue and the name.
    while i >= 0 and (doc[i].lower_ in ("the", "a", "an") or doc[i].is_quote or doc[i].is_space):
        i -= 1
    if i >= 0:
        prev = doc[i].lower_
        if _place_cue(doc[i]):
            return True
        if prev in _LIST_LINKS and _list_after_cue(doc, i, end):
            return True
        if prev in ("called", "named") and i >= 1 and doc[i - 1].lower_ in PLACE_CUE_NOUNS:
            return True  # "a town called Ballarat"
        if prev == "of" and i >= 1 and doc[i - 1].lower_ in PLACE_CUE_NOUNS:
            return True  # "the border province of X"
        if prev in PLACE_CUE_NOUNS:
            return True  # "the border town X"
    if end < len(doc):
        nxt = doc[end].lower_
        if nxt in PLACE_CUE_NOUNS and nxt not in ("state", "republic"):
            return True  # "X province", "X airport"
        if nxt in ("is", "was", "'s") and _is_a_place(doc[end + 1:end + 5]):
            return True  # "Oxford is home to...", "Reno is a city in Nevada"
        if nxt == ",":
            # "X, a Syrian border town" / "X, Turkey"
            window = [t.lower_ for t in doc[end + 1:end + 7]]
            if window and window[0] in ("a", "an", "the") and any(w in PLACE_CUE_NOUNS for w in window):
                return True
    return False


def _list_after_cue(doc: Doc, link: int, end: int, items: int = 6, words: int = 4) -> bool:
    """Is the link at `link` (before a name ending at `end`) inside a list of names that opens after a
    preposition of place? The cue before a list's first item holds for every item: "went to Hawkshead and
    Coniston", "by Rydal, Grasmere and Keswick", whatever the gazetteer or the model made of the first ones.
    A list has its "and" or "or": "in London, ON" is a name and its province code, not a list."""
    conjunction = False
    for t in doc[end:end + 2 * items]:  # the list's items after this one, up to where it ends
        if not (t.lower_ in _LIST_LINKS or name_word(t)):
            break
        conjunction = conjunction or t.lower_ in _CONJUNCTIONS
    i = link
    for _ in range(items):
        while i >= 0 and doc[i].lower_ in _LIST_LINKS:
            conjunction = conjunction or doc[i].lower_ in _CONJUNCTIONS
            i -= 1
        run = 0
        while i >= 0 and run < words and name_word(doc[i]):
            i, run = i - 1, run + 1
        if not run or i < 0:
            return False
        if _place_cue(doc[i]):
            return conjunction
        if doc[i].lower_ not in _LIST_LINKS:
            return False
    return False


BARE_WORDS = 4  # a text of at most this many words is a place string ("Kendal", "amsterdam", "Houston TX USA")


def bare_string(doc: Doc) -> bool:
    """The whole text is a short string with no sentence in it: an address, a place typed into a form."""
    if len(doc) > 3 * BARE_WORDS:  # a text, not a string: nothing to count
        return False
    words = [t for t in doc if t.is_alpha]
    if not 0 < len(words) <= BARE_WORDS or any(t.pos_ in ("VERB", "AUX", "PRON") for t in doc):
        return False
    # A sentence ends with its stop and has words of a sentence ("We met Darwin there."); a place string has
    # neither, but for the links inside names ("Isle of Man", "The Hague", "Rio Grande do Sul").
    if len(doc) > 1 and doc[-1].text in (".", "!", "?"):
        return False
    return not any(t.is_stop and t.lower_ not in NAME_LINKS | {"of", "the", "and"} for t in words)


def _is_a_place(words) -> bool:
    """ "home to ...", "a city ...", "the capital of ...", "the largest town ...": what a place is said to be."""
    lowered = [t.lower_ for t in words]
    if lowered[:2] == ["home", "to"]:
        return True
    while lowered and (lowered[0] in ("a", "an", "the") or lowered[0].endswith("est")):
        lowered = lowered[1:]
    return bool(lowered) and lowered[0] in PLACE_CUE_NOUNS


def person_tokens(ents) -> set[str]:
    """Folded single words of multi-word person names: their given names and surnames are not places
    ("Grace" after "Grace Hopper", "Shufeldt" after "Robert Shufeldt"). A place a name says one is from
    ("Al-Bushri of Ceuta") stays a place. (Single words the model calls PERSON are not counted: it calls
    Eton, Jaffa and Godthaab so.)"""
    words = set()
    for ent in ents:
        if ent.label_ == "PERSON" and ent.start > 0:
            prev = ent.doc[ent.start - 1]
            before = ent.doc[prev.i - 1] if prev.i > 0 else None
            if (prev.dep_ == "compound" and ent.start <= prev.head.i < ent.end and prev.pos_ == "PROPN"
                    and prev.is_title and not prev.ent_type_
                    and (before is None or before.pos_ not in ("ADP", "DET", "PROPN"))):  # (not "in Charge")
                words.add(fold(prev.text))  # "Amelia Earhart", where the model took only "Earhart"
        # ("Near Bangor" is the model's slip, not a person's name: a name starts with no preposition)
        if ent.label_ == "PERSON" and len(ent) >= 2 and ent[0].lower_ not in PLACE_PREPOSITIONS:
            for t in ent:
                if t.lower_ in ("of", "from"):
                    break
                if t.is_alpha and len(t.text) > 1:
                    words.add(fold(t.text))
    return words


_LIST_LINKS = {",", "and", "or", "&"}
_CONJUNCTIONS = {"and", "or", "&"}


def listed(doc: Doc, start: int, end: int, found_ends) -> bool:
    """An item of a list of places: "Lima, Quito, Bogotá and Caracas", "Cork, Bergen and Kazan". Its
    neighbour across a comma or "and" is a place found already or one the model labelled, and the item
    ends where list items end ("the east coast, Cook turned west" is no list)."""
    i = start - 1
    while i >= 0 and doc[i].lower_ in _LIST_LINKS:
        i -= 1
    ends_item = end >= len(doc) or doc[end].lower_ in _LIST_LINKS or doc[end].is_punct or doc[end].is_space
    if (i < start - 1 and i >= 0 and ends_item and name_word_or_abbreviation(doc[i])
            and (i + 1 in found_ends or doc[i].ent_type_ in PLACE_LABELS)):
        return True
    j = end
    while j < len(doc) and doc[j].lower_ in _LIST_LINKS:
        j += 1
    return end < j < len(doc) and doc[j].ent_iob_ == "B" and doc[j].ent_type_ in PLACE_LABELS


def number_sign(doc: Doc, start: int, end: int) -> bool:
    """ "No. 2", "No 10": the abbreviation of number, not a town called No."""
    if end - start != 1 or doc[start].lower_ not in ("no", "nos", "nr") or end >= len(doc):
        return False
    nxt = end + 1 if doc[end].text == "." else end
    return nxt < len(doc) and doc[nxt].like_num


def name_word_or_abbreviation(tok) -> bool:
    return name_word(tok) or (tok.text[:1].isupper() and tok.text.replace(".", "").isalpha())


def growable(tok) -> bool:
    """A token a place name may run over: a capitalised word or abbreviation ("U.S."), or a connector."""
    return name_word_or_abbreviation(tok) or tok.lower_ in CONNECTORS


def names_a_day(doc: Doc, end: int) -> bool:
    """'St. Mark's day', 'Saint Patrick's Eve': a saint or a person whose day it is, not a place."""
    return (end + 1 < len(doc) and doc[end].tag_ == "POS"
            and doc[end + 1].lower_ in ("day", "eve", "feast", "night", "week", "mass"))


def link_word(tok) -> bool:
    """A lowercase word that only links the words of a name ("do" of "Rio Grande do Sul", "of")."""
    return tok.lower_ in NAME_LINKS and tok.text.islower()


def capitalised_runs(doc: Doc, taken, any_case: bool = False):
    """Maximal runs of capitalised word tokens outside any entity, across hard line breaks and the
    lowercase links inside names ("Rio Grande do Sul"); with `any_case`, of any words."""
    start = None
    for i, tok in enumerate(doc):
        ok = not taken[i] and (name_word(tok) or (any_case and tok.is_alpha))
        ok = ok or (start is not None and wrap(doc, i) and not taken[i + 1])
        ok = ok or (start is not None and tok.lower_ in NAME_LINKS and tok.text.islower() and i + 1 < len(doc)
                    and not taken[i + 1] and name_word(doc[i + 1]))
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(doc)


def ngrams(start: int, end: int, longest: int):
    """Sub-spans of [start, end), longest first, left to right."""
    for n in range(min(longest, end - start), 0, -1):
        for s in range(start, end - n + 1):
            yield s, s + n
