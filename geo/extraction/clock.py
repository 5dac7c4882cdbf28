"""The narrative clock: time expressions anchored in reading order against the time the text sets.

Two times anchor what the words of an expression leave open (`geo.extraction.timerules` says what
they fix):

- the document's date (DCT), from its dateline or given by the user, anchors the deictic
  expressions: "today", "yesterday", "on Monday", "last week", "this year", "two years ago", "next
  month". Without a document date they count from the narrative's time instead;
- the narrative's time (the reference time, REF) is the last date the text has set, in reading
  order, whatever sentence set it; it starts at the document's date. It anchors the anaphoric
  expressions: "three days later", "the next morning", "the same day", "that August", "the previous
  year", "later that month".

A date the words leave incomplete ("18 June", "in March", "on the 9th", "Monday", "the fourth
quarter", "Christmas") takes the missing parts from one of the two, chosen as HeidelTime chooses by
genre (Strötgen and Gertz, 2013), with the genre read from the text itself:

- **news**: a document date is known and the text is about that date's present: it counts days from
  it ("on Tuesday", "yesterday", "last week"), or at least as many of its expressions are deictic or
  fall within a year of the document date as fall further away, the document date itself counting
  as one (and the rest of the line that gives it not at all: "Argued: Oct. 21, 1941. Decided: Nov
  24, 1941");
  Incomplete dates are then placed around the document date, on the side the verb's tense says
  ("the Shuffle was introduced in January" is the January before it, "the trial will begin on
  Wednesday" the Wednesday after it; without a tense, the nearest), except that once the text has
  set a day of its own, an incomplete date within STORY_DAYS of it is that story's ("* 3 June: Porto.
  * 4 June: Porto to Salamanca" in a blog posted in July);
- **narrative** (a history, a journal, a biography, or any text without a document date): they are
  placed around the narrative's time, preferring to move the story forward: the nearest candidate
  after it, unless one before it is less than a third as far ("27th of December, 1831 ... On the 6th
  of January" is 6 January 1832; "arrived on 24 June ... had left on 18 June" stays in June).

Words that name a side ("last June", "next Friday") and a pluperfect ("had left") override both.
Two kinds of date do not move the narrative's time: a bound ("the lowest level since 1989") and an
aside in brackets ("Shufeldt (1822–1895)").
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from geo.extraction.timewords import Reading
from geo.extraction.timevalue import (
    GRAINS,
    UNDATED,
    ParsedDate,
    Point,
    at_grain,
    parsed_of,
    shift_point,
    timex_value,
)

# Backward steps cost this many times forward ones in a narrative: the story moves on.
BACKWARD_COST = 3
# A date this close to the document's date is about its present.
NEAR_DAYS = 366
# An incomplete date this close to the day the story is at belongs to the story, in news too.
STORY_DAYS = 7


@dataclass(frozen=True)
class Resolved:
    type: str  # DATE, TIME, DURATION, SET
    value: str  # as TempEval-3 writes it
    date: ParsedDate  # what the routes read
    point: Point | None = None  # the calendar point, when there is one and it is complete


def is_news(dct: Point | None, readings: list[Reading]) -> bool:
    """News: a document date is known and the expressions are about its present (see the module doc)."""
    if dct is None or dct.year is None:
        return False
    near, far = 1, 0  # a text that gives its own date leans to news
    for r in readings:
        weekday = r.kind == "point" and r.point is not None and r.point.weekday is not None and r.anchor != "ref"
        if weekday or (r.anchor == "dct" and r.kind in ("this", "shift") and r.unit in _DAYS_OF_A_WEEK):
            return True  # "on Tuesday", "yesterday", "last week" only make sense from a date of writing
        if r.anchor == "dct" and r.kind in ("this", "shift", "point"):
            near += 1
        elif r.kind == "point" and r.point is not None and r.point.complete and r.of is None:
            if abs(_distance(r.point, dct)) <= NEAR_DAYS:
                near += 1
            else:
                far += 1
    return near >= far


_DAYS_OF_A_WEEK = {"day", "night", "morning", "evening", "afternoon", "week", "weekend"}


def feast_day(name: str, year: int) -> dt.date | None:
    """The day of a movable feast in a year (Gregorian Easter by the anonymous algorithm)."""
    def nth_weekday(month: int, weekday: int, n: int) -> dt.date:
        days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
                if dt.date(year, month, d).weekday() == weekday]
        return dt.date(year, month, days[n])

    if "easter" in name or name == "good friday":
        a, b, c = year % 19, year // 100, year % 100
        d, e = divmod(b, 4)
        f = (b + 8) // 25
        g = (b - f + 1) // 3
        h = (19 * a + b - d - g + 15) % 30
        i, k = divmod(c, 4)
        l_ = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 22 * l_) // 451
        month, day = divmod(h + l_ - 7 * m + 114, 31)
        easter = dt.date(year, month, day + 1)
        return easter + dt.timedelta(days={"good friday": -2, "easter monday": 1}.get(name, 0))
    table = {"thanksgiving": (11, 3, 3), "thanksgiving day": (11, 3, 3), "labor day": (9, 0, 0),
             "labour day": (9, 0, 0), "memorial day": (5, 0, -1), "martin luther king day": (1, 0, 2),
             "martin luther king jr. day": (1, 0, 2), "mothers day": (5, 6, 1), "fathers day": (6, 6, 2)}
    if name in table:
        return nth_weekday(*table[name])
    return None


def _interval(p: Point) -> tuple[dt.date, dt.date]:
    return p.first_day(), p.last_day()


def _distance(c: Point, a: Point) -> int:
    """Days from the anchor to a candidate: 0 when they overlap, negative when the candidate is before."""
    c0, c1 = _interval(c)
    a0, a1 = _interval(a)
    if c0 <= a1 and a0 <= c1:
        return 0
    return (c0 - a1).days if c0 > a1 else -(a0 - c1).days


def _candidates(p: Point, a: Point) -> list[Point]:
    """The complete points an incomplete one could be, around an anchor."""
    out = []
    base = a.first_day()
    if p.weekday is not None:
        for k in range(-7, 8):
            d = base + dt.timedelta(days=k)
            if d.weekday() == p.weekday:
                out.append(replace(p, year=d.year, month=d.month, day=d.day, weekday=None))
        return out
    if p.year is None and p.month is None and p.day is not None:
        if a.month is None:
            return []
        for k in (-1, 0, 1):
            y, m = divmod(a.month - 1 + k, 12)
            year, month = a.year + y, m + 1
            if 1 <= year <= 9999 and p.day <= calendar.monthrange(year, month)[1]:
                out.append(replace(p, year=year, month=month))
        return out
    if p.year is None:
        for year in (a.year - 1, a.year, a.year + 1):
            if not 1 <= year <= 9999:
                continue
            c = replace(p, year=year)
            if c.feast:
                d = feast_day(c.feast, year)
                if d is None:
                    continue
                c = replace(c, month=d.month, day=d.day, feast=None)
            if c.day is not None and c.month is not None and c.day > calendar.monthrange(year, c.month)[1]:
                continue  # 29 February
            out.append(c)
    return out


class Clock:
    """The two anchors of a text, and the choice between them, in reading order."""

    def __init__(self, dct: Point | None = None, news: bool = False, ref: Point | None = None):
        self.dct = dct if dct is not None and dct.complete else None
        self.news = news and self.dct is not None
        self.ref = ref if ref is not None else self.dct
        self.fine: Point | None = self.ref if self.ref is not None and _day_or_finer(self.ref) else None

    def anchor(self, which: str, unit: str | None = None) -> Point | None:
        """The document's date for "dct"; else the narrative's time, or for a unit finer than it ("the
        day", "that morning" after "in March") the last time the text set at a day or finer."""
        if which == "dct":
            return self.dct or self.ref
        ref = self.ref or self.dct
        if ref is not None and unit in _DAY_UNITS and not _day_or_finer(ref) and self.fine is not None:
            return self.fine
        return ref

    def saw(self, p: Point, r: Reading | None = None) -> None:
        """The narrative is now at this time. A deictic time coarser than a day ("last year", "this
        month") or a coarse step back ("the previous year") compares, and leaves the story where it was."""
        if not p.complete:
            return
        if r is not None and not _day_or_finer(p) and (r.anchor == "dct" or (r.kind == "shift" and r.amount < 0)):
            return  # "last year", "the previous year": a comparison, not a step of the story
        if r is not None and r.kind == "shift" and r.amount < 0 and r.anchor != "dct":
            return  # "the night before", "the day before": a look back; "the next morning" is after the story's day
        self.ref = p
        if _day_or_finer(p):
            self.fine = p

    # --- resolving -----------------------------------------------------------------------------

    def resolve(self, r: Reading, tense: str | None = None) -> Resolved:
        if r.kind == "duration":
            return Resolved("DURATION", r.value, ParsedDate(duration_days=r.days))
        if r.kind == "set":
            return Resolved("SET", r.value, UNDATED)
        if r.kind == "ref":
            return Resolved("DATE", r.value, UNDATED)
        p, relative = self.point(r, tense)
        if p is None:
            return Resolved(self._type(r), _unknown(r), UNDATED)
        if r.timex is not None:
            kind, value = r.timex
            if value.startswith("FY"):
                value = f"FY{p.year:04d}" if p.year is not None else value
            return Resolved(kind, value, parsed_of(p, relative), p if p.complete else None)
        return Resolved(self._type(r, p), timex_value(p), parsed_of(p, relative) if p.complete else UNDATED,
                        p if p.complete else None)

    @staticmethod
    def _type(r: Reading, p: Point | None = None) -> str:
        grain = p.grain if p is not None else (r.point.grain if r.point is not None else None)
        return "TIME" if grain in ("part", "minute") else "DATE"

    def point(self, r: Reading, tense: str | None = None) -> tuple[Point | None, bool]:
        """The calendar point of a reading (incomplete when nothing anchors it), and whether it counts
        from the narrative's time."""
        if r.kind == "point":
            p = r.point
            if r.of is not None:
                base, _ = self.point(r.of, tense)
                if base is not None:
                    p = _fill(p, base)
            if p.feast and p.year is not None:
                d = feast_day(p.feast, p.year)
                p = replace(p, month=d.month, day=d.day, feast=None) if d else p
            if not p.complete:
                p = self._place(p, r, tense)
            if p.complete and p.grain in ("week", "weekend"):
                p = replace(at_grain(p.first_day(), p.grain), mod=p.mod)
            return p, False
        anchor = self.anchor(r.anchor, r.unit)
        if anchor is None:
            return None, False
        relative = r.anchor == "ref" or self.dct is None
        if r.kind == "this":
            if r.unit == "time":
                return anchor, relative
            p = anchor if _coarser(anchor.grain, r.unit) else at_grain(anchor.first_day(), r.unit)
        else:
            p = shift_point(anchor, r.unit, r.amount, r.grain)
            if p is None:
                return None, False
        p = _overlay(p, r.point)
        return (replace(p, mod=r.mod) if r.mod else p), relative

    def _place(self, p: Point, r: Reading, tense: str | None) -> Point:
        """An incomplete point completed from an anchor, on the side the words or the tense say."""
        news = (self.news and not r.anchor) or r.anchor == "dct"
        anchor = (self.dct or self.ref) if news else (self.ref or self.dct)
        if not news and anchor is not None and self.fine is not None and not _day_or_finer(anchor) \
                and anchor.complete and anchor.last_day() < self.fine.first_day():
            anchor = self.fine  # a bare earlier year was an aside: the story is still where it was
        if p.grain in ("part", "minute") and p.day is None and p.weekday is None:
            day = self.anchor("ref", "day")  # a time of day is on the day the story is at
            if day is not None and _day_or_finer(day):
                return replace(p, year=day.year, month=day.month, day=day.day)
            return p
        if anchor is None:
            return p
        chosen = self._choose(p, r, tense, anchor, news)
        if news and not r.anchor and chosen is not None and self.ref is not None and self.ref != self.dct \
                and _day_or_finer(self.ref):
            # The story has left the day of writing: a day the text set ("* 3 June: Porto") anchors the next
            # incomplete one ("* 4 June: Porto to Salamanca") when it falls a few days from it, whatever the
            # tense says of the date of writing.
            story = self._choose(p, r, None, self.ref, False)
            if story is not None and story != chosen and abs(_distance(story, self.ref)) <= STORY_DAYS:
                return story
        return chosen if chosen is not None else p

    def _choose(self, p: Point, r: Reading, tense: str | None, anchor: Point, news: bool) -> Point | None:
        candidates = _candidates(p, anchor)
        if not candidates:
            return None
        direction = r.direction
        if direction is None and r.since:
            direction = "past"
        if direction is None and (news or tense == "pluperfect"):
            direction = {"past": "past", "pluperfect": "past", "future": "future"}.get(tense or "")
        scored = [(_distance(c, anchor), n, c) for n, c in enumerate(candidates)]
        if direction == "past":
            pool = [s for s in scored if s[0] < 0 or (s[0] == 0 and not r.strict)]
            key = (lambda s: -s[0])  # noqa: E731
        elif direction == "future":
            pool = [s for s in scored if s[0] > 0 or (s[0] == 0 and not r.strict)]
            key = (lambda s: s[0])  # noqa: E731
        elif news:
            pool = scored
            key = (lambda s: (abs(s[0]), s[0] > 0))  # noqa: E731
        else:
            pool = scored
            key = (lambda s: s[0] if s[0] >= 0 else BACKWARD_COST * -s[0])  # noqa: E731
        if not pool:
            return None
        return min(pool, key=key)[2]


_DAY_UNITS = {"day", "night", "morning", "evening", "afternoon", "time"}


def _day_or_finer(p: Point) -> bool:
    return p.grain in ("day", "part", "minute") and p.day is not None


def _coarser(grain: str, unit: str) -> bool:
    """The anchor is coarser than the unit asked of it: 'the same day' in a text at a month stays a month."""
    unit = {"night": "day", "morning": "day", "evening": "day", "afternoon": "day", "fortnight": "week"}.get(unit, unit)
    if unit not in GRAINS:
        return True
    if grain in ("week", "weekend"):
        return unit in ("day",)
    return GRAINS.index(grain) < GRAINS.index(unit) and grain not in ("part", "minute")


def _fill(p: Point, base: Point) -> Point:
    """Parts an expression lacks, from the one it is 'of': 'October of next year', 'the evening of 15 August'."""
    if p.grain in ("part", "minute") and p.day is None and p.weekday is None:
        if base.grain in ("day", "part", "minute") and base.day is not None:
            return replace(p, year=base.year, month=base.month, day=base.day)
        return p
    out = p
    if out.year is None and base.year is not None:
        out = replace(out, year=base.year)
    if out.month is None and out.day is not None and base.month is not None:
        out = replace(out, month=base.month)
    return out


def _overlay(p: Point, over: Point | None) -> Point:
    """An anchor's unit with the parts the words add: 'this morning', 'that August'."""
    if over is None:
        return p
    if over.part is not None:
        if p.grain in ("day", "part", "minute") and p.day is not None:
            return Point("part", p.year, p.month, p.day, part=over.part)
        return p
    if over.grain in ("month", "season") and p.year is not None:
        return replace(over, year=p.year)
    return p


def _unknown(r: Reading) -> str:
    """The value of an expression nothing anchors: X for what cannot be known."""
    if r.kind == "point" and r.point is not None:
        p = r.point
        if p.weekday is not None:
            return f"XXXX-WXX-{p.weekday + 1}"
        return timex_value(p)
    unit = {"night": "day", "morning": "day", "evening": "day", "afternoon": "day", "fortnight": "week",
            "time": "day"}.get(r.unit or "day", r.unit or "day")
    if unit in ("hour", "minute", "second"):
        return "XXXX-XX-XXTXX:XX"
    if unit not in GRAINS:
        unit = "day"
    if r.point is not None and r.point.part is not None:
        return f"XXXX-XX-XXT{r.point.part}"
    return timex_value(Point(unit, season="XX") if unit == "season" else Point(unit))
