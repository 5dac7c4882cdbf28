"""The user's own choice of place for a name, remembered: corrections are data.

When a name is placed wrongly, the user picks another candidate (or says it
is not a place). The choice is stored as JSON beside the cache, at
``geo.config.corrections_path()``, keyed by the name as written, folded
("İzmir" and "Izmir" are one key), and wins over the resolver everywhere
that name is written, in every later analysis.

    {"version": 2,
     "places": {"paris": {"written": "Paris", "choice": {...candidate...}}},
     "added": {"the Sham": {"written": "the Sham", "choice": {...candidate...}}},
     "stops": {"stop:120:raqqa:Ali:event": {"written": "Raqqa", "sentence": 120, "person": "Ali",
               "role": "event", "date": null, "to": {"person": "Sara", "role": "destination", "date": "2015"}}}}

``"choice": null`` means "not a place". Beside the places are the two other
kinds of correction, in the same files and under the same lock: places the
parse missed (``geo.additions``) and stops given another person, role or
date (``geo.stopfix``). All three live in one mapping, each kind under its
own keys (a folded name, ``added:`` + the words, ``stop:`` + what the stop
was). Version 1 files (places only) are read as they are, and written back
as version 2. The file is written atomically, so a
reader never sees half of it, and changed under a lock (``update``), so two
sessions saving at once lose neither choice.

Every entry is checked when the file is read (a hand-edited ``"lat":
"north"`` must not reach the map). The good ones are used; if any is bad,
the file as it was is moved aside to ``corrections.json.bad-<time>`` (never
deleted), the good ones are written back, and the user is told once. A file
that is not a corrections file at all (not JSON, another version) is
refused with the way out, and never moved: it may be a newer program's.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from geo import config
from geo.errors import CacheError
from geo.fsutil import exclusive, write_atomic
from geo import additions, stopfix
from geo.additions import Addition
from geo.model import KINDS, Analysis, Candidate, Place
from geo.names import fold
from geo.stopfix import StopFix

VERSION = 2
READS = (1, 2)  # the versions this program reads
GEOCODER = "correction"  # Place.geocoder of a corrected place
NOT_A_PLACE = "Not a place"
_CANDIDATE_FIELDS = {f.name for f in fields(Candidate)}


@dataclass(frozen=True)
class Correction:
    written: str  # the name as the user saw it written
    choice: Candidate | None  # None: not a place


Entry = Correction | Addition | StopFix
Corrections = Mapping[str, Entry]  # folded name -> correction; added:words -> addition; stop:... -> stop fix


def key(written: str) -> str:
    return fold(written)


def key_of(entry: Entry) -> str:
    """The key ``entry`` is kept under."""
    if isinstance(entry, Addition):
        return additions.key_of(entry)
    if isinstance(entry, StopFix):
        return stopfix.key_of(entry)
    return key(entry.written)


def load(path: Path | None = None, *, notify: Callable[[str], None] | None = None) -> dict[str, Entry]:
    """The stored corrections; none when the file does not exist yet.

    Bad entries are set aside (see the module's docstring) and ``notify`` is
    called once with what the user must be told; without it, a RuntimeWarning.
    """
    path = Path(path or config.corrections_path())
    stored, problems = _read(path)
    if problems:
        with _locked(path):
            stored, problems = _read(path)  # another session may have set them aside meanwhile
            if problems:
                _set_aside(path, stored, problems, notify)
    return stored


def save(corrections: Corrections, path: Path | None = None) -> None:
    path = Path(path or config.corrections_path())
    data = {"version": VERSION, **sections(corrections)}
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError as err:
        raise CacheError(f"{path}: the corrections cannot be written ({err.strerror or err})") from err


def update(change: Callable[..., Corrections], *args, path: Path | None = None,
           notify: Callable[[str], None] | None = None) -> dict[str, Entry]:
    """Apply ``change(stored, *args)`` to the stored corrections and save, as one step.

    Read, change and write happen under a lock beside the file, so two
    sessions saving at once each keep the other's choice. Returns what was saved.
    """
    path = Path(path or config.corrections_path())
    with _locked(path):
        stored, problems = _read(path)
        if problems:
            _set_aside(path, stored, problems, notify)
        changed = dict(change(stored, *args))
        save(changed, path)
    return changed


def sections(corrections: Corrections) -> dict:
    """The corrections as the file holds them: ``places``, ``added`` and ``stops``, each by its key."""
    out: dict[str, dict] = {"places": {}, "added": {}, "stops": {}}
    for k, c in sorted(corrections.items()):
        if isinstance(c, StopFix):
            out["stops"][k] = stopfix.to_json(c)
        elif isinstance(c, Addition):
            out["added"][c.written] = {"written": c.written, "choice": asdict(c.choice)}
        else:
            out["places"][k] = {"written": c.written, "choice": asdict(c.choice) if c.choice else None}
    return out


def choose(corrections: Corrections, written: str, choice: Candidate | None) -> dict[str, Entry]:
    """``corrections`` with ``written`` placed at ``choice`` (None: not a place)."""
    return put(corrections, Correction(written, choice))


def put(corrections: Corrections, entry: Entry) -> dict[str, Entry]:
    """``corrections`` with ``entry`` (a place's choice, an added place, a stop's fix) in place of its key's."""
    return {**corrections, key_of(entry): entry}


def forget(corrections: Corrections, written: str) -> dict[str, Entry]:
    """``corrections`` without a choice for ``written``: the resolver decides again."""
    return drop(corrections, key(written))


def drop(corrections: Corrections, k: str) -> dict[str, Entry]:
    """``corrections`` without the entry kept under ``k`` (``key_of``): undone."""
    return {kk: c for kk, c in corrections.items() if kk != k}


def apply_corrections(analysis: Analysis, corrections: Corrections | None,
                      by_document: Mapping[str, Corrections] | None = None) -> Analysis:
    """``analysis`` as the user corrected it.

    Every place whose written name has a correction, placed as the user
    chose; the places the user added (``geo.additions``); the stops the
    user fixed (``geo.stopfix``: from ``by_document`` only, a stop is one
    document's).

    ``by_document`` holds corrections for one document only (by Document.id):
    there they win over ``corrections``. The resolver's choice becomes a
    candidate, so it can be chosen back. A name that is not a place loses its
    ties too: no one went there.
    """
    if not corrections and not by_document:
        return analysis
    every, own = corrections or {}, by_document or {}
    # Stops first: a fix is known by the ties as the analysis made them, before a place correction drops some.
    analysis = stopfix.apply_stop_fixes(analysis, own)

    def correction(p: Place) -> Correction | None:
        k = key(p.mention.text)
        found = own.get(p.mention.doc_id, {}).get(k) or every.get(k)
        return found if isinstance(found, Correction) else None

    places = tuple(_corrected(p, correction(p)) for p in analysis.places)
    ties = tuple(t for t in analysis.ties if places[t.place].resolved or not analysis.places[t.place].resolved)
    corrected = replace(analysis, places=places, ties=ties)
    return additions.apply_additions(
        corrected, [c for c in every.values() if isinstance(c, Addition)],
        {d: [c for c in cs.values() if isinstance(c, Addition)] for d, cs in own.items()})


def candidates_for(place: Place, gazetteer) -> tuple[Candidate, ...]:
    """What a place could be: its current choice, the resolver's alternatives, every gazetteer entry of its name."""
    found = [c for c in (place.chosen, *place.candidates) if c is not None]
    found += gazetteer.lookup(place.mention.text)
    return tuple(_unique(found))


SEARCH_LIMIT = 20  # of one name's entries (133 places are called Santa Cruz), the first: the largest of each kind


@dataclass(frozen=True)
class Options:
    """What a place may be chosen as when the user also looked up another name: the gazetteer's entries for that
    name first (up to a limit), then the place's own candidates (``candidates_for``); each once."""

    candidates: tuple[Candidate, ...]
    found: int = 0  # the gazetteer's entries for the name looked up, shown or not
    shown: int = 0  # how many of them lead ``candidates``


def options_for(place: Place | None, gazetteer, search: str = "", limit: int = SEARCH_LIMIT) -> Options:
    """The choices for ``place`` with ``search`` looked up too: the name the text should have been read as
    ("Mumbai" for a "Bombay" placed in New Zealand), or the name a misspelt one stands for. With no place
    (one the user adds), the gazetteer's entries for ``search`` alone."""
    search = search.strip()
    found = _unique(gazetteer.lookup(search)) if search else []
    shown = found[:limit]
    own = candidates_for(place, gazetteer) if place is not None else ()
    return Options(tuple(_unique([*shown, *own])), len(found), len(shown))


def _corrected(place: Place, correction: Correction | None) -> Place:
    if correction is None:
        return place
    others = [c for c in (place.chosen, *place.candidates) if c is not None and c != correction.choice]
    return replace(place, chosen=correction.choice, candidates=tuple(_unique(others)), geocoder=GEOCODER)


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The first of each candidate, in order."""
    seen: dict[tuple, Candidate] = {}
    for c in candidates:
        seen.setdefault((c.id or c.name, c.lat, c.lon), c)
    return list(seen.values())


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        with exclusive(path.with_name(path.name + ".lock")):
            yield
    except OSError as err:  # the lock file itself; errors of the block are CacheErrors already
        raise CacheError(f"{path}: the corrections cannot be locked ({err.strerror or err})") from err


def _read(path: Path) -> tuple[dict[str, Entry], list[str]]:
    """(the good entries, a problem per bad one). CacheError when it is not a corrections file at all."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as err:
        raise CacheError(f"{path}: the corrections cannot be read ({getattr(err, 'strerror', None) or err})") from err
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") not in READS:
            version = data.get("version") if isinstance(data, dict) else None
            raise ValueError(f"version {version!r}, expected {' or '.join(map(str, READS))}")
        if not isinstance(data.get("places"), dict):
            raise ValueError("no object of places")
        for section in ("added", "stops"):
            if not isinstance(data.get(section, {}), dict):
                raise ValueError(f"{section!r} is not an object")
    except ValueError as err:
        raise CacheError(
            f"{path} is not a corrections file this version reads ({err}); "
            "fix it, or move it away to start again without corrections"
        ) from err
    stored, problems = {}, []
    for name, entry in data["places"].items():
        checked = _correction(entry)
        if isinstance(checked, Correction):
            stored[name] = checked
        else:
            problems.append(f"{name!r}: {checked}")
    for name, entry in data.get("added", {}).items():
        checked = _correction(entry)
        if isinstance(checked, Correction) and checked.choice is None:
            checked = "'choice' is null: an added place is a place"
        if isinstance(checked, Correction):
            added = Addition(checked.written, checked.choice)
            stored[key_of(added)] = added
        else:
            problems.append(f"added {name!r}: {checked}")
    for name, entry in data.get("stops", {}).items():
        fixed = stopfix.from_json(entry)
        if isinstance(fixed, StopFix):
            stored[key_of(fixed)] = fixed
        else:
            problems.append(f"stop {name!r}: {fixed}")
    return stored, problems


def _set_aside(path: Path, good: dict[str, Entry], problems: list[str],
               notify: Callable[[str], None] | None) -> None:
    """Move the file as it is aside, write the good entries back, and tell the user once."""
    many = f"{len(problems)} entries" if len(problems) > 1 else "an entry"
    first = problems[0] + (f", and {len(problems) - 1} more" if len(problems) > 1 else "")
    moved = path.with_name(f"{path.name}.bad-{datetime.now():%Y%m%dT%H%M%S%f}")
    try:
        # A copy, then the good ones in its place: a failure at any point leaves the file whole.
        write_atomic(moved, path.read_bytes())
        save(good, path)
    except (OSError, CacheError) as err:
        reason = getattr(err, "strerror", None) or err
        done = f"they are left out of this run, but the file cannot be set aside ({reason})"
    else:
        done = f"the file as it was is kept at {moved}, and the {len(good)} good one(s) in {path.name}"
    message = f"{path} had {many} that cannot be used ({first}); {done}"
    if notify is None:
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    else:
        notify(message)


def _correction(entry: Any) -> Correction | str:
    """The Correction an entry stands for, or what is wrong with it."""
    if not isinstance(entry, dict):
        return f"a {type(entry).__name__} where an object with 'written' and 'choice' belongs"
    written = entry.get("written")
    if not isinstance(written, str) or not written.strip():
        return "'written' is missing or not a name"
    if "choice" not in entry:
        return "'choice' is missing (null means: not a place)"
    choice = entry["choice"]
    if choice is None:
        return Correction(written, None)
    if not isinstance(choice, dict):
        return f"'choice' is a {type(choice).__name__}, not a place or null"
    problem = _bad_field(choice)
    if problem:
        return f"'choice': {problem}"
    return Correction(written, Candidate(**{k: v for k, v in choice.items() if k in _CANDIDATE_FIELDS}))


def _bad_field(choice: dict) -> str | None:
    """What is wrong with a stored candidate, or None. Fields it does not know are ignored."""
    for name in ("name", "lat", "lon", "kind"):
        if name not in choice:
            return f"{name!r} is missing"
    checks = {
        "name": (lambda v: isinstance(v, str) and bool(v.strip()), "a name"),
        "lat": (lambda v: _number(v) and -90 <= v <= 90, "a number from -90 to 90"),
        "lon": (lambda v: _number(v) and -180 <= v <= 180, "a number from -180 to 180"),
        "kind": (lambda v: v in KINDS, f"one of {', '.join(KINDS)}"),
        "country": (lambda v: v is None or (isinstance(v, str) and re.fullmatch(r"[A-Z]{2}", v) is not None),
                    "null or an ISO alpha-2 code such as 'TR'"),
        "population": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "a whole number"),
        "admin1": (lambda v: v is None or isinstance(v, str), "null or a name"),
        "source": (lambda v: isinstance(v, str), "a word"),
        "id": (lambda v: isinstance(v, str), "a string"),
    }
    for name, (ok, wanted) in checks.items():
        if name in choice and not ok(choice[name]):
            return f"{name} is {json.dumps(choice[name], ensure_ascii=False)[:40]}, not {wanted}"
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
