"""Date expressions to ISO dates at the precision the text supports.

dateparser reads absolute dates ("January 2, 2015", "14 May 2019", "March
2016"). What it does not read (measured: "late 2015", "the end of 2013",
"6/14-6/15", "three days later") is handled here first, by small rules:

- vague parts of a period ("late 2015", "early March", "mid-April", "the
  summer of 2018") keep the period at its own precision;
- relative expressions ("three days later", "two days before", "the next
  day", "the same day") move from an anchor, the date of the event they
  follow, and are undated without one;
- spans ("6/14-6/15", "between 2014 and 2016") give a start and an end;
- durations ("two days", "a year") are not dates: they carry a length in
  days, which the route logic uses to move its clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "several": 3, "a few": 3, "few": 3, "a couple of": 2, "couple of": 2,
}
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9

_NUM = r"(\d+|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + ")"
_UNIT = r"(day|week|fortnight|month|year)s?"
_RELATIVE = re.compile(rf"^{_NUM}\s+{_UNIT}\s+(later|after|afterwards|on|earlier|before|prior|ago)$")
_NEXT = re.compile(r"^(the\s+)?(next|following|previous|preceding|same)\s+(day|week|month|year)$")
_DURATION = re.compile(rf"^(for\s+)?(about\s+|almost\s+|nearly\s+|over\s+|more than\s+)?{_NUM}\s+{_UNIT}$")
_SLASH_SPAN = re.compile(r"^(\d{1,2})/(\d{2,4})\s*[-–]\s*(\d{1,2})/(\d{2,4})$")
_YEAR_SPAN = re.compile(r"^(between\s+|from\s+)?((?:19|20)\d\d)\s*(?:[-–]|and|to|until)\s*((?:19|20)\d\d)$")
_VAGUE = re.compile(
    r"^(the\s+)?(late|early|mid|middle of|end of|beginning of|start of|turn of|first half of|"
    r"second half of|spring of|summer of|autumn of|fall of|winter of|spring|summer|autumn|fall|winter)"
    r"[\s-]+(the\s+)?(.+)$"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class ParsedDate:
    iso: str | None = None  # "2015", "2015-01", "2015-01-02"
    iso_end: str | None = None
    precision: str | None = None  # year, month, day
    relative: bool = False  # anchored to an earlier date
    duration_days: int | None = None  # "four days" -> 4; not a date

    @property
    def is_date(self) -> bool:
        return self.iso is not None


UNDATED = ParsedDate()


def iso_of(d: dt.date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(precision, d.isoformat())


def to_date(iso: str) -> dt.date:
    """The first day of an ISO date at any precision."""
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _normalise(text: str) -> str:
    s = text.strip().lower().replace("’", "'")
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^(on|in|since|by|until|till|from|during|around|about|circa|as of)\s+", "", s)
    return s.strip(" ,.;")


def _shift(anchor: ParsedDate, days: int) -> ParsedDate:
    """Move an anchor by a number of days; a coarse anchor stays coarse."""
    base = to_date(anchor.iso)
    if anchor.precision == "day":
        return ParsedDate(iso_of(base + dt.timedelta(days=days), "day"), precision="day", relative=True)
    if anchor.precision == "month" and abs(days) >= 28:
        return ParsedDate(iso_of(base + dt.timedelta(days=days), "month"), precision="month", relative=True)
    if abs(days) >= 365:
        return ParsedDate(iso_of(base + dt.timedelta(days=days), "year"), precision="year", relative=True)
    return ParsedDate(anchor.iso, precision=anchor.precision, relative=True)


def _relative(s: str, anchor: ParsedDate | None) -> ParsedDate | None:
    m = _RELATIVE.match(s)
    if m:
        if m.group(3) == "ago" or not (anchor and anchor.is_date):
            return UNDATED  # "three years ago" needs the publication date, which we do not know
        days = _count(m.group(1)) * UNIT_DAYS[m.group(2)]
        sign = -1 if m.group(3) in ("earlier", "before", "prior") else 1
        return _shift(anchor, sign * days)
    m = _NEXT.match(s)
    if m:
        if not (anchor and anchor.is_date):
            return UNDATED
        step = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0}[m.group(2)]
        return _shift(anchor, step * UNIT_DAYS[m.group(3)])
    return None


def _span(s: str) -> ParsedDate | None:
    m = _SLASH_SPAN.match(s)
    if m:
        # "6/14-6/15": month/year to month/year, as tweets and headlines write it.
        m1, y1, m2, y2 = (int(g) for g in m.groups())
        y1, y2 = (y + 2000 if y < 100 else y for y in (y1, y2))
        if 1 <= m1 <= 12 and 1 <= m2 <= 12:
            return ParsedDate(f"{y1:04d}-{m1:02d}", f"{y2:04d}-{m2:02d}", "month")
    m = _YEAR_SPAN.match(s)
    if m:
        return ParsedDate(m.group(2), m.group(3), "year")
    return None


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
    if precision == "week":
        precision = "day"
    return ParsedDate(iso_of(d, precision), precision=precision)


def parse_date(text: str, anchor: ParsedDate | None = None) -> ParsedDate:
    """One date expression to a ParsedDate; UNDATED when it names no calendar date."""
    s = _normalise(text)
    if not s:
        return UNDATED
    relative = _relative(s, anchor)
    if relative is not None:
        return relative
    m = _DURATION.match(s)
    if m:
        return ParsedDate(duration_days=_count(m.group(3)) * UNIT_DAYS[m.group(4)])
    span = _span(s)
    if span is not None:
        return span
    m = _VAGUE.match(s)
    if m:
        # "late 2015" is still 2015; "early March" is still March.
        inner = parse_date(m.group(4), anchor)
        if inner.is_date:
            return ParsedDate(inner.iso, inner.iso_end, inner.precision)
        return UNDATED
    return _absolute(s, anchor)


def parse_in_order(texts: list[str], anchor: ParsedDate | None = None) -> list[ParsedDate]:
    """Parse expressions in reading order, each anchored to the last absolute date before it."""
    out = []
    for text in texts:
        parsed = parse_date(text, anchor)
        out.append(parsed)
        if parsed.is_date:
            anchor = parsed
    return out
