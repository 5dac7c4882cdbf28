"""The user's correction of a stop: who it is, what role it plays, when, as the user says.

A stop is a tie of a person to a place mention (``geo.model.Tie``). The
parse may tie it to the wrong person, give it the wrong role or date; the
user says what it should be, and the fix is kept as data beside the place
corrections (``geo.geocoding.corrections`` reads and writes them all).

A fix is known by what the analysis said, so it finds its stop again when
the same document is analysed again (the offsets of a text do not move):
the start of the stop's sentence, the place as written, and the person and
role the analysis gave it. A fix is for one document; it is kept in that
document's corrections (by the document's hash), never for every document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from geo.errors import InputError
from geo.isodates import parse_iso
from geo.model import MOVEMENT_ROLES, ROLES, Analysis, Tie
from geo.names import fold

PREFIX = "stop:"  # of a fix's key among the corrections (place corrections are keyed by the folded name)
NOBODY = None  # a stop given to no one: a place the text names, not a person's stop


@dataclass(frozen=True)
class StopFix:
    """What a stop was (the key) and what it is now."""

    written: str  # the place as written
    sentence: int  # where its sentence starts in the document
    person: str | None  # the person the analysis tied it to (None: nobody)
    role: str  # the role the analysis gave it
    to_person: str | None
    to_role: str
    to_date: str | None  # ISO at its precision; None: undated
    date: str | None = None  # the date the analysis gave it, for the list


@dataclass(frozen=True)
class StopRow:
    """A tie of an analysis as the user picks it: where it is, what it was, what it is after the fixes."""

    index: int  # into Analysis.ties of the analysis before corrections
    doc_id: str
    key: str
    was: Tie
    now: Tie
    written: str  # the place as written
    sentence: str  # the text of its sentence
    fix: StopFix | None


def stop_key(sentence: int, written: str, person: str | None, role: str) -> str:
    return f"{PREFIX}{sentence}:{fold(written)}:{person or ''}:{role}"


def key_of(fix: StopFix) -> str:
    return stop_key(fix.sentence, fix.written, fix.person, fix.role)


def tie_key(analysis: Analysis, tie: Tie) -> str:
    mention = analysis.places[tie.place].mention
    return stop_key(mention.sentence.start, mention.text, tie.person, tie.role)


def iso_date(text: str | None) -> str | None:
    """A date as the user typed it, checked: '2015', '2015-06' or '2015-06-14'; blank is undated (None).

    InputError, quoting what was typed and the forms accepted, for anything else (a 30 February too).
    """
    text = (text or "").strip()
    if not text:
        return None
    year, month, day = parse_iso(text)
    return "-".join([f"{year:04d}", *(f"{n:02d}" for n in (month, day) if n is not None)])


def fix_for(analysis: Analysis, tie: Tie, person: str | None, role: str, date: str | None) -> StopFix:
    """The fix that makes ``tie`` (of ``analysis``, before corrections) ``person``'s, in ``role``, on ``date``."""
    if role not in ROLES:
        raise InputError(f"{role!r} is not a role; the roles are {', '.join(ROLES)}")
    mention = analysis.places[tie.place].mention
    return StopFix(mention.text, mention.sentence.start, tie.person, tie.role, person or NOBODY, role,
                   iso_date(date), tie.date)


def changes(fix: StopFix) -> bool:
    """Whether the fix says anything the analysis did not."""
    return (fix.to_person, fix.to_role, fix.to_date) != (fix.person, fix.role, fix.date)


def apply_stop_fixes(analysis: Analysis, by_document: Mapping[str, Mapping[str, object]]) -> Analysis:
    """``analysis`` with each stop that has a fix (in ``by_document``: Document.id -> corrections) as fixed.

    A stop given to another person, or made a movement, takes its place in
    that person's route by where the text tells it: before the first of
    their stops told after it. Their other stops keep their order.
    """
    if not any(any(isinstance(v, StopFix) for v in c.values()) for c in by_document.values()):
        return analysis
    ties, moved = list(analysis.ties), []
    for i, tie in enumerate(ties):
        fixes = by_document.get(analysis.places[tie.place].mention.doc_id) or {}
        fix = fixes.get(tie_key(analysis, tie))
        if not isinstance(fix, StopFix):
            continue
        dated = fix.to_date == tie.date
        new = replace(tie, person=fix.to_person, role=fix.to_role, date=fix.to_date,
                      date_end=tie.date_end if dated else None)
        if new.person is None or new.role not in MOVEMENT_ROLES:
            new = replace(new, order=None)
        elif new.person != tie.person or tie.role not in MOVEMENT_ROLES or tie.order is None:
            moved.append(i)
        ties[i] = new
    for person in dict.fromkeys(ties[i].person for i in moved):
        _reorder(analysis, ties, person, {i for i in moved if ties[i].person == person})
    return replace(analysis, ties=tuple(ties))


def _reorder(analysis: Analysis, ties: list[Tie], person: str, moved: set[int]) -> None:
    """Number ``person``'s ordered movement ties again, with the ``moved`` ones put where the text tells them."""
    docs = {d.id: n for n, d in enumerate(analysis.documents)}

    def told(i: int) -> tuple[int, int]:
        mention = analysis.places[ties[i].place].mention
        return docs.get(mention.doc_id, len(docs)), mention.start

    kept = sorted((i for i, t in enumerate(ties) if t.person == person and t.role in MOVEMENT_ROLES
                   and t.order is not None and i not in moved), key=lambda i: (ties[i].order, i))
    for i in sorted(moved, key=told):
        at = next((n for n, j in enumerate(kept) if told(j) > told(i)), len(kept))
        kept.insert(at, i)
    for order, i in enumerate(kept):
        ties[i] = replace(ties[i], order=order)


def stop_rows(analysis: Analysis, fixed: Analysis | None, by_document: Mapping[str, Mapping[str, object]]
              ) -> list[StopRow]:
    """Every tie of ``analysis`` (before corrections) as the user picks it, in the order the text tells them,
    with what it is in ``fixed`` (the same analysis with its stop fixes applied, ties in the same places)."""
    fixed = fixed or apply_stop_fixes(analysis, by_document)
    rows = []
    for i, tie in enumerate(analysis.ties):
        mention = analysis.places[tie.place].mention
        key = tie_key(analysis, tie)
        fix = (by_document.get(mention.doc_id) or {}).get(key)
        rows.append(StopRow(i, mention.doc_id, key, tie, fixed.ties[i], mention.text, mention.sentence.text,
                            fix if isinstance(fix, StopFix) else None))
    docs = {d.id: n for n, d in enumerate(analysis.documents)}
    return sorted(rows, key=lambda r: (docs.get(r.doc_id, 0), analysis.places[r.was.place].mention.start, r.index))


def people_of(analysis: Analysis, doc_id: str) -> list[str]:
    """The people a stop of document ``doc_id`` may be given: those the document names or ties, by name."""
    named = {p.name for p in analysis.people if any(m.doc_id == doc_id for m in p.mentions)}
    tied = {t.person for t in analysis.ties if t.person and analysis.places[t.place].mention.doc_id == doc_id}
    return sorted(named | tied, key=str.casefold)


def said(fix: StopFix) -> str:
    """The fix as a person reads it (plain text: the dashboard escapes it)."""
    was = f"{fix.person or 'nobody'}, {fix.role}, {fix.date or 'undated'}"
    now = f"{fix.to_person or 'nobody'}, {fix.to_role}, {fix.to_date or 'undated'}"
    return f"The stop at {fix.written} (sentence at character {fix.sentence:,}): {was} → {now}"


def to_json(fix: StopFix) -> dict:
    return {"written": fix.written, "sentence": fix.sentence, "person": fix.person, "role": fix.role,
            "date": fix.date, "to": {"person": fix.to_person, "role": fix.to_role, "date": fix.to_date}}


def from_json(entry: object) -> StopFix | str:
    """The fix an entry of a corrections file stands for, or what is wrong with it."""
    if not isinstance(entry, dict) or not isinstance(entry.get("to"), dict):
        return "not an object with 'written', 'sentence', 'person', 'role' and 'to'"
    to = entry["to"]
    written, sentence = entry.get("written"), entry.get("sentence")
    if not isinstance(written, str) or not written.strip():
        return "'written' is missing or not a name"
    if not isinstance(sentence, int) or isinstance(sentence, bool) or sentence < 0:
        return "'sentence' is not a character offset"
    for field, value in (("person", entry.get("person")), ("to.person", to.get("person"))):
        if value is not None and not (isinstance(value, str) and value.strip()):
            return f"{field!r} is neither a name nor null"
    for field, value in (("role", entry.get("role")), ("to.role", to.get("role"))):
        if value not in ROLES:
            return f"{field!r} is not one of {', '.join(ROLES)}"
    dates = []
    for field in ("date", "to.date"):
        value = entry.get("date") if field == "date" else to.get("date")
        try:
            if value is not None and not isinstance(value, str):
                raise InputError(value)
            dates.append(iso_date(value))
        except InputError:
            return f"{field!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD) or null"
    return StopFix(written, sentence, entry.get("person"), entry["role"], to.get("person"), to["role"],
                   dates[1], dates[0])


def label(row: StopRow, width: int = 90) -> str:
    """A stop as the list of stops shows it (plain text): who, what, where, when, then its sentence."""
    now = row.now
    sentence = " ".join(row.sentence.split())
    sentence = sentence if len(sentence) <= width else sentence[:width - 1] + "…"
    mark = " (fixed)" if row.fix else ""
    return f"{now.person or 'nobody'} · {now.role} · {row.written} · {now.date or 'undated'}{mark} — {sentence}"
