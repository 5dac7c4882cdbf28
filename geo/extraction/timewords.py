"""The words of time expressions: month and weekday names, numbers, units, and the readings a rule gives."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from geo.extraction.timevalue import Point


# --- words -------------------------------------------------------------------------------------

MONTH_NUMBER = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NUMBER.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTH_NUMBER["sept"] = 9
WEEKDAY_NUMBER = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SEASON_CODE = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PART_CODE = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI", "dawn": "MO",
             "daybreak": "MO", "sunrise": "MO", "dusk": "EV", "sunset": "EV", "nightfall": "EV", "midmorning": "MO"}
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth"]
# Counts that say "some": a duration of them is PXY, a step of them is taken as three.
VAGUE = {"several": 3, "a few": 3, "few": 3, "many": None, "some": None, "a couple of": 2, "couple of": 2,
         "a number of": None, "dozens of": None, "hundreds of": None, "a dozen": 12, "a half": 0.5, "half a": 0.5,
         "half an": 0.5}
UNITS = {"second": "second", "sec": "second", "minute": "minute", "min": "minute", "hour": "hour", "hr": "hour",
         "day": "day", "night": "night", "week": "week", "weekend": "weekend", "fortnight": "fortnight",
         "month": "month", "quarter": "quarter", "year": "year", "yr": "year", "decade": "decade",
         "century": "century", "centurie": "century", "millennium": "millennium", "millennia": "millennium"}


def words(names) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


def _capitalised(names) -> str:
    """Names that are words only with a capital: 'May', 'March', 'Sunday' ('may', 'march' are not)."""
    return "(?-i:" + "|".join(sorted({f(n) for n in names for f in (str.capitalize, str.upper)},
                                     key=len, reverse=True)) + ")"


MONTH_FULL = [m for m in calendar.month_name if m]
_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
# An abbreviation is a month with its full stop, or before a day number: "Jan. 23", "Jan 23", and in older
# journals with a colon before its number: "Oct: 2.", "1 Oct: 1769".
MON = ("(?:" + _capitalised(MONTH_FULL) + r"\b|" + _capitalised(_ABBR) + r"(?:\.|:(?=[ \t]*\d)|\b(?=\s*\d)))")
WD = _capitalised(calendar.day_name) + r"\b"
WD_ABBR = _capitalised(["Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"]) + r"\.?"
# "2d" and "3d" (and 22d, 23d) are how older English writes second and third: "the 3d of June".
_ORD = r"(?:st|nd|rd|th|(?<=[23])d\b)"
DAY = rf"(?:3[01]|[12]\d|0?[1-9]){_ORD}?(?![\d%]|[:.]\d)"
DAY_ORD = rf"(?:3[01]|[12]\d|0?[1-9]){_ORD}(?![\d%])"
ORDW = ("(?:" + "|".join(["thirty-first", "thirtieth"] + [f"twenty-{o}" for o in ORDINALS[:9]] +
                         list(reversed(ORDINALS))) + r")\b")
YEAR = r"(?:1\d{3}|20\d{2})(?![\d])(?!,\d{3}|\.\d)(?!\s*(?:%|per\s?cent))"
NUMW = ("(?:" + "|".join([f"{t}(?:[\\s-](?:{'|'.join(SMALL[1:10])}))?" for t in TENS] + list(reversed(SMALL))) +
        r")\b")
NUM = (r"(?:\d+(?:\.\d+)?|" + NUMW + r"(?:\s+hundred)?|(?:a|one)\s+hundred|" + words(VAGUE) + r"|an?)")
UNIT = (r"(?:centur(?:y|ies)|millenni(?:um|a)|(?:second|minute|hour|day|night|weekend|week|fortnight|month|"
        r"quarter|year|decade)s?|hrs?\b|mins?\b|secs?\b|yrs?\b)")
ADJ = r"(?:(?:trading|business|working|calendar|straight|consecutive|full|whole|long|short|successive)\s+)?"
# Between a date's parts: a comma or spaces, a line break only after a comma (a headline's last word and
# the date line under it are not one date).
SEP = r"(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]+)"
CAL = r"(?:day|week|weekend|month|year|quarter|decade|century|season|morning|afternoon|evening|night|time)"
SEASON = r"(?:spring|summer|autumn|fall|winter)"


def number(word: str) -> float | None:
    """'three' -> 3, '12' -> 12, 'thirty-nine' -> 39, 'several' -> 3; None for a count that says 'some'."""
    w = re.sub(r"\s+", " ", word.lower().strip())
    if w in VAGUE:
        return VAGUE[w]
    if w in ("a", "an"):
        return 1
    try:
        return float(w) if "." in w else int(w)
    except ValueError:
        pass
    w = w.replace("-", " ")
    if w.endswith(" hundred") or w == "hundred":
        head = w[: -len("hundred")].strip() or "one"
        n = number(head) if head not in ("a",) else 1
        return None if n is None else n * 100
    parts = w.split()
    total = 0
    for p in parts:
        if p in TENS:
            total += TENS[p]
        elif p in SMALL:
            total += SMALL.index(p)
        else:
            return None
    return total


def is_vague(word: str) -> bool:
    w = re.sub(r"\s+", " ", word.lower().strip())
    return w in VAGUE and w not in ("a dozen", "a half", "half a", "half an")


def unit_of(word: str) -> str:
    w = word.lower().rstrip(".")
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("s") and w[:-1] in UNITS:
        w = w[:-1]
    return UNITS.get(w, w)


def month_of(word: str) -> int:
    return MONTH_NUMBER[word.lower().rstrip(".:")]


def day_of(word: str) -> int:
    w = word.lower()
    if w[0].isdigit():
        return int(re.match(r"\d+", w).group())
    if w.startswith("twenty-"):
        return 20 + ORDINALS.index(w[len("twenty-"):]) + 1
    if w == "thirtieth":
        return 30
    if w == "thirty-first":
        return 31
    return ORDINALS.index(w) + 1


def two_digit_year(yy: str, pivot: int = 30) -> int:
    n = int(yy)
    return 2000 + n if n < pivot else 1900 + n


# --- readings ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """What the words of one expression fix, before the clock anchors it.

    kind:
      point     a calendar point; parts left None (year, month...) are the clock's to fill;
      this      the anchor's own unit ("today", "this year", "that day"), with `point`'s parts laid
                over it ("that August", "this morning");
      shift     `amount` units from the anchor ("yesterday", "three days later", "next month");
      duration  a length (`value` P3D; `days` for the routes), set: a recurrence, ref: PRESENT_REF...
    anchor: "dct" (deictic: the document's date) or "ref" (anaphoric: the narrative's last time); for
      an incomplete point, "" lets the clock choose by the text's genre.
    """

    kind: str
    point: Point | None = None
    unit: str | None = None
    amount: int = 0
    grain: str | None = None  # the grain of a shift's result; None: the unit's own
    anchor: str = ""  # "dct", "ref", or "" for a point: the clock chooses by genre
    direction: str | None = None  # "past", "future": the side of the anchor an incomplete point is on
    strict: bool = False  # "last Monday": not the anchor's own Monday
    of: Reading | None = None  # fills this one's missing parts: "October of next year"
    value: str | None = None  # duration, set, ref: the TIMEX3 value
    days: int | None = None  # duration: its length in days, for the routes
    timex: tuple[str, str] | None = None  # (type, value) written for TIMEX3 when it differs ("after four days")
    mod: str | None = None
    since: bool = False  # a bound, not a time the story is at: "since 1989"

    @property
    def incomplete(self) -> bool:
        return self.kind == "point" and self.point is not None and not self.point.complete


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    reading: Reading
    rule: str


def point(grain: str, **kw) -> Reading:
    return Reading("point", Point(grain, **kw))


def duration(n: float | None, unit: str, vague: bool = False) -> Reading:
    """A length; a vague count ("several years") is PXY in TIMEX3 and still a few units for the routes."""
    return Reading("duration", value=duration_value(None if vague else n, unit), days=duration_days(n, unit))


def duration_value(n: float | None, unit: str) -> str:
    scale, code, time = {"second": (1, "S", True), "minute": (1, "M", True), "hour": (1, "H", True),
                         "day": (1, "D", False), "night": (1, "D", False), "week": (1, "W", False),
                         "weekend": (1, "WE", False), "fortnight": (2, "W", False), "month": (1, "M", False),
                         "quarter": (1, "Q", False), "year": (1, "Y", False), "decade": (10, "Y", False),
                         "century": (100, "Y", False), "millennium": (1000, "Y", False)}[unit]
    if n is not None and not float(n).is_integer() and unit in ("day", "hour", "minute"):
        smaller, factor = {"day": ("hour", 24), "hour": ("minute", 60), "minute": ("second", 60)}[unit]
        if float(n * factor).is_integer():
            return duration_value(n * factor, smaller)  # half an hour: PT30M
    if n is None:
        amount = "X"
    else:
        v = n * scale
        amount = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return ("PT" if time else "P") + amount + code


def duration_days(n: float | None, unit: str) -> int | None:
    from geo.extraction.timevalue import UNIT_DAYS

    if n is None or unit not in UNIT_DAYS:
        return None
    try:
        days = int(n * UNIT_DAYS[unit])
    except (OverflowError, ValueError):
        return None
    return days if days > 0 else None


def ref(value: str) -> Reading:
    return Reading("ref", value=value)


def cal_unit(word: str) -> tuple[str, str | None]:
    """('day', 'MO') for 'morning': the unit a calendar word steps by and the part of day it names."""
    w = word.lower()
    if w in PART_CODE:
        return "day", PART_CODE[w]
    return w, None


