"""Calendar values of time expressions: points at a grain, their TIMEX3 value and their route date.

A `Point` is a stretch of the calendar at one grain (a century, a year, a quarter, a week, a day, a
minute...), named by its first day. Parts the text did not give (the year of "18 June", the month of
"the 9th") are None until the narrative clock (`geo.extraction.clock`) fills them. The same point is
written two ways:

- its TIMEX3 value, as TempEval-3 writes it: `2015`, `2015-01`, `2015-01-02`, `2015-W03`,
  `2015-W03-WE`, `2015-Q1`, `2015-H1`, `2015-SU`, `199` (the 1990s), `19` (the 1900s),
  `2015-01-02TMO`, `2015-01-02T18:00Z`, with `XXXX` for a year no one can know;
- its `ParsedDate`, what the routes read: an ISO date at year, month or day precision, with an
  end for a period longer than its precision (a quarter is its three months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# Grains from the coarsest to the finest.
GRAINS = ("century", "decade", "year", "half", "quarter", "season", "month", "week", "weekend", "day", "part",
          "minute")
PRECISIONS = ("year", "month", "day")
SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
SEASON_OF_MONTH = {m: code for code, (a, b) in SEASONS.items() for m in ((a, a + 1, b) if a < b else (12, 1, 2))}
UNIT_DAYS = {"day": 1, "night": 1, "morning": 1, "evening": 1, "afternoon": 1, "week": 7, "weekend": 7,
             "fortnight": 14, "month": 30, "quarter": 91, "season": 91, "year": 365, "decade": 3652,
             "century": 36524}
# The finest precision a step of each unit can claim: "a year later" is a year.
UNIT_PRECISION = {"day": "day", "night": "day", "morning": "day", "evening": "day", "afternoon": "day",
                  "week": "day", "weekend": "day", "fortnight": "day", "month": "month", "quarter": "month",
                  "season": "month", "year": "year", "decade": "year", "century": "year"}


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


def coarser_precision(a: str, b: str) -> str:
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return d.replace(year=d.year + y, month=m + 1, day=min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))


@dataclass(frozen=True)
class Point:
    """A stretch of the calendar at one grain; None parts are not known (yet).

    `month` and `day` name the first day for the grains coarser than a day (a quarter's first month,
    a week's Monday, a weekend's Saturday). `weekday` (0 = Monday) is what "on Monday" says before
    the clock knows which Monday. `mod` is TIMEX3's: START, MID, END for "early", "mid", "late".
    """

    grain: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None  # SP, SU, FA, WI
    part: str | None = None  # MO, AF, EV, NI: a part of the day
    hour: int | None = None
    minute: int | None = None
    utc: bool = False
    weekday: int | None = None
    mod: str | None = None
    feast: str | None = None  # a movable feast ("easter"), reckoned from its year

    @property
    def complete(self) -> bool:
        """Every part its grain needs is known."""
        if self.year is None or self.feast is not None:
            return False
        if self.month is None and GRAINS.index(self.grain) >= GRAINS.index("month"):
            return False
        return not (self.grain in ("week", "weekend", "day", "part", "minute") and self.day is None)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        d = self.first_day()
        g = self.grain
        if g == "century":
            return dt.date(min(self.year + 99, 9999), 12, 31)
        if g == "decade":
            return dt.date(self.year + 9, 12, 31)
        if g == "year":
            return dt.date(self.year, 12, 31)
        months = {"half": 6, "quarter": 3, "season": 3, "month": 1}.get(g)
        if months:
            try:
                return add_months(d.replace(day=1), months) - dt.timedelta(days=1)
            except (ValueError, OverflowError):
                return dt.date(self.year, 12, 31)
        if g == "week":
            return d + dt.timedelta(days=6)
        if g == "weekend":
            return d + dt.timedelta(days=1)
        return d


def at_grain(d: dt.date, grain: str) -> Point:
    """The stretch of the given grain that holds a day."""
    if grain == "century":
        return Point("century", d.year // 100 * 100)
    if grain == "decade":
        return Point("decade", d.year // 10 * 10)
    if grain == "year":
        return Point("year", d.year)
    if grain == "half":
        return Point("half", d.year, 1 if d.month <= 6 else 7)
    if grain == "quarter":
        return Point("quarter", d.year, (d.month - 1) // 3 * 3 + 1)
    if grain == "season":
        code = SEASON_OF_MONTH[d.month]
        year = d.year - 1 if code == "WI" and d.month <= 2 else d.year
        return Point("season", year, SEASONS[code][0], season=code)
    if grain == "month":
        return Point("month", d.year, d.month)
    if grain == "week":
        return _week(d)
    if grain == "weekend":
        monday = d - dt.timedelta(days=d.weekday())
        sat = monday + dt.timedelta(days=5)
        return Point("weekend", sat.year, sat.month, sat.day)
    return Point("day", d.year, d.month, d.day)


def _week(d: dt.date) -> Point:
    monday = d - dt.timedelta(days=d.weekday())
    return Point("week", monday.year, monday.month, monday.day)


_MONTHS_IN = {"century": 1200, "decade": 120, "year": 12, "half": 6, "quarter": 3, "season": 3, "month": 1}
_DAYS_IN = {"century": 36524, "decade": 3652, "year": 365, "half": 181, "quarter": 90, "season": 90, "month": 28,
            "week": 7, "weekend": 7, "day": 1}
STEP_GRAIN = {"night": "day", "morning": "day", "evening": "day", "afternoon": "day", "fortnight": "week"}


def shift_point(anchor: Point, unit: str, amount: int, grain: str | None = None) -> Point | None:
    """Move a point by whole units; the result is at `grain` (the unit's own by default), or at the
    anchor's when the anchor is coarser.

    A coarse anchor moved by less than its own grain stays where it was ("two days after" something
    in June 2015 is still June 2015); None when the step leaves the calendar.
    """
    if not anchor.complete:
        return None
    if unit in ("hour", "minute", "second"):  # "two hours later": the time moves when the text gave one
        if anchor.grain != "minute":
            return at_grain(anchor.first_day(), "day") if GRAINS.index(anchor.grain) >= GRAINS.index("day") \
                else anchor
        seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * amount
        try:
            moved = dt.datetime(anchor.year, anchor.month, anchor.day, anchor.hour or 0, anchor.minute or 0) + \
                dt.timedelta(seconds=seconds)
        except (OverflowError, ValueError):
            return None
        return Point("minute", moved.year, moved.month, moved.day, hour=moved.hour, minute=moved.minute,
                     utc=anchor.utc)
    step = STEP_GRAIN.get(unit, unit)
    if unit == "fortnight":
        amount *= 2
    if step not in _DAYS_IN:
        return None
    target = anchor.grain if grain == "same" else (STEP_GRAIN.get(grain, grain) if grain else step)
    coarse = GRAINS.index(anchor.grain) < GRAINS.index(target)
    base = anchor.first_day()
    try:
        if step in _MONTHS_IN:
            months = _MONTHS_IN[step] * amount
            if coarse and abs(_DAYS_IN[step] * amount) < _DAYS_IN.get(anchor.grain, 0):
                months = 0
            moved = add_months(base, months)
        else:
            days = _DAYS_IN[step] * amount
            if coarse and abs(days) < _DAYS_IN.get(anchor.grain, 0):
                days = 0
            moved = base + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        return None
    if not 1 <= moved.year <= 9999:
        return None
    return at_grain(moved, anchor.grain if coarse else target)


def timex_value(p: Point) -> str:
    """The TIMEX3 value of a point; X for the parts not known."""
    y = "XXXX" if p.year is None else f"{p.year:04d}"
    g = p.grain
    if g == "century":
        return "XX" if p.year is None else f"{p.year // 100:02d}"
    if g == "decade":
        return "XXX" if p.year is None else f"{p.year // 10:03d}"
    if g == "year":
        return y
    if g == "half":
        return f"{y}-H{1 if (p.month or 1) <= 6 else 2}"
    if g == "quarter":
        return f"{y}-Q{((p.month or 1) - 1) // 3 + 1}"
    if g == "season":
        return f"{y}-{p.season}"
    mm = "XX" if p.month is None else f"{p.month:02d}"
    if g == "month":
        return f"{y}-{mm}"
    if g in ("week", "weekend"):
        if not p.complete:
            return "XXXX-WXX" + ("-WE" if g == "weekend" else "")
        iso_year, week, _ = p.first_day().isocalendar()
        return f"{iso_year:04d}-W{week:02d}" + ("-WE" if g == "weekend" else "")
    dd = "XX" if p.day is None else f"{p.day:02d}"
    day = f"{y}-{mm}-{dd}"
    if g == "part":
        return f"{day}T{p.part}"
    if g == "minute":
        if p.hour is None:
            return f"{day}TXX:XX"
        return f"{day}T{p.hour:02d}:{p.minute or 0:02d}" + ("Z" if p.utc else "")
    return day


def parsed_of(p: Point, relative: bool = False) -> ParsedDate:
    """What the routes read of a point: an ISO date at its precision, with an end for a longer stretch."""
    if p.year is None or not (1 <= p.year <= 9999):
        return UNDATED
    g = p.grain
    if g in ("century", "decade"):
        first, last = p.year, p.year + (99 if g == "century" else 9)
        if g == "decade" and p.mod in ("START", "MID", "END"):  # "the late 1990s": 1996 to 1999
            first, last = {"START": (first, first + 3), "MID": (first + 3, first + 6), "END": (first + 6, last)}[p.mod]
        return ParsedDate(f"{first:04d}", f"{min(last, 9999):04d}", "year", relative)
    if g == "year" or (g == "season" and p.season == "WI"):
        return ParsedDate(f"{p.year:04d}", precision="year", relative=relative)
    if g in ("half", "quarter", "season"):
        first = p.first_day()
        last = p.last_day()
        return ParsedDate(iso_of(first, "month"), iso_of(last, "month"), "month", relative)
    if p.month is None:
        return UNDATED
    if g == "month":
        return ParsedDate(f"{p.year:04d}-{p.month:02d}", precision="month", relative=relative)
    if p.day is None:
        return UNDATED
    try:
        first = p.first_day()
    except ValueError:  # 30 February
        return UNDATED
    if g in ("week", "weekend"):
        return ParsedDate(first.isoformat(), p.last_day().isoformat(), "day", relative)
    return ParsedDate(first.isoformat(), precision="day", relative=relative)


def point_of_iso(iso: str) -> Point | None:
    """A Point from an ISO date at year, month or day precision; None when it is not one."""
    try:
        parts = [int(x) for x in iso.split("-")]
    except ValueError:
        return None
    if not parts or not 1 <= parts[0] <= 9999 or len(parts) > 3:
        return None
    try:
        if len(parts) == 1:
            return Point("year", parts[0])
        if len(parts) == 2:
            dt.date(parts[0], parts[1], 1)
            return Point("month", parts[0], parts[1])
        dt.date(*parts)
    except ValueError:
        return None
    return Point("day", *parts)


def point_of_parsed(d: ParsedDate) -> Point | None:
    return point_of_iso(d.iso) if d.iso else None
