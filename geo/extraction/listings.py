"""Itineraries written as lists, tables or headed lines: the route of the text's main traveller.

    * June 3: Darwin to Kupang.
    - June 5 - Kupang to Ende via Bajawa
    Day 3 — Leh to Kargil
    Days 4-5: Cusco
    June 2-4: Lima
    Monday: Lima – Cusco
    | 12 June | Puno | Arequipa |

A listing line is a line (after an optional bullet, number or table bar) that opens with a heading — one to
three parts among a date ("June 3", "3-5 June", "2019-06-03"), a day number ("Day 3", "Days 4-5", "Stage
2", "Night 1") and a weekday ("Monday") — closed by a separator (":", a dash between spaces, "—", "–", "|", a
tab, ". "). What follows is the line's body. Prose ("On June 3 we drove to Kupang") has no such heading and
is left to `moves`.

The places of a body, in order, are grouped into legs by what lies between them: a dash, an arrow, a bar, a
tab, "to", "via", "then" join two places into one leg ("Darwin to Kupang", "Lima – Cusco"); a comma or
"and" does not ("Lima, Cusco and Puno" are three stops). In a leg the first place is the origin, the places
after "via"/"through" are transits, and the last other one is the destination. A place alone is a stop,
unless a preposition or a verb of motion before it says otherwise ("Arrive in Lima", "Fly to Cusco", "Leave
Puno").

The date of a line is its heading's date: the document's own date mention there when the date reader found
one, else the heading read by the same reader (`dates.parse_date`) from the last date before the line. "Day
N" is counted from a line that gives both a day number and a date ("Day 1 (June 10)"), or from `start`, the
date of day 1, when the caller knows it, or from the first day of a span of days the text gives the trip before
the day lines, when it has room for them all ("ten days, 1 to 10 June"); without any, day lines keep their order
and no date.

`listing_facts` returns facts in the shape of `moves.facts_for`, for one traveller (the narrator, or the
person the text is about: the caller decides), with the document's dates extended by the dates it read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import re
from dataclasses import dataclass

from geo.extraction.parsed import text_of
from geo.extraction.dates import ParsedDate, parse_date, to_date
from geo.extraction.lexicon import DEST_PREPS, MOTION, ORIGIN_PREPS, SUBJECT_DEPS, TRANSIT_PREPS
from geo.extraction.moves import Fact, movement_leg
from geo.model import DateMention, Place, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
ENTRIES = 2  # dated headings that make a text a journal of entries (one alone may be a timestamp line)
# (an older journal writes its abbreviations with a colon: "Oct: 2.")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:\.|:(?=[ \t]*\d))?")
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|–|—|to|until)\s*"
# A heading's date: "June 3", "3 June", "June 6–8", "6-8 June", "June 3, 2019", "May 2019", "2019-06-03", "3/6".
_DATE = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:(?P<d1>{_DAYNUM})(?:{_TO}(?P<d2>{_DAYNUM}))?\s+(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d3>{_DAYNUM})(?:{_TO}(?P<d4>{_DAYNUM}))?(?!\d)"
    rf"|(?P<m3>{_MONTH})\s+(?=\d{{4}}))(?:,?\s+(?P<y>\d{{4}}))?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?",
    re.IGNORECASE)
_DAY = re.compile(rf"(?:day|days|stage|stages|leg|night|nights)\s+(?P<n1>\d{{1,3}})"
                  rf"(?:(?:{_TO}|\s*(?:&|and)\s*)(?P<n2>\d{{1,3}}))?(?!\d)", re.IGNORECASE)
# a weekday, or a journal's weekday and day alone ("Saturday, 4th.", "Monday the 6th")
_WEEKDAY_ONLY = re.compile(r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                           r"(?:,?[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th|d)\b)?", re.IGNORECASE)
_BULLET = re.compile(r"[ \t]*(?:[-*•·>+]|\d{1,3}[.)]|\|)?[ \t]*")
_JOIN = re.compile(r"[ \t]*[,/(|][ \t]*|[ \t]+")  # between heading parts: "Day 1 (June 10)", "| 1 | 3 June |"
_CELL_NUMBER = re.compile(r"(?P<n1>\d{1,3})(?=[ \t]*\|)")  # a table's day column: "| 3 | June 5 | Lima |"
_CLOSE = re.compile(r"[ \t]*\)?")
_SEPARATOR = re.compile(r"[ \t]*(?::|\||—|–|-(?=[ \t])|\t|\.(?=[ \t—–-])[—–-]?)[ \t]*")
# What joins two places of a body into one leg.
_LINK = re.compile(r"(?:[ \t]*(?:->|=>|→|>|-|–|—|\||/|\t|to|via|through|then|and then|on to|onward to|onwards to)"
                   r"[ \t]*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """The heading of one listing line."""

    line: tuple[int, int]  # character span of the line
    body: int  # character offset where the body starts
    date: tuple[int, int] | None  # character span of the heading's date, if any
    day: tuple[int, int] | None  # "Day 3" -> (3, 3); "Days 4-5" -> (4, 5)
    weekday: tuple[int, int] | None  # character span of a weekday without a date


@dataclass(frozen=True)
class Listing:
    """Movement facts read from listing lines, for one traveller."""

    facts: tuple[Fact, ...]
    dates: tuple[tuple[DateMention, ParsedDate], ...]  # the document's dates, then those read here
    places: frozenset[int]  # indices of the places on listing lines: other facts about them are duplicates
    lines: tuple[tuple[int, int], ...]  # character spans of the listing lines
    # A journal's entries: (start, end, index into `dates`) of the text from each dated heading to the next or to
    # the end of its paragraph, when the text has ENTRIES of them or more. A move told in the prose of an entry
    # without a date of its own was made on the entry's day: "Oct: 8. Left Keswick ... and lay at Ambleside."
    entries: tuple[tuple[int, int, int], ...] = ()


def _lines(text: str):
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line.rstrip("\r\n"))
        start += len(line)


def heading(text: str, start: int, end: int) -> Heading | None:
    """The heading of the line text[start:end], or None when the line is not a listing line."""
    pos = _BULLET.match(text, start, end).end()
    table = text.startswith("|", start) or text[start:pos].strip() == "|"
    date = day = weekday = None
    parts = 0
    while pos < end and parts < 3:
        if (m := _DAY.match(text, pos, end)) or (table and parts == 0 and (m := _CELL_NUMBER.match(text, pos, end))):
            day = (int(m["n1"]), int(m.groupdict().get("n2") or m["n1"]))
        elif (m := _DATE.match(text, pos, end)) and date is None:
            date = (m.start(), m.end())
        elif (m := _WEEKDAY_ONLY.match(text, pos, end)) and weekday is None:
            weekday = (m.start(), m.end())
        else:
            break
        parts += 1
        pos = _CLOSE.match(text, m.end(), end).end()
        joined = _JOIN.match(text, pos, end)
        if joined and parts < 3 and (_DAY.match(text, joined.end(), end) or _DATE.match(text, joined.end(), end)):
            pos = joined.end()
        else:
            break
    if not parts:
        return None
    sep = _SEPARATOR.match(text, pos, end)
    if sep is None:
        return None
    return Heading((start, end), sep.end(), date, day, weekday)


def listing_bodies(text: str) -> list[tuple[int, int]]:
    """Character spans of the bodies of listing lines: a name there stands in a place context, as after
    "to" or "in" ("June 3: Darwin to Kupang")."""
    return [(h.body, h.line[1]) for s, e in _lines(text) if (h := heading(text, s, e)) is not None and h.body < e]


def _places_in(places, start: int, end: int) -> list[int]:
    return [i for i, p in enumerate(places) if p.resolved and start <= p.mention.start < end]


def _last_word(text: str, words) -> str | None:
    found = None
    for w in re.findall(r"[a-z]+(?: of)?", text.lower()):
        if w in words:
            found = w
    return found


def _legs(doc: Doc, body: int, chosen: list[int], places) -> dict[int, str]:
    """Place index -> role for the places of one body, in text order."""
    text = text_of(doc)
    groups: list[list[tuple[int, str]]] = []  # each: [(place, what joined it to the one before)]
    prev_end = body
    for i in chosen:
        m = places[i].mention
        gap = text[prev_end:m.start]
        if groups and prev_end > body and _LINK.fullmatch(gap):
            groups[-1].append((i, gap.strip().lower()))
        else:
            groups.append([(i, gap)])
        prev_end = m.end
    out = {}
    for group in groups:
        if len(group) == 1:
            i, gap = group[0]
            prep = _last_word(gap, ORIGIN_PREPS | TRANSIT_PREPS | DEST_PREPS | {"in", "at", "for"})
            verb = next((t.lemma_.lower() for t in reversed(doc.char_span(body, places[i].mention.start,
                                                                          alignment_mode="expand") or ())
                         if t.lemma_.lower() in MOTION or t.lower_ in MOTION), None)
            out[i] = movement_leg(verb or "travel", prep or ("dobj" if verb else None))
            continue
        transit = {i for i, joint in group[1:] if re.search(r"\b(via|through)\b", joint)}
        others = [i for i, _ in group if i not in transit]
        for n, (i, _) in enumerate(group):
            if i in transit:
                out[i] = "transit"
            elif n == 0:
                out[i] = "origin"
            elif i == others[-1]:
                out[i] = "destination"
            else:
                out[i] = "transit"
    return out


def _body_end(doc: Doc, h: Heading) -> int:
    """Where a line's body ends: with its first sentence. "June 29: Lae, New Guinea. Earhart sends her last
    dispatches from Lae." lists Lae; the sentence after it is prose, read by `moves`."""
    span = doc.char_span(h.body, h.line[1], alignment_mode="expand")
    if span is None or not len(span):
        return h.line[1]
    return min(h.line[1], span[0].sent.end_char)


def _unqualified(text: str, chosen: list[int], places) -> list[int]:
    """The places of a body without those that only say where the one before them is: "Lae, New Guinea"
    is one stop, Lae; "Lima, Cusco" are two."""
    out = []
    for i in chosen:
        c = places[i].chosen
        if out and c is not None and text[places[out[-1]].mention.end:places[i].mention.start].strip() == ",":
            before = places[out[-1]].chosen
            if (before is not None and c.kind in ("country", "admin", "region") and before.kind in ("city", "site")
                    and (c.kind == "region" or c.country == before.country)):
                continue
        out.append(i)
    return out


def _told_of_someone(doc: Doc, h: Heading) -> bool:
    """A timeline entry whose body is a clause about someone ("October 3, 1863 - President Lincoln proclaims
    ..."): its places are that subject's, read by `moves`, not the traveller's. "We drove..." and "I reached
    ..." are the narrator's own."""
    body = doc.char_span(h.body, _body_end(doc, h), alignment_mode="expand")
    if body is not None and sum(t.pos_ == "VERB" for t in body) >= 2:
        return True  # a journal's prose ("Oct: 8. Left Keswick, and took the Ambleside road."): `moves` reads it
    return body is not None and any(t.dep_ in SUBJECT_DEPS and t.head.pos_ in ("VERB", "AUX")
                                    and t.lower_ not in ("i", "we") for t in body)


def _sentence(doc: Doc, doc_id: str, start: int, end: int) -> Sentence:
    sent = doc.char_span(start, end, alignment_mode="expand").sent
    return Sentence(doc_id, sent.start_char, sent.end_char, sent.text)


def _read(text: str, anchor: ParsedDate | None) -> ParsedDate:
    """A heading's date by the document's date reader; a range of days ("June 6-8") as its two ends."""
    parsed = parse_date(text, anchor)
    if parsed.is_date:
        return parsed
    m = _DATE.fullmatch(text)
    if m is None:
        return parsed
    month = m["m1"] or m["m2"]
    first, last = (m["d1"], m["d2"]) if m["m1"] else (m["d3"], m["d4"])
    year = f" {m['y']}" if m["y"] else ""
    if month is None or first is None:
        return parsed
    start = parse_date(f"{month} {first}{year}", anchor)
    end = parse_date(f"{month} {last}{year}", anchor) if last else None
    if start.is_date and end is not None and end.is_date:
        return ParsedDate(start.iso, end.iso, start.precision)
    return start


def _trip_span(headed, dates) -> tuple[int, dt.date] | None:
    """Day 1 of "Day N" lines that give no date: the first day of the span of days the text gives for the trip
    before them, when it has room for every day listed ("ten days, 1 to 10 June" ... "Day 2 — Porto")."""
    numbered = [h for h, _ in headed if h.day is not None]
    if not numbered:
        return None
    first, last = min(h.line[0] for h in numbered), max(h.day[1] for h in numbered)
    for mention, parsed in dates:
        if mention.start < first and parsed.is_date and parsed.precision == "day" and parsed.iso_end \
                and len(parsed.iso) == len(parsed.iso_end) == 10:
            begin, end = to_date(parsed.iso), to_date(parsed.iso_end)
            if (end - begin).days + 1 >= last:
                return (1, begin)
    return None


def _paragraph_end(text: str, start: int, limit: int) -> int:
    """Where the paragraph that starts at `start` ends (at a blank line), at most at `limit`: an entry does not run
    on into the prose after a list ("June 9-10: Seville" is not the date of the story told below the list)."""
    m = _BLANK_LINE.search(text, start, limit)
    return m.start() if m else limit


def _day_date(base: tuple[int, dt.date] | None, day: tuple[int, int]) -> ParsedDate | None:
    """The date of "Day N" counted from a day whose date is known."""
    if base is None:
        return None
    n, date = base
    first = date + dt.timedelta(days=day[0] - n)
    last = date + dt.timedelta(days=day[1] - n)
    return ParsedDate(first.isoformat(), last.isoformat() if last != first else None, "day")


def listing_facts(doc: Doc, places: tuple[Place, ...], dates, traveller: str | tuple[str, ...], *,
                  start: ParsedDate | None = None) -> Listing:
    """Movement facts of `traveller` (one name, or the names of who travel together) from the listing lines
    of a document.

    `dates` are the document's (mention, parsed) dates; the facts' `date` indexes `Listing.dates`, which
    starts with them. `start` is the date of day 1, when the caller knows it."""
    text = text_of(doc)
    travellers = (traveller,) if isinstance(traveller, str) else tuple(traveller)
    doc_id = places[0].mention.doc_id if places else "pasted"
    headed = [(h, _unqualified(text, _places_in(places, h.body, _body_end(doc, h)), places))
              for s, e in _lines(text) if (h := heading(text, s, e))]
    if not headed:
        return Listing((), tuple(dates), frozenset(), ())
    out_dates = list(dates)

    def dated_before(offset: int) -> ParsedDate | None:
        best = None
        for mention, parsed in out_dates:
            if mention.start < offset and parsed.is_date and not parsed.relative:
                if best is None or mention.start > best[0]:
                    best = (mention.start, parsed)
        return best[1] if best else None

    # The date of each heading, in reading order; a new mention where the reader had none.
    line_dates: list[int | None] = []
    for h, _ in headed:
        k = None
        span = h.date or h.weekday
        if span is not None:
            k = next((n for n, (mention, parsed) in enumerate(out_dates)
                      if mention.start <= span[0] < mention.end and mention.end >= span[1] and parsed.is_date), None)
            if k is None:
                parsed = _read(text[span[0]:span[1]], dated_before(span[0]))
                if parsed.is_date:
                    mention = DateMention(doc_id, text[span[0]:span[1]], span[0], span[1],
                                          _sentence(doc, doc_id, *span), parsed.iso, parsed.iso_end, parsed.precision)
                    out_dates.append((mention, parsed))
                    k = len(out_dates) - 1
        line_dates.append(k)

    # "Day N" counts from a line that gives a day and a day-precise date, else from `start` as day 1.
    base = None
    for (h, _), k in zip(headed, line_dates):
        if h.day is not None and k is not None and out_dates[k][1].precision == "day":
            base = (h.day[0], to_date(out_dates[k][1].iso))
            break
    if base is None and start is not None and start.is_date and start.precision == "day":
        base = (1, to_date(start.iso))
    if base is None:
        base = _trip_span(headed, out_dates)

    facts = []
    for (h, chosen), k in zip(headed, line_dates):
        if k is None and h.day is not None and (parsed := _day_date(base, h.day)) is not None:
            span = (h.line[0], h.body)
            label = text[span[0]:span[1]].strip(" \t:|—–-.*•")
            mention = DateMention(doc_id, label, span[0], span[1], _sentence(doc, doc_id, *span),
                                  parsed.iso, parsed.iso_end, parsed.precision)
            out_dates.append((mention, parsed))
            k = len(out_dates) - 1
        if not chosen or _told_of_someone(doc, h):
            continue
        first = doc.char_span(h.line[0], h.body, alignment_mode="expand")
        verb = first[0].i if first is not None and len(first) else -1
        legs = _legs(doc, h.body, chosen, places)
        for i in chosen:
            m = places[i].mention
            root = doc.char_span(m.start, m.end, alignment_mode="expand")
            facts.append(Fact(i, travellers, legs[i], legs[i], verb, root.root.i if root is not None else -1,
                              m.start, m.sentence.start, k))
    dated = [(h.line[0], k) for (h, _), k in zip(headed, line_dates) if k is not None]
    entries = tuple((s, _paragraph_end(text, s, dated[n + 1][0] if n + 1 < len(dated) else len(text)), k)
                    for n, (s, k) in enumerate(dated)) if len(dated) >= ENTRIES else ()
    return Listing(tuple(facts), tuple(out_dates), frozenset(f.place for f in facts),
                   tuple(h.line for h, _ in headed), entries)
