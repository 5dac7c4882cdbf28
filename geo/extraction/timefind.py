"""Finding time expressions in a text: every rule of timerules and timeshifts, the longest where two
overlap, then the joins ("October of next year", "Friday morning", "early 2009")."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace

from geo.extraction import timeshifts  # noqa: F401  (registers its rules after the calendar ones)
from geo.extraction.timewords import (
    Found, MONTH_NUMBER, ORDINALS, PART_CODE, Reading, SEASON_CODE, UNITS,
)
from geo.extraction.timerules import (
    RULES,
)
from geo.extraction.timeshifts import (
    ADVERBS,
)


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
    "season": list(SEASON_CODE) + ["season", "seasons"],  # "this season", "last season" (of a sport)
    "set": list(ADVERBS) + ["every", "each", "once", "twice", "thrice", "times", "per"],
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
    "the Nth": ("digit", "ordinal"), "the Nth opening a sentence": ("digit",), "weekday and a day alone": ("weekday",), "the <unit> alone": ("unit", "part"), "season alone": ("season",),
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
    if w.endswith(("'s", "’s")):
        w = w[:-2]  # "Friday's", "the year's"
    kinds = WORD_CLASS.get(w)
    if kinds is None and "-" in w:  # "30-year", "recently-announced"
        parts = [WORD_CLASS[p] for p in w.split("-") if p in WORD_CLASS]
        kinds = frozenset().union(*parts) if parts else None
    if _DIGIT.search(w) and not _AMOUNT.search(w):
        return _DIGIT_CLASS | kinds if kinds else _DIGIT_CLASS  # "30-year"
    return kinds


def time_words(words) -> list[tuple[int, int, frozenset[str]]]:
    """The time words of a text, with their kinds: (start, end, kinds). `words` are the text's word matches
    (`re.Match`), in order."""
    out = []
    for w in words:
        kinds = word_class(w.group())
        if kinds is not None:
            out.append((w.start(), w.end(), kinds))
    return out


def _stretches(words, needs, length: int) -> list[tuple[int, int]]:
    """The stretches of a text within MARGIN of a word of a kind in `needs` (None: of any kind), merged."""
    out: list[list[int]] = []
    for start, end, kinds in words:
        if needs is not None and kinds.isdisjoint(needs):
            continue
        a, b = max(0, start - MARGIN), min(length, end + MARGIN)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _all_matches(text: str, words) -> list[tuple]:
    # Each rule reads only the stretches around the words it needs: a stretch merged around words of other
    # kinds (a paragraph of figures near one month's name) is no work for it.
    stretches: dict = {}
    out = []
    for k, r in enumerate(RULES):
        needs = NEEDS.get(r.name)
        if words is None:
            spans = [(0, len(text))]
        else:
            if needs not in stretches:
                stretches[needs] = _stretches(words, needs, len(text))
            spans = stretches[needs]
        for a, b in spans:
            for m in r.pattern.finditer(text, a, b):
                pieces = r.build(m, text)
                if pieces:
                    out.append((min(p[0] for p in pieces), max(p[1] for p in pieces), k, pieces, m.start(), m.end()))
    return out


def find(text: str, words: list[tuple[int, int, frozenset[str]]] | None = None) -> tuple[Found, ...]:
    """Every time expression the rules read in a text, in reading order, joined where they belong together.

    `words` (from `time_words`) limits each rule to the stretches around the time words it needs; None reads
    the whole text."""
    matches = _all_matches(text, words)
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
