"""The shapes of English time expressions: where they are in a text and what their words say.

Each rule is named for the shape it reads ("day month year", "N units later", "last <unit>"...),
finds that shape with a regular expression and says what the words fix, as a `Reading`, before any
anchoring: "18 June" fixes a month and a day and leaves the year to the narrative clock; "three days
later" is a step of three days from the narrative's time; "last week" a step of one week from the
document's date; "four days" a length. `find(text)` runs every rule, keeps the longest match where
two overlap, then joins what belongs together:

- "X of Y", where X lacks what Y gives: "October of next year", "the evening of 15 August", "the
  first quarter of last year";
- a part of the day or a clock time beside its day: "Friday morning", "12:00 UTC Monday";
- a modifier before a date: "early 2009", "the end of October", "late in the autumn".

Spans follow TIMEX3: the preposition before an expression ("on", "in", "since") is not part of it;
a list or a range gives one expression per date ("18 and 24 June", "from 2009 to 2011").
Rules see only the text; `geo.extraction.timex` adds what needs the parse.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

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


def _words(names) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


def _capitalised(names) -> str:
    """Names that are words only with a capital: 'May', 'March', 'Sunday' ('may', 'march' are not)."""
    return "(?-i:" + "|".join(sorted({f(n) for n in names for f in (str.capitalize, str.upper)},
                                     key=len, reverse=True)) + ")"


_MONTH_FULL = [m for m in calendar.month_name if m]
_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
# An abbreviation is a month with its full stop, or before a day number: "Jan. 23", "Jan 23".
MON = ("(?:" + _capitalised(_MONTH_FULL) + r"\b|" + _capitalised(_ABBR) + r"(?:\.|\b(?=\s*\d)))")
WD = _capitalised(calendar.day_name) + r"\b"
WD_ABBR = _capitalised(["Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"]) + r"\.?"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[:.]\d)"
DAY_ORD = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?![\d%])"
ORDW = ("(?:" + "|".join(["thirty-first", "thirtieth"] + [f"twenty-{o}" for o in ORDINALS[:9]] +
                         list(reversed(ORDINALS))) + r")\b")
YEAR = r"(?:1\d{3}|20\d{2})(?![\d])(?!,\d{3}|\.\d)(?!\s*(?:%|per\s?cent))"
NUMW = ("(?:" + "|".join([f"{t}(?:[\\s-](?:{'|'.join(SMALL[1:10])}))?" for t in TENS] + list(reversed(SMALL))) +
        r")\b")
NUM = (r"(?:\d+(?:\.\d+)?|" + NUMW + r"(?:\s+hundred)?|(?:a|one)\s+hundred|" + _words(VAGUE) + r"|an?)")
UNIT = (r"(?:centur(?:y|ies)|millenni(?:um|a)|(?:second|minute|hour|day|night|weekend|week|fortnight|month|"
        r"quarter|year|decade)s?|hrs?\b|mins?\b|secs?\b|yrs?\b)")
_ADJ = r"(?:(?:trading|business|working|calendar|straight|consecutive|full|whole|long|short|successive)\s+)?"
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
    return MONTH_NUMBER[word.lower().rstrip(".")]


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


def _cal_unit(word: str) -> tuple[str, str | None]:
    """('day', 'MO') for 'morning': the unit a calendar word steps by and the part of day it names."""
    w = word.lower()
    if w in PART_CODE:
        return "day", PART_CODE[w]
    return w, None


# --- rules -------------------------------------------------------------------------------------

Builder = Callable[[re.Match, str], list[tuple[int, int, Reading]]]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    build: Builder


RULES: list[Rule] = []


def rule(name: str, pattern: str):
    def register(build: Builder) -> Builder:
        RULES.append(Rule(name, re.compile(pattern, re.IGNORECASE), build))
        return build
    return register


def _whole(m: re.Match, reading: Reading, group: str | int = "x") -> list[tuple[int, int, Reading]]:
    g = group if (isinstance(group, int) or group in m.re.groupindex) and m.group(group) is not None else 0
    return [(m.start(g), m.end(g), reading)]


def _ymd(y: str | None, mo: str, d: str | None) -> Reading | None:
    month = month_of(mo)
    year = int(y) if y else None
    day = day_of(d) if d else None
    if day is not None:
        limit = calendar.monthrange(year or 2000, month)[1]
        if day > limit:
            return None
        return point("day", year=year, month=month, day=day)
    return point("month", year=year, month=month)


def _dated(m, reading):
    return [] if reading is None else _whole(m, reading)


@rule("day month year", rf"(?:{WD}{SEP}|{WD_ABBR}{SEP})?(?:the\s+)?(?P<d>{DAY}|{ORDW})(?:\s+of)?\s+(?P<m>{MON})"
                        rf"(?:{SEP}?\[?(?P<y>{YEAR})\]?)?")
def _day_month_year(m, text):
    return _dated(m, _ymd(m.group("y"), m.group("m"), m.group("d")))


@rule("month day year", rf"(?:{WD}{SEP}|{WD_ABBR}{SEP})?(?P<m>{MON})\s*(?:the\s+)?(?P<d>{DAY}|{ORDW})"
                        rf"(?:{SEP}(?P<y>{YEAR}))?")
def _month_day_year(m, text):
    return _dated(m, _ymd(m.group("y"), m.group("m"), m.group("d")))


@rule("month year", rf"(?P<m>{MON}){SEP}?(?:of\s+)?(?P<y>{YEAR})")
def _month_year(m, text):
    return _dated(m, _ymd(m.group("y"), m.group("m"), None))


_LIST = r"\s*(?:,\s*(?:and\s+|or\s+)?|and|&|or|-|–|to|through|until|till)\s*"


@rule("days of one month", rf"(?P<days>{DAY}(?:{_LIST}{DAY})+)(?:\s+of)?\s+(?P<m>{MON})(?:{SEP}?(?P<y>{YEAR}))?")
def _days_month(m, text):
    """'18 and 24 June', '2-4 June 2015': one date per day, all of the month (and year) named last."""
    out = []
    for d in re.finditer(DAY, m.group("days")):
        r = _ymd(m.group("y"), m.group("m"), d.group())
        if r is None:
            return []
        start = m.start("days") + d.start()
        out.append((start, m.start("days") + d.end(), r))
    s, _, r = out[-1]
    out[-1] = (s, m.end(), r)
    return out


@rule("month of several days", rf"(?P<m>{MON})\s*(?P<days>{DAY}(?:{_LIST}{DAY})+)(?:{SEP}(?P<y>{YEAR}))?")
def _month_days(m, text):
    """'June 18 and 24', 'June 2-4, 2015'."""
    out = []
    days = list(re.finditer(DAY, m.group("days")))
    for n, d in enumerate(days):
        r = _ymd(m.group("y"), m.group("m"), d.group())
        if r is None:
            return []
        start = m.start() if n == 0 else m.start("days") + d.start()
        end = m.end() if n == len(days) - 1 else m.start("days") + d.end()
        out.append((start, end, r))
    return out


@rule("ISO date", rf"(?<![\d/-])(?P<y>{YEAR})(?P<s>[-/])(?P<mo>0[1-9]|1[0-2])(?P=s)(?P<d>0[1-9]|[12]\d|3[01])"
                  r"(?:T(?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?(?P<z>Z)?)?(?![\d/])")
def _iso(m, text):
    y, mo, d = int(m.group("y")), int(m.group("mo")), int(m.group("d"))
    if d > calendar.monthrange(y, mo)[1]:
        return []
    if m.group("h"):
        return [(m.start(), m.end(), point("minute", year=y, month=mo, day=d, hour=int(m.group("h")),
                                           minute=int(m.group("mi")), utc=bool(m.group("z"))))]
    return [(m.start(), m.end(), point("day", year=y, month=mo, day=d))]


@rule("numeric date", r"(?<![\d/.,])(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)")
def _numeric(m, text):
    """'7/8/07', '07/08/2007' (month first, as American usage; day first when the first is over 12),
    '14.03.2015' (day first, as dotted dates are written)."""
    a, b = int(m.group("a")), int(m.group("b"))
    y = int(m.group("y")) if len(m.group("y")) == 4 else two_digit_year(m.group("y"))
    month, day = (a, b) if m.group("s") == "/" and a <= 12 else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(y, month)[1]):
        return []
    return [(m.start(), m.end(), point("day", year=y, month=month, day=day))]


@rule("month/year span", r"(?<![\d/])(?P<m1>\d{1,2})/(?P<y1>\d{2}|\d{4})\s*[-–]\s*(?P<m2>\d{1,2})/(?P<y2>\d{2}|\d{4})"
                         r"(?![\d/])")
def _slash_span(m, text):
    """'6/14-6/15': June 2014 to June 2015, as tweets and headlines write a span of months."""
    out = []
    for mg, yg in (("m1", "y1"), ("m2", "y2")):
        month, y = int(m.group(mg)), m.group(yg)
        year = int(y) if len(y) == 4 else 2000 + int(y)
        if not 1 <= month <= 12:
            return []
        out.append((m.start(mg), m.end(yg), point("month", year=year, month=month)))
    return out


@rule("year range", rf"(?<![\d,.])(?P<a>{YEAR})\s*[-–—/]\s*(?P<b>(?:1\d|20)\d\d|\d\d)(?![\d])")
def _year_range(m, text):
    """'1878–1880', '2010-11': one date per year."""
    a, b = m.group("a"), m.group("b")
    if len(b) == 2:
        end = int(a[:2] + b)
        if end <= int(a):
            if m.group().count("-") == 1 and 1 <= int(b) <= 12 and re.fullmatch(r"\d{4}-\d\d", m.group()):
                return [(m.start(), m.end(), point("month", year=int(a), month=int(b)))]  # 2015-01
            return []
    else:
        end = int(b)
        if end <= int(a):
            return []
    return [(m.start("a"), m.end("a"), point("year", year=int(a))),
            (m.start("b"), m.end("b"), point("year", year=end))]


@rule("from year to year", rf"\b(?:from|between)\s+(?P<a>{YEAR})\s*(?:to|and|until|till|through|-|–)\s*(?P<b>{YEAR})")
def _year_words(m, text):
    return [(m.start("a"), m.end("a"), point("year", year=int(m.group("a")))),
            (m.start("b"), m.end("b"), point("year", year=int(m.group("b"))))]


_YEAR_CONTEXT = (r"(?:\b(?:in|since|by|until|till|from|to|through|during|before|after|around|circa|about|of|"
                 r"throughout|between|and|or|year|fiscal|spring|summer|autumn|fall|winter|early|late|mid|ca?\.|"
                 r"the|a|an|its|his|her|their|our|this|that)[\s-]+|[(\[]\s*|(?P<name>(?-i:[A-Z][\w-]*))[ \t]+)")


@rule("year", rf"{_YEAR_CONTEXT}(?P<x>{YEAR})(?!\s*[-–]\s*\d)")
def _year(m, text):
    """'in 1998', 'the 1991 settlement', 'Conference 2010'; a year after a name is one only when a
    capitalised word does not follow ('Russell 2000 Index' is a name)."""
    if m.group("name") and (re.match(r"[ \t]+[A-Z]", text[m.end():m.end() + 2]) or
                            m.group("name").lower() in ("the", "a", "an")):
        return []
    r = point("year", year=int(m.group("x")))
    if re.search(r"\bsince\s+$", m.group()[: m.start("x") - m.start()], re.IGNORECASE):
        r = replace(r, since=True)
    return _whole(m, r)


@rule("year alone", rf"^\s*(?P<x>{YEAR})\s*$")
def _year_alone(m, text):
    """A year that is the whole text read (an entity spaCy found, an expression read alone)."""
    return _whole(m, point("year", year=int(m.group("x"))))


@rule("the <unit> alone", r"^\s*(?:the|that|this)\s+(?P<u>day|week|weekend|month|year|quarter|morning|afternoon|"
                          r"evening|night)\s*$|(?<=\bof\s)the\s+(?P<u2>day|week|month|year|quarter)\b")
def _unit_alone(m, text):
    """'the day', 'the year' as a whole expression, or after 'of' ('the beginning of the year'): the
    narrative's day or year."""
    unit, part = _cal_unit((m.group("u") or m.group("u2")).lower())
    return [(m.start(), m.end(), Reading("this", Point("part", part=part) if part else None, unit=unit,
                                         anchor="ref"))]


@rule("season alone", rf"^\s*(?P<x>{SEASON})\s*$")
def _season_alone(m, text):
    from geo.extraction.timevalue import SEASONS

    code = SEASON_CODE[m.group("x").lower()]
    return _whole(m, point("season", month=SEASONS[code][0], season=code))


@rule("one day", r"\b(?P<x>(?:one|some)\s+(?:day|morning|evening|night|afternoon))(?=\s*,|\s+(?:when|as|while)\b)")
def _one_day(m, text):
    """'One day, two of the officers...': a day the text does not say."""
    return _whole(m, ref("XXXX-XX-XX"))


@rule("year of the era", r"(?:\bthe\s+year\s+(?:of\s+our\s+Lord\s+)?(?P<a>\d{3,4})\b|"
                         r"\b(?:AD|A\.D\.|CE)\s*(?P<b>\d{1,4})\b|\b(?P<c>\d{1,4})\s*(?-i:AD|A\.D\.|CE|C\.E\.)(?!\w))")
def _year_era(m, text):
    y = int(m.group("a") or m.group("b") or m.group("c"))
    return [(m.start(), m.end(), point("year", year=y))] if 1 <= y <= 9999 else []


@rule("year before the era", r"\b(?P<y>\d{1,4})\s*(?-i:BC|B\.C\.|BCE|B\.C\.E\.)(?!\w)")
def _year_bc(m, text):
    return [(m.start(), m.end(), ref(f"BC{int(m.group('y')):04d}"))]


@rule("year in short", r"(?<![\w'’])['’](?P<yy>\d\d)(?![\d'’]|s\b)")
def _apostrophe_year(m, text):
    return [(m.start(), m.end(), point("year", year=two_digit_year(m.group("yy"))))]


@rule("decade", r"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?<![\d])(?P<y>(?:1\d|20)\d0)['’]?s\b")
def _decade(m, text):
    y = int(m.group("y"))
    mod = {"early": "START", "mid": "MID", "late": "END"}.get((m.group("mod") or "").lower())
    if y % 100 == 0:  # "the 1800s": the century
        return [(m.start(), m.end(), Reading("point", Point("century", y, mod=mod)))]
    return [(m.start(), m.end(), Reading("point", Point("decade", y, mod=mod)))]


@rule("decade in short", r"\bthe\s+(?:(?P<mod>early|mid|late)[\s-]+)?(?P<a>['’]?\d0['’]?s)\b"
                         r"(?:\s*(?:,|and|or|to|-|–)\s*(?P<b>['’]?\d0['’]?s)\b)?")
def _short_decade(m, text):
    """'the 70s and 80s', "the '90s": the twentieth century's, or ours for the 00s and 10s."""
    out = []
    mod = {"early": "START", "mid": "MID", "late": "END"}.get((m.group("mod") or "").lower())
    for g in ("a", "b"):
        if m.group(g):
            dd = int(re.search(r"\d0", m.group(g)).group())
            year = (2000 if dd in (0, 10) else 1900) + dd
            start = m.start() if g == "a" else m.start(g)
            out.append((start, m.end(g), Reading("point", Point("decade", year, mod=mod))))
    return out


_CENT_ORD = "(?:" + "|".join(["twenty-first"] + list(reversed(ORDINALS))) + ")"


@rule("century", rf"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_CENT_ORD})"
                 r"[\s-]+centur(?:y|ies)\b")
def _century(m, text):
    n = m.group("n").lower()
    k = int(re.match(r"\d+", n).group()) if n[0].isdigit() else (21 if n == "twenty-first" else ORDINALS.index(n) + 1)
    if not 1 <= k <= 99:
        return []
    mod = {"early": "START", "mid": "MID", "late": "END"}.get((m.group("mod") or "").lower())
    return [(m.start(), m.end(), Reading("point", Point("century", (k - 1) * 100, mod=mod)))]


_SEASON_CONTEXT = (r"(?:\b(?:in|during|by|until|till|since|through|throughout|over|for|of|early|late|mid|"
                   r"before|after|the|until)\s+(?:the\s+)?)")


@rule("season", rf"(?P<pre>{_SEASON_CONTEXT})?(?P<x>(?P<s>{SEASON})(?:(?:\s+of)?\s+(?P<y>{YEAR}))?)\b")
def _season(m, text):
    """'the autumn of 1430', 'in spring', 'summer 2018'; 'fall' and 'spring' only where they cannot be verbs."""
    s = m.group("s").lower()
    if not (m.group("pre") or m.group("y")):
        if s in ("fall", "spring"):
            return []
        if not m.group("s")[0].isupper():
            return []
    if s == "fall" and not (m.group("y") or re.search(r"\bthe\s+$", m.group("pre") or "", re.IGNORECASE)):
        return []
    year = int(m.group("y")) if m.group("y") else None
    code = SEASON_CODE[s]
    from geo.extraction.timevalue import SEASONS

    return [(m.start("x"), m.end("x"), point("season", year=year, month=SEASONS[code][0], season=code))]


_Q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}


@rule("quarter", rf"(?:\bthe\s+)?(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th)[\s-]+quarter\b"
                 rf"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?)?(?P<y>{YEAR}))?")
def _quarter(m, text):
    q = _Q[m.group("q").lower()]
    year = int(m.group("y")) if m.group("y") else None
    return [(m.start(), m.end(), point("quarter", year=year, month=(q - 1) * 3 + 1))]


@rule("quarter in short", rf"\b(?:(?P<y1>{YEAR})\s+)?Q(?P<q>[1-4])(?:\s+(?P<y2>{YEAR}))?\b")
def _quarter_short(m, text):
    y = m.group("y1") or m.group("y2")
    return [(m.start(), m.end(), point("quarter", year=int(y) if y else None, month=(int(m.group("q")) - 1) * 3 + 1))]


@rule("half year", rf"(?:\bthe\s+)?(?P<h>first|second|1st|2nd)\s+half\b(?:\s+of\s+(?P<y>{YEAR}))?")
def _half(m, text):
    h = 1 if m.group("h").lower() in ("first", "1st") else 2
    # "the first half" alone is a half of anything (a match, a book); with "of" it joins what follows, and
    # "in the first half." (a preposition before, nothing after) is the year's.
    alone = re.search(r"\b(?:in|during|for|over|through|throughout)\s+$", text[max(0, m.start() - 12):m.start()]) \
        and re.match(r"\s*(?:[,.;:)]|$)", text[m.end():m.end() + 2])
    of_a_year = re.match(r"\s+of\s+(?:the\s+)?(?:year|this|last|next|that|fiscal|financial|\d)",
                         text[m.end():m.end() + 24], re.IGNORECASE)
    if not m.group("y") and not of_a_year and not alone:
        return []
    year = int(m.group("y")) if m.group("y") else None
    return [(m.start(), m.end(), point("half", year=year, month=1 if h == 1 else 7))]


@rule("fiscal year", rf"\b(?:(?:fiscal|financial)\s+(?:year\s+)?(?P<y>{YEAR})|FY\s?(?P<y2>{YEAR}|\d\d)\b)")
def _fiscal(m, text):
    y = m.group("y") or m.group("y2")
    year = int(y) if len(y) == 4 else two_digit_year(y, 70)
    return [(m.start(), m.end(), Reading("point", Point("year", year), timex=("DATE", f"FY{year}")))]


@rule("today and its neighbours", r"\b(?P<x>(?P<w>today|yesterday|tomorrow|tonight|tonite)|the\s+day\s+before\s+"
                                  r"yesterday|the\s+day\s+after\s+tomorrow)(?:\s+(?P<p>morning|afternoon|evening|"
                                  r"night))?\b")
def _deictic_day(m, text):
    w = (m.group("w") or m.group("x")).lower()
    amount = {"today": 0, "tonight": 0, "tonite": 0, "yesterday": -1, "tomorrow": 1}.get(w)
    if amount is None:
        amount = -2 if "before" in w else 2
    part = PART_CODE.get((m.group("p") or "").lower()) or ("NI" if w in ("tonight", "tonite") else None)
    overlay = Point("part", part=part) if part else None
    if amount == 0:
        return [(m.start(), m.end(), Reading("this", overlay, unit="day", anchor="dct"))]
    return [(m.start(), m.end(), Reading("shift", overlay, unit="day", amount=amount, anchor="dct"))]


@rule("now", r"\b(?:right\s+|just\s+)?now\b(?!\s+that\b|-)")
def _now(m, text):
    return [(m.start(), m.end(), ref("PRESENT_REF"))]


@rule("the present", r"\b(?:currently|at\s+present|nowadays|these\s+days|at\s+the\s+moment|the\s+present(?:\s+"
                     r"(?:day|time))?(?!\s+(?:tense|participle|study|paper|article|case|invention))|present[\s-]day|"
                     r"the\s+time\s+being)\b")
def _present(m, text):
    return [(m.start(), m.end(), ref("PRESENT_REF"))]


@rule("the past", r"\b(?:recently|lately|the\s+past(?!\s+(?:tense|participle))|recent(?:\s+(?:years|months|weeks|"
                  r"days|decades|times|history))?)\b")
def _past(m, text):
    return [(m.start(), m.end(), ref("PAST_REF"))]


@rule("the future", r"\b(?:the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future|the\s+(?:near|long|short|"
                    r"medium)\s+term|in\s+future)\b(?!\s+(?:tense|of\s+the))")
def _future(m, text):
    return [(m.start(), m.end(), ref("FUTURE_REF"))]


@rule("current", r"\bcurrent(?=\s+[a-z])")
def _current(m, text):
    return [(m.start(), m.end(), ref("PRESENT_REF"))]


_DETS = {"this": ("this", "dct", 0), "next": ("shift", "dct", 1), "last": ("shift", "dct", -1),
         "past": ("shift", "dct", -1), "coming": ("shift", "dct", 1), "the coming": ("shift", "dct", 1),
         "the current": ("this", "dct", 0), "the last": ("shift", "dct", -1), "the next": ("shift", "ref", 1),
         "the previous": ("shift", "ref", -1), "the preceding": ("shift", "ref", -1),
         "the prior": ("shift", "ref", -1), "the following": ("shift", "ref", 1), "the same": ("this", "ref", 0),
         "that": ("this", "ref", 0), "the very same": ("this", "ref", 0), "the very": ("this", "ref", 0),
         "the past": ("duration", "", 1), "the entire": ("this", "ref", 0), "the whole": ("this", "ref", 0),
         "the full": ("this", "ref", 0)}
_DET = r"(?P<det>" + _words(_DETS).replace(r"\ ", r"\s+") + r")"


@rule("this, next, last <unit>", rf"\b{_DET}\s+(?P<u>{CAL}|{MON}|{WD}|{SEASON})\b(?!['’]s\b)")
def _det_unit(m, text):
    """'this year', 'next month', 'last Monday', 'the following day', 'that August', 'the next morning'.

    Without an article they count from the document's date (deictic: "last week"); "the next",
    "the following", "the previous", "that" count from the narrative's time (anaphoric)."""
    det = re.sub(r"\s+", " ", m.group("det").lower())
    kind, anchor, amount = _DETS[det]
    word = m.group("u")
    low = word.lower().rstrip(".")
    if low in MONTH_NUMBER or low in WEEKDAY_NUMBER or low in SEASON_CODE:
        if low in MONTH_NUMBER:
            p = Point("month", month=month_of(word))
        elif low in WEEKDAY_NUMBER:
            p = Point("day", weekday=WEEKDAY_NUMBER[low])
        else:
            from geo.extraction.timevalue import SEASONS

            code = SEASON_CODE[low]
            p = Point("season", month=SEASONS[code][0], season=code)
        if kind == "duration":
            return []
        if kind == "this" and anchor == "ref" and low in MONTH_NUMBER | SEASON_CODE:
            return [(m.start(), m.end(), Reading("this", p, unit="year", anchor="ref"))]  # "that August"
        direction = None if amount == 0 else ("future" if amount > 0 else "past")
        return [(m.start(), m.end(), Reading("point", p, anchor=anchor, direction=direction, strict=amount != 0))]
    unit, part = _cal_unit(low)
    overlay = Point("part", part=part) if part else None
    if kind == "duration":  # "the past week", "the past decade": the stretch up to now
        if unit in ("time",) or part:
            return []
        return [(m.start(), m.end(), duration(1, unit))]
    if unit == "time":
        if anchor != "ref" or amount != 0:
            return []
        return [(m.start(), m.end(), Reading("this", unit="time", anchor="ref"))]  # "that time"
    if kind == "this":
        return [(m.start(), m.end(), Reading("this", overlay, unit=unit, anchor=anchor))]
    return [(m.start(), m.end(), Reading("shift", overlay, unit=unit, amount=amount, anchor=anchor))]


@rule("the same period last year", r"\bthe\s+same\s+(?P<u>period|time|month|quarter|week|day|season)\s+(?:of\s+)?"
                                   r"(?P<w>a\s+year\s+(?:ago|earlier|before)|last\s+year|the\s+(?:previous|last|prior|"
                                   r"preceding)\s+year|the\s+year\s+before)\b")
def _same_period(m, text):
    """'the same month a year ago', 'the same period last year': the narrative's time, a year back."""
    return [(m.start(), m.end(), Reading("shift", unit="year", amount=-1, grain="same", anchor="ref"))]


_WEEK_ORD = {"first": 1, "1st": 1, "second": 8, "2nd": 8, "third": 15, "3rd": 15, "fourth": 22, "4th": 22,
             "last": -1, "final": -1}


@rule("the Nth week of a month", rf"\bthe\s+(?P<o>first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+"
                                 rf"(?P<u>week|weekend)\s+of\s+(?P<m>{MON})(?:{SEP}?(?P<y>{YEAR}))?")
def _week_of_month(m, text):
    month = month_of(m.group("m"))
    day = _WEEK_ORD[m.group("o").lower()]
    if day < 0:
        day = calendar.monthrange(int(m.group("y")) if m.group("y") else 2001, month)[1] - 3
    year = int(m.group("y")) if m.group("y") else None
    return [(m.start(), m.end(), point(m.group("u").lower(), year=year, month=month, day=day))]


@rule("the <unit> before", r"\bthe\s+(?P<u>day|week|month|year|night|morning|evening)\s+(?P<d>before|after|previous|"
                           r"prior|earlier|later|following)(?=\s*(?:[,.;:)!?]|$|and\b|but\b))")
def _unit_before(m, text):
    unit, part = _cal_unit(m.group("u"))
    amount = 1 if m.group("d").lower() in ("after", "later", "following") else -1
    overlay = Point("part", part=part) if part else None
    return [(m.start(), m.end(), Reading("shift", overlay, unit=unit, amount=amount, anchor="ref"))]


@rule("later that <unit>", r"\b(?:later|earlier)\s+(?:that|the\s+same|in\s+the|on\s+the|this)\s+(?P<u>day|week|"
                           r"month|year|morning|evening|night|afternoon)\b")
def _later_that(m, text):
    unit, part = _cal_unit(m.group("u"))
    anchor = "dct" if re.search(r"\bthis\s", m.group(), re.IGNORECASE) else "ref"
    return [(m.start(), m.end(), Reading("this", Point("part", part=part) if part else None, unit=unit,
                                         anchor=anchor))]


def _step(n_word: str, unit_word: str, sign: int, anchor: str) -> Reading | None:
    n = number(n_word)
    unit = unit_of(unit_word)
    if unit == "millennium":
        return None
    if n is None:
        n = 3  # "some days later": a step of a few
    if isinstance(n, float) and not n.is_integer():
        n = int(n * {"year": 12, "decade": 120}.get(unit, 1))
        unit = "month" if unit in ("year", "decade") else unit
    grain = {"week": "day", "weekend": "day", "fortnight": "day", "night": "day"}.get(unit)
    if unit == "decade":
        unit, n = "year", n * 10
    if unit == "century":
        unit, n = "year", n * 100
    return Reading("shift", unit=unit, amount=sign * int(n), grain=grain, anchor=anchor)


@rule("N units later", rf"\b(?P<n>{NUM})(?:\s+and\s+a\s+half)?\s+{_ADJ}(?P<u>{UNIT})\s+(?P<d>later|earlier|"
                       rf"afterwards?|on|previously|beforehand)\b(?!\s+than)|\b(?P<n2>{NUM})\s+{_ADJ}(?P<u2>{UNIT})\s+"
                       rf"(?P<d2>before|after|prior)(?=\s*(?:[,.;:)!?]|$))")
def _n_later(m, text):
    """'three days later', 'a year earlier', 'two weeks before.': a step from the narrative's time.
    'two days before the launch' is a length ("two days") before an event: a duration."""
    n, u, d = (m.group("n"), m.group("u"), m.group("d")) if m.group("n") else (m.group("n2"), m.group("u2"),
                                                                                m.group("d2"))
    sign = -1 if d.lower() in ("earlier", "before", "prior", "previously", "beforehand") else 1
    r = _step(n, u, sign, "ref")
    return [] if r is None else [(m.start(), m.end(), r)]


@rule("N units ago", rf"\b(?P<n>{NUM})(?:\s+and\s+a\s+half)?\s+{_ADJ}(?P<u>{UNIT})\s+(?P<d>ago|from\s+now|hence)\b")
def _n_ago(m, text):
    if is_vague(m.group("n")) and number(m.group("n")) is None:
        return [(m.start(), m.end(), ref("PAST_REF" if m.group("d").lower() == "ago" else "FUTURE_REF"))]
    r = _step(m.group("n"), m.group("u"), -1 if m.group("d").lower() == "ago" else 1, "dct")
    return [] if r is None else [(m.start(), m.end(), r)]


@rule("after N units", rf"\b(?P<sig>after|within|in)\s+(?P<x>(?P<n>{NUM})\s+{_ADJ}(?P<u>{UNIT}))(?!['’]|\s+(?:of|ago|"
                       r"later|earlier|before|after|from|and|or|to)\b|[\s-]+old)")
def _after_n(m, text):
    """'after four days': a length in TIMEX3 terms, and for the routes a step from the narrative's time."""
    n, unit = number(m.group("n")), unit_of(m.group("u"))
    d = duration(n, unit)
    if m.group("sig").lower() != "after" or unit in ("second", "minute", "hour"):
        return _whole(m, d)
    step = _step(m.group("n"), m.group("u"), 1, "ref")
    if step is None:
        return _whole(m, d)
    return _whole(m, replace(step, timex=("DURATION", d.value), days=d.days))


_DUR_Q = (r"(?:(?:about|around|almost|nearly|over|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|some|"
          r"roughly|approximately|under|just|barely|only|a\s+further|another|the\s+(?:next|past|last|first|following|"
          r"previous|coming|final|remaining|entire|whole)|an\s+entire|a\s+whole|a\s+full)\s+)?")


@rule("N units", rf"(?<![\w.,-]){_DUR_Q}(?P<n>{NUM})(?P<half>\s+and\s+a\s+half)?[\s-]+{_ADJ}(?P<u>{UNIT})"
                 r"(?![\s-]+old\b|\w)")
def _n_units(m, text):
    """'four days', 'about ten days', 'a fifty-year life', 'two and a half years', 'the next 12 days'."""
    n = number(m.group("n"))
    if n is not None and m.group("half"):
        n += 0.5
    unit = unit_of(m.group("u"))
    plural = m.group("u").lower().endswith("s") and unit != "hour" or m.group("u").lower().endswith("ies")
    word = m.group("n").lower()
    if n == 1 and plural and word in ("a", "an"):
        return []
    if word in ("a", "an") and unit == "quarter" and not re.search(
            r"\b(?:for|in|within|than|only|just|after)\s+$", text[max(0, m.start() - 12):m.start()], re.IGNORECASE):
        return []  # "about a quarter of its dealers": a share, not a length
    if word in ("a", "an") and unit == "second" and not re.match(
            r"\s*(?:[,.;:!?)]|$|or\b|and\b|later\b|before\b|after\b|ago\b|earlier\b)", text[m.end():m.end() + 8]):
        return []  # "a second visit": an ordinal
    return [(m.start(), m.end(), duration(n, unit, is_vague(m.group("n"))))]


@rule("N and N units", rf"(?<![\w.,-])(?P<a>{NUM})\s+(?:and|to|or|-|–)\s+(?P<n>{NUM})[\s-]+{_ADJ}(?P<u>{UNIT})\b"
                       r"(?![\s-]+old\b)")
def _n_and_n_units(m, text):
    """'between 60 and 90 days': two lengths of one unit."""
    unit = unit_of(m.group("u"))
    a, b = number(m.group("a")), number(m.group("n"))
    if a is None or b is None or m.group("a").lower() in ("a", "an"):
        return []
    return [(m.start("a"), m.end("a"), duration(a, unit)), (m.start("n"), m.end(), duration(b, unit))]


@rule("year-end", r"\b(?:the\s+)?(?P<x>year[\s-]end|year's\s+end)\b")
def _year_end(m, text):
    """'at year-end', 'by the year's end': the end of the narrative's year."""
    return [(m.start(), m.end(), Reading("this", unit="year", anchor="ref", mod="END"))]


@rule("half a unit", r"\b(?:half\s+an?|a\s+half)[\s-]+(?P<u>hour|day|year|month|week|century|decade)\b")
def _half_unit(m, text):
    return [(m.start(), m.end(), duration(0.5, unit_of(m.group("u"))))]


@rule("units", r"(?:\b(?:for|in|over|within|after|during|of|took|take|takes|lasted|last|lasting)\s+(?:the\s+)?"
               r"(?:(?:past|last|next|coming)\s+)?)(?P<x>(?:seconds|minutes|hours|days|weeks|months|years|decades|"
               r"centuries))\b(?!\s+(?:of|old|ago|later|earlier|before|after)\b)")
def _units(m, text):
    """'for years', 'in minutes': a length that the text does not count."""
    return _whole(m, duration(None, unit_of(m.group("x"))))


@rule("every unit", rf"\b(?:every|each)\s+(?:(?P<n>{NUM}|other)\s+)?(?P<u>{UNIT}|{WD}|{MON}|morning|afternoon|"
                    r"evening|night)\b")
def _every(m, text):
    u = m.group("u")
    low = u.lower().rstrip(".")
    if low in WEEKDAY_NUMBER:
        return [(m.start(), m.end(), Reading("set", value=f"XXXX-WXX-{WEEKDAY_NUMBER[low] + 1}"))]
    if low in MONTH_NUMBER:
        return [(m.start(), m.end(), Reading("set", value=f"XXXX-{month_of(u):02d}"))]
    if low in PART_CODE:
        return [(m.start(), m.end(), Reading("set", value=f"T{PART_CODE[low]}"))]
    n = m.group("n")
    count = 2 if n and n.lower() == "other" else (number(n) if n else 1)
    return [(m.start(), m.end(), Reading("set", value=duration_value(count, unit_of(u))))]


_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y", "annual": "P1Y",
            "hourly": "PT1H", "nightly": "P1D", "quarterly": "P1Q", "biannual": "P6M", "biennial": "P2Y",
            "fortnightly": "P2W", "semiannual": "P6M", "bimonthly": "P2M", "biweekly": "P2W"}


@rule("daily, weekly", r"\b(?P<w>" + "|".join(_ADVERBS) + r")\b")
def _adverb_set(m, text):
    return [(m.start(), m.end(), Reading("set", value=_ADVERBS[m.group("w").lower()]))]


@rule("N times a unit", rf"\b(?:{NUM}|once|twice|thrice|\d+\s+times|{NUMW}\s+times)\s+(?P<x>(?:a|an|per|each|every)"
                        r"\s+(?P<u>second|minute|hour|day|night|week|month|year|decade|century))\b")
def _rate(m, text):
    return _whole(m, Reading("set", value=duration_value(1, unit_of(m.group("u")))))


_TZ = r"(?P<tz>UTC|GMT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|IST|JST|AEST|AEDT)"
_AMPM = r"(?P<ap>[ap]\.?\s?m\.?)(?![a-z])"


@rule("clock time", rf"(?<![\d:.,$£€])(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d)|\.(?P<mi2>[0-5]\d)(?=\s*[ap]\.?\s?m))"
                    rf"(?::[0-5]\d)?(?:\s*{_AMPM})?(?:\s*(?-i:{_TZ})(?:\s*[+-]\s*\d{{1,2}})?)?(?![\d:])")
def _clock(m, text):
    """'18:00 UTC', '6:40 p.m.', '08:30'; a bare 'H:MM' only after 'at', 'by', 'until'... (not '3:16')."""
    if not (m.group("ap") or m.group("tz")):
        before = text[max(0, m.start() - 12):m.start()].lower()
        if not re.search(r"\b(?:at|by|until|till|from|to|after|before|around|about|since|approximately|"
                         r"shortly|circa)\s*$", before):
            return []
    return _time(m, m.group("h"), m.group("mi") or m.group("mi2"))


def _time(m, h: str, mi: str | None) -> list[tuple[int, int, Reading]]:
    hour = int(h)
    ap = (m.groupdict().get("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if not 1 <= hour <= 12:
            return []
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    utc = (m.groupdict().get("tz") or "").upper() in ("UTC", "GMT", "Z")
    return [(m.start(), m.end(), point("minute", hour=hour, minute=int(mi) if mi else 0, utc=utc))]


@rule("military time", rf"(?<![\d:.,$£€])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?:(?-i:{_TZ})|hours\b|hrs\b)")
def _military(m, text):
    return _time(m, m.group("h"), m.group("mi"))


@rule("hour a.m.", rf"(?<![\d:.,$£€])(?P<h>1[0-2]|0?[1-9])\s*{_AMPM}(?:\s*(?-i:{_TZ}))?")
def _hour_ampm(m, text):
    return _time(m, m.group("h"), None)


@rule("o'clock", rf"\b(?P<h>1[0-2]|0?[1-9]|{'|'.join(SMALL[1:13])})\s+o['’]clock\b")
def _oclock(m, text):
    h = m.group("h")
    return _time(m, h if h.isdigit() else str(SMALL.index(h.lower())), None)


@rule("noon", r"\b(?P<w>noon|midnight|midday|mid-day)\b")
def _noon(m, text):
    w = m.group("w").lower()
    if w == "midnight":
        return [(m.start(), m.end(), point("minute", hour=0, minute=0))]
    return [(m.start(), m.end(), point("minute", hour=12, minute=0))]


@rule("part of the day", r"\b(?:in|during|at|by|through|throughout|all|early|late|on|one|until|till)\s+(?:the\s+)?"
                         r"(?:(?:early|late)\s+)?(?P<x>morning|afternoon|evening|night|dawn|daybreak|dusk|nightfall|"
                         r"sunrise|sunset)\b")
def _part(m, text):
    return _whole(m, point("part", part=PART_CODE[m.group("x").lower()]))


@rule("the part of the day of", r"\bthe\s+(?P<x>morning|afternoon|evening|night)(?=\s+of\s)")
def _part_of(m, text):
    return [(m.start(), m.end(), point("part", part=PART_CODE[m.group("x").lower()]))]


@rule("weekday and part of the day", rf"(?P<x>{WD})\s+(?P<p>morning|afternoon|evening|night)\b")
def _weekday_part(m, text):
    """'Friday morning', 'Thursday night'."""
    return [(m.start(), m.end(), point("part", weekday=WEEKDAY_NUMBER[m.group("x").lower()],
                                       part=PART_CODE[m.group("p").lower()]))]


@rule("weekday", rf"(?P<x>{WD})(?!s\b)")
def _weekday(m, text):
    return _whole(m, point("day", weekday=WEEKDAY_NUMBER[m.group("x").lower()]))


@rule("weekdays", rf"\b(?:on\s+)?(?P<x>{WD[:-2]}s)\b")
def _weekdays(m, text):
    day = WEEKDAY_NUMBER[m.group("x")[:-1].lower()]
    return _whole(m, Reading("set", value=f"XXXX-WXX-{day + 1}"))


_MONTH_CONTEXT = (r"(?:\b(?:in|since|by|until|till|from|to|through|during|before|after|of|early|late|mid|"
                  r"throughout|between|and|or|around|about|end|beginning|start|middle|that|the|every|each)[\s-]+)")


@rule("month", rf"(?P<pre>{_MONTH_CONTEXT})?(?P<x>{MON})(?!\s*\d)")
def _month(m, text):
    """'in June', 'since November', 'October of next year'. Without a word before it, a month stands
    alone only before a comma or a full stop or at the start of a line ('November | March 13'), and
    never 'May', 'March' or 'August', which are words too, nor a name ('June Carter')."""
    word = m.group("x").rstrip(".").lower()
    if not m.group("pre"):
        if word in ("may", "march", "august") or word not in [n.lower() for n in _MONTH_FULL]:
            return []
        if re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]):
            return []
        before = text[max(0, m.start() - 2):m.start()]
        if not (re.match(r"\s*[,.;:)]|\s+of\s", text[m.end():m.end() + 4]) or re.search(r"[(\n]\s*$|^$", before)):
            return []
    return _whole(m, point("month", month=month_of(m.group("x"))))


@rule("the Nth", rf"\b(?:on|by|until|till|from|to|since|before|after|of|and|or|between)\s+the\s+"
                 rf"(?P<x>{DAY_ORD}|{ORDW})(?=\s*(?:[,.;:)]|$|and\b|or\b|to\b|-))")
def _the_nth(m, text):
    """'arriving on the 9th': a day of the month the narrative is in."""
    day = day_of(m.group("x"))
    return [(m.start("x") - 4, m.end("x"), point("day", day=day))] if 1 <= day <= 31 else []


@rule("on N", r"\bon\s+(?P<x>3[01]|[12]\d|0?[1-9])(?=\s+(?:and|or|&)\s|\s*,\s)")
def _on_n(m, text):
    """'reached Jaffa on 18 and Jerusalem on 24 June': a day whose month comes after it (kept only where
    the sentence names one; see geo.extraction.timex)."""
    return _whole(m, point("day", day=int(m.group("x"))))


# Holidays on a fixed day; the movable ones are reckoned from their year by the clock.
FIXED_FEASTS = {"christmas day": (12, 25), "christmas": (12, 25), "christmas eve": (12, 24),
                "new year's day": (1, 1), "new years day": (1, 1), "new year's eve": (12, 31),
                "new years eve": (12, 31), "halloween": (10, 31), "hallowe'en": (10, 31),
                "valentine's day": (2, 14), "independence day": (7, 4), "boxing day": (12, 26),
                "may day": (5, 1), "bastille day": (7, 14), "all saints' day": (11, 1), "all saints day": (11, 1),
                "remembrance day": (11, 11), "veterans day": (11, 11), "st. patrick's day": (3, 17),
                "st patrick's day": (3, 17), "guy fawkes night": (11, 5), "bonfire night": (11, 5),
                "hogmanay": (12, 31), "armistice day": (11, 11)}
MOVABLE_FEASTS = ("easter", "easter sunday", "easter day", "easter monday", "good friday", "thanksgiving",
                  "thanksgiving day", "labor day", "labour day", "memorial day", "martin luther king day",
                  "martin luther king jr. day", "mother's day", "father's day")


@rule("holiday", r"(?-i:(?P<h>" + _words([n.title().replace("'S", "'s") for n in FIXED_FEASTS | dict.fromkeys(
    MOVABLE_FEASTS)]).replace("'", "['’]?") + r"))\b" + rf"(?:{SEP}(?P<y>{YEAR}))?")
def _holiday(m, text):
    name = re.sub(r"\s+", " ", m.group("h").lower().replace("’", "'"))
    year = int(m.group("y")) if m.group("y") else None
    key = name if name in FIXED_FEASTS else name.replace("'", "")
    if key in FIXED_FEASTS or name in FIXED_FEASTS:
        month, day = FIXED_FEASTS.get(name) or FIXED_FEASTS[key]
        return [(m.start(), m.end(), point("day", year=year, month=month, day=day))]
    return [(m.start(), m.end(), point("day", year=year, feast=key))]


# --- joins -------------------------------------------------------------------------------------

_MODS = re.compile(r"(?:\b(?:the\s+)?(?:very\s+)?(?P<m>end|beginning|start|middle|close|turn|dawn|first\s+days|"
                   r"last\s+days)\s+of\s+(?:the\s+)?|\b(?P<m2>early|late|mid|later|earlier)(?:[\s-]+in\s+(?:the\s+)?|"
                   r"[\s-]+|-))$", re.IGNORECASE)
_MOD_CODE = {"end": "END", "close": "END", "last days": "END", "late": "END", "later": "END", "beginning": "START",
             "start": "START", "dawn": "START", "first days": "START", "early": "START", "earlier": "START",
             "middle": "MID", "mid": "MID", "turn": "START"}


# Hedges belong to the expression they hedge (TIMEX3's mod APPROX): "on or about March 3, 2019".
_HEDGE = re.compile(r"(?:\b(?:on|in|at)\s+or\s+(?:about|around|near)\s+|\b(?:about|around|approximately|roughly|"
                    r"circa|c\.|ca\.|sometime\s+in|some\s+time\s+in)\s+)$", re.IGNORECASE)


def _with_mod(r: Reading, mod: str) -> Reading:
    if r.point is not None:
        return replace(r, point=replace(r.point, mod=mod), mod=mod)
    return replace(r, mod=mod)


def _joinable_of(a: Found, b: Found) -> bool:
    """'X of Y' is one expression when X lacks what Y gives: a month without a year, a part of day without its day."""
    ra, rb = a.reading, b.reading
    if rb.kind not in ("point", "this", "shift"):
        return False
    return ra.kind == "point" and ra.point is not None and ra.point.year is None and ra.point.weekday is None


def _joinable_beside(a: Found, b: Found) -> bool:
    """'Friday morning', '12:00 UTC Monday', 'yesterday evening': a day and a time of it."""
    def is_time(r):
        return r.kind == "point" and r.point is not None and r.point.grain in ("part", "minute") and r.point.day is None

    def is_day(r):
        if r.kind in ("this", "shift"):
            return r.unit == "day" and r.point is None
        return r.kind == "point" and r.point is not None and r.point.grain == "day"

    return (is_day(a.reading) and is_time(b.reading)) or (is_time(a.reading) and is_day(b.reading))


def _join(found: list[Found], text: str) -> list[Found]:
    out: list[Found] = []
    for f in found:
        if out:
            prev = out[-1]
            gap = text[prev.end:f.start]
            if re.fullmatch(r"\s+of\s+(?:the\s+)?", gap) and _joinable_of(prev, f):
                out[-1] = Found(prev.start, f.end, replace(prev.reading, of=f.reading), prev.rule + " of " + f.rule)
                continue
            if re.fullmatch(r"\s*(?:on\s+)?", gap) and _joinable_beside(prev, f):
                time_first = prev.reading.point is not None and prev.reading.point.grain in ("part", "minute") \
                    and prev.reading.point.day is None
                t, d = (prev, f) if time_first else (f, prev)
                if t.reading.kind == "point" and t.reading.point.grain in ("part", "minute"):
                    out[-1] = Found(prev.start, f.end, replace(t.reading, of=d.reading), prev.rule + " + " + f.rule)
                    continue
        out.append(f)
    joined = []
    for f in out:
        before = text[max(0, f.start - 40):f.start]
        m = _MODS.search(before)
        word = re.sub(r"\s+", " ", (m.group("m") or m.group("m2")).lower()) if m else ""
        # "early 2009", "the end of last year", "earlier today", "late yesterday"; not "was late today"
        fits = f.reading.kind == "point" or word not in ("early", "late", "mid") or not re.search(
            r"\b(?:is|was|were|are|be|been|being|am|ran|run|runs|arrived?)\s+(?:very\s+|so\s+|too\s+)?$",
            before[:m.start()])
        if m and fits and f.reading.kind in ("point", "this", "shift") and (
                f.reading.point is None or f.reading.point.grain not in ("minute",)):
            start = f.start - (len(before) - m.start())
            if not joined or joined[-1].end <= start:
                f = Found(start, f.end, _with_mod(f.reading, _MOD_CODE[word]), "modifier + " + f.rule)
        h = _HEDGE.search(text[max(0, f.start - 20):f.start])
        if h and f.reading.kind in ("point", "this", "shift"):
            start = f.start - (min(20, f.start) - h.start())
            if not joined or joined[-1].end <= start:
                f = Found(start, f.end, f.reading if f.reading.mod else _with_mod(f.reading, "APPROX"), f.rule)
        joined.append(f)
    return joined


# --- finding -----------------------------------------------------------------------------------

# The kinds of word a time expression cannot do without. A rule is tried only near a word of a kind it
# needs (the regular expressions are slow over long texts; these words are a cheap sieve).
_CLASS_WORDS = {
    "month": list(MONTH_NUMBER) + ["sept"],
    "weekday": [d.lower() for d in calendar.day_name] + [d.lower() + "s" for d in calendar.day_name]
    + ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"],
    "unit": [u + s for u in UNITS for s in ("", "s")] + ["centuries", "hrs", "mins", "secs", "yrs"],
    "part": list(PART_CODE) + ["noon", "midnight", "midday", "mid-day"],
    "deictic": ["today", "yesterday", "tomorrow", "tonight", "tonite", "now", "currently", "current", "recent",
                "recently", "lately", "nowadays", "present", "present-day", "past", "future", "term", "time",
                "moment", "days"],
    "season": list(SEASON_CODE),
    "set": list(_ADVERBS) + ["every", "each", "once", "twice", "thrice", "times", "per"],
    "ordinal": ORDINALS + ["thirtieth", "half", "final"],
    "clock": ["o'clock", "o’clock", "clock"],
    "holiday": ["christmas", "easter", "halloween", "hallowe'en", "hogmanay", "thanksgiving", "valentine",
                "valentine's", "independence", "boxing", "bastille", "labor", "labour", "memorial", "luther",
                "fawkes", "bonfire", "saints", "saints'", "remembrance", "veterans", "patrick's", "armistice",
                "mother's", "father's", "new"],
}
WORD_CLASS: dict[str, frozenset[str]] = {}
for _kind, _words_of in _CLASS_WORDS.items():
    for _w in _words_of:
        WORD_CLASS[_w] = WORD_CLASS.get(_w, frozenset()) | {_kind}
_UNITISH = ("unit", "part", "month", "weekday", "season", "deictic")
NEEDS = {
    "day month year": ("month",), "month day year": ("month",), "month year": ("month",),
    "days of one month": ("month",), "month of several days": ("month",), "the Nth week of a month": ("month",),
    "month": ("month",), "ISO date": ("digit",), "numeric date": ("digit",), "month/year span": ("digit",),
    "year range": ("digit",), "from year to year": ("digit",), "year": ("digit",), "year alone": ("digit",),
    "year of the era": ("digit",), "year before the era": ("digit",), "year in short": ("digit",),
    "decade": ("digit",), "decade in short": ("digit",), "quarter in short": ("digit",), "fiscal year": ("digit",),
    "clock time": ("digit",), "military time": ("digit",), "hour a.m.": ("digit",), "on N": ("digit",),
    "the Nth": ("digit", "ordinal"), "the <unit> alone": ("unit", "part"), "season alone": ("season",),
    "one day": ("unit", "part"), "century": ("unit",), "season": ("season",), "quarter": ("unit",),
    "half year": ("ordinal",), "today and its neighbours": ("deictic",), "now": ("deictic",),
    "the present": ("deictic",), "the past": ("deictic",), "the future": ("deictic",), "current": ("deictic",),
    "this, next, last <unit>": _UNITISH, "the same period last year": ("unit",), "the <unit> before": ("unit", "part"),
    "later that <unit>": ("unit", "part"), "N units later": ("unit",), "N units ago": ("unit",),
    "after N units": ("unit",), "N units": ("unit",), "N and N units": ("unit",), "half a unit": ("unit",),
    "year-end": ("unit",),
    "units": ("unit",), "every unit": ("set",), "daily, weekly": ("set",), "N times a unit": ("unit",),
    "o'clock": ("clock",), "noon": ("part", "unit"), "part of the day": ("part",), "the part of the day of": ("part",),
    "weekday and part of the day": ("weekday",), "weekday": ("weekday",), "weekdays": ("weekday",),
    "holiday": ("holiday", "weekday", "unit"),
}
MARGIN = 60  # characters a rule may read on either side of the word that called it


_DIGIT = re.compile(r"\d")
# Numbers that are amounts, not parts of a date: "15,000", "9.6%", "$40" ("2.40" may be a time, "410" a year).
_AMOUNT = re.compile(r"[$£€¥]|\d%|^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d{5,}$")


_DIGIT_CLASS = frozenset({"digit"})


def word_class(word: str) -> frozenset[str] | None:
    """The kinds of time word a token is ('digit', 'month', 'unit'...), or None."""
    w = word.lower().rstrip(".:")
    kinds = WORD_CLASS.get(w)
    if kinds is None and "-" in w:  # "30-year", "recently-announced"
        parts = [WORD_CLASS[p] for p in w.split("-") if p in WORD_CLASS]
        kinds = frozenset().union(*parts) if parts else None
    if _DIGIT.search(w) and not _AMOUNT.search(w):
        return _DIGIT_CLASS | kinds if kinds else _DIGIT_CLASS  # "30-year"
    return kinds


def windows(words, length: int) -> list[tuple[int, int, frozenset[str]]]:
    """Stretches of a text around its time words, with the kinds of word in each: (start, end, kinds).
    `words` are the text's word matches (`re.Match`), in order."""
    out: list[list] = []
    for w in words:
        idx, word = w.start(), w.group()
        kinds = word_class(word)
        if kinds is None:
            continue
        a, b = max(0, idx - MARGIN), min(length, idx + len(word) + MARGIN)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
            out[-1][2].update(kinds)
        else:
            out.append([a, b, set(kinds)])
    return [(a, b, frozenset(k)) for a, b, k in out]


def _all_matches(text: str, spans) -> list[tuple]:
    out = []
    for k, r in enumerate(RULES):
        needs = NEEDS.get(r.name)
        for a, b, kinds in spans:
            if needs is not None and kinds is not None and not kinds.intersection(needs):
                continue
            for m in r.pattern.finditer(text, a, b):
                pieces = r.build(m, text)
                if pieces:
                    out.append((min(p[0] for p in pieces), max(p[1] for p in pieces), k, pieces, m.start(), m.end()))
    return out


def find(text: str, spans: list[tuple[int, int, frozenset[str]]] | None = None) -> tuple[Found, ...]:
    """Every time expression the rules read in a text, in reading order, joined where they belong together.

    `spans` (from `windows`) limits the search to the stretches around time words; None reads it all."""
    matches = _all_matches(text, spans if spans is not None else [(0, len(text), None)])
    # The longest match wins where two overlap (the one that read more of the context: "15 a year" is a
    # rate, not "a year" of length); at equal length, the rule listed first.
    matches.sort(key=lambda x: (-(x[5] - x[4]), -(x[1] - x[0]), x[0], x[2]))
    taken: list[tuple[int, int]] = []
    kept = []
    for start, end, k, pieces, _, _ in matches:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        kept += [Found(s, e, r, RULES[k].name) for s, e, r in pieces]
    kept.sort(key=lambda f: f.start)
    return tuple(_join(kept, text))
