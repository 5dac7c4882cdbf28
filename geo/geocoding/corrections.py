"""The user's own choice of place for a name, remembered: corrections are data.

When a name is placed wrongly, the user picks another candidate (or says it
is not a place). The choice is stored as JSON beside the cache, at
``geo.config.corrections_path()``, keyed by the name as written, folded
("İzmir" and "Izmir" are one key), and wins over the resolver everywhere
that name is written, in every later analysis.

    {"version": 1, "places": {"paris": {"written": "Paris", "choice": {...candidate...}}}}

``"choice": null`` means "not a place". The file is written atomically, so a
reader never sees half of it, and changed under a lock (``update``), so two
sessions saving at once lose neither choice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from geo import config
from geo.errors import CacheError
from geo.fsutil import write_atomic
from geo.fsutil import exclusive
from geo.model import Analysis, Candidate, Place
from geo.names import fold

VERSION = 1
GEOCODER = "correction"  # Place.geocoder of a corrected place
_CANDIDATE_FIELDS = {f.name for f in fields(Candidate)}


@dataclass(frozen=True)
class Correction:
    written: str  # the name as the user saw it written
    choice: Candidate | None  # None: not a place


Corrections = Mapping[str, Correction]  # folded name -> correction


def key(written: str) -> str:
    return fold(written)


def load(path: Path | None = None) -> dict[str, Correction]:
    """The stored corrections; none when the file does not exist yet."""
    path = Path(path or config.corrections_path())
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise CacheError(f"{path}: the corrections cannot be read ({err.strerror or err})") from err
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
        return {k: _correction(v) for k, v in data["places"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise CacheError(
            f"{path} is not a corrections file this version reads ({err}); "
            "fix it, or move it away to start again without corrections"
        ) from err


def save(corrections: Corrections, path: Path | None = None) -> None:
    path = Path(path or config.corrections_path())
    data = {
        "version": VERSION,
        "places": {
            k: {"written": c.written, "choice": asdict(c.choice) if c.choice else None}
            for k, c in sorted(corrections.items())
        },
    }
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError as err:
        raise CacheError(f"{path}: the corrections cannot be written ({err.strerror or err})") from err


def update(change: Callable[..., Corrections], *args, path: Path | None = None) -> dict[str, Correction]:
    """Apply ``change(stored, *args)`` to the stored corrections and save, as one step.

    Read, change and write happen under a lock beside the file, so two
    sessions saving at once each keep the other's choice. Returns what was saved.
    """
    path = Path(path or config.corrections_path())
    try:
        with exclusive(path.with_name(path.name + ".lock")):
            changed = dict(change(load(path), *args))
            save(changed, path)
    except OSError as err:  # the lock file itself
        raise CacheError(f"{path}: the corrections cannot be locked ({err.strerror or err})") from err
    return changed


def choose(corrections: Corrections, written: str, choice: Candidate | None) -> dict[str, Correction]:
    """``corrections`` with ``written`` placed at ``choice`` (None: not a place)."""
    return {**corrections, key(written): Correction(written, choice)}


def forget(corrections: Corrections, written: str) -> dict[str, Correction]:
    """``corrections`` without a choice for ``written``: the resolver decides again."""
    return {k: c for k, c in corrections.items() if k != key(written)}


def apply_corrections(analysis: Analysis, corrections: Corrections | None,
                      by_document: Mapping[str, Corrections] | None = None) -> Analysis:
    """Every place whose written name has a correction, placed as the user chose.

    ``by_document`` holds corrections for one document only (by Document.id):
    there they win over ``corrections``. The resolver's choice becomes a
    candidate, so it can be chosen back. A name that is not a place loses its
    ties too: no one went there.
    """
    if not corrections and not by_document:
        return analysis
    every, own = corrections or {}, by_document or {}

    def correction(p: Place) -> Correction | None:
        k = key(p.mention.text)
        return own.get(p.mention.doc_id, {}).get(k) or every.get(k)

    places = tuple(_corrected(p, correction(p)) for p in analysis.places)
    ties = tuple(t for t in analysis.ties if places[t.place].resolved or not analysis.places[t.place].resolved)
    return replace(analysis, places=places, ties=ties)


def candidates_for(place: Place, gazetteer) -> tuple[Candidate, ...]:
    """What a place could be: its current choice, the resolver's alternatives, every gazetteer entry of its name."""
    found = [c for c in (place.chosen, *place.candidates) if c is not None]
    found += gazetteer.lookup(place.mention.text)
    return tuple(_unique(found))


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


def _correction(entry: dict) -> Correction:
    choice = entry["choice"]
    if choice is not None:
        choice = Candidate(**{k: v for k, v in choice.items() if k in _CANDIDATE_FIELDS})
    return Correction(str(entry["written"]), choice)
