"""The date reader: every time expression of a parsed text, with its TIMEX3 value and its route date.

One reader for the `geo dates` command (TIMEX3, as TempEval-3 scores it) and for the routes
(`geo.extraction.dates.dates_of`): both read the same `Timex` objects.

1. Spans. The rules of `geo.extraction.timerules` read the text; spaCy's DATE and TIME entities
   that no rule read are kept when their words are a time the rules know once trimmed ("the day",
   "the year"). What needs the parse is checked here: "current" and "recent" are times only as
   adjectives; a year before a plural noun is a count ("2000 soldiers"); a bare day ("on 18 and
   Jerusalem on 24 June") is one only when the sentence names its month after it, and takes it.
2. Values. In reading order, each expression is anchored by the narrative clock
   (`geo.extraction.clock`): the document's date for deictic ones, the narrative's last time for
   the others, news or narrative as the text reads. The tense of the verb an expression hangs from
   says on which side of the document date an incomplete date falls in news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from geo.extraction.parsed import text_of
from geo.extraction.clock import Clock, Resolved, is_news
from geo.extraction.timefind import find, time_words
from geo.extraction.timewords import Found, Reading
from geo.extraction.timevalue import ParsedDate, Point, point_of_iso

ENTITY_LABELS = ("DATE", "TIME")
_PLANNED = {"schedule", "plan", "slate", "due", "expect", "set", "intend", "reschedule", "postpone", "delay"}
_FUTURE_HEADS = {"set", "schedule", "due", "expect", "plan", "intend", "hope", "aim", "go", "prepare", "poise",
                 "slate", "likely", "about", "begin", "start"}


@dataclass(frozen=True)
class Timex:
    """One time expression: its span in the text, TIMEX3 type and value, and the date the routes read."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # "2015-01-02", "P3D", "PRESENT_REF", "XXXX-06-18"...
    date: ParsedDate  # ISO, precision, span end, relative, duration: what the routes use
    rule: str = ""  # the shape that read it

    def as_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "type": self.type, "value": self.value}


# --- what needs the parse ----------------------------------------------------------------------

def _token_at(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _after(doc, end: int):
    """The first token that starts at or after a character offset (spaCy finds tokens by bisection)."""
    span = doc.char_span(end, end + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    if tok.idx < end:
        return doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return tok


def text_before(text: str, start: int, width: int = 20) -> str:
    return text[max(0, start - width):start]


def _keep(doc, doc_text: str, f: Found) -> bool:
    """Checks of a rule's reading against the parse."""
    text = doc_text[f.start:f.end].lower()
    if f.rule in ("current", "the past") and text in ("current", "recent"):
        if re.search(r"\b(?:most|more)\s+$", text_before(doc_text, f.start)):
            return False  # "their most recent model": a comparison, not a time
        tok = _token_at(doc, f.start, f.end)
        return tok is not None and tok.pos_ == "ADJ" and tok.head.pos_ in ("NOUN", "PROPN")
    if f.rule == "year alone (entity)" and re.match(r"[ \t]+[A-Z]", doc_text[f.end:f.end + 2]):
        return False  # "the Russell 2000 Index"
    if f.rule == "year":
        nxt = _after(doc, f.end)
        if nxt is not None and nxt.tag_ == "NNS" and nxt.lemma_.lower() not in ("olympics", "games"):
            return False  # "in 2000 soldiers"
    return True


# Words as the sieve of `timefind.time_words` sees them: found in the text, not by walking the Doc.
_WORDS = re.compile(r"[\w'’.:/-]+")


def _sentence_end(doc, offset: int) -> int:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0].sent.end_char if span is not None and len(span) else offset


def _range_starts(found: list[Found], text: str) -> list[Found]:
    """'from 2 June to 4 July 1900', '2 June – 4 July 1900': the start of a range takes the year of its end
    (the year before, when its month comes after the end's)."""
    out = list(found)
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        pa, pb = a.reading.point, b.reading.point
        if not (a.reading.kind == "point" and b.reading.kind == "point" and pa is not None and pb is not None):
            continue
        if pa.year is not None or pa.month is None or pb.year is None or pb.month is None or pa.weekday is not None:
            continue
        if not re.fullmatch(r"\s*(?:[-–—]|to|until|till|through|and)\s*", text[a.end:b.start], re.IGNORECASE):
            continue
        if "and" in text[a.end:b.start].lower() and not re.search(r"\bbetween\s+$", text_before(text, a.start)):
            continue
        year = pb.year - 1 if pa.month > pb.month else pb.year
        out[n] = replace(a, reading=replace(a.reading, point=replace(pa, year=year)))
    return out


def _bare_days(found: list[Found], doc) -> list[Found]:
    """'on 18 and Jerusalem on 24 June': the bare day takes the month (and year) named after it in its
    sentence; with none, it is not a date."""
    out = []
    for n, f in enumerate(found):
        if f.rule == "on N":
            end = _sentence_end(doc, f.start)
            later = next((g for g in found[n + 1:] if g.start < end and g.reading.kind == "point"
                          and g.reading.point is not None and g.reading.point.month is not None
                          and g.reading.point.grain == "day"), None)
            if later is None:
                continue
            p = later.reading.point
            f = replace(f, reading=replace(f.reading, point=replace(f.reading.point, month=p.month, year=p.year)))
        out.append(f)
    return out


def _from_entities(doc, found: list[Found]) -> list[Found]:
    """spaCy's DATE and TIME entities that no rule read in the text, when the rules read their words
    alone: 'the day', 'the year', a year at the head of a sentence."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        if any(f.start < ent.end_char and ent.start_char < f.end for f in found):
            continue
        text = ent.text
        left = re.match(r"^(?:(?:on|in|at|since|by|until|till|from|during|of|for)\s+)*", text, re.IGNORECASE).end()
        right = len(text) - len(re.search(r"[\s,.;:]*(?:\[\d*\]?)?[\s,.;:]*$", text).group())
        core = text[left:right]
        if not core:
            continue
        offset = ent.start_char + left
        out += [Found(offset + f.start, offset + f.end, f.reading, f.rule + " (entity)") for f in find(core)]
    return out


def _verb_of(doc, start: int, end: int):
    """The verb a span hangs from, or None."""
    tok = _token_at(doc, start, end)
    if tok is None:
        return None
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


_CONDITIONAL = {"would", "could", "might", "'d"}


def conditional(doc, start: int, end: int) -> bool:
    """The span hangs from a verb of what would or could be ("I would do it again tomorrow")."""
    tok = _verb_of(doc, start, end)
    return tok is not None and any(c.dep_ == "aux" and c.lower_ in _CONDITIONAL for c in tok.children)


def tense(doc, start: int, end: int) -> str | None:
    """'past', 'pluperfect', 'future' or None (present, or not known) of the verb a span hangs from."""
    tok = _verb_of(doc, start, end)
    if tok is None:
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "shall", "'ll", "wo", "would", "'d"} or "to" in words:
        return "future"  # "will begin on Wednesday", "an event to be held on October 12"
    if tok.lemma_.lower() in _PLANNED:
        return "future"  # "a hearing has been scheduled for June 3"
    if "had" in words or "'d" in words:
        return "pluperfect"
    if words & {"has", "have", "'ve", "did", "was", "were"}:
        return "past"
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _FUTURE_HEADS:
        return "future"
    if tok.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # "is holding a hearing on Friday"
    if tok.tag_ in ("VBD",) or (tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl")):
        return "past"
    return None


# --- the reader --------------------------------------------------------------------------------

# A bound is not a time the story is at: "the lowest level since 1989", "closed until Friday".
def _on_dct_line(f: Found, found: list[Found], dct: Point | None, text: str) -> bool:
    """Whether an expression is on the line that gives the document's date (a dateline, a stamp)."""
    if dct is None:
        return False
    start, end = text.rfind("\n", 0, f.start) + 1, text.find("\n", f.end)
    end = len(text) if end < 0 else end
    return any(start <= g.start < end and g.reading.kind == "point" and g.reading.point == dct for g in found)


_BOUND = re.compile(r"\b(?:since|until|till|before|up\s+to|until\s+at\s+least)\s+(?:the\s+)?$", re.IGNORECASE)


def _in_brackets(text: str, start: int, end: int) -> bool:
    left = text.rfind("(", max(0, start - 40), start)
    return left >= 0 and ")" not in text[left:start] and ")" in text[end:end + 40]


def _resolution_order(found: list[Found], text: str) -> list[int]:
    """Reading order, except that a clock time or part of the day right before its date waits for it:
    'at about midday on 22 August 1770'."""
    order = list(range(len(found)))
    k = 0
    while k < len(order) - 1:
        f, g = found[order[k]], found[order[k + 1]]
        p = f.reading.point
        if (f.reading.kind == "point" and p is not None and p.grain in ("minute", "part") and p.day is None
                and p.weekday is None and f.reading.of is None and g.reading.kind == "point"
                and re.fullmatch(r"\s*(?:,|on|of)?\s*", text[f.end:g.start])):
            order[k], order[k + 1] = order[k + 1], order[k]
            k += 2
            continue
        k += 1
    return order


def read_timexes(doc, document_date: str | None = None, text: str | None = None) -> tuple[Timex, ...]:
    """Every time expression of a parsed text in reading order, anchored by the narrative clock.

    `document_date` is ISO (YYYY, YYYY-MM or YYYY-MM-DD); without it there is no document date
    (`geo.extraction.docdate.document_date` reads one from the text). `text` is `doc.text`, when the
    caller has it already.
    """
    text = text_of(doc) if text is None else text
    found = [f for f in find(text, time_words(_WORDS.finditer(text))) if _keep(doc, text, f)]
    found = _range_starts(_bare_days(found, doc), text)
    found = sorted(found + _from_entities(doc, found), key=lambda f: f.start)
    dct = point_of_iso(document_date) if document_date else None
    clock = Clock(dct, is_news(dct, [f.reading for f in found if not _on_dct_line(f, found, dct, text)]))
    resolved: dict[int, Resolved] = {}
    for k in _resolution_order(found, text):
        f = found[k]
        r = f.reading
        if r.kind == "point" and r.point is not None and r.point.grain in ("minute", "part") \
                and r.point.day is None and r.point.weekday is None and r.of is None:
            nxt = found[k + 1] if k + 1 < len(found) else None
            if nxt is not None and k + 1 in resolved and re.fullmatch(r"\s*(?:,|on|of)?\s*", text[f.end:nxt.start]):
                base = resolved[k + 1].point
                if base is not None:
                    r = replace(r, point=replace(r.point, year=base.year, month=base.month, day=base.day))
        before = text[max(0, f.start - 20):f.start]
        if not r.since and re.search(r"\bsince\s+(?:the\s+)?$", before, re.IGNORECASE):
            r = replace(r, since=True)  # and so before the time it is said at
        since = r.since or bool(_BOUND.search(before))
        res = clock.resolve(r, tense(doc, f.start, f.end))
        resolved[k] = res
        # what would be, counted from the writer's today, is no time of the story: "The 4th was the longest
        # day, and I would do it again tomorrow. The next morning we took the train" is the 5th
        hypothetical = r.anchor == "dct" and conditional(doc, f.start, f.end)
        if res.point is not None and res.type in ("DATE", "TIME") and not since \
                and not _in_brackets(text, f.start, f.end) and not hypothetical:
            clock.saw(res.point, r)
    return tuple(Timex(f.start, f.end, text[f.start:f.end], resolved[k].type, resolved[k].value,
                       _route_date(f.reading, resolved[k].date), f.rule) for k, f in enumerate(found))


def _route_date(r: Reading, date: ParsedDate) -> ParsedDate:
    """'after four days' inside a clause is, for the routes, a length their clock moves by."""
    if r.timex is not None and r.timex[0] == "DURATION":
        return ParsedDate(duration_days=r.days)
    return date


def timex_document(doc, document_date: str | None) -> dict:
    """The `geo dates` record of one text."""
    return {"document_date": document_date, "timex": [t.as_json() for t in read_timexes(doc, document_date)]}
