"""An Analysis as rows of the store's tables, and back, exactly.

Every row carries its ``doc_id``; places, ties, people, person mentions and
dates carry ``seq``, their position in the document's own Analysis, so the
Analysis of a document comes back exactly as it was made.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute

from geo.fsutil import natural_key
from geo.model import (
    Analysis,
    Candidate,
    DateMention,
    Document,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Sentence,
    Tie,
)

_SENTENCE = [("sentence_start", pa.int64()), ("sentence_end", pa.int64()), ("sentence", pa.string())]
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("path", pa.string()), ("sha1", pa.string()),
        ("chars", pa.int64()), ("words", pa.int64()), ("text", pa.string()),
        ("document_date", pa.string()),  # the date it was written, given or read from its dateline
    ]),
    "places": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
        ("label", pa.string()),
        ("resolved", pa.bool_()),
        ("name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("kind", pa.string()),
        ("country", pa.string()), ("population", pa.int64()), ("admin1", pa.string()),
        ("source", pa.string()), ("candidate_id", pa.string()),
        ("score", pa.float64()), ("geocoder", pa.string()),
        ("candidates", pa.string()),  # JSON list of Candidate fields: close alternatives
    ]),
    "people": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()), ("name", pa.string()),
        ("aliases", pa.list_(pa.string())), ("mentions", pa.int32()),
    ]),
    "person_mentions": pa.schema([
        ("doc_id", pa.string()), ("person_seq", pa.int32()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
    ]),
    "dates": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
        ("iso", pa.string()), ("iso_end", pa.string()), ("precision", pa.string()),
    ]),
    "ties": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()), ("place", pa.int32()),
        ("person", pa.string()), ("role", pa.string()), ("date", pa.string()),
        ("date_end", pa.string()), ("order", pa.int32()),
    ]),
}
TABLES = tuple(SCHEMAS)
@dataclass(frozen=True)
class Source:
    """Where a document came from: its file (relative to the batch root) and its bytes' SHA-1."""

    path: str
    sha1: str
def _sentence(s: Sentence) -> dict:
    return {"sentence_start": s.start, "sentence_end": s.end, "sentence": s.text}
def _candidate_fields(c: Candidate) -> dict:
    return {"name": c.name, "lat": c.lat, "lon": c.lon, "kind": c.kind, "country": c.country,
            "population": c.population, "admin1": c.admin1, "source": c.source, "id": c.id}
def analysis_rows(analysis: Analysis, sources: Mapping[str, Source] | None = None) -> dict[str, list[dict]]:
    """The rows of each table for an analysis of one or more documents (not yet merged:
    tie indices must be local to each document, as ``iter_analyses`` gives them)."""
    sources = sources or {}
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for d in analysis.documents:
        src = sources.get(d.id)
        rows["documents"].append({
            "doc_id": d.id, "path": src.path if src else None, "sha1": src.sha1 if src else None,
            "chars": len(d.text), "words": len(d.text.split()), "text": d.text, "document_date": d.document_date,
        })
    local: dict[int, tuple[str, int]] = {}  # index in analysis.places -> (doc_id, seq in its document)
    counters: dict[str, int] = {}
    for i, p in enumerate(analysis.places):
        m = p.mention
        seq = counters.get(m.doc_id, 0)
        counters[m.doc_id] = seq + 1
        local[i] = (m.doc_id, seq)
        c = p.chosen
        rows["places"].append({
            "doc_id": m.doc_id, "seq": seq, "text": m.text, "start": m.start, "end": m.end,
            **_sentence(m.sentence), "label": m.label, "resolved": c is not None,
            "name": c.name if c else None, "lat": c.lat if c else None, "lon": c.lon if c else None,
            "kind": c.kind if c else None, "country": c.country if c else None,
            "population": c.population if c else None, "admin1": c.admin1 if c else None,
            "source": c.source if c else None, "candidate_id": c.id if c else None,
            "score": p.score, "geocoder": p.geocoder,
            "candidates": json.dumps([_candidate_fields(a) for a in p.candidates], ensure_ascii=False),
        })
    seqs: dict[str, int] = {}
    for person in analysis.people:
        doc_id = person.mentions[0].doc_id if person.mentions else analysis.documents[0].id
        seq = seqs.get(doc_id, 0)
        seqs[doc_id] = seq + 1
        rows["people"].append({"doc_id": doc_id, "seq": seq, "name": person.name,
                               "aliases": list(person.aliases), "mentions": len(person.mentions)})
        for j, m in enumerate(person.mentions):
            rows["person_mentions"].append({"doc_id": m.doc_id, "person_seq": seq, "seq": j, "text": m.text,
                                            "start": m.start, "end": m.end, **_sentence(m.sentence)})
    seqs = {}
    for dm in analysis.dates:
        seq = seqs.get(dm.doc_id, 0)
        seqs[dm.doc_id] = seq + 1
        rows["dates"].append({"doc_id": dm.doc_id, "seq": seq, "text": dm.text, "start": dm.start, "end": dm.end,
                              **_sentence(dm.sentence), "iso": dm.iso, "iso_end": dm.iso_end,
                              "precision": dm.precision})
    seqs = {}
    for t in analysis.ties:
        doc_id, place_seq = local[t.place]
        seq = seqs.get(doc_id, 0)
        seqs[doc_id] = seq + 1
        rows["ties"].append({"doc_id": doc_id, "seq": seq, "place": place_seq, "person": t.person,
                             "role": t.role, "date": t.date, "date_end": t.date_end, "order": t.order})
    return rows
def rows_to_tables(rows: Mapping[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(rows.get(name, []), schema=SCHEMAS[name]) for name in TABLES}
def concat_rows(parts: Iterable[Mapping[str, list[dict]]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for part in parts:
        for name in TABLES:
            out[name].extend(part.get(name, ()))
    return out
def _candidates(text: str | None) -> tuple[Candidate, ...]:
    return tuple(Candidate(**c) for c in json.loads(text)) if text and text != "[]" else ()
def _ranks(tables: Mapping[str, pa.Table]) -> dict[str, int]:
    """Each doc_id's place: the documents in natural order of their ids, then ids found only in other tables."""
    known = sorted(set(tables["documents"]["doc_id"].to_pylist()), key=natural_key)
    others = {d for name in TABLES for d in pa.compute.unique(tables[name]["doc_id"]).to_pylist()} - set(known)
    return {d: i for i, d in enumerate(known + sorted(others, key=natural_key))}
# Columns whose values repeat across rows (not the texts and sentences themselves).
_ONE_EACH = frozenset({"doc_id", "text", "label", "name", "kind", "country", "admin1", "source", "candidate_id",
                       "geocoder", "person", "role", "precision", "iso", "iso_end", "date", "date_end"})
def _sorted(table: pa.Table, rank: Mapping[str, int], *keys: str) -> tuple[dict[str, list], list[int]]:
    """The table's columns, and its rows' order by document, then ``keys``.

    Equal strings of a column come back as one object (``_ONE_EACH``): a corpus's ids, kinds, countries and
    names repeat row after row, and an Analysis whose equal values are one object is smaller in memory and
    in a pickle (``geo.corpus.kept_store``) and loads faster from it.
    """
    cols = table.to_pydict()
    for name in _ONE_EACH.intersection(cols):
        seen: dict = {}
        cols[name] = [seen.setdefault(v, v) for v in cols[name]]
    doc = cols["doc_id"]
    extra = [cols[k] for k in keys]
    return cols, sorted(range(len(doc)), key=lambda i: (rank[doc[i]], *(c[i] for c in extra)))
def tables_to_analysis(tables: Mapping[str, pa.Table], person_of: Mapping[tuple[str, str], str] | None = None,
                       notices: tuple[str, ...] = ()) -> Analysis:
    """One Analysis (a corpus) from store tables, documents in natural order of their ids.

    ``person_of`` maps (doc_id, name in that document) to a corpus person: their
    ties then name the corpus person, and the Persons of several documents who
    are one person become one Person, with every name they go by as aliases.
    A corpus has as many rows as it has mentions: they are read column by column,
    ordered by one key per document, and mentions of one sentence share its Sentence.
    """
    with collector_paused():
        return _to_analysis(tables, person_of, notices)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection in the block: for making hundreds of thousands of objects in one go, none of them
    garbage yet, where the collector's passes over the growing heap took more than half the time (a
    10,000-document store: 4.5 s, 2.0 s without them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _to_analysis(tables: Mapping[str, pa.Table], person_of: Mapping[tuple[str, str], str] | None,
                 notices: tuple[str, ...]) -> Analysis:
    rank = _ranks(tables)
    shared: dict[tuple, Sentence] = {}

    def sentence(c: Mapping[str, list], i: int) -> Sentence:
        key = (c["doc_id"][i], c["sentence_start"][i], c["sentence_end"][i])
        found = shared.get(key)
        if found is None:
            found = shared[key] = Sentence(key[0], key[1], key[2], c["sentence"][i])
        return found

    c, order = _sorted(tables["documents"], rank)
    dated = c.get("document_date") or [None] * len(c["doc_id"])  # a store written before dates were kept
    documents = tuple(Document(c["doc_id"][i], c["text"][i], dated[i]) for i in order)

    c, order = _sorted(tables["places"], rank, "seq")
    index = {(c["doc_id"][i], c["seq"][i]): n for n, i in enumerate(order)}
    places = []
    chosen_ones: dict[tuple, Candidate] = {}  # one object for each candidate, as for each value (_sorted)
    alternatives: dict[str | None, tuple[Candidate, ...]] = {}
    for i in order:
        chosen = None
        if c["resolved"][i]:
            fields = (c["name"][i], c["lat"][i], c["lon"][i], c["kind"][i], c["country"][i], c["population"][i],
                      c["admin1"][i], c["source"][i], c["candidate_id"][i])
            chosen = chosen_ones.get(fields)
            if chosen is None:
                chosen = chosen_ones[fields] = Candidate(*fields)
        mention = PlaceMention(c["doc_id"][i], c["text"][i], c["start"][i], c["end"][i], sentence(c, i), c["label"][i])
        listed = c["candidates"][i]
        others = alternatives.get(listed)
        if others is None:
            others = alternatives[listed] = _candidates(listed)
        places.append(Place(mention, chosen, others, c["score"][i], c["geocoder"][i]))

    rename = person_of or {}
    mentions: dict[tuple[str, int], list[PersonMention]] = {}
    c, order = _sorted(tables["person_mentions"], rank, "person_seq", "seq")
    for i in order:
        mentions.setdefault((c["doc_id"][i], c["person_seq"][i]), []).append(
            PersonMention(c["doc_id"][i], c["text"][i], c["start"][i], c["end"][i], sentence(c, i)))
    merged: dict[object, dict] = {}  # corpus name (or, unmerged, the document's person) -> names, mentions
    c, order = _sorted(tables["people"], rank, "seq")
    for i in order:
        doc_id, name = c["doc_id"][i], c["name"][i]
        corpus = rename.get((doc_id, name), name)
        entry = merged.setdefault(corpus if person_of is not None else (doc_id, c["seq"][i]),
                                  {"name": corpus, "names": [], "mentions": []})
        entry["names"] += [name, *c["aliases"][i]]
        entry["mentions"] += mentions.get((doc_id, c["seq"][i]), [])
    people = tuple(
        Person(e["name"], tuple(n for n in dict.fromkeys(e["names"]) if n != e["name"]), tuple(e["mentions"]))
        for e in merged.values()
    )

    c, order = _sorted(tables["dates"], rank, "seq")
    dates = tuple(
        DateMention(c["doc_id"][i], c["text"][i], c["start"][i], c["end"][i], sentence(c, i), c["iso"][i],
                    c["iso_end"][i], c["precision"][i])
        for i in order
    )
    c, order = _sorted(tables["ties"], rank, "seq")
    ties = tuple(
        Tie(index[(c["doc_id"][i], c["place"][i])],
            rename.get((c["doc_id"][i], c["person"][i]), c["person"][i]) if c["person"][i] else None,
            c["role"][i], c["date"][i], c["date_end"][i], c["order"][i])
        for i in order
        if (c["doc_id"][i], c["place"][i]) in index
    )
    return Analysis(documents, tuple(places), people, dates, ties, notices)
