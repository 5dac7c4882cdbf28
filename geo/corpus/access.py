"""What a dashboard session may open, and where its corrections are kept.

A dashboard can be opened by anyone who reaches it, with any address; the
address is not the user. So:

- **Batch stores** open only under the folders the server was set up with
  (``GEO_STORE_ROOTS``); with none set, only the folders the user chose in
  this session. A link alone never opens a folder, and the refusal is the
  same whether the folder exists or not.
- **Corrections** are kept where their data is. For a batch store: in the
  store (``corrections.json`` beside its tables). For a text: in the user's
  own corrections (``geo.config.corrections_path()``, the file the command
  line reads too) when the dashboard listens on this machine alone, so its
  one user is whoever runs it; on a dashboard shared with others, in the
  session only, to download. A correction is for one document (the text it
  was made on, known by its hash) or for every document.

Each place keeps its corrections in files of the one format of
``geo.geocoding.corrections``, one for every document and one per document::

    HOME/corrections.json
    HOME/corrections/<document hash>.json
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo import additions, stopfix
from geo.additions import Addition
from geo.geocoding import corrections as fixes
from geo.geocoding.corrections import Correction, Corrections
from geo.model import Analysis, Document
from geo.stopfix import StopFix

LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERY = "every"  # the scope of a correction made for every document


# --- stores ------------------------------------------------------------------------------------


def store_roots(value: str | None = None) -> tuple[Path, ...]:
    """The folders batch stores may be opened under: ``value``, else $GEO_STORE_ROOTS (``os.pathsep``-separated)."""
    raw = os.environ.get("GEO_STORE_ROOTS", "") if value is None else value
    return tuple(Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip())


def store_allowed(path: str | Path, roots: Iterable[Path], chosen: Iterable[str | Path] = ()) -> bool:
    """Whether a session may open ``path`` as a store: under one of ``roots`` if there are any, else one of the
    folders the user ``chosen`` in this session. Links and ``..`` are resolved first."""
    try:
        target = Path(path).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    roots = tuple(roots)
    allowed = roots or tuple(Path(p).expanduser().resolve() for p in chosen)
    if roots:
        return any(target == r or target.is_relative_to(r) for r in allowed)
    return target in allowed


# --- corrections -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def document_hash(document: Document) -> str:
    """A document's identity for its corrections: its text, whatever its name. Remembered: a corpus's
    documents are the same at every rerun of the page, and hashing 10,000 texts each time took a third of a
    second."""
    return hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Home:
    """Where a session's corrections are read from and written to: a folder, or the session alone (None)."""

    folder: Path | None
    every_path: Path | None = None  # the file of corrections for every document (default: folder/corrections.json)
    label: str = "this session only"  # where they are kept, as a person reads it

    def path(self, scope: str) -> Path | None:
        if self.folder is None:
            return None
        if scope == EVERY:
            return self.every_path or self.folder / "corrections.json"
        return self.folder / "corrections" / f"{scope}.json"

    def documents_kept(self) -> set[str]:
        """The documents (their scopes) that have a file of corrections here, from one listing of the folder."""
        if self.folder is None:
            return set()
        try:
            return {p.name[:-5] for p in (self.folder / "corrections").iterdir() if p.name.endswith(".json")}
        except OSError:  # no folder yet: no document has corrections
            return set()


def home_for(source: str, store: Path | None, address: str | None, user_file: Path) -> Home:
    """The home of a session's corrections (see above); ``address`` is the one the server listens on."""
    if source == "store" and store is not None:
        return Home(Path(store), label="in this batch store")
    if (address or "") in LOOPBACK:
        return Home(user_file.parent, every_path=user_file, label="in your corrections on this machine")
    return Home(None)


@dataclass(frozen=True)
class Kept:
    """Every correction a session sees, by scope: EVERY, or a document's hash."""

    scopes: Mapping[str, Corrections]

    def for_document(self, document: Document) -> Corrections:
        return self.scopes.get(document_hash(document), {})

    @property
    def every(self) -> Corrections:
        return self.scopes.get(EVERY, {})


def read(home: Home, documents: Iterable[Document], session: Mapping[str, Corrections] | None = None,
         base: Corrections | None = None, *, notify: Callable[[str], None] | None = None) -> Kept:
    """The corrections a session sees for ``documents``: ``base`` (the user's own, read-only here) under the
    home's (from its files, or ``session`` when it keeps them in the session), per document over every document.
    Raises CacheError for a file that cannot be read; ``notify`` is told of entries set aside as unusable."""
    scopes = [EVERY, *dict.fromkeys(document_hash(d) for d in documents)]
    found: dict[str, Corrections] = {}
    kept_here = home.documents_kept()  # one listing, not one look per document (a corpus has 10,000)
    for scope in scopes:
        if home.folder is not None and scope != EVERY and scope not in kept_here:
            continue
        path = home.path(scope)
        kept = dict((session or {}).get(scope, {})) if path is None else fixes.load(path, notify=notify)
        if scope == EVERY and base and (path is None or path != home.every_path):
            kept = {**base, **kept}
        if kept:
            found[scope] = kept
    return Kept(found)


def change(home: Home, scope: str, edit, *args, session: dict | None = None) -> None:
    """Apply ``edit(corrections, *args)`` (``fixes.choose``, ``fixes.put``, ``fixes.drop``...) to the corrections of ``scope``, where
    the home keeps them: its file, under its lock, or ``session`` (a dict of scope -> corrections)."""
    path = home.path(scope)
    if path is None:
        session[scope] = dict(edit(session.get(scope, {}), *args))
    else:
        fixes.update(edit, *args, path=path)


def apply(analysis: Analysis, kept: Kept) -> Analysis:
    """``analysis`` with the corrections applied: a document's own win over those for every document."""
    by_doc = {d.id: kept.for_document(d) for d in analysis.documents}
    return fixes.apply_corrections(analysis, kept.every, by_document={k: v for k, v in by_doc.items() if v})


def listed(kept: Kept, documents: Iterable[Document]) -> list[tuple[str, str, Correction]]:
    """(scope, what it is for, correction) for each correction in sight, every document's first: places'
    choices, places added and stops fixed alike (``fixes.key_of`` gives the key to undo one by)."""
    names = {document_hash(d): d.id for d in documents}
    rows = [(EVERY, "every document", c) for c in kept.every.values()]
    for scope, corrections in kept.scopes.items():
        if scope != EVERY:
            rows += [(scope, f"only {names.get(scope, 'one document')}", c) for c in corrections.values()]
    return rows


def said(entry) -> str:
    """A correction as the user reads it in the list (plain text: the dashboard escapes it)."""
    from geo.tables import describe

    if isinstance(entry, StopFix):
        return stopfix.said(entry)
    if isinstance(entry, Addition):
        return additions.said(entry, describe)
    return f"{entry.written} → {describe(entry.choice) if entry.choice else fixes.NOT_A_PLACE}"


def export(kept: Kept, documents: Iterable[Document]) -> dict:
    """The corrections in sight as one file: those for every document at the top, in the format the command
    line reads (``places``, ``added``, ``stops``), and ``documents`` with those made for one document, by its
    hash (a stop's fix is always there)."""
    names = {document_hash(d): d.id for d in documents}
    return {
        "version": fixes.VERSION,
        **fixes.sections(kept.every),
        "documents": {scope: {"document": names.get(scope), **fixes.sections(c)}
                      for scope, c in sorted(kept.scopes.items()) if scope != EVERY},
    }
