"""Rules for times read from another time: the document's date ("last week", "on Monday"), the narrative's
("three days later"), lengths and recurrences ("four days", "every Monday"), clock times and parts of days,
holidays. They register in geo.extraction.timerules.RULES after its calendar rules."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace

from geo.extraction.timevalue import Point
from geo.extraction.timewords import (
    ADJ, CAL, DAY_ORD, MON, MONTH_FULL, MONTH_NUMBER, NUM, NUMW, ORDW, PART_CODE, Reading, SEASON, SEASON_CODE, SEP, SMALL, UNIT, WD, WEEKDAY_NUMBER, YEAR, cal_unit, day_of, duration, duration_value, is_vague, month_of, number, point, ref, unit_of, words,
)
from geo.extraction.timerules import (
    rule, whole,
)


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
_DET = r"(?P<det>" + words(_DETS).replace(r"\ ", r"\s+") + r")"


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
    unit, part = cal_unit(low)
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
    unit, part = cal_unit(m.group("u"))
    amount = 1 if m.group("d").lower() in ("after", "later", "following") else -1
    overlay = Point("part", part=part) if part else None
    return [(m.start(), m.end(), Reading("shift", overlay, unit=unit, amount=amount, anchor="ref"))]


@rule("later that <unit>", r"\b(?:later|earlier)\s+(?:that|the\s+same|in\s+the|on\s+the|this)\s+(?P<u>day|week|"
                           r"month|year|morning|evening|night|afternoon)\b")
def _later_that(m, text):
    unit, part = cal_unit(m.group("u"))
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


@rule("N units later", rf"\b(?P<n>{NUM})(?:\s+and\s+a\s+half)?\s+{ADJ}(?P<u>{UNIT})\s+(?P<d>later|earlier|"
                       rf"afterwards?|on|previously|beforehand)\b(?!\s+than)|\b(?P<n2>{NUM})\s+{ADJ}(?P<u2>{UNIT})\s+"
                       rf"(?P<d2>before|after|prior)(?=\s*(?:[,.;:)!?]|$))")
def _n_later(m, text):
    """'three days later', 'a year earlier', 'two weeks before.': a step from the narrative's time.
    'two days before the launch' is a length ("two days") before an event: a duration."""
    n, u, d = (m.group("n"), m.group("u"), m.group("d")) if m.group("n") else (m.group("n2"), m.group("u2"),
                                                                                m.group("d2"))
    sign = -1 if d.lower() in ("earlier", "before", "prior", "previously", "beforehand") else 1
    r = _step(n, u, sign, "ref")
    return [] if r is None else [(m.start(), m.end(), r)]


@rule("N units ago", rf"\b(?P<n>{NUM})(?:\s+and\s+a\s+half)?\s+{ADJ}(?P<u>{UNIT})\s+(?P<d>ago|from\s+now|hence)\b")
def _n_ago(m, text):
    if is_vague(m.group("n")) and number(m.group("n")) is None:
        return [(m.start(), m.end(), ref("PAST_REF" if m.group("d").lower() == "ago" else "FUTURE_REF"))]
    r = _step(m.group("n"), m.group("u"), -1 if m.group("d").lower() == "ago" else 1, "dct")
    return [] if r is None else [(m.start(), m.end(), r)]


@rule("after N units", rf"\b(?P<sig>after|within|in)\s+(?P<x>(?P<n>{NUM})\s+{ADJ}(?P<u>{UNIT}))(?!['’]|\s+(?:of|ago|"
                       r"later|earlier|before|after|from|and|or|to)\b|[\s-]+old)")
def _after_n(m, text):
    """'after four days': a length in TIMEX3 terms, and for the routes a step from the narrative's time."""
    n, unit = number(m.group("n")), unit_of(m.group("u"))
    d = duration(n, unit)
    if m.group("sig").lower() != "after" or unit in ("second", "minute", "hour"):
        return whole(m, d)
    step = _step(m.group("n"), m.group("u"), 1, "ref")
    if step is None:
        return whole(m, d)
    return whole(m, replace(step, timex=("DURATION", d.value), days=d.days))


_DUR_Q = (r"(?:(?:about|around|almost|nearly|over|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|some|"
          r"roughly|approximately|under|just|barely|only|a\s+further|another|the\s+(?:next|past|last|first|following|"
          r"previous|coming|final|remaining|entire|whole)|an\s+entire|a\s+whole|a\s+full)\s+)?")


@rule("N units", rf"(?<![\w.,-]){_DUR_Q}(?P<n>{NUM})(?P<half>\s+and\s+a\s+half)?[\s-]+{ADJ}(?P<u>{UNIT})"
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


@rule("N and N units", rf"(?<![\w.,-])(?P<a>{NUM})\s+(?:and|to|or|-|–)\s+(?P<n>{NUM})[\s-]+{ADJ}(?P<u>{UNIT})\b"
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
    return whole(m, duration(None, unit_of(m.group("x"))))


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


ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y", "annual": "P1Y",
            "hourly": "PT1H", "nightly": "P1D", "quarterly": "P1Q", "biannual": "P6M", "biennial": "P2Y",
            "fortnightly": "P2W", "semiannual": "P6M", "bimonthly": "P2M", "biweekly": "P2W"}


@rule("daily, weekly", r"\b(?P<w>" + "|".join(ADVERBS) + r")\b")
def _adverb_set(m, text):
    return [(m.start(), m.end(), Reading("set", value=ADVERBS[m.group("w").lower()]))]


@rule("N times a unit", rf"\b(?:{NUM}|once|twice|thrice|\d+\s+times|{NUMW}\s+times)\s+(?P<x>(?:a|an|per|each|every)"
                        r"\s+(?P<u>second|minute|hour|day|night|week|month|year|decade|century))\b")
def _rate(m, text):
    return whole(m, Reading("set", value=duration_value(1, unit_of(m.group("u")))))


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
    return whole(m, point("part", part=PART_CODE[m.group("x").lower()]))


@rule("the part of the day of", r"\bthe\s+(?P<x>morning|afternoon|evening|night)(?=\s+of\s)")
def _part_of(m, text):
    return [(m.start(), m.end(), point("part", part=PART_CODE[m.group("x").lower()]))]


@rule("weekday and part of the day", rf"(?P<x>{WD})\s+(?P<p>morning|afternoon|evening|night)\b")
def _weekday_part(m, text):
    """'Friday morning', 'Thursday night'."""
    return [(m.start(), m.end(), point("part", weekday=WEEKDAY_NUMBER[m.group("x").lower()],
                                       part=PART_CODE[m.group("p").lower()]))]


@rule("weekday and a day alone", rf"(?P<w>{WD}),?\s+(?:the\s+)?(?P<x>{DAY_ORD})(?!\s*(?:of\s+)?{MON})")
def _weekday_day(m, text):
    """A journal's 'Saturday, 4th.', 'Monday the 6th': a day of the narrative's month (its month comes from there)."""
    day = day_of(m.group("x"))
    return whole(m, point("day", day=day), 0) if 1 <= day <= 31 else []


@rule("weekday", rf"(?P<x>{WD})(?!s\b)")
def _weekday(m, text):
    return whole(m, point("day", weekday=WEEKDAY_NUMBER[m.group("x").lower()]))


@rule("weekdays", rf"\b(?:on\s+)?(?P<x>{WD[:-2]}s)\b")
def _weekdays(m, text):
    day = WEEKDAY_NUMBER[m.group("x")[:-1].lower()]
    return whole(m, Reading("set", value=f"XXXX-WXX-{day + 1}"))


_MONTH_CONTEXT = (r"(?:\b(?:in|since|by|until|till|from|to|through|during|before|after|of|early|late|mid|"
                  r"throughout|between|and|or|around|about|end|beginning|start|middle|that|the|every|each)[\s-]+)")


@rule("month", rf"(?P<pre>{_MONTH_CONTEXT})?(?P<x>{MON})(?!\s*\d)")
def _month(m, text):
    """'in June', 'since November', 'October of next year'. Without a word before it, a month stands
    alone only before a comma or a full stop or at the start of a line ('November | March 13'), and
    never 'May', 'March' or 'August', which are words too, nor a name ('June Carter')."""
    word = m.group("x").rstrip(".").lower()
    if not m.group("pre"):
        if word in ("may", "march", "august") or word not in [n.lower() for n in MONTH_FULL]:
            return []
        if re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]):
            return []
        before = text[max(0, m.start() - 2):m.start()]
        if not (re.match(r"\s*[,.;:)]|\s+of\s", text[m.end():m.end() + 4]) or re.search(r"[(\n]\s*$|^$", before)):
            return []
    return whole(m, point("month", month=month_of(m.group("x"))))


# A day alone is one when no noun follows it ("on the 9th floor" is not): punctuation, a conjunction, or a new
# clause's subject ("On the 5th we dined at X", "on the 9th the party left").
_AFTER_NTH = r"(?=\s*(?:[,.;:)]|$|and\b|or\b|to\b|-)|\s+(?:we|I|he|she|they|you|it|the|our|my|his|her|their)\b)"


@rule("the Nth", rf"\b(?:on|by|until|till|from|to|since|before|after|of|and|or|between)\s+the\s+"
                 rf"(?P<x>{DAY_ORD}|{ORDW}){_AFTER_NTH}")
def _the_nth(m, text):
    """'arriving on the 9th', 'On the 5th we dined': a day of the month the narrative is in."""
    day = day_of(m.group("x"))
    return [(m.start("x") - 4, m.end("x"), point("day", day=day))] if 1 <= day <= 31 else []


@rule("the Nth opening a sentence", rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?-i:The)\s+(?P<x>{DAY_ORD})"
                                   rf"(?=\s+(?:was|dawned|began|broke|came|brought|saw|found)\b)")
def _the_nth_first(m, text):
    """'The 4th was the day I had been dreading': a day of the narrative's month, the subject of its sentence."""
    return _the_nth(m, text)


@rule("on N", r"\bon\s+(?P<x>3[01]|[12]\d|0?[1-9])(?=\s+(?:and|or|&)\s|\s*,\s)")
def _on_n(m, text):
    """'reached Jaffa on 18 and Jerusalem on 24 June': a day whose month comes after it (kept only where
    the sentence names one; see geo.extraction.timex)."""
    return whole(m, point("day", day=int(m.group("x"))))


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


@rule("holiday", r"(?-i:(?P<h>" + words([n.title().replace("'S", "'s") for n in FIXED_FEASTS | dict.fromkeys(
    MOVABLE_FEASTS)]).replace("'", "['’]?") + r"))\b" + rf"(?:{SEP}(?P<y>{YEAR}))?")
def _holiday(m, text):
    name = re.sub(r"\s+", " ", m.group("h").lower().replace("’", "'"))
    year = int(m.group("y")) if m.group("y") else None
    key = name if name in FIXED_FEASTS else name.replace("'", "")
    if key in FIXED_FEASTS or name in FIXED_FEASTS:
        month, day = FIXED_FEASTS.get(name) or FIXED_FEASTS[key]
        return [(m.start(), m.end(), point("day", year=year, month=month, day=day))]
    return [(m.start(), m.end(), point("day", year=year, feast=key))]


