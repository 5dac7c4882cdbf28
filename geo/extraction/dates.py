"""Date expressions to ISO dates at the precision the text supports: what the routes read.

The reader is `geo.extraction.timex` (spans, TIMEX3 values, the narrative clock); this module is its
face for the routes:

- `dates_of(doc, ...)` gives every date and duration of a parsed text in reading order as
  (`DateMention`, `ParsedDate`), anchored by the narrative clock: a day without a year takes the year
  that keeps the story moving forward, "three days later" counts from the last time the text set,
  "on Monday" from the document's date (read from the text's dateline when not given). A range
  ("between 2014 and 2016", "6/14-6/15") is one mention with an end.
- `parse_date(text, anchor)` reads one expression alone, anchored to a given date as the narrative's
  time (no document date): vague parts of a period ("late 2015") keep the period; "three days later",
  "the next day", "a year later" move from the anchor and are undated without one, never claiming
  more precision than their unit or their anchor; seasons, halves and decades are spans; durations
  ("two days") carry a length in days; hedges ("on or about") are dropped. What the rules do not read
  goes to dateparser (slow: only then, and cached).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import replace

from geo.extraction.parsed import text_of
from geo.extraction import timevalue
from geo.extraction.timevalue import (  # noqa: F401  (the routes import these from here)
    PRECISIONS,
    UNDATED,
    UNIT_DAYS,
    UNIT_PRECISION,
    ParsedDate,
    add_months,
    coarser_precision,
    iso_of,
    to_date,
)
from geo.model import DateMention

_YEAR = re.compile(r"\b(1\d\d\d|20\d\d)\b")  # years 1000-2099: travellers' accounts are old
_RANGE = re.compile(r"\s*(?:[-–—/]|to|and|until|till|through|thru)\s*", re.IGNORECASE)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})


def shift(anchor: ParsedDate, days: int, unit: str = "day") -> ParsedDate:
    """Move an anchor by a number of days (calendar months for a month or year unit), at the
    coarser of the anchor's and the unit's precision."""
    precision = coarser_precision(anchor.precision or "day", UNIT_PRECISION.get(unit, "day"))
    base = to_date(anchor.iso)
    try:
        if unit in ("month", "year"):
            moved = add_months(base, round(days / UNIT_DAYS[unit]) * (12 if unit == "year" else 1))
        else:
            moved = base + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        return UNDATED  # "100000 years later" leaves the calendar: no date rather than a crash
    # A coarse date moved by less than its own grain stays where it was:
    # "two days after" something in June 2015 is still June 2015.
    grain = {"year": 365, "month": 28, "day": 0}[precision]
    if abs(days) < grain and precision == anchor.precision:
        moved = base
    return ParsedDate(iso_of(moved, precision), precision=precision, relative=True)


@functools.lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": []})


def _absolute(s: str, anchor: ParsedDate | None) -> ParsedDate:
    """dateparser for the absolute forms; a missing year is taken from the anchor."""
    if not re.search(r"\d|" + "|".join(MONTHS), s):
        return UNDATED  # "Christmas", "today": no calendar date in the words
    has_year = bool(_YEAR.search(s))
    if not has_year and not (anchor and anchor.is_date):
        return UNDATED
    try:
        data = _parser().get_date_data(s)
    except (ValueError, OverflowError, TypeError):
        return UNDATED
    if data is None or data.date_obj is None:
        return UNDATED
    precision = data.period if data.period in ("year", "month", "day") else "day"
    d = data.date_obj.date()
    if not has_year:
        year = to_date(anchor.iso).year
        try:
            d = d.replace(year=year)
        except ValueError:  # 29 February in a year without one
            return UNDATED
        if re.fullmatch(r"[a-z]+\.?", s):  # a month name alone: "in March"
            precision = "month"
    return ParsedDate(iso_of(d, precision), precision=precision)


def _range(a: ParsedDate, b: ParsedDate) -> ParsedDate:
    """Two dates read as one span ("between 2014 and 2016"), at the coarser precision of the two."""
    precision = coarser_precision(a.precision, b.precision)
    start = iso_of(to_date(a.iso), precision)
    end = iso_of(to_date(b.iso_end or b.iso), precision)
    return ParsedDate(start, end if end != start else None, precision, a.relative or b.relative)


def joins_as_range(text: str, a, b) -> bool:
    """Two time expressions joined by a range word ("2014 and 2016", "6/14-6/15") are one span; 'and'
    only after 'between'."""
    gap = text[a.end:b.start]
    if not _RANGE.fullmatch(gap):
        return False
    if "and" in gap.lower():
        return bool(re.search(r"\bbetween\s+$", text[max(0, a.start - 10):a.start], re.IGNORECASE))
    return True


@functools.lru_cache(maxsize=8192)
def parse_date(text: str, anchor: ParsedDate | None = None) -> ParsedDate:
    """One date expression to a ParsedDate; UNDATED when it names no calendar date.

    `anchor` is the narrative's time the expression is read at (there is no document date here)."""
    from geo.extraction.clock import Clock
    from geo.extraction.timefind import find

    s = re.sub(r"\s+", " ", text.replace("’", "'")).strip()
    if not s:
        return UNDATED
    found = list(find(s))
    if not found:
        return _absolute(_normalise(s), anchor)
    ref = timevalue.point_of_parsed(anchor) if anchor is not None and anchor.is_date else None
    clock = Clock(ref=ref)
    first = clock.resolve(found[0].reading).date
    if len(found) >= 2 and first.is_date and joins_as_range(s, found[0], found[1]):
        second = clock.resolve(found[1].reading).date
        if second.is_date:
            return _range(first, second)
    return first


def _normalise(text: str) -> str:
    s = text.strip().lower()
    s = re.sub(r"^(?:(?:on or about|on or around|in or about|in or around|sometime in|approximately|about|around|"
               r"circa|on|in|at|since|by|until|from|during|as of|of)\s+)+", "", s)
    return s.strip(" ,.;")


def parse_in_order(texts: list[str], anchor: ParsedDate | None = None) -> list[ParsedDate]:
    """Parse expressions in reading order, each anchored to the last absolute date before it."""
    out = []
    for text in texts:
        parsed = parse_date(text, anchor)
        out.append(parsed)
        if parsed.is_date and not parsed.relative:
            anchor = parsed
    return out


def dates_of(doc, doc_id: str, sentence_of, document_date: str | None = None,
             text: str | None = None) -> list[tuple[DateMention, ParsedDate]]:
    """The dates and durations of a parsed text in reading order, anchored by the narrative clock.

    `document_date` (ISO) anchors "on Monday", "last week"; without it, the date the text gives itself
    (its dateline, a "Posted on" line) is used when there is one. `text` is `doc.text` when the caller
    has it (spaCy rebuilds it from the tokens on each call)."""
    from geo.extraction.docdate import document_date as read_document_date
    from geo.extraction.timex import read_timexes

    text = text_of(doc) if text is None else text
    if document_date is None:
        document_date = read_document_date(text)
    timexes = [t for t in read_timexes(doc, document_date, text) if t.date.is_date or t.date.duration_days]
    out = []
    k = 0
    while k < len(timexes):
        t, parsed = timexes[k], timexes[k].date
        start, end = t.start, t.end
        if k + 1 < len(timexes) and parsed.is_date and timexes[k + 1].date.is_date \
                and joins_as_range(text, t, timexes[k + 1]):
            parsed = _range(parsed, timexes[k + 1].date)
            end = timexes[k + 1].end
            k += 1
        k += 1
        sentence = sentence_of(start)
        if sentence is not None and end > sentence.end:
            if not _heads_a_line(text, start):
                continue  # the parser cut the sentence inside the date ("... Paris 2 | May 2015"): no clause holds it
            # a journal's heading the parser cut at its colon ("Oct: 2."): it dates its entry, not a clause
            sentence = replace(sentence, end=end, text=text[sentence.start:end])
        mention = DateMention(doc_id, text[start:end], start, end, sentence, parsed.iso, parsed.iso_end,
                              parsed.precision)
        out.append((mention, parsed))
    return out


def _heads_a_line(text: str, start: int) -> bool:
    """Does the text at `start` open its line (after blanks, a bullet or a line number)?"""
    line = text.rfind("\n", 0, start) + 1
    return not text[line:start].strip(" \t*-•·>|0123456789.)")
