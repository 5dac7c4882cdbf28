"""Date expressions to ISO dates at the precision the text supports.

dateparser reads absolute dates ("January 2, 2015", "14 May 2019", "March
2016"). What it does not read (measured: "late 2015", "the end of 2013",
"6/14-6/15", "three days later") is handled here first, by small rules:

- vague parts of a period ("late 2015", "early March", "mid-April", "the
  end of 2013") keep the period at its own precision; a season ("the summer
  of 2018") is the span of its months;
- relative expressions ("three days later", "two days before", "the next
  day", "the same day", "a year later") move from an anchor, the date of the
  event they follow, and are undated without one; they never claim more
  precision than their unit ("a year later" is a year) or their anchor;
- spans ("6/14-6/15", "between 2014 and 2016", "the 1990s") give a start
  and an end;
- durations ("two days", "a year") are not dates: they carry a length in
  days, which the route logic uses to move its clock;
- hedges of court filings and reports ("on or about", "in or around",
  "approximately") are dropped: the date they hedge is the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from geo.model import DateMention

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "several": 3, "a few": 3, "few": 3, "a couple of": 2, "couple of": 2,
}
UNIT_DAYS = {"day": 1, "night": 1, "morning": 1, "evening": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
# The finest precision a step of each unit can claim: "a year later" is a year.
UNIT_PRECISION = {"day": "day", "night": "day", "morning": "day", "evening": "day", "week": "day",
                  "fortnight": "day", "month": "month", "year": "year"}
PRECISIONS = ("year", "month", "day")
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}

_NUM = r"(\d+|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + ")"
_UNIT = r"(day|night|morning|evening|week|fortnight|month|year)s?"
_RELATIVE = re.compile(rf"^{_NUM}\s+{_UNIT}\s+(later|after|afterwards|on|earlier|before|prior|ago)$")
_AFTER_N = re.compile(rf"^(after|within)\s+{_NUM}\s+{_UNIT}$")  # "after four days"
_NEXT = re.compile(r"^(the\s+)?(next|following|previous|preceding|same|that)\s+(day|night|morning|evening|"
                   r"week|month|year)$")
_DAY_AFTER = re.compile(r"^the\s+(day|night|week|month|year)\s+(after|before)$")
_LATER_THAT = re.compile(r"^(later|earlier)\s+(that|the same)\s+(day|night|morning|evening|week|month|year)$")
_DURATION = re.compile(rf"^(for\s+)?(about\s+|almost\s+|nearly\s+|over\s+|more than\s+)?{_NUM}\s+{_UNIT}$")
_SLASH_SPAN = re.compile(r"^(\d{1,2})/(\d{2,4})\s*[-–]\s*(\d{1,2})/(\d{2,4})$")
_YEAR_SPAN = re.compile(r"^(between\s+|from\s+)?((?:1\d|20)\d\d)\s*(?:[-–]|and|to|until)\s*((?:1\d|20)\d\d)$")
_DECADE = re.compile(r"^(early\s+|mid[\s-]|late\s+)?((?:1\d|20)\d)0'?s$")
_SEASON = re.compile(r"^(spring|summer|autumn|fall)\s+(of\s+)?(.+)$")
_VAGUE = re.compile(
    r"^(late|early|mid|middle of|end of|beginning of|start of|turn of|first half of|"
    r"second half of|winter of|winter)[\s-]+(.+)$"
)
_HALF = {"first half of": (1, 6), "second half of": (7, 12)}
_YEAR = re.compile(r"\b(1\d\d\d|20\d\d)\b")  # years 1000-2099: travellers' accounts are old
_HEDGES = re.compile(r"^(on or about|on or around|in or about|in or around|at or about|sometime in|some time in|"
                     r"approximately|about|around|circa|c\.|as early as|as late as|on|in|at|since|by|until|till|"
                     r"from|during|as of|of)\s+")


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


def _coarser(a: str, b: str) -> str:
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _normalise(text: str) -> str:
    s = text.strip().lower().replace("’", "'")
    s = re.sub(r"\s+", " ", s).strip(" ,.;")
    while True:  # "on or about", then "the"; hedges stack: "sometime in about"
        t = _HEDGES.sub("", s)
        if t == s:
            break
        s = t
    s = re.sub(r"^the\s+(?=(late|early|mid|middle|end|beginning|start|turn|first|second|spring|summer|"
               r"autumn|fall|winter|\d))", "", s)
    return s.strip(" ,.;")


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return d.replace(year=d.year + y, month=m + 1, day=min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))


def shift(anchor: ParsedDate, days: int, unit: str = "day") -> ParsedDate:
    """Move an anchor by a number of days (calendar months for a month or year unit), at the
    coarser of the anchor's and the unit's precision."""
    precision = _coarser(anchor.precision or "day", UNIT_PRECISION.get(unit, "day"))
    base = to_date(anchor.iso)
    try:
        if unit in ("month", "year"):
            moved = _add_months(base, round(days / UNIT_DAYS[unit]) * (12 if unit == "year" else 1))
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


def _relative(s: str, anchor: ParsedDate | None) -> ParsedDate | None:
    """Expressions that move from an anchor: None when `s` is not one, UNDATED without an anchor."""
    step: tuple[int, str] | None = None
    if m := _RELATIVE.match(s):
        if m.group(3) == "ago":
            return UNDATED  # "three years ago" needs the publication date, which we do not know
        sign = -1 if m.group(3) in ("earlier", "before", "prior") else 1
        step = (sign * _count(m.group(1)) * UNIT_DAYS[m.group(2)], m.group(2))
    elif m := _AFTER_N.match(s):
        step = (_count(m.group(2)) * UNIT_DAYS[m.group(3)], m.group(3))
    elif m := _NEXT.match(s):
        sign = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0, "that": 0}[m.group(2)]
        step = (sign * UNIT_DAYS[m.group(3)], m.group(3))
    elif m := _DAY_AFTER.match(s):
        step = ((1 if m.group(2) == "after" else -1) * UNIT_DAYS[m.group(1)], m.group(1))
    elif m := _LATER_THAT.match(s):
        step = (0, m.group(3))
    if step is None:
        return None
    if not (anchor and anchor.is_date):
        return UNDATED
    return shift(anchor, *step)


def _span(s: str) -> ParsedDate | None:
    if m := _SLASH_SPAN.match(s):
        # "6/14-6/15": month/year to month/year, as tweets and headlines write it.
        m1, y1, m2, y2 = (int(g) for g in m.groups())
        y1, y2 = (y + 2000 if y < 100 else y for y in (y1, y2))
        if 1 <= m1 <= 12 and 1 <= m2 <= 12:
            return ParsedDate(f"{y1:04d}-{m1:02d}", f"{y2:04d}-{m2:02d}", "month")
    if m := _YEAR_SPAN.match(s):
        return ParsedDate(m.group(2), m.group(3), "year")
    if m := _DECADE.match(s):
        # "the 1990s", "the late 1990s": a span of years.
        first = int(m.group(2)) * 10
        lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((m.group(1) or "").strip(" -"), (0, 9))
        return ParsedDate(str(first + lo), str(first + hi), "year")
    return None


def _season(s: str, anchor: ParsedDate | None) -> ParsedDate | None:
    """'the summer of 2018' -> June to August 2018 (northern seasons, as English news writes them)."""
    m = _SEASON.match(s)
    if not m:
        return None
    inner = parse_date(m.group(3), anchor)
    if not inner.is_date:
        return UNDATED
    year = inner.iso[:4]
    first, last = SEASONS[m.group(1)]
    return ParsedDate(f"{year}-{first:02d}", f"{year}-{last:02d}", "month")


def _vague(s: str, anchor: ParsedDate | None) -> ParsedDate | None:
    """'late 2015' is still 2015, 'early March' still March; halves of a year are their months."""
    m = _VAGUE.match(s)
    if not m:
        return None
    inner = parse_date(m.group(2), anchor)
    if not inner.is_date:
        return UNDATED
    if m.group(1) in _HALF and inner.precision == "year":
        first, last = _HALF[m.group(1)]
        return ParsedDate(f"{inner.iso}-{first:02d}", f"{inner.iso}-{last:02d}", "month")
    return ParsedDate(inner.iso, inner.iso_end, inner.precision)


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


def parse_date(text: str, anchor: ParsedDate | None = None) -> ParsedDate:
    """One date expression to a ParsedDate; UNDATED when it names no calendar date."""
    s = _normalise(text)
    if not s:
        return UNDATED
    relative = _relative(s, anchor)
    if relative is not None:
        return relative
    if m := _DURATION.match(s):
        return ParsedDate(duration_days=_count(m.group(3)) * UNIT_DAYS[m.group(4)])
    for rule in (lambda x, _: _span(x), _season, _vague):
        found = rule(s, anchor)
        if found is not None:
            return found
    return _absolute(s, anchor)


def parse_in_order(texts: list[str], anchor: ParsedDate | None = None) -> list[ParsedDate]:
    """Parse expressions in reading order, each anchored to the last absolute date before it."""
    out = []
    for text in texts:
        parsed = parse_date(text, anchor)
        out.append(parsed)
        if parsed.is_date and not parsed.relative:
            anchor = parsed
    return out


def dates_of(doc, doc_id: str, sentence_of) -> list[tuple[DateMention, ParsedDate]]:
    """DATE entities parsed in reading order, relative ones anchored to the date before."""
    out = []
    anchor = None
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "CARDINAL"):
            continue
        parsed = parse_date(ent.text, anchor)
        if ent.label_ == "CARDINAL" and not parsed.is_date:
            continue  # "6/14-6/15" comes as CARDINAL; other numbers are not dates
        if not (parsed.is_date or parsed.duration_days):
            continue
        if parsed.is_date and not parsed.relative:
            anchor = parsed
        mention = DateMention(doc_id, ent.text, ent.start_char, ent.end_char, sentence_of(ent.start_char),
                              parsed.iso, parsed.iso_end, parsed.precision)
        out.append((mention, parsed))
    return out
