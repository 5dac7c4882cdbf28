"""One Person per real person, however the text names them, and what refers to them.

Recognition does not trust the model's PERSON label alone (measured on the
seed: "Jalilov" found without "Akbarzhon", "Rakhmat Akilov" labelled ORG,
"Bilal Yosef M." missed, "Bataclan" labelled PERSON). A run of name-shaped
words is a person when the model says so, or when the text does: a name with
an initial ("Yusuf D."), an apposition that describes a person ("X, a Russian
national", "his brother X"), a relative clause with "who", a title ("Mr X"),
a role noun before it ("defendant X"). A name the model calls PERSON is not
one when it modifies a common noun after an article ("the X concert hall").
Once a full name is known, its words alone ("Bozkurt said") are that person.

Grouping: a later, shorter mention ("Bozkurt", "Jalilov") is the same person
as an earlier, fuller one when its words are a part of the fuller name; the
fullest name the text gives becomes the person's name. Two people who share
a surname ("Ibrahim El Bakraoui", "Khalid el-Bakraoui") stay apart because
their given names differ; a bare shared surname goes to the one mentioned
last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re

from geo.extraction.lexicon import (
    LIFE_VERBS, NOT_NAME_WORDS, PARTICLES, PERSON_NOUNS, PLACE_FEATURE_WORDS, PLACE_HEAD_WORDS, TITLES,
)
from geo.model import Person, PersonMention
from geo.names import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_INITIAL = re.compile(r"^[A-Z]\.$")
_BAD_CHARS = re.compile(r"[\d_@#/]")


def name_words(name: str) -> tuple[str, ...]:
    """Folded words of a name without titles; 'el-Bakraoui' and 'El Bakraoui' agree. A surname that is also
    a title word is the name after a rank: "Captain King" is King (a bare "King" names no one)."""
    words = fold(name).split()
    kept = tuple(w for w in words if w not in TITLES)
    return kept or (tuple(words[-1:]) if len(words) >= 2 else ())


def _is_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Every word of the short name appears in the full one, in order."""
    it = iter(full)
    # an initial is one letter ("Yusuf D."); "Gi" of Empress Gi is a name, not Gibb's initials
    return bool(short) and all(any(w == f or (len(w) == 1 and f.startswith(w)) for f in it) for w in short)


_FEMALE_BEFORE = re.compile(r"(?:\b(?:mrs|ms|miss|madam|madame|lady)\.?|\b(?:wife|mother|sister|daughter|widow|"
                            r"grandmother|aunt|niece)\b,?)\s*$", re.IGNORECASE)
_MALE_BEFORE = re.compile(r"(?:\b(?:mr|sir|lord)\.?|\b(?:husband|father|brother|son|widower|grandfather|uncle|"
                          r"nephew)\b,?)\s*$", re.IGNORECASE)


def _gender_said(m: PersonMention) -> str | None:
    """'f' or 'm' when the words right before a name say so ("Ms. Ramírez", "his wife Ana Ramírez")."""
    before = m.sentence.text[max(0, m.start - m.sentence.start - 24):max(0, m.start - m.sentence.start)]
    if _FEMALE_BEFORE.search(before):
        return "f"
    if _MALE_BEFORE.search(before):
        return "m"
    return None


def group_people(mentions: list[PersonMention]) -> tuple[Person, ...]:
    """Group person mentions in reading order into Persons (first appearance order)."""
    people: list[dict] = []  # {"words", "name", "aliases", "mentions", "last"}
    for i, m in enumerate(sorted(mentions, key=lambda m: m.start)):
        words = name_words(m.text)
        if not words:
            continue
        match = None
        said = _gender_said(m)
        for p in people:
            if words == p["words"] or _is_part(words, p["words"]) or _is_part(p["words"], words):
                if said and p.get("gender") and p["gender"] != said:
                    continue  # "Mr. Ramírez" is not "his wife Ana Ramírez"
                if match is None or p["last"] > match["last"]:
                    match = p
        if match is None:
            people.append({"words": words, "name": m.text, "aliases": [], "mentions": [m], "last": i, "gender": said})
            continue
        match["gender"] = match.get("gender") or said
        if len(words) > len(match["words"]):
            match["aliases"].append(match["name"])
            match["name"], match["words"] = m.text, words
        elif m.text != match["name"] and m.text not in match["aliases"]:
            match["aliases"].append(m.text)
        match["mentions"].append(m)
        match["last"] = i
    return tuple(Person(p["name"], tuple(p["aliases"]), tuple(p["mentions"])) for p in people)


# --- recognition -------------------------------------------------------------------------------

def _name_token(tok: Token) -> bool:
    """A word that can be part of a name: capitalised (or all capitals, as filings write names),
    a particle, or an initial."""
    text = tok.text
    if tok.pos_ != "PROPN" and not (len(text) == 2 and _INITIAL.match(text)):
        return False  # (the cheap test first: most words are no proper noun)
    if _BAD_CHARS.search(text) or fold(text) in NOT_NAME_WORDS or tok.ent_type_ in ("GPE", "LOC", "NORP", "DATE"):
        return False
    if _INITIAL.match(text) or (tok.lower_ in PARTICLES and tok.pos_ == "PROPN"):
        return True
    return tok.pos_ == "PROPN" and text[:1].isupper() and text.replace("-", "").replace("'", "").isalpha()


def _name_runs(doc: Doc) -> list[tuple[int, int]]:
    """Maximal runs [start, end) of name words, joined by hyphens ("el-Bakraoui"); read once per document."""
    kept = doc.user_data.get("geo.name_runs")
    if kept is None:
        kept = doc.user_data["geo.name_runs"] = list(_read_name_runs(doc))
    return kept


def _read_name_runs(doc: Doc):
    i = 0
    while i < len(doc):
        if not _name_token(doc[i]) or doc[i].lower_ in PARTICLES:
            i += 1
            continue
        j = i + 1
        while j < len(doc):
            if _name_token(doc[j]):
                j += 1
            elif (doc[j].text == "-" and j + 1 < len(doc) and not doc[j].whitespace_
                  and (_name_token(doc[j + 1]) or _hyphened_part(doc, j + 1))):
                j += 2
            else:
                break
        while j > i + 1 and doc[j - 1].lower_ in PARTICLES:
            j -= 1
        yield i, j
        i = j


# Lower-case parts of transliterated names: "Jamal-ad-Din", "Nasir-ud-Din".
_NAME_LINKS = {"ad", "ud", "ul", "ed", "ar", "as", "az", "at", "al", "el", "un", "i", "e"}


def _hyphened_part(doc: Doc, k: int) -> bool:
    """A lower-case word after a hyphen that is still part of a name: a link of a transliterated name
    ("Jamal-ad-Din"), or a word no English spelling has ("Togon-temür"); not "Nansen-led"."""
    tok = doc[k]
    if not tok.is_alpha or tok.whitespace_ and tok.lower_ in _NAME_LINKS:
        return False
    linked = tok.lower_ in _NAME_LINKS and k + 2 < len(doc) and doc[k + 1].text == "-" and not tok.whitespace_
    return linked or tok.text[:1].isupper() or (not tok.text.isascii() and tok.text.isalpha())


def _strip_titles(doc: Doc, start: int, end: int) -> int:
    """The start of the name after any title: "Mr", and titles of several capitalised words
    that end in a title word ("Foreign Minister", "Crown Prince", "Trade Representative")."""
    first = start
    while start < end - 1 and fold(doc[start].text) in TITLES:
        start += 1
    last = max((i for i in range(start, end - 1) if fold(doc[i].text) in TITLES), default=None)
    if last is not None and all(t.text[:1].isupper() or t.text == "-" for t in doc[start:last]):
        start = last + 1  # "Vice-President Alexander Stubb", "Cuyahoga County Executive Armond Budish"
    if start > first and start == end - 1 and fold(doc[start].text) in TITLES:
        return start - 1  # a surname that is a title word too keeps its rank: "Captain King" (see name_words)
    return start


def _span_root(doc: Doc, start: int, end: int):
    """The token of [start, end) whose head lies outside it."""
    for t in doc[start:end]:
        if not (start <= t.head.i < end) or t.head.i == t.i:
            return t
    return doc[start]


def describes_person(noun: Token) -> bool:
    """A common noun that describes a person ("national", "gunman", "one of the attackers")."""
    lemma = noun.lemma_.lower()
    if lemma in PERSON_NOUNS or (lemma.endswith(("man", "woman")) and noun.pos_ == "NOUN"):
        return True
    if lemma == "one":  # "one of the three attackers"
        return any(c.dep_ == "prep" and any(describes_person(g) for g in c.children if g.dep_ == "pobj")
                   for c in noun.children)
    return False


def _person_cue(doc: Doc, start: int, end: int) -> bool:
    """Does the text around a name-shaped run say it is a person?"""
    root = _span_root(doc, start, end)
    if any(_INITIAL.match(t.text) for t in doc[start + 1:end]):
        return True  # "Yusuf D.", "Bilal Yosef M."
    if start > 0 and fold(doc[start - 1].text) in TITLES - {"president", "general", "saint", "st"}:
        return True  # "Mr Smith"
    if start > 0 and doc[start - 1].pos_ == "NOUN" and doc[start - 1].lemma_.lower() in PERSON_NOUNS:
        return True  # "defendant JOHN DOE", "explorer Roald Amundsen", "his brother Khalid"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and describes_person(root.head):
        return True  # "his brother, Khalid"
    if named_with_people(doc, start, end):
        return True  # "their children Omar and Lina": Lina too
    if (end - start >= 2 and root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in LIFE_VERBS
            and not any(t.ent_type_ for t in doc[start:end]) and all(t.is_title for t in doc[start:end])):
        return True  # "Tunde Adeyemi was born in Lagos": a full name the model left unlabelled, living a life
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN" and describes_person(c):
            return True  # "X, a Russian national"
        if c.dep_ == "relcl" and any(g.lower_ in ("who", "whom", "whose") for g in c.children):
            return True  # "X, who ..."
    return False


def _aged(doc: Doc, end: int) -> bool:
    """A name followed by an age between commas, as the press writes a person's: "Peter Hall, 52, of Tulsa"."""
    return (end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].text.isdigit()
            and 0 < int(doc[end + 1].text) < 120 and doc[end + 2].text in (",", ")", "."))


def named_with_people(doc: Doc, start: int, end: int) -> bool:
    """A name conjoined with a person's under a word for people: "their children Omar and Lina", "their two
    children, Daniel, 9, and Sofía, 5" (Sofía, though a capital is called so, is a child)."""
    top = root = _span_root(doc, start, end)
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    return top is not root and top.ent_type_ == "PERSON" and (
        (top.dep_ == "appos" and top.head.pos_ == "NOUN" and describes_person(top.head))
        or (top.i > 0 and doc[top.i - 1].pos_ == "NOUN" and describes_person(doc[top.i - 1])))


def feature_name(doc: Doc, start: int, end: int) -> bool:
    """A name of two words or more whose last word says what kind of place it is, all in capitals as a
    name: "Sermilik Fjord", "Coniston Water", "Kirkstone Pass" (not "the water")."""
    return (end - start >= 2 and fold(doc[end - 1].text) in PLACE_FEATURE_WORDS
            and all(t.text[:1].isupper() for t in doc[start:end]))


def _not_a_person(doc: Doc, start: int, end: int) -> bool:
    """A PERSON label on what is a thing: 'the Bataclan concert hall', 'the Obama administration', 'Trump Tower',
    a place named by its feature ('Sermilik Fjord', 'Porto Praya'), or initials alone ('R. N.')."""
    if fold(doc[end - 1].text) in NOT_NAME_WORDS:
        # unless the words around say person: a surname that is also a word for a building or a body ("Peter
        # Hall, 52,", "Mr. Street", "a carpenter, John Church")
        return not (_person_cue(doc, start, end) or _aged(doc, end))
    if feature_name(doc, start, end) or (end - start >= 2 and fold(doc[start].text) in PLACE_HEAD_WORDS):
        return True
    if all(_INITIAL.match(t.text) for t in doc[start:end]):
        return True
    root = _span_root(doc, start, end)
    if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN" and root.head.i >= end:
        return start > 0 and doc[start - 1].lower_ in ("the", "a", "an")
    return False


def _trim_person(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive; keep "D." of "Yusuf D."."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or
                           (doc[end - 1].is_punct and not _INITIAL.match(doc[end - 1].text))):
        end -= 1
    return start, end


def _candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans of people: PERSON entities grown to their name run, and runs with a person cue."""
    runs = _name_runs(doc)
    spans = []
    person_tokens = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end = _trim_person(doc, ent.start, ent.end)
        if start >= end or any(_BAD_CHARS.search(t.text) for t in doc[start:end]):
            continue
        # Grow to the run of name words around it: "Jalilov" -> "Akbarzhon Jalilov".
        for rs, re_ in runs:
            if rs < end and start < re_:
                start, end = min(start, rs), max(end, re_)
        if end - start == 1 and start > 0 and {fold(doc[start - 1].text), fold(doc[start].text)} <= TITLES:
            start -= 1  # "Captain King": the rank says the title word after it is a surname
        start = _strip_titles(doc, start, end)
        if _not_a_person(doc, start, end):
            continue
        spans.append((start, end))
        person_tokens.update(range(start, end))
    for start, end in runs:
        start = _strip_titles(doc, start, end)
        if person_tokens.intersection(range(start, end)):
            continue
        if all(_INITIAL.match(t.text) for t in doc[start:end]):
            continue  # "R. N." after a name is a rank, not a second person
        if _person_cue(doc, start, end) or _listed_with_people(doc, start, end, person_tokens):
            spans.append((start, end))
    return spans


def _listed_with_people(doc: Doc, start: int, end: int, person_tokens: set[int]) -> bool:
    """A name of two words or more coordinated with a person: "Samuel Balto and Ole Nielsen Ravna"."""
    if end - start < 2:
        return False
    root = _span_root(doc, start, end)
    linked = [root.head] if root.dep_ == "conj" else []
    linked += [c for c in root.children if c.dep_ == "conj"]
    return any(t.i in person_tokens for t in linked)


def _known_words(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Words of the names found, wherever else they stand alone: "Bozkurt said" after "Abdullah Bozkurt",
    and a one-word name the model calls a person once and an organisation or a nationality elsewhere
    ("Nansen", "Shufeldt")."""
    words = {fold(t.text) for s, e in spans for t in doc[s:e]
             if (t.text[:1].isupper() or (t.i > s and doc[t.i - 1].text == "-"))  # "Togon-temür"
             and not _INITIAL.match(t.text) and t.lower_ not in PARTICLES}
    taken = {i for s, e in spans for i in range(s, e)}
    out = []
    for start, end in _name_runs(doc):
        if taken.intersection(range(start, end)):
            continue
        if all(fold(t.text) in words for t in doc[start:end] if t.text != "-"):
            out.append((start, end))
            taken.update(range(start, end))
    for tok in doc:  # a known surname the model labelled a nationality, so no run holds it
        if (tok.i not in taken and tok.pos_ == "PROPN" and tok.ent_type_ == "NORP" and tok.text[:1].isupper()
                and fold(tok.text) in words and fold(tok.text) not in NOT_NAME_WORDS):
            out.append((tok.i, tok.i + 1))
    return out


def find_person_mentions(doc: Doc, doc_id: str, sentence_of, place_spans: set[tuple[int, int]]) -> list[PersonMention]:
    """People named in a parsed text, in reading order, without the spans that are places."""
    spans = _candidate_spans(doc)
    spans += _known_words(doc, spans)
    out = []
    for start, end in sorted(set(spans)):
        span = doc[start:end]
        if any(s < span.end_char and span.start_char < e for s, e in place_spans):
            continue
        out.append(PersonMention(doc_id, span.text, span.start_char, span.end_char, sentence_of(span.start_char)))
    return out
