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
from geo.extraction.timewords import (
    DAY, MON, ORDINALS, ORDW, Reading, SEASON, SEASON_CODE, SEP, WD, WD_ABBR, YEAR, cal_unit, day_of, month_of, point, ref, two_digit_year,
)


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


def whole(m: re.Match, reading: Reading, group: str | int = "x") -> list[tuple[int, int, Reading]]:
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
    return [] if reading is None else whole(m, reading)


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
    return whole(m, r)


@rule("year alone", rf"^\s*(?P<x>{YEAR})\s*$")
def _year_alone(m, text):
    """A year that is the whole text read (an entity spaCy found, an expression read alone)."""
    return whole(m, point("year", year=int(m.group("x"))))


@rule("the <unit> alone", r"^\s*(?:the|that|this)\s+(?P<u>day|week|weekend|month|year|quarter|morning|afternoon|"
                          r"evening|night)\s*$|(?<=\bof\s)the\s+(?P<u2>day|week|month|year|quarter)\b")
def _unit_alone(m, text):
    """'the day', 'the year' as a whole expression, or after 'of' ('the beginning of the year'): the
    narrative's day or year."""
    unit, part = cal_unit((m.group("u") or m.group("u2")).lower())
    return [(m.start(), m.end(), Reading("this", Point("part", part=part) if part else None, unit=unit,
                                         anchor="ref"))]


@rule("season alone", rf"^\s*(?P<x>{SEASON})\s*$")
def _season_alone(m, text):
    from geo.extraction.timevalue import SEASONS

    code = SEASON_CODE[m.group("x").lower()]
    return whole(m, point("season", month=SEASONS[code][0], season=code))


@rule("one day", r"\b(?P<x>(?:one|some)\s+(?:day|morning|evening|night|afternoon))(?=\s*,|\s+(?:when|as|while)\b)")
def _one_day(m, text):
    """'One day, two of the officers...': a day the text does not say."""
    return whole(m, ref("XXXX-XX-XX"))


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


