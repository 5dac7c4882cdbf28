"""The document's own date (its creation time, DCT), read from the text.

Shapes, tried in this order in the head of the text (its first lines), then anywhere for the last:

- a dateline: a place, the date and an agency before a dash ("LONDON, March 3 (Reuters) -",
  "GENEVA, 3 March 2011 (AFP) —");
- a date on a line of its own, as under a headline or a release's title ("March 01, 2008",
  "Monday, 7 February 2011");
- a byline with a date ("By Jane Doe | March 3, 2011", "By Jane Doe, 3 March 2011");
- a stamp: "Posted on", "Published", "Updated", "Released", "Dated", "Date:", "Decided:" (below the
  head only at the start of a line).

The value is ISO at the precision given ("2011-03-03", "2011-03"); a dateline without a year
("LONDON, March 3 (Reuters) -") takes the year of another date of the head when there is one (a stamp, a
date on a line of its own, a byline's; one of the same day first), and is
"XXXX-03-03" otherwise: a document date the reader reports but cannot count from.
"""

from __future__ import annotations

import calendar
import re

from geo.extraction.timewords import DAY, MON, SEP, WD, WD_ABBR, YEAR, day_of, month_of

HEAD_LINES = 12  # a headline, a byline, a dateline: the head of a text is short
SHORT_LINE = 160  # characters: longer lines of the head are already paragraphs
_WDP = rf"(?:(?:{WD}|{WD_ABBR}){SEP})?"
_DATE = (rf"(?:{_WDP}(?P<m1>{MON})\s*(?P<d1>{DAY})(?:{SEP}(?P<y1>{YEAR}))?|"
         rf"{_WDP}(?P<d2>{DAY})\s+(?P<m2>{MON})(?:{SEP}?(?P<y2>{YEAR}))?|"
         rf"(?P<y3>{YEAR})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>[0-3]\d)|"
         rf"(?P<m4>\d{{1,2}})/(?P<d4>\d{{1,2}})/(?P<y4>{YEAR})|"
         rf"(?P<m5>{MON}){SEP}?(?P<y5>{YEAR}))")
_TIME = r"(?:\s*(?:,|at|-)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_AGENCY = r"(?:\s*\((?-i:[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)\))?"
_PLACE = r"(?-i:(?:[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*\s*,\s*)+)"  # "LONDON, ", "Miami, FL, "
_DATELINE = re.compile(rf"^\s*{_PLACE}{_DATE}{_AGENCY}\s*[-–—]+\s*\S",
                       re.IGNORECASE)
_ALONE = re.compile(rf"^[\s|*_#>-]*{_DATE}{_TIME}[\s|*_]*$", re.IGNORECASE)
_BYLINE = re.compile(rf"^\s*By\s+[^\n]{{2,80}}?(?:[|,•·–—-]|\bon\b)\s*{_DATE}", re.IGNORECASE)
_STAMP_WORD = re.compile(r"\b(?:posted|published|updated|last\s+updated|released|dated|date|decided|issued|filed|"
                         r"written)\b", re.IGNORECASE)
_STAMP = re.compile(rf"{_STAMP_WORD.pattern}\s*(?:on|:)?\s*:?\s*{_DATE}", re.IGNORECASE)


def _stamps(text: str, line_start: bool = False):
    """'Posted on March 3, 2011': the stamps of a text (its keywords found first: a cheap search);
    with `line_start`, only those that begin a line (in the body of a text, "the letter dated 11 Aug."
    is no stamp)."""
    for w in _STAMP_WORD.finditer(text):
        if line_start and text[text.rfind("\n", 0, w.start()) + 1:w.start()].strip(" \t|*_#>-"):
            continue
        m = _STAMP.match(text, w.start())
        if m:
            yield m


def _iso(m: re.Match) -> tuple[int | None, int, int | None] | None:
    for k in "12345":
        month = m.group(f"m{k}")
        if month is None:
            continue
        y = m.group(f"y{k}") if f"y{k}" in m.re.groupindex else None
        d = m.group(f"d{k}") if f"d{k}" in m.re.groupindex else None
        mo = int(month) if month.isdigit() else month_of(month)
        day = day_of(d) if d else None
        year = int(y) if y else None
        if not 1 <= mo <= 12 or (day is not None and day > calendar.monthrange(year or 2000, mo)[1]):
            return None
        return year, mo, day
    return None


def _format(year: int | None, month: int, day: int | None) -> str:
    y = "XXXX" if year is None else f"{year:04d}"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def document_date(text: str) -> str | None:
    """The date a text gives itself, as ISO ('2011-03-03', '2011-03', or 'XXXX-03-03' without a year)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:HEAD_LINES]
    # A stamp may sit anywhere on a short line of the head ("Argued: ... Decided: Nov 24, 1941"); in a
    # paragraph, only at its start ("a letter dated 11 Aug." is part of the story).
    head = "\n".join(ln for ln in lines if len(ln) <= SHORT_LINE)
    found = None
    for shape in (_DATELINE, _ALONE, _BYLINE):
        for line in lines:
            m = shape.search(line)
            if m and (parts := _iso(m)):
                found = parts
                break
        if found:
            break
    if found is None:
        m = next(_stamps(head), None) or next(_stamps(text, line_start=True), None)
        if m:
            found = _iso(m)
    if found is None:
        return None
    year, month, day = found
    if year is None:
        # "LONDON, March 3 (Reuters) -": the year of another date of the head, if any: a stamp, a date on a
        # line of its own ("March 3, 2023 1:42 PM UTC"), a byline's; one of the same day first
        others = [parts for m in _stamps(head) if (parts := _iso(m))]
        others += [parts for shape in (_ALONE, _BYLINE) for line in lines
                   if (m := shape.search(line)) and (parts := _iso(m))]
        dated = [o for o in others if o[0] is not None]
        same = [o for o in dated if o[1:] == (month, day)]
        if same or dated:
            year = (same or dated)[0][0]
        else:
            years = re.findall(rf"(?:©|\(c\)|copyright)\s*({YEAR})", head, re.IGNORECASE)
            year = int(years[0]) if years else None
    return _format(year, month, day)


def datelines(text: str) -> list[tuple[int, int]]:
    """Character spans of the datelines that open the text's lines ("PARIS, March 3, 2024 (Reuters) -"): they
    date the document, not the clause the parser hangs them on."""
    out, at = [], 0
    for line in text.splitlines(keepends=True):
        if (m := _DATELINE.search(line)) is not None:
            out.append((at, at + m.end() - 1))
        at += len(line)
    return out
