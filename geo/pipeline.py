"""analyse(documents) -> Analysis: the one path from texts to an analysis.

The CLI and the dashboard are two thin shells around this module.

A long text is parsed in pieces (``PIECE_CHARS``, cut at paragraph ends, else
sentence ends, keeping every offset), so the parser's memory stays bounded
and progress is told piece by piece; the pieces are joined again into one
spaCy Doc (``Doc.from_docs``) and analysed as one document: the people, their
references and their routes are found over the whole text. Past
``SECTION_CHARS`` the text is analysed section by section (the rules over the
parse are not linear in a text's length) and the sections joined into the
one Analysis of the document: offsets are the document's, people with the
same name are one person, and each person's route runs on from one section
into the next.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo import config
from geo.errors import AnalysisCancelled
from geo.fsutil import tree_digest
from geo.geocoding.corrections import Corrections, apply_corrections
from geo.geocoding.between import place_between
from geo.extraction.mentions import extract
from geo.extraction.parsed import text_of
from geo.model import GOAL_LABEL, Analysis, Document, Person, Place, Sentence, Tie
from geo.extraction.itinerary import ties_for
from geo.extraction.people import group_people
from geo.extraction.docdate import document_date
from geo.extraction.groups import vessel_spans
from geo.extraction.identity import merge_people
from geo.extraction.cast import cast_of
from geo.geocoding.protocol import GazetteerLike, Geocoder
from geo.geocoding.resolve import resolve
from geo.text.documents import check_text

if TYPE_CHECKING:  # spaCy is loaded by load_resources, not by importing this module
    from spacy.language import Language


@dataclass(frozen=True)
class Resources:
    """What an analysis needs loaded once: the spaCy pipeline, the gazetteer, a geocoder."""

    nlp: Language
    gazetteer: GazetteerLike
    geocoder: Geocoder
    # Count nationality adjectives ("French", "Turkish") as mentions of their
    # country, as the GeoWebNews and TR-News annotations do; off by default,
    # since "a French national" is not a place anyone went to.
    demonyms: bool = False


def load_resources(geocoder: str = "offline", *, user_agent: str | None = None, url: str | None = None,
                   cache_dir: Path | None = None, demonyms: bool = False,
                   gazetteer: GazetteerLike | None = None) -> Resources:
    """The model, the gazetteer (``gazetteer``: one already open) and the geocoder an analysis needs."""
    from geo.gazetteer import Gazetteer
    from geo.geocoding.factory import make_geocoder
    from geo.extraction.nlp import load_nlp

    gazetteer = gazetteer if gazetteer is not None else Gazetteer(config.gazetteer_path())
    cache_path = (cache_dir or config.cache_dir()) / "geocode.sqlite"
    geo = make_geocoder(geocoder, offline=gazetteer, cache_path=cache_path,
                        user_agent=user_agent or config.user_agent(), url=url)
    return Resources(load_nlp(), gazetteer, geo, demonyms)


def _analyse_parsed(doc, document: Document, resources: Resources) -> Analysis:
    """The analysis of one parsed document (or a section of one); what the geocoder had to tell about it is
    in its notices."""
    ex = extract(doc, document.id, resources.gazetteer, document_date=document.document_date, text=document.text)
    # A ship's name is not a place, even when a town shares it ("the schooner Albatross")
    ships = vessel_spans(doc)
    mentions = tuple(m for m in ex.places if not any(s < m.end and m.start < e for s, e in ships))
    # Only this document's notices: the dashboard shares one geocoder between sessions.
    with resources.geocoder.recording() as told:
        places = resolve(mentions, document.text, resources.geocoder, nationalities(ex.demonyms, resources.gazetteer))
    if resources.demonyms:
        places = tuple(sorted(places + demonym_places(ex.demonyms, resources.gazetteer),
                              key=lambda p: p.mention.start))
    cast = cast_of(doc, group_people(list(ex.people)))
    ties = ties_for(doc, places, cast, list(ex.dates), document.document_date)
    places, ties = place_between(places, ties)
    # the traveller of an itinerary list may be no one the text names ("the narrator")
    people = cast.people + tuple(Person(n) for n in dict.fromkeys(t.person for t in ties if t.person)
                                 if all(p.name != n for p in cast.people))
    # a name the route placed is a place, not the person the model took it for ("Hawkshead")
    guesses = [(p.mention.start, p.mention.end) for p in places if p.mention.label == GOAL_LABEL]
    movers = {t.person for t in ties}
    people = tuple(p for p in people if p.name in movers or not p.mentions or not all(
        any(s < m.end and m.start < e for s, e in guesses) for m in p.mentions))
    return Analysis((document,), places, people, tuple(d for d, _ in ex.dates), ties, tuple(told))


def nationalities(mentions, gazetteer) -> dict[str, int]:
    """How many nationality words of each country the text has ("Colombian", "Scottish")."""
    out: dict[str, int] = {}
    for m in mentions:
        country = gazetteer.demonym(m.text)
        if country is not None and country.country:
            out[country.country] = out.get(country.country, 0) + 1
    return out


def demonym_places(mentions, gazetteer) -> tuple[Place, ...]:
    """Nationality adjectives placed at their country."""
    out = []
    for m in mentions:
        country = gazetteer.demonym(m.text)
        if country is not None:
            out.append(Place(m, country, (), 0.0, "offline"))
    return tuple(out)


# --- pieces and sections ---------------------------------------------------------------

PIECE_CHARS = 20_000  # parsed at once: bounds the parser's memory (a whole 150,000 characters took 500 MB more)
SECTION_CHARS = 200_000  # analysed at once: the rules over the parse grow faster than the text
BATCH_TEXTS, BATCH_CHARS = 8, 40_000  # short documents are parsed together, up to these
_PARAGRAPH_END = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")

Progress = Callable[[int, int, str], None]  # (work done, work in all, what is being done), work in characters
# One parse at a time in a process: spaCy's pipeline is not promised to be thread-safe, and analyses running
# in several threads (geo.service) then take turns batch by batch, so a short text never waits for a long one.
_PARSE_LOCK = threading.Lock()


def cuts(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text`` of at most ``limit`` characters, covering it whole.

    A piece ends after a paragraph break when one is in reach, else after a
    sentence's end, else after a space; only a run of ``limit`` characters
    without a space is cut inside. A short text is one piece.
    """
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        end = None
        for pattern in (_PARAGRAPH_END, _SENTENCE_END, _SPACE):
            ends = [m.end() for m in pattern.finditer(window)]
            if ends:
                end = ends[-1]
                break
        end = start + (end or limit)
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    return out


@dataclass(frozen=True)
class _Section:
    source: Document
    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]  # offsets in the document
    part: int  # this section's place among the document's sections, and their number
    parts: int
    pieces_before: int  # the document's pieces in the sections before this one, and in all
    pieces_in_all: int


def _plan(document: Document) -> list[_Section]:
    spans = cuts(document.text, SECTION_CHARS)
    pieces = [tuple((start + a, start + b) for a, b in cuts(document.text[start:end], PIECE_CHARS))
              for start, end in spans]
    in_all = sum(len(p) for p in pieces)
    return [_Section(document, start, end, pieces[k], k, len(spans), sum(len(p) for p in pieces[:k]), in_all)
            for k, (start, end) in enumerate(spans)]


def _parse_serially(texts: Iterable[str], nlp) -> Iterator:
    """The texts' parses in order: several short pieces a batch, a long one alone, one batch at a time."""
    batch: list[str] = []
    chars = 0

    def parsed() -> list:
        with _PARSE_LOCK:
            return list(nlp.pipe(batch, batch_size=len(batch)))

    for text in texts:
        if batch and (len(batch) >= BATCH_TEXTS or chars + len(text) > BATCH_CHARS):
            yield from parsed()
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield from parsed()


def _parsed_sections(documents: Iterable[Document], nlp, progress: Progress | None,
                     cancel: threading.Event | None, n_process: int = 1) -> Iterator[tuple[_Section, object]]:
    """Each document's sections with their parse (one Doc), in order; progress after each piece.

    ``documents`` may be a stream: a document is planned when the parse reaches it, and only the
    pieces the parse has read ahead are held. With ``n_process`` > 1 spaCy's children parse.
    """
    if progress is not None and not isinstance(documents, Sequence):
        documents = list(documents)  # the progress bar needs the whole
    total = 2 * sum(len(d.text) for d in documents) if progress is not None else 0  # the parse, then the rules
    planned: deque[_Section] = deque()  # planned and not yet handed out, in order

    def texts() -> Iterator[str]:
        for document in documents:
            for section in _plan(document):
                planned.append(section)
                for a, b in section.pieces:
                    if cancel is not None and cancel.is_set():
                        raise AnalysisCancelled("the analysis was cancelled")
                    yield document.text[a:b]

    parses = (nlp.pipe(texts(), batch_size=BATCH_TEXTS, n_process=n_process) if n_process > 1
              else _parse_serially(texts(), nlp))
    done, docs = 0, []
    for doc in parses:
        section = planned[0]
        docs.append(doc)
        done += len(text_of(doc))  # (kept with the piece by its parse: Doc.text joins every token again)
        if progress:
            progress(done, total, _reading(section, len(docs) - 1))
        if len(docs) < len(section.pieces):
            continue
        planned.popleft()
        joined = docs[0] if len(docs) == 1 else type(docs[0]).from_docs(docs, ensure_whitespace=False,
                                                                         exclude=["tensor"])
        docs = []
        yield section, joined
        done += section.end - section.start
        if progress:
            progress(done, total, _reading(section, None))


def _reading(section: _Section, p: int | None) -> str:
    """What is being done, for a progress bar: the document, and where in it when it is long."""
    name = section.source.id
    if section.parts == 1 and len(section.pieces) == 1:
        return name
    if p is None:
        part = f" of part {section.part + 1} of {section.parts}" if section.parts > 1 else ""
        return f"{name}: people, places and routes{part}"
    return f"{name}: parsing piece {section.pieces_before + p + 1} of {section.pieces_in_all}"


def iter_analyses(documents: Iterable[Document], resources: Resources, corrections: Corrections | None = None,
                  *, progress: Progress | None = None, cancel: threading.Event | None = None,
                  n_process: int = 1) -> Iterator[Analysis]:
    """One Analysis per document, in order, parsed in batches through nlp.pipe, a long one in pieces (see above).

    ``corrections`` (``geo.corrections.load()``) are the user's own choices of
    place for a name; they win over the resolver's. ``progress`` is told after
    each piece; ``cancel``, once set, stops the work before the next piece
    with AnalysisCancelled. With ``n_process`` > 1 the parse runs in that many
    child processes (spaCy's own); the rest, geocoding included, stays in this
    one, so the analyses are the same as with one. ``documents`` may be a
    stream: only those the parse has read ahead are held.
    """
    parts: list[Analysis] = []
    document = None
    before = set(multiprocessing.active_children()) if n_process > 1 else None
    sections = _parsed_sections(documents, resources.nlp, progress, cancel, n_process)
    try:
        for section, doc in sections:
            if section.part == 0:
                document = dated(section.source)
            part = _analyse_parsed(doc, replace(document, text=document.text[section.start:section.end]), resources)
            parts.append(shifted(part, section.start, document) if section.start or len(part.documents[0].text)
                         != len(document.text) else part)
            del doc
            if section.part == section.parts - 1:
                yield apply_corrections(join_sections(parts, document), corrections)
                parts = []
    except BaseException:  # a document that breaks the analysis, a cancel, a caller that stopped reading
        # The parse's children end before the parse is closed, which waits for them (see end_children).
        if before is not None:
            end_children(before)
        raise
    finally:
        sections.close()


def end_children(before: set) -> None:
    """End, by their ids, the child processes started since `before` was taken. spaCy's ``n_process`` parse
    waits for its children when it is closed, and a child blocked writing a parsed batch that nobody will
    read waits forever: every child holds the pipe's other end too, so the write never fails."""
    for child in multiprocessing.active_children():
        if child not in before:
            child.terminate()


def dated(document: Document) -> Document:
    """The document with its own date: the one the user gave, else the one its dateline gives, which
    anchors "Monday" and "last week" in every section of it."""
    if document.document_date is None and (found := document_date(document.text)):
        return replace(document, document_date=found)
    return document


def shifted(analysis: Analysis, offset: int, document: Document) -> Analysis:
    """A section's analysis with its offsets moved ``offset`` characters on, as part of ``document``."""
    sentences: dict[int, Sentence] = {}

    def sentence(s: Sentence) -> Sentence:  # each sentence once, shared by the mentions in it as before
        if id(s) not in sentences:
            sentences[id(s)] = replace(s, start=s.start + offset, end=s.end + offset)
        return sentences[id(s)]

    def moved(m):
        return replace(m, start=m.start + offset, end=m.end + offset, sentence=sentence(m.sentence))

    return Analysis(
        (document,),
        tuple(replace(p, mention=moved(p.mention)) for p in analysis.places),
        tuple(replace(p, mentions=tuple(moved(m) for m in p.mentions)) for p in analysis.people),
        tuple(moved(d) for d in analysis.dates),
        analysis.ties,
        analysis.notices,
    )


def join_sections(parts: Sequence[Analysis], document: Document) -> Analysis:
    """The sections of one document as its one Analysis.

    People of two sections are one person when their names say so, as across
    the documents of a corpus (``geo.extraction.identity``); a person's route goes
    on from where the last section left it.
    """
    if len(parts) == 1:
        return parts[0]
    rows = [{"doc_id": f"{n:06d}", "seq": k, "name": p.name, "aliases": p.aliases, "mentions": len(p.mentions)}
            for n, part in enumerate(parts) for k, p in enumerate(part.people)]
    name_of = {(r["doc_id"], r["name"]): r["person"] for r in merge_people(rows)}
    people: dict[str, Person] = {}
    places: list[Place] = []
    ties: list[Tie] = []
    last_order: dict[str, int] = {}
    for n, part in enumerate(parts):
        rename = {p.name: name_of.get((f"{n:06d}", p.name), p.name) for p in part.people}
        for p in part.people:
            name = rename[p.name]
            known = people.get(name, Person(name))
            aliases = tuple(a for a in dict.fromkeys((*known.aliases, p.name, *p.aliases)) if a != name)
            people[name] = Person(name, aliases, known.mentions + p.mentions)
        start = dict(last_order)
        for t in part.ties:
            person = rename.get(t.person, t.person) if t.person else None
            order = t.order
            if order is not None and person is not None:
                order += start.get(person, -1) + 1
                last_order[person] = max(last_order.get(person, -1), order)
            ties.append(replace(t, place=t.place + len(places), person=person, order=order))
        places.extend(part.places)
    return Analysis((document,), tuple(places), tuple(people.values()),
                    tuple(d for p in parts for d in p.dates), tuple(ties),
                    tuple(dict.fromkeys(n for p in parts for n in p.notices)))


def merge(parts: Sequence[Analysis], notices: tuple[str, ...] = ()) -> Analysis:
    """Several analyses as one corpus; tie indices follow their places, notices are each told once."""
    places: list[Place] = []
    ties: list[Tie] = []
    for part in parts:
        offset = len(places)
        places.extend(part.places)
        ties.extend(replace(t, place=t.place + offset) for t in part.ties)
    return Analysis(
        tuple(d for p in parts for d in p.documents), tuple(places),
        tuple(pe for p in parts for pe in p.people), tuple(d for p in parts for d in p.dates),
        tuple(ties), tuple(dict.fromkeys((*notices, *(n for p in parts for n in p.notices)))),
    )


def analyse(documents: Sequence[Document], resources: Resources, progress: Progress | None = None,
            corrections: Corrections | None = None, cancel: threading.Event | None = None) -> Analysis:
    """Analyse a corpus (one text is a corpus of one); ``progress`` and ``cancel`` as for ``iter_analyses``."""
    return merge(list(iter_analyses(documents, resources, corrections, progress=progress, cancel=cancel)))


def analyse_text(text: str, resources: Resources, doc_id: str = "pasted",
                 corrections: Corrections | None = None) -> Analysis:
    return analyse([Document(doc_id, check_text(text, doc_id))], resources, corrections=corrections)


# --- the version of what an analysis holds ----------------------------------------------------

# The code and data whose change changes an analysis: a cached analysis made by other ones is stale.
_VERSIONED = ("model.py", "pipeline.py", "names.py", "extraction", "geocoding", "gazetteer", "geography",
              "data")


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    return tree_digest(Path(__file__).resolve().parent, _VERSIONED)


@functools.lru_cache(maxsize=1)
def _models() -> tuple[str, ...]:
    """The English spaCy models installed, with their versions (read without importing spaCy)."""
    from importlib import metadata

    names = {(d.metadata["Name"] or "").lower().replace("_", "-"): d.version for d in metadata.distributions()}
    return tuple(sorted(f"{n}=={v}" for n, v in names.items() if n.startswith("en-core-web")))


def pipeline_version(geocoder: str = "offline", demonyms: bool = False) -> str:
    """A string that changes whenever the analysis of a text could: our code and data, the installed model,
    the gazetteer file, the geocoder and the settings. Cached analyses are keyed on it."""
    gazetteer = config.gazetteer_path()
    stamp = f"{gazetteer.stat().st_size}:{gazetteer.stat().st_mtime_ns}" if gazetteer.exists() else "none"
    parts = (_code_digest(), *_models(), stamp, geocoder, f"demonyms={demonyms}",
             f"pieces={PIECE_CHARS},{SECTION_CHARS}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
