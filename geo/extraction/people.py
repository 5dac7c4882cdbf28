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

References (`references`): every token that stands for people. Names stand
for their person; appositions, conjunctions, relative pronouns and "X
identified as A, B and C" carry people through the parse (`people_of`).
A pronoun (he, she, his, her...) takes the nearest compatible antecedent:
in its own sentence, a subject before it, else the nearest person before it;
then, sentence by sentence backwards (up to three), that sentence's subject
first. Compatible means the same gender when one is known: from pronouns
already resolved to the person, or a gendered word describing them ("his
brother", "the female accomplice", "Mrs"). An unnamed person ("a fourth man")
can be that antecedent too, and then the pronoun stands for nobody.
A definite description ("the suspects", "the Frenchman") stands for the last
people described so, or, for a plural, the last group of people named
together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.model import Person, PersonMention
from geo.names import fold

TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "madame", "president", "minister", "general", "gen",
          "prof", "professor", "judge", "sheikh", "king", "queen", "prince", "princess", "captain", "colonel",
          "senator", "governor", "pope", "saint", "st", "lord", "imam", "rev", "father",
          # offices that head a name in news ("Defense Secretary Jim Mattis"); no common surname among them
          "secretary", "representative", "chancellor", "ambassador", "spokesman", "spokeswoman", "spokesperson",
          "chairman", "chairwoman", "commissioner", "prosecutor", "attorney", "detective", "inspector", "sergeant",
          "sgt", "lieutenant", "lt", "commander", "admiral", "premier", "ayatollah", "emir", "sen", "rep", "gov",
          "col", "capt", "supt", "ceo", "mayor", "sheriff", "archbishop", "rabbi", "chief", "executive", "director",
          "manager", "leader", "justice", "superintendent", "advocate", "editor", "correspondent", "writer", "mp"}
# Particles inside names: "Khalid el-Bakraoui", "Ludwig van Beethoven".
PARTICLES = {"el", "al", "bin", "ibn", "bint", "van", "von", "de", "da", "di", "du", "der", "den", "la", "le",
             "abu", "ben", "dos", "das", "del", "y"}
# Words that make a capitalised run an organisation, a place or a thing, not a person.
NOT_NAME_WORDS = {
    "state", "states", "office", "ministry", "group", "party", "army", "council", "bank", "university", "company",
    "inc", "ltd", "corp", "agency", "police", "force", "forces", "front", "movement", "brigade", "committee",
    "court", "department", "airlines", "news", "times", "post", "bridge", "street", "road", "house", "hall",
    "center", "centre", "airport", "station", "market", "square", "park", "church", "mosque", "hotel", "club",
    "museum", "school", "institute", "foundation", "union", "republic", "kingdom", "islamic", "united",
    "national", "international", "global", "federal", "north", "south", "east", "west", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "christmas", "easter",
    "ramadan", "god", "allah", "twitter", "facebook", "reuters", "isis", "isil", "nato", "un", "eu", "us",
    "uk", "according", "follow", "click", "comment", "reply", "share", "read", "more", "top", "cancel",
    "tower", "towers", "building", "stadium", "arena", "cathedral", "embassy", "prison", "hospital", "college",
    "academy", "division", "chamber", "authority", "team", "golf",
}
# Nouns that describe a person: an apposition with one ("X, a Russian national") makes X a person.
PERSON_NOUNS = {
    "national", "citizen", "resident", "native", "man", "woman", "boy", "girl", "child", "teenager", "person",
    "father", "mother", "son", "daughter", "brother", "sister", "husband", "wife", "cousin", "uncle", "aunt",
    "nephew", "niece", "friend", "partner", "companion", "colleague", "guide", "student", "worker",
    "journalist", "reporter", "activist", "explorer", "traveller", "traveler", "pilgrim", "refugee", "migrant",
    "soldier", "officer", "fighter", "militant", "jihadist", "suspect", "defendant", "accused", "attacker",
    "bomber", "gunman", "leader", "founder", "member", "cleric", "preacher", "imam", "doctor", "nurse",
    "teacher", "engineer", "lawyer", "writer", "author", "poet", "artist", "singer", "player", "footballer",
    "athlete", "climber", "mountaineer", "sailor", "pilot", "driver", "smuggler", "recruiter", "commander",
    "emir", "spokesman", "spokeswoman", "minister", "president", "expert", "scholar", "analyst", "accomplice",
    "businessman", "businesswoman", "photographer", "cyclist", "backpacker", "tourist", "captain", "scientist",
    "geologist", "surgeon", "volunteer", "agent", "spy", "courier", "prisoner", "detainee", "victim", "official",
    "conspirator", "co-conspirator", "associate", "accomplice", "informant", "witness", "employee", "chairman",
}
# Definite descriptions that may stand for people named before ("the suspects", "the couple").
DESCRIPTION_NOUNS = {"suspect", "man", "woman", "couple", "pair", "brother", "sister", "defendant", "accused",
                     "gunman", "duo", "trio", "boy", "girl", "teenager", "traveller", "traveler", "explorer"}
FEMALE = {"she", "her", "hers", "herself", "woman", "female", "girl", "mother", "wife", "sister", "daughter",
          "widow", "mrs", "ms", "miss", "madame", "lady", "queen", "princess", "actress", "aunt", "niece",
          "girlfriend", "businesswoman", "spokeswoman", "chairwoman", "congresswoman", "policewoman"}
MALE = {"he", "him", "his", "himself", "man", "male", "boy", "father", "husband", "brother", "son", "widower",
        "mr", "sir", "lord", "king", "prince", "uncle", "nephew", "boyfriend", "businessman", "spokesman",
        "chairman", "congressman", "policeman", "gunman", "frenchman", "englishman", "dutchman", "irishman",
        "scotsman", "welshman"}
PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
RELATIVES = {"who", "whom", "whose", "that", "which"}
NAMING_VERBS = {"identify", "name", "call", "know", "list"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
_INITIAL = re.compile(r"^[A-Z]\.$")
_BAD_CHARS = re.compile(r"[\d_@#/]")


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


# --- recognition -------------------------------------------------------------------------------

def _name_token(tok) -> bool:
    """A word that can be part of a name: capitalised (or all capitals, as filings write names),
    a particle, or an initial."""
    text = tok.text
    if _BAD_CHARS.search(text) or fold(text) in NOT_NAME_WORDS or tok.ent_type_ in ("GPE", "LOC", "NORP", "DATE"):
        return False
    if _INITIAL.match(text) or (tok.lower_ in PARTICLES and tok.pos_ == "PROPN"):
        return True
    return tok.pos_ == "PROPN" and text[:1].isupper() and text.replace("-", "").replace("'", "").isalpha()


def _name_runs(doc):
    """Maximal runs [start, end) of name words, joined by hyphens ("el-Bakraoui")."""
    i = 0
    while i < len(doc):
        if not _name_token(doc[i]) or doc[i].lower_ in PARTICLES:
            i += 1
            continue
        j = i + 1
        while j < len(doc):
            if _name_token(doc[j]):
                j += 1
            elif doc[j].text == "-" and j + 1 < len(doc) and _name_token(doc[j + 1]) and not doc[j].whitespace_:
                j += 2
            else:
                break
        while j > i + 1 and doc[j - 1].lower_ in PARTICLES:
            j -= 1
        yield i, j
        i = j


def _strip_titles(doc, start: int, end: int) -> int:
    """The start of the name after any title: "Mr", and titles of several capitalised words
    that end in a title word ("Foreign Minister", "Crown Prince", "Trade Representative")."""
    while start < end - 1 and fold(doc[start].text) in TITLES:
        start += 1
    last = max((i for i in range(start, end - 1) if fold(doc[i].text) in TITLES), default=None)
    if last is not None and all(t.text[:1].isupper() or t.text == "-" for t in doc[start:last]):
        start = last + 1  # "Vice-President Alexander Stubb", "Cuyahoga County Executive Armond Budish"
    return start


def _span_root(doc, start: int, end: int):
    """The token of [start, end) whose head lies outside it."""
    for t in doc[start:end]:
        if not (start <= t.head.i < end) or t.head is t:
            return t
    return doc[start]


def _describes_person(noun) -> bool:
    """A common noun that describes a person ("national", "gunman", "one of the attackers")."""
    lemma = noun.lemma_.lower()
    if lemma in PERSON_NOUNS or (lemma.endswith(("man", "woman")) and noun.pos_ == "NOUN"):
        return True
    if lemma == "one":  # "one of the three attackers"
        return any(c.dep_ == "prep" and any(_describes_person(g) for g in c.children if g.dep_ == "pobj")
                   for c in noun.children)
    return False


def _person_cue(doc, start: int, end: int) -> bool:
    """Does the text around a name-shaped run say it is a person?"""
    root = _span_root(doc, start, end)
    if any(_INITIAL.match(t.text) for t in doc[start + 1:end]):
        return True  # "Yusuf D.", "Bilal Yosef M."
    if start > 0 and fold(doc[start - 1].text) in TITLES - {"president", "general", "saint", "st"}:
        return True  # "Mr Smith"
    if start > 0 and doc[start - 1].pos_ == "NOUN" and doc[start - 1].lemma_.lower() in PERSON_NOUNS:
        return True  # "defendant JOHN DOE", "explorer Roald Amundsen", "his brother Khalid"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and _describes_person(root.head):
        return True  # "his brother, Khalid"
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN" and _describes_person(c):
            return True  # "X, a Russian national"
        if c.dep_ == "relcl" and any(g.lower_ in ("who", "whom", "whose") for g in c.children):
            return True  # "X, who ..."
    return False


def _not_a_person(doc, start: int, end: int) -> bool:
    """A PERSON label on what is a thing: 'the Bataclan concert hall', 'the Obama administration', 'Trump Tower'."""
    if fold(doc[end - 1].text) in NOT_NAME_WORDS:
        return True
    root = _span_root(doc, start, end)
    if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN" and root.head.i >= end:
        return start > 0 and doc[start - 1].lower_ in ("the", "a", "an")
    return False


def _trim_person(doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive; keep "D." of "Yusuf D."."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or
                           (doc[end - 1].is_punct and not _INITIAL.match(doc[end - 1].text))):
        end -= 1
    return start, end


def _candidate_spans(doc) -> list[tuple[int, int]]:
    """Token spans of people: PERSON entities grown to their name run, and runs with a person cue."""
    runs = list(_name_runs(doc))
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
        start = _strip_titles(doc, start, end)
        if _not_a_person(doc, start, end):
            continue
        spans.append((start, end))
        person_tokens.update(range(start, end))
    for start, end in runs:
        start = _strip_titles(doc, start, end)
        if not person_tokens.intersection(range(start, end)) and _person_cue(doc, start, end):
            spans.append((start, end))
    return spans


def _known_words(doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single words of the multi-word names found ("Bozkurt said" after "Abdullah Bozkurt")."""
    words = {fold(t.text) for s, e in spans if e - s >= 2 for t in doc[s:e]
             if t.text[:1].isupper() and not _INITIAL.match(t.text) and t.lower_ not in PARTICLES}
    taken = {i for s, e in spans for i in range(s, e)}
    out = []
    for start, end in _name_runs(doc):
        if taken.intersection(range(start, end)):
            continue
        if all(fold(t.text) in words for t in doc[start:end] if t.text != "-"):
            out.append((start, end))
    return out


def find_person_mentions(doc, doc_id: str, sentence_of, place_spans: set[tuple[int, int]]) -> list[PersonMention]:
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


# --- references --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Antecedent:
    """Something earlier in the text that a pronoun or description may stand for."""

    token: int
    sentence: int
    names: tuple[str, ...]  # () for an unnamed person ("a fourth man") or a thing
    person: bool  # False for a subject that is not a person: it blocks "they", not "he"
    subject: bool
    verb: int  # the clause it is the subject of (-1: not a subject)


def _mention_tokens(doc, people: tuple[Person, ...]) -> dict[int, tuple[str, ...]]:
    out = {}
    for person in people:
        for m in person.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                out[t.i] = (person.name,)
    return out


def _coordination_top(tok):
    """The first conjunct of a coordination the token sits in, through appositions."""
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head
    return tok


def _plural_verb(verb) -> bool:
    words = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(w.lower_ in ("were", "are", "have") or w.tag_ == "VBP" for w in words)


def people_of(tok, refs: dict[int, tuple[str, ...]], _seen: set[int] | None = None) -> tuple[str, ...]:
    """The people a token stands for, through names, pronouns, appositions, conjunctions,
    relative pronouns and "identified as"."""
    seen = _seen if _seen is not None else set()
    if tok.i in seen:
        return ()
    seen.add(tok.i)
    out = list(refs.get(tok.i, ()))
    if tok.lower_ in RELATIVES and tok.head.dep_ == "relcl":
        antecedent = tok.head.head
        if _plural_verb(tok.head):
            antecedent = _coordination_top(antecedent)
        out += people_of(antecedent, refs, seen)
    for c in tok.children:
        if c.dep_ in ("appos", "conj"):
            out += people_of(c, refs, seen)
        elif c.dep_ == "acl" and c.lemma_.lower() in NAMING_VERBS:
            # "German citizens identified as A, B and C"
            for g in c.subtree:
                if g.i in refs and g.dep_ in ("pobj", "oprd", "attr", "dobj", "appos"):
                    out += people_of(g, refs, seen)
    if tok.dep_ == "appos" and tok.pos_ in ("NOUN", "NUM"):
        out += people_of(tok.head, refs, seen)
    return tuple(dict.fromkeys(out))


def _subject_of(tok) -> int:
    """The verb a token is (part of) the subject of, or -1."""
    while tok.dep_ in ("compound", "flat", "appos", "conj") and tok.head is not tok:
        tok = tok.head
    return tok.head.i if tok.dep_ in SUBJECT_DEPS else -1


def _gender_cues(doc, people: tuple[Person, ...], names: dict[int, tuple[str, ...]]) -> dict[str, str]:
    """Gender from words that describe a person: titles, appositions and their adjectives, kinship."""
    out: dict[str, str] = {}
    for i, (name,) in names.items():
        tok = doc[i]
        words = [doc[i - 1]] if i > 0 and doc[i - 1].pos_ != "PRON" else []
        for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else []):
            if c.dep_ == "appos" or c is tok.head:
                words += [c] + [g for g in c.children if g.dep_ in ("amod", "compound")]
                for rel in (g for g in c.children if g.dep_ == "relcl"):
                    for attr in (g for g in rel.children if g.dep_ == "attr"):
                        words += [attr] + [g for g in attr.children if g.dep_ == "amod"]
        lemmas = {w.lower_ for w in words} | {w.lemma_.lower() for w in words}
        if lemmas & FEMALE and not lemmas & MALE:
            out.setdefault(name, "f")
        elif lemmas & MALE and not lemmas & FEMALE:
            out.setdefault(name, "m")
    return out


def _unnamed_person(tok) -> bool:
    """'a fourth man', 'a German national': a person the text does not name."""
    return (tok.pos_ == "NOUN" and tok.tag_ == "NN" and _describes_person(tok)
            and any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children)
            and tok.dep_ != "appos")


def _rank_same_sentence(cands: list[_Antecedent]) -> list[_Antecedent]:
    return sorted(cands, key=lambda a: (not a.subject, -a.token))


def _rank_earlier_sentence(cands: list[_Antecedent]) -> list[_Antecedent]:
    return sorted(cands, key=lambda a: (not a.subject, a.token))


def _pick(history: list[_Antecedent], tok, sentence: int, fits) -> _Antecedent | None:
    """Nearest compatible antecedent: own sentence (subjects first), then earlier sentences."""
    same = [a for a in history if a.sentence == sentence and a.token < tok.i and fits(a)]
    for a in _rank_same_sentence(same):
        return a
    for back in range(1, 4):
        earlier = [a for a in history if a.sentence == sentence - back and fits(a)]
        for a in _rank_earlier_sentence(earlier):
            return a
    return None


def references(doc, people: tuple[Person, ...]) -> dict[int, tuple[str, ...]]:
    """Token index -> the names of the people that token stands for (names, pronouns, descriptions)."""
    refs = _mention_tokens(doc, people)
    gender = _gender_cues(doc, people, refs)
    described: dict[str, tuple[str, ...]] = {}  # appositive noun lemma -> the people it described
    history: list[_Antecedent] = []
    for s_index, sent in enumerate(doc.sents):
        for tok in sent:
            lower = tok.lower_
            if lower in PRONOUNS and tok.pos_ == "PRON":
                want = PRONOUNS[lower]
                # "joined her": an object pronoun is not the subject of its own verb
                own_verb = tok.head.i if tok.dep_ in ("dobj", "dative", "pobj") and not lower.endswith("self") else -2
                found = _pick(history, tok, s_index, lambda a: a.person and len(a.names) <= 1 and (
                    not a.names or gender.get(a.names[0], want) == want) and a.verb != own_verb)
                if found is not None and found.names:
                    refs[tok.i] = found.names
                    gender.setdefault(found.names[0], want)
            elif lower in PLURAL_PRONOUNS:
                found = _pick(history, tok, s_index, lambda a: a.subject)
                if found is not None and len(found.names) >= 2:
                    refs[tok.i] = found.names
            elif (tok.pos_ == "NOUN" and tok.i not in refs and tok.dep_ != "appos"
                  and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                          for c in tok.children)):
                lemma = tok.lemma_.lower()
                plural = tok.tag_ == "NNS"
                if lemma in described and len(described[lemma]) >= (2 if plural else 1) and not people_of(tok, refs):
                    refs[tok.i] = described[lemma]
                elif lemma in DESCRIPTION_NOUNS and not people_of(tok, refs):
                    found = _pick(history, tok, s_index, lambda a: a.person and (
                        len(a.names) >= 2 if plural else len(a.names) <= 1))
                    if found is not None and found.names:
                        refs[tok.i] = found.names
            nominal = tok.pos_ in ("NOUN", "PROPN", "PRON") or tok.i in refs  # "Amir Said" tagged a verb
            if tok.dep_ in ("compound", "flat") or not nominal:
                continue
            names = people_of(tok, refs)
            person = bool(names) or _unnamed_person(tok)
            if person or tok.dep_ in SUBJECT_DEPS:
                verb = _subject_of(tok)
                history.append(_Antecedent(tok.i, s_index, names, person, verb >= 0, verb))
            if names and tok.dep_ == "appos" and tok.pos_ == "NOUN":
                described[tok.lemma_.lower()] = names
    return refs
